"""Replay a repeated, fully cached `mediacheck check` without running it (issue #14).

A `check` that the result cache answers whole still pays for click, the profile and the
cache, ~10x `mediacheck --version`. When nothing it depended on changed, its answer is
the one it gave: like make's "nothing to be done", such a run is recorded, and the next
identical one only re-stats what it depended on and writes its outputs again. A stale
answer is far worse than a slow one, so a run is kept only when all of this holds:

- `check`, result cache on (not --no-cache), every work item answered by the cache (so no
  tool, worker or network ran, and no progress bar was drawn: it starts only for work
  left to probe), no HTML report (it prints the time), the cache folder the one
  `cache_folder()` finds from argv and the environment;
- nothing written but files through mediacheck.atomic (reports) and into the cache
  folder, no output also read (GITHUB_STEP_SUMMARY is appended to), no audit event of
  replay_record.MUTATE elsewhere, none of its NEVER (subprocess, fork, exec, socket,
  thread, ctypes, chdir…);
- no dependency's mtime or ctime within RACY_NS of the run's start or later (a change in
  the same timestamp tick would go unseen), no folder listing changed during the run;
- outputs and record at most MAX_BYTES.

The key hashes sys.orig_argv and sys.argv, cwd, the whole environment, sys.executable,
sys.path, uid, umask, which of stdin/stdout/stderr are terminals and their sizes, and
`caching.code_stamp()` (the version; in a checkout, every module's size and mtime).

Dependencies, re-statted before a replay, all to be identical:
- each file opened for reading (audit event `open`): mode, size, mtime_ns, ctime_ns, inode,
  device (or the error, for a file that was absent: a .pyc, say);
- each path given to os.stat, os.lstat or os.access (wrapped while recording: pathlib's
  exists and is_file, os.path.exists, isdir, lexists and realpath raise no audit event):
  the same, or the error (a `.mediacheck.yaml` absent from cwd or a parent folder);
- each file checked (the cache's fast path stat'ed it);
- each folder listed (os.listdir, os.scandir) and each folder of sys.path: names with their
  types, mode, inode, device, not mtime: a report renamed into cwd changes that every run.
  In the folders only the import system listed, the run's own outputs are left out (a
  deleted report is written again); a folder the walker listed keeps them (it saw them);
- each ancestor folder of all of these and of cwd: mode, inode, device.
Left out: the standard library (`os.path.dirname(os.__file__)`: the interpreter is in the
key), the cache folder (its results are keyed by the identities checked here, and deleting
it deletes the records), the outputs.

Replayed: the files (temp file and rename, as atomic.py writes them, before anything is
printed: one that cannot be written falls back to the normal run, which says why; one that
holds exactly those bytes already is left as it is), then
stdout's and stderr's bytes in their order, then the exit code. A record is read without
following links, only if a regular file of at most MAX_BYTES with MAGIC and its CRC; it is
marshal data (loading runs no code) checked field by field; anything else is a miss, never
a message. At most MAX_RECORDS live in `<cache folder>/replay/<key>` (the oldest go).

MEDIACHECK_REPLAY=0 turns replaying and recording off; MEDIACHECK_REPLAY=why makes a run
that could be kept say on stderr whether it was, or why not.
"""

from __future__ import annotations

import marshal
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mediacheck.replay_record import Recorder

try:
    from _blake2 import blake2b  # hashlib's blake2b, without loading OpenSSL's _hashlib
except ImportError:
    from hashlib import blake2b

MAGIC = b"mediacheck-replay-2\n"
MAX_BYTES = 16 << 20
RACY_NS = 2_000_000_000
AS_IS, NO_OUTPUTS = 1, 2  # how a folder's listing is compared
# the real ones: replay_record wraps them while it records
real_stat, real_lstat, real_access = os.stat, os.lstat, os.access
STDLIB = os.path.dirname(os.__file__) + os.sep
_recorder: Recorder | None = None


