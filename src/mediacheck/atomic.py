"""Atomic file writes: a reader (or a crash) never sees half a report or cache entry."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

# tempfile (and the random module it pulls in, ~3 ms) is imported by the writers: most
# runs import this module and write nothing.

# Set by replay.py while it records a run: told of each file written, to write it again.
on_write: Callable[[Path, bytes, bool], None] | None = None


def _default_mode() -> int:
    # mkstemp creates 0600 files; a report should get the mode any new file gets.
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_bytes(path: Path, data: bytes, durable: bool = True) -> None:
    """Write `data` to a temp file in the same folder, then `os.replace` it into place
    (a rename within one file system is atomic). `durable=False` skips the fsync: for
    cache entries, where a torn file after a power cut is detected and rebuilt anyway."""
    path = Path(path)
    if on_write is not None:
        on_write(path, data, durable)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        mode = path.stat().st_mode & 0o7777
    except OSError:
        mode = _default_mode()
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name[:40]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text(path: Path, text: str, durable: bool = True) -> None:
    # backslashreplace: a lone surrogate (a name that is not UTF-8) that reached the text
    # becomes \udcff rather than losing the whole report
    write_bytes(path, text.encode("utf-8", "backslashreplace"), durable)


def write_new(path: Path, data: bytes) -> bool:
    """Write `data` to `path` only if nothing is there: False (and nothing written) when
    it exists. A temp file beside it is hard-linked into place (which fails on an existing
    name, and is atomic), so the file appears whole or not at all; where links are not
    supported (FAT, some shares), an exclusive create."""
    path = Path(path)
    if os.path.lexists(path):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _default_mode())  # a form to fill: the mode any new file gets
        try:
            os.link(tmp, path)  # fails if the name exists: never replaces
        except FileExistsError:
            return False
        except OSError:  # no hard links here (some Windows / FAT folders)
            try:
                with open(path, "xb") as fh:
                    fh.write(data)
            except FileExistsError:
                return False
        return True
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
