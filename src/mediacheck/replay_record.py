"""The recording half of replay.py (which says what is kept and why that is safe):
loaded only when a `check` is not replayed, it watches the run (an audit hook, os.stat,
os.lstat and os.access wrapped, stdout and stderr teed, atomic.py's writes told) and, when
cli/run.py says the cache answered it whole, stores it as a record."""

from __future__ import annotations

import io
import marshal
import os
import sys
import time

from mediacheck import replay

MAX_RECORDS = 256
WRITES = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
MUTATE = {"os.chmod", "os.chown", "os.link", "os.mkdir", "os.remove", "os.rename",
          "os.rmdir", "os.symlink", "os.truncate", "os.utime", "os.mkfifo", "os.mknod",
          "os.setxattr", "os.removexattr"}  # fmt: skip
NEVER = ("socket.", "subprocess.", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
         "os.forkpty", "os.system", "os.startfile", "os.kill", "os.chdir", "os.fchdir",
         "ctypes.", "shutil.", "urllib.", "http.", "ftplib.", "smtplib.", "sqlite3.",
         "webbrowser.", "_winapi.", "winreg.", "_thread.start_new_thread",
         "builtins.input")  # fmt: skip
IMPORTER = "<frozen importlib._bootstrap_external>"


class _Tee(io.RawIOBase):
    """Under sys.stdout and sys.stderr: passes every byte on, keeping a copy in order."""

    def __init__(self, real: io.BufferedIOBase, fd: int, rec: Recorder) -> None:
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


class Recorder:
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
        os.stat, os.lstat = (
            self._probe(replay.real_stat, True),
            self._probe(replay.real_lstat, False),
        )
        os.access = self._probe(replay.real_access, True)
        for entry in sys.path:  # listed before this hook: a module that appears would shadow
            path = self._abs(entry or ".")
            if not (path + os.sep).startswith(replay.STDLIB):  # nor the folder itself
                self.listed[path] = (replay.listing(path), replay.NO_OUTPUTS)
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
                    follows = bool(follow and kw.get("follow_symlinks", True))
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
            if self.size > replay.MAX_BYTES:
                self.refuse("outputs too big")
                self.outs.clear()
            elif self.why is None:
                self.outs.append((fd, data))

    def wrote(self, path: object, data: bytes, durable: bool) -> None:
        if not self.done:
            target = self._abs(path)
            self.size += len(data)
            if self.size > replay.MAX_BYTES:
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
            how = replay.NO_OUTPUTS if caller == IMPORTER else replay.AS_IS
            then, was = self.listed.get(path, (None, replay.NO_OUTPUTS))
            self.listed[path] = (replay.listing(path) if then is None else then, min(how, was))
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

    def stop(self) -> None:
        """Watch no more (the audit hook stays, and returns at once)."""
        self.done = True
        os.stat, os.lstat, os.access = replay.real_stat, replay.real_lstat, replay.real_access
        from mediacheck import atomic

        atomic.on_write = None

    def finish(self, code: int, cache_dir: object, jobs: list, formats: set[str]) -> None:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            self.refuse("flush")
        self.stop()
        used = self._abs(cache_dir) if cache_dir else replay.cache_folder([])
        if used != self.folder:
            self.refuse(f"cache folder {used}, not {self.folder}")
        if "html" in formats:
            self.refuse("an HTML report")
        if any(how == replay.AS_IS and self._ours(p) for p, (_, how) in self.listed.items()):
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
        skips, deps, nolink = replay.skips_of(list(self.files)), [], set()
        for (path, follow), listed in sorted(self.seen.items()):  # lstat before stat
            if (path + os.sep).startswith(replay.STDLIB) or self._ours(path) or path in self.files:
                continue
            if follow and not listed and path in nolink:
                continue  # not a link: its lstat, kept, says all its stat would
            sig = replay.now(path, follow, listed, skips)
            if listed and len(sig) == 4:
                then = self.listed[path][0]
                if sig[3] != (replay.without(then, skips.get(path, frozenset()))
                              if listed == replay.NO_OUTPUTS else then):  # fmt: skip
                    return f"{path} changed while the run listed it"
            if len(sig) == 6 and max(sig[2], sig[3]) >= self.start_ns - replay.RACY_NS:
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
        if len(body) > replay.MAX_BYTES - 64:
            return "too big"
        from binascii import crc32

        from mediacheck import atomic

        folder = os.path.join(self.folder, "replay")
        try:
            os.makedirs(folder, exist_ok=True)
            target = os.path.join(folder, self.key)
            atomic.write_bytes(target, replay.MAGIC + crc32(body).to_bytes(4, "little") + body)  # type: ignore[arg-type]
            names = os.listdir(folder)
            if len(names) > MAX_RECORDS:
                aged = sorted(
                    names, key=lambda n: replay.real_lstat(os.path.join(folder, n)).st_mtime_ns
                )
                for name in aged[: len(names) - MAX_RECORDS]:
                    os.unlink(os.path.join(folder, name))
        except OSError as exc:  # a cache that cannot be written only costs time
            return f"not stored: {exc}"
        return None