def cache_folder(args: list[str]) -> str:
    """The folder `check` will cache in: `--cache-dir X` / `--cache-dir=X`, else the
    default. A recording run that used another one is not kept."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--cache-dir" and i + 1 < len(args):
            return os.path.abspath(args[i + 1])
        if arg.startswith("--cache-dir="):
            return os.path.abspath(arg.partition("=")[2])
    from mediacheck.caching import default_folder

    return os.path.abspath(default_folder())


def _key() -> str:
    from mediacheck.caching import code_stamp

    ttys = []
    for fd in (0, 1, 2):
        try:
            ttys.append(tuple(os.get_terminal_size(fd)) if os.isatty(fd) else ())
        except OSError:
            ttys.append((-1,))
    mask = os.umask(0o22)
    os.umask(mask)
    parts = (MAGIC, getattr(sys, "orig_argv", ()), sys.argv, os.getcwd(),
             sorted(os.environ.items()), sys.executable, sys.path,
             os.getuid() if hasattr(os, "getuid") else -1, mask, ttys, code_stamp())  # fmt: skip
    return blake2b(marshal.dumps(parts), digest_size=20).hexdigest()


def listing(path: str) -> tuple:
    names = []
    try:
        with os.scandir(path) as entries:
            for entry in entries:
                try:
                    is_dir = entry.is_dir()  # a link to a folder is walked as one
                except OSError:
                    is_dir = False
                names.append((entry.name, is_dir, entry.is_symlink()))
    except OSError as exc:
        return (exc.errno,)
    return tuple(sorted(names))


def without(names: tuple, skip: frozenset[str]) -> tuple:
    return tuple(n for n in names if type(n) is int or n[0] not in skip)


def _sig(path: str, follow: bool, names: tuple | None) -> tuple:
    """What a dependency is now (a folder's `names` is the caller's)."""
    try:
        st = real_stat(path) if follow else real_lstat(path)
    except OSError as exc:
        return (exc.errno,)  # absent, not a folder, not allowed
    if st.st_mode & 0o170000 == 0o040000:
        return (st.st_mode, st.st_ino, st.st_dev, names)
    return (st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def skips_of(outputs: list[str]) -> dict[str, frozenset[str]]:
    """Per folder, the names of the outputs in it that NO_OUTPUTS listings leave out."""
    out: dict[str, set[str]] = {}
    for path in outputs:
        if not path.endswith((".py", ".pyc", ".pyd", ".so")):  # no module, even so
            out.setdefault(os.path.dirname(path), set()).add(os.path.basename(path))
    return {folder: frozenset(names) for folder, names in out.items()}


def now(path: str, follow: bool, listed: int, skips: dict[str, frozenset[str]]) -> tuple:
    names = None
    if listed:
        names = listing(path)
        if listed == NO_OUTPUTS:
            names = without(names, skips.get(path, frozenset()))
    return _sig(path, follow, names)


def start(argv: list[str]) -> int | None:
    """Before click: the exit code of a replayed run, or None: the run goes on (and is
    recorded if it turns out to be one that can be)."""
    global _recorder
    if argv[1:2] != ["check"] or os.environ.get("MEDIACHECK_REPLAY") == "0":
        return None
    try:
        folder = cache_folder(argv[2:])
        key = _key()
        rec = _valid(os.path.join(folder, "replay", key), key)
    except Exception:  # whatever the environment refuses: run normally, unrecorded
        return None
    if rec is not None:
        return _replay(*rec[1:])
    from mediacheck.replay_record import Recorder

    _recorder = Recorder(folder, key)
    try:
        _recorder.install()
    except Exception:  # keeping a run only saves time: never the run's failure
        _recorder.stop()
    return None


def _read(path: str) -> bytes | None:
    """A regular file of at most MAX_BYTES, opened without following a link or blocking
    on a FIFO, checked on the open file (as cache.read_entry)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if st.st_mode & 0o170000 != 0o100000 or st.st_size > MAX_BYTES:
            return None
        data = os.read(fd, min(st.st_size, MAX_BYTES) + 1)  # sized by fstat: no 16 MB buffer
        while len(data) <= MAX_BYTES and (more := os.read(fd, 1 << 20)):
            data += more
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) <= MAX_BYTES else None


