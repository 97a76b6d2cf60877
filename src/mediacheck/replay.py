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
  MUTATE elsewhere, none of NEVER (subprocess, fork, exec, socket, thread, ctypes, chdir…);
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
printed: one that cannot be written falls back to the normal run, which says why), then
stdout's and stderr's bytes in their order, then the exit code. A record is read without
following links, only if a regular file of at most MAX_BYTES with MAGIC and its CRC; it is
marshal data (loading runs no code) checked field by field; anything else is a miss, never
a message. At most MAX_RECORDS live in `<cache folder>/replay/<key>` (the oldest go).

MEDIACHECK_REPLAY=0 turns replaying and recording off; MEDIACHECK_REPLAY=why makes a run
that could be kept say on stderr whether it was, or why not.
"""

from __future__ import annotations

import io
import marshal
import os
import sys
import time

try:
    from _blake2 import blake2b  # hashlib's blake2b, without loading OpenSSL's _hashlib
except ImportError:
    from hashlib import blake2b

MAGIC = b"mediacheck-replay-2\n"
MAX_BYTES = 16 << 20
MAX_RECORDS = 256
RACY_NS = 2_000_000_000
WRITES = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
MUTATE = {"os.chmod", "os.chown", "os.link", "os.mkdir", "os.remove", "os.rename",
          "os.rmdir", "os.symlink", "os.truncate", "os.utime", "os.mkfifo", "os.mknod",
          "os.setxattr", "os.removexattr"}  # fmt: skip
NEVER = ("socket.", "subprocess.", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
         "os.forkpty", "os.system", "os.startfile", "os.kill", "os.chdir", "os.fchdir",
         "ctypes.", "shutil.", "urllib.", "http.", "ftplib.", "smtplib.", "sqlite3.",
         "webbrowser.", "_winapi.", "winreg.", "_thread.start_new_thread",
         "builtins.input")  # fmt: skip
AS_IS, NO_OUTPUTS = 1, 2  # how a folder's listing is compared
IMPORTER = "<frozen importlib._bootstrap_external>"
_stat, _lstat, _access = os.stat, os.lstat, os.access  # the real ones (wrapped to record)
_STDLIB = os.path.dirname(os.__file__) + os.sep
_recorder: _Recorder | None = None


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


def _listing(path: str) -> tuple:
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


def _without(listing: tuple, skip: frozenset[str]) -> tuple:
    return tuple(n for n in listing if type(n) is int or n[0] not in skip)


def _sig(path: str, follow: bool, listing: tuple | None) -> tuple:
    """What a dependency is now (a folder's `listing` is the caller's)."""
    try:
        st = _stat(path) if follow else _lstat(path)
    except OSError as exc:
        return (exc.errno,)  # absent, not a folder, not allowed
    if st.st_mode & 0o170000 == 0o040000:
        return (st.st_mode, st.st_ino, st.st_dev, listing)
    return (st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def _skips(outputs: list[str]) -> dict[str, frozenset[str]]:
    """Per folder, the names of the outputs in it that NO_OUTPUTS listings leave out."""
    out: dict[str, set[str]] = {}
    for path in outputs:
        if not path.endswith((".py", ".pyc", ".pyd", ".so")):  # no module, even so
            out.setdefault(os.path.dirname(path), set()).add(os.path.basename(path))
    return {folder: frozenset(names) for folder, names in out.items()}


def _now(path: str, follow: bool, listed: int, skips: dict[str, frozenset[str]]) -> tuple:
    listing = None
    if listed:
        listing = _listing(path)
        if listed == NO_OUTPUTS:
            listing = _without(listing, skips.get(path, frozenset()))
    return _sig(path, follow, listing)


# ---------------------------------------------------------------------- replay
def start(argv: list[str]) -> int | None:
    """Before click: the exit code of a replayed run, or None: the run goes on (and is
    recorded if it turns out to be one that can be)."""
    global _recorder
    if argv[1:2] != ["check"] or os.environ.get("MEDIACHECK_REPLAY") == "0":
        return None
    try:
        folder = cache_folder(argv[2:])
        key = _key()
        code = _replay(os.path.join(folder, "replay", key), key)
    except (OSError, ValueError):
        return None  # whatever the environment refuses: run normally, unrecorded
    if code is None:
        _recorder = _Recorder(folder, key)
        _recorder.install()
    return code


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
        data = os.read(fd, MAX_BYTES + 1)
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


def _replay(path: str, key: str) -> int | None:
    rec = _load(path, key)
    if rec is None:
        return None
    deps, outs, files, code = rec
    skips = _skips([p for p, _, _ in files])
    if any(_now(p, follow, listed, skips) != sig for p, follow, listed, sig in deps):
        return None
    streams = {1: getattr(sys.stdout, "buffer", None), 2: getattr(sys.stderr, "buffer", None)}
    if any(streams[fd] is None for fd, _ in outs):
        return None
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


def _write(path: str, data: bytes | memoryview, durable: bool) -> bool:
    """atomic.write_bytes without its imports: a temp file beside, then renamed."""
    folder = os.path.dirname(path)
    try:
        mode = _stat(path).st_mode & 0o7777
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


# ---------------------------------------------------------------------- record
def finish(code: int, cache_dir: object, jobs: list, formats: set[str]) -> None:
    """cli/run.py, after a run the cache answered whole: keep it if it can be replayed."""
    if _recorder is not None and not _recorder.done:
        _recorder.finish(code, cache_dir, jobs, formats)


class _Tee(io.RawIOBase):
    """Under sys.stdout and sys.stderr: passes every byte on, keeping a copy in order."""

    def __init__(self, real: io.BufferedIOBase, fd: int, rec: _Recorder) -> None:
        self.real, self.fd, self.rec = real, fd, rec

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[no-untyped-def,override]
        self.real.write(data)
        self.rec.keep(self.fd, bytes(data))
        return len(data)

    def flush(self) -> None:
        self.real.flush()

    def isatty(self) -> bool:
        return self.real.isatty()

    def fileno(self) -> int:
        return self.real.fileno()


class _Recorder:
    def __init__(self, folder: str, key: str) -> None:
        self.folder, self.key, self.cwd = folder, key, os.getcwd()
        self.start_ns = time.time_ns()
        self.seen: dict[tuple[str, bool], int] = {}  # (path, follow) -> how listed
        self.read: set[str] = set()
        self.listed: dict[str, tuple[tuple, int]] = {}  # as the run listed it, and how
        self.files: dict[str, tuple[bytes, bool]] = {}  # what atomic.py wrote
        self.temps: set[tuple[str, str]] = set()  # (folder, prefix) of atomic's temp files
        self.made: set[str] = set()
        self.outs: list[tuple[int, bytes]] = []
        self.size = 0
        self.why: str | None = None
        self.busy = self.done = False

    def refuse(self, why: str) -> None:
        self.why = self.why or why

    def install(self) -> None:
        if sys.version_info < (3, 11) and "pathlib" in sys.modules:
            self.refuse("pathlib holds the unwrapped os.stat")  # 3.10 binds it on import
        os.stat, os.lstat = self._probe(_stat, True), self._probe(_lstat, False)
        os.access = self._probe(_access, True)
        for entry in sys.path:  # listed before this hook: a module that appears would shadow
            path = self._abs(entry or ".")
            if not path.startswith(_STDLIB):
                self.listed[path] = (_listing(path), NO_OUTPUTS)
        sys.addaudithook(self.audit)
        from mediacheck import atomic

        atomic.on_write = self.wrote
        for name, fd in (("stdout", 1), ("stderr", 2)):
            stream = getattr(sys, name)
            if getattr(stream, "buffer", None) is None:
                self.refuse(f"no {name}")
                continue
            setattr(sys, name, io.TextIOWrapper(
                _Tee(stream.buffer, fd, self), encoding=stream.encoding, errors=stream.errors,
                line_buffering=stream.line_buffering, write_through=True))  # fmt: skip

    def _probe(self, real, follow: bool):  # type: ignore[no-untyped-def]
        def probe(path, *args, **kw):  # type: ignore[no-untyped-def]
            if not self.done and not isinstance(path, int):
                if kw.get("dir_fd") is not None:
                    self.refuse("a stat relative to a folder descriptor")
                else:
                    follows = follow and kw.get("follow_symlinks", True)
                    self.seen.setdefault((self._abs(path), follows), 0)
            return real(path, *args, **kw)

        return probe

    def _abs(self, path: object) -> str:
        return os.path.abspath(os.fsdecode(os.fspath(path)))  # type: ignore[arg-type]

    def _ours(self, path: str) -> bool:
        """In the cache folder, or a temp file of a report being written."""
        if path == self.folder or path.startswith(self.folder + os.sep):
            return True
        folder, name = os.path.split(path)
        return name.endswith(".tmp") and any(
            folder == f and name.startswith(p) for f, p in self.temps)  # fmt: skip

    def keep(self, fd: int, data: bytes) -> None:
        if not self.done:
            self.size += len(data)
            if self.size > MAX_BYTES:
                self.refuse("outputs too big")
                self.outs.clear()
            elif self.why is None:
                self.outs.append((fd, data))

    def wrote(self, path: object, data: bytes, durable: bool) -> None:
        if not self.done:
            target = self._abs(path)
            self.size += len(data)
            if self.size > MAX_BYTES:
                self.refuse("outputs too big")
            self.files[target] = (data if self.why is None else b"", durable)
            self.temps.add((os.path.dirname(target), f".{os.path.basename(target)[:40]}."))

    def audit(self, event: str, args: tuple) -> None:
        if self.done or self.busy:
            return
        self.busy = True  # what this hook does itself is not the run's
        try:
            self._event(event, args)
        except Exception as exc:  # a hook must never fail the run it watches
            self.refuse(f"{event}: {exc!r}")
        finally:
            self.busy = False

    def _event(self, event: str, args: tuple) -> None:
        if event == "open":
            if isinstance(args[0], int):
                return  # an open descriptor (os.fdopen), judged when it was opened
            path = self._abs(args[0])
            if isinstance(args[2], int) and args[2] & WRITES:
                if not self._ours(path):
                    self.refuse(f"wrote {path}")
            else:
                self.read.add(path)
        elif event in ("os.listdir", "os.scandir"):
            if isinstance(args[0], int):
                self.refuse(f"{event} of a descriptor")
                return
            path = self._abs("." if args[0] is None else args[0])
            try:
                caller = sys._getframe(2).f_code.co_filename  # 0: here, 1: audit()
            except ValueError:
                caller = ""
            how = NO_OUTPUTS if caller == IMPORTER else AS_IS
            then, was = self.listed.get(path, (None, NO_OUTPUTS))
            self.listed[path] = (_listing(path) if then is None else then, min(how, was))
        elif event in MUTATE:
            for arg in args[:2]:
                if isinstance(arg, (str, bytes, os.PathLike)):
                    path = self._abs(arg)
                    if event == "os.mkdir":
                        self.made.add(path)
                    elif not (self._ours(path) or (event == "os.rename" and path in self.files)):
                        self.refuse(f"{event} {path}")
        elif event.startswith(NEVER):
            self.refuse(event)

    def finish(self, code: int, cache_dir: object, jobs: list, formats: set[str]) -> None:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            self.refuse("flush")
        self.done = True
        os.stat, os.lstat, os.access = _stat, _lstat, _access
        from mediacheck import atomic

        atomic.on_write = None
        used = self._abs(cache_dir) if cache_dir else cache_folder([])
        if used != self.folder:
            self.refuse(f"cache folder {used}, not {self.folder}")
        if "html" in formats:
            self.refuse("an HTML report")
        if any(how == AS_IS and self._ours(p) for p, (_, how) in self.listed.items()):
            self.refuse("listed the cache folder")  # its files were inputs
        for job in jobs:
            if getattr(job, "kind", None) is None:  # a case folder: never from the cache
                self.refuse("not a file job")
            self.seen.setdefault((self._abs(job.path), True), 0)
        for path in self.read:
            self.seen.setdefault((path, True), 0)
        for path, (_, how) in self.listed.items():
            self.seen[(path, True)] = how
        for path in [self.cwd, *(p for p, _ in self.seen)]:
            while (parent := os.path.dirname(path)) != path:
                self.seen.setdefault((parent, True), 0)
                path = parent
        if set(self.files) & self.read:
            self.refuse("an output was also read")
        if any(not any(o.startswith(m + os.sep) for o in self.files) for m in self.made
               if not self._ours(m)):  # fmt: skip
            self.refuse("made a folder")
        self.why = self.why or self._store(code)
        if os.environ.get("MEDIACHECK_REPLAY") == "why":
            sys.stderr.write(f"mediacheck replay: {self.why or 'recorded'}\n")

    def _store(self, code: int) -> str | None:
        """Keep the record; or why not."""
        skips, deps, nolink = _skips(list(self.files)), [], set()
        for (path, follow), listed in sorted(self.seen.items()):  # lstat before stat
            if path.startswith(_STDLIB) or self._ours(path) or path in self.files:
                continue
            if follow and not listed and path in nolink:
                continue  # not a link: its lstat, kept, says all its stat would
            sig = _now(path, follow, listed, skips)
            if listed and len(sig) == 4:
                then = self.listed[path][0]
                if sig[3] != (_without(then, skips.get(path, frozenset()))
                              if listed == NO_OUTPUTS else then):  # fmt: skip
                    return f"{path} changed while the run listed it"
            if len(sig) == 6 and max(sig[2], sig[3]) >= self.start_ns - RACY_NS:
                return f"{path} changed too recently to tell a later change by its stat"
            if not follow and (len(sig) == 1 or sig[0] & 0o170000 != 0o120000):
                nolink.add(path)
            deps.append((path, follow, listed, sig))
        outs: list[tuple[int, bytes]] = []
        for fd, chunk in self.outs:  # one piece per run of writes to the same stream
            if outs and outs[-1][0] == fd:
                outs[-1] = (fd, outs[-1][1] + chunk)
            elif chunk:
                outs.append((fd, chunk))
        files = list(self.files.items())
        head = marshal.dumps((self.key, tuple(deps), tuple((fd, len(b)) for fd, b in outs),
                              tuple((p, len(b), d) for p, (b, d) in files), code))  # fmt: skip
        body = b"".join([len(head).to_bytes(4, "little"), head, *(b for _, b in outs),
                         *(b for _, (b, _) in files)])  # fmt: skip
        if len(body) > MAX_BYTES - 64:
            return "too big"
        from binascii import crc32

        from mediacheck import atomic

        folder = os.path.join(self.folder, "replay")
        try:
            os.makedirs(folder, exist_ok=True)
            target = os.path.join(folder, self.key)
            atomic.write_bytes(target, MAGIC + crc32(body).to_bytes(4, "little") + body)  # type: ignore[arg-type]
            names = os.listdir(folder)
            if len(names) > MAX_RECORDS:
                aged = sorted(names, key=lambda n: _lstat(os.path.join(folder, n)).st_mtime_ns)
                for name in aged[: len(names) - MAX_RECORDS]:
                    os.unlink(os.path.join(folder, name))
        except OSError as exc:  # a cache that cannot be written only costs time
            return f"not stored: {exc}"
        return None
