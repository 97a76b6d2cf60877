"""Run one input in a forked child with a memory cap and a timeout.

The whole-probe target runs MediaInfo (libmediainfo, C++) and ffprobe on fuzzed
boxes: either can hang or take gigabytes, and a C++ bad_alloc aborts the process. So
every input gets a fresh child, forked from a parent that has imported everything
(about a millisecond): its own process group (ffprobe is killed with it), an address
space limit of `memory_mb` above what it inherits, and `timeout` seconds. The child
reports its outcome, or the exception it raised, through a pipe; the parent tells a
hang (killed after the timeout), an exhausted memory (MemoryError, or a peak RSS over
the cap) and a death by signal apart.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import select
import signal
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Outcome:
    kind: str  # ok, exception, memory, timeout, died
    detail: str  # the target's outcome name, or the traceback / signal
    signature: str  # what makes two crashes the same one
    seconds: float
    peak_mb: float  # the child's peak resident memory


def vm_size_mb() -> float:
    """This process's address space (VmSize), which a forked child starts with."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def signature(exc: BaseException) -> str:
    """Exception type and the innermost frame of mediacheck's: one line per distinct
    crash (a broken invariant: its message)."""
    if type(exc).__name__ == "ContractError":
        return f"ContractError: {exc}"
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if f"{os.sep}mediacheck{os.sep}" in f.filename] or frames
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    return f"{type(exc).__name__} at {where}"


def describe(exc: BaseException) -> tuple[str, str, str]:
    """(kind, detail, signature) of an exception a target raised."""
    kind = "memory" if isinstance(exc, MemoryError) else "exception"
    return kind, "".join(traceback.format_exception(exc)), signature(exc)


class Worker:
    def __init__(self, target: Callable[[Path], str], timeout: float, memory_mb: int) -> None:
        self.target, self.timeout, self.memory_mb = target, timeout, memory_mb

    def run(self, path: Path) -> Outcome:
        r, w = os.pipe()
        t0 = time.monotonic()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(r)
            self._child(path, w)
        os.close(w)
        report, timed_out = self._read(r, t0)
        if timed_out:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
        _, status, usage = os.wait4(pid, 0)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)  # anything the child left running
        seconds = time.monotonic() - t0
        peak = usage.ru_maxrss / 1024
        if timed_out:
            return Outcome("timeout", f"no answer in {self.timeout:g} s", "timeout", seconds, peak)
        if report is None:
            sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
            name = signal.Signals(sig).name if sig else f"exit {os.WEXITSTATUS(status)}"
            return Outcome("died", f"the child died ({name})", f"died {name}", seconds, peak)
        kind, detail, sig = report["kind"], report["detail"], report["signature"]
        if kind == "ok" and peak > self.memory_mb:
            kind, sig = "memory", "peak RSS over the cap"
            detail = f"peak RSS {peak:.0f} MB over the {self.memory_mb} MB cap ({detail})"
        return Outcome(kind, detail, sig, seconds, peak)

    def _read(self, r: int, t0: float) -> tuple[dict | None, bool]:
        chunks = []
        with os.fdopen(r, "rb") as fh:
            while True:
                left = self.timeout - (time.monotonic() - t0)
                if left <= 0:
                    return None, True
                ready, _, _ = select.select([fh], [], [], left)
                if not ready:
                    return None, True
                chunk = os.read(fh.fileno(), 65536)
                if not chunk:
                    break
                chunks.append(chunk)
        data = b"".join(chunks)
        return (json.loads(data) if data else None), False

    def _child(self, path: Path, w: int) -> None:
        code = 0
        try:
            os.setsid()
            cap = int((vm_size_mb() + self.memory_mb) * 1024 * 1024)
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            try:
                report = {"kind": "ok", "detail": self.target(path), "signature": ""}
            except BaseException as exc:  # the point of the worker: report anything
                kind, detail, sig = describe(exc)
                report = {"kind": kind, "detail": detail, "signature": sig}
            os.write(w, json.dumps(report).encode())
        except BaseException:
            code = 3
        finally:
            os._exit(code)