def _load(path: str, key: str) -> tuple | None:
    """(deps, outs, files, code), or None. The layout: MAGIC, a CRC-32 of the rest, the
    length of the marshal'ed header, the header, the outputs' bytes (used in place)."""
    data = _read(path)
    if data is None or not data.startswith(MAGIC):
        return None
    view = memoryview(data)[len(MAGIC) :]
    from binascii import crc32

    if len(view) < 8 or crc32(view[4:]) != int.from_bytes(view[:4], "little"):
        return None  # torn or damaged
    size = int.from_bytes(view[4:8], "little")
    try:
        got, deps, outs, files, code = marshal.loads(view[8 : 8 + size])
        ok = (got == key and type(code) is int
              and all(type(p) is str and type(f) is bool and li in (0, 1, 2)
                      and type(s) is tuple for p, f, li, s in deps)
              and all(fd in (1, 2) and type(n) is int and n >= 0 for fd, n in outs)
              and all(type(p) is str and type(n) is int and n >= 0 and type(d) is bool
                      for p, n, d in files))  # fmt: skip
    except Exception:  # not our shape: ValueError, EOFError, TypeError…
        return None
    at, pieces = 8 + size, []
    for n in [n for _, n in outs] + [n for _, n, _ in files]:
        pieces.append(view[at : at + n])
        at += n
    if not ok or at != len(view):
        return None
    outs = [(fd, b) for (fd, _), b in zip(outs, pieces[: len(outs)], strict=True)]
    files = [(p, b, d) for (p, _, d), b in zip(files, pieces[len(outs) :], strict=True)]
    return deps, outs, files, code


def _valid(path: str, key: str) -> tuple | None:
    """The record, if every dependency is as it was and the streams it prints to exist."""
    rec = _load(path, key)
    if rec is None:
        return None
    deps, outs, files, code = rec
    skips = skips_of([p for p, _, _ in files])
    if any(now(p, follow, listed, skips) != sig for p, follow, listed, sig in deps):
        return None
    if any(getattr(sys.stdout if fd == 1 else sys.stderr, "buffer", None) is None
           for fd, _ in outs):  # fmt: skip
        return None
    return rec


def _replay(outs: list, files: list, code: int) -> int | None:
    """Write the files, then print, as the recorded run did; its exit code (None: a file
    could not be written, and the normal run, unrecorded, will say why)."""
    streams = {1: getattr(sys.stdout, "buffer", None), 2: getattr(sys.stderr, "buffer", None)}
    if not all(_write(p, data, durable) for p, data, durable in files):
        return None
    try:
        for fd, chunk in outs:
            streams[fd].write(chunk)  # type: ignore[union-attr]
            streams[fd].flush()  # type: ignore[union-attr]
    except BrokenPipeError:  # `| head -1`: as the normal run (cli/group.py), not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return code


def _holds(path: str, data: bytes | memoryview) -> bool:
    """The file is a regular file with exactly these bytes already (the report of the run
    replayed, mostly): then it is left as it is, and no write and fsync is paid."""
    try:
        st = real_lstat(path)
        if st.st_mode & 0o170000 != 0o100000 or st.st_size != len(data):
            return False
        with open(path, "rb") as fh:
            return fh.read(len(data) + 1) == data
    except OSError:
        return False


def _write(path: str, data: bytes | memoryview, durable: bool) -> bool:
    """atomic.write_bytes without its imports: a temp file beside, then renamed."""
    if _holds(path, data):
        return True
    folder = os.path.dirname(path)
    try:
        mode = real_stat(path).st_mode & 0o7777
    except OSError:
        mask = os.umask(0o22)
        os.umask(mask)
        mode = 0o666 & ~mask
    tmp = os.path.join(folder, f".{os.path.basename(path)[:40]}.{os.urandom(6).hex()}.tmp")
    try:
        os.makedirs(folder, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o600)  # fmt: skip
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError:
        try:  # noqa: SIM105 (contextlib costs more than this whole replay's imports)
            os.unlink(tmp)
        except OSError:
            pass
        return False
    return True


def finish(code: int, cache_dir: object, jobs: list, formats: set[str]) -> None:
    """cli/run.py, after a run the cache answered whole: keep it if it can be replayed."""
    if _recorder is not None and not _recorder.done:
        try:
            _recorder.finish(code, cache_dir, jobs, formats)
        except Exception:  # keeping a run only saves time: never the run's failure
            _recorder.stop()
