"""What `mediacheck fix` reads and writes, and how it stops: the one place for its safety.

- `check_source`: the input must be a readable regular file; a FIFO, a device, a folder, a
  link loop or a link to nowhere is said plainly (and never opened: a FIFO would block).
- `output_for` / `check_output`: where the result goes: beside the input by default, into
  a folder given with -o, or the name given with -o, whose extension must be one the
  written format has (MP4 data under an `.avi` name would fool people and platforms).
  Never the input itself, never an existing file unless --force.
- `temp_beside` + `place`: the result is written to a hidden temp file beside the target
  and moved into place only when it passes; without --force it is hard-linked, which
  fails on an existing name, so a file appearing meanwhile is never replaced.
- `stop_on_signals`: SIGINT, SIGTERM and SIGHUP raise `Interrupted` in the main thread,
  so every `finally` runs: ffmpeg's process group is stopped and the temp file removed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from mediacheck.words.fix import say, text

USAGE, FAILED = 2, 1
# The names each written format may take: MP4 data under an .avi name fools people and
# upload platforms alike.
SUFFIXES = {"mp4": (".mp4",), "jpeg": (".jpg", ".jpeg"), "png": (".png",)}
SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class FixError(Exception):
    """A fix that cannot go on; `code` picks the bilingual text in words/fix.py.

    `code` is positional-only, so a parameter of the message may be called anything."""

    def __init__(self, code: str, /, exit_code: int = FAILED, **params: object) -> None:
        super().__init__(f"{code}: {params}")
        self.code = code
        self.exit_code = exit_code
        self.params = params

    def text(self, lang: str) -> str:
        return say("err." + self.code, lang, **self.params)


class Interrupted(BaseException):
    """A signal asked the fix to stop. A BaseException, like KeyboardInterrupt, so that no
    `except Exception` on the way (a prober's) can swallow it; exit status 128 + signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum

    def text(self, lang: str) -> str:
        return say("err.interrupted_by", lang, signal=signal_name(self.signum))


def signal_name(signum: int) -> str:
    with contextlib.suppress(ValueError):
        return signal.Signals(signum).name
    return str(signum)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn SIGINT/SIGTERM/SIGHUP into `Interrupted` while the block runs (main thread
    only: elsewhere Python cannot set handlers, and the defaults stay). A second signal
    while the first is being handled is ignored, so the clean-up is not cut short."""
    raised: list[int] = []

    def handler(signum: int, _frame: object) -> None:
        if raised:
            return
        raised.append(signum)
        raise Interrupted(signum)

    saved = {}
    try:
        for signum in SIGNALS:
            saved[signum] = signal.signal(signum, handler)
    except ValueError:  # not the main thread
        pass
    try:
        yield
    finally:
        for signum, old in saved.items():
            signal.signal(signum, old)


# ---------------------------------------------------------------- the input


def _source_error(path: Path, why: dict[str, str]) -> FixError:
    return FixError("source", USAGE, path=path, why=why)


def _said(key: str, **params: str) -> dict[str, str]:
    """One of the work list's sentences about a path that cannot be read (said once)."""
    from mediacheck.discover.worklist import MESSAGES

    return {lang: words.format(**params) for lang, words in MESSAGES[key].items()}


def check_source(path: Path) -> None:
    """FixError unless `path` is a regular file this process can read. Only stat() and
    access() are used: nothing is opened here."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if not os.path.lexists(path):
            raise FixError("missing", USAGE, path=path) from None
        raise _source_error(path, _said("dangling")) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _source_error(path, _said("loop")) from None
        raise _source_error(path, _said("unreadable", detail=exc.strerror or str(exc))) from None
    if stat.S_ISDIR(st.st_mode):
        raise _source_error(path, text("source.folder"))
    if not stat.S_ISREG(st.st_mode):
        raise _source_error(path, _said("special"))
    if not os.access(path, os.R_OK):
        raise _source_error(path, _said("unreadable", detail=os.strerror(errno.EACCES)))


# ---------------------------------------------------------------- the output


def output_for(src: Path, given: Path | None, default_name: str) -> Path:
    """The target: `given` itself, or `default_name` inside `given` when that is a folder,
    or `default_name` beside the input."""
    if given is None:
        return src.with_name(default_name)
    if given.is_dir():
        return given / default_name
    return given


def check_output(src: Path, out: Path, force: bool, fmt: str) -> None:
    """Refuse anything that could touch the input or an existing file unasked, or give
    the written format `fmt` a name it does not have."""
    if out.suffix.lower() not in SUFFIXES[fmt]:
        suffixes = " / ".join(SUFFIXES[fmt])
        raise FixError("suffix", USAGE, path=out, format=fmt.upper(), suffixes=suffixes)
    # realpath, not resolve(): it does not raise on a link loop
    same = os.path.realpath(out) == os.path.realpath(src)
    if same or (out.exists() and os.path.samefile(out, src)):
        raise FixError("same_path", USAGE, path=out)
    if out.is_dir():
        raise FixError("out_is_dir", USAGE, path=out)
    if os.path.lexists(out) and not force:
        raise FixError("exists", USAGE, path=out)
    parent = out.parent
    if not parent.is_dir():
        raise FixError("out_dir", USAGE, path=parent, detail=text("out_dir.missing"))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise FixError("out_dir", USAGE, path=parent, detail=text("out_dir.read_only"))


def temp_beside(out: Path) -> Path:
    """A hidden, unique, empty file in the target's folder (same filesystem: the final
    rename is atomic and cannot fail for lack of space)."""
    fd, name = tempfile.mkstemp(prefix=f".{out.name[:60]}.", suffix=".part", dir=out.parent)
    os.close(fd)
    return Path(name)


def place(tmp: Path, out: Path, force: bool) -> None:
    """Move the finished temp file to `out` (0644: a lesson is for sharing). Without
    `force`, a hard link: it fails on an existing name, so nothing is ever replaced."""
    os.chmod(tmp, 0o644)
    if force:
        os.replace(tmp, out)
        return
    try:
        os.link(tmp, out)
    except FileExistsError:
        raise FixError("exists", USAGE, path=out) from None
    except OSError:  # no hard links here (FAT, some shares): check, then rename
        if os.path.lexists(out):
            raise FixError("exists", USAGE, path=out) from None
        os.replace(tmp, out)
        return
    tmp.unlink()
