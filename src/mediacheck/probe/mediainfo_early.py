"""MediaInfo's child process, started before the command line is parsed.

`mediacheck video lesson.mp4` spends most of its time importing (click, the probers, the
rules) before it sniffs the file and starts MediaInfo's child (probe/mediainfo.py); the
child then takes as long again, and the verdict waits for it. So `cli.main` calls
`start(argv)` first thing: when the command is `video` and exactly one of its words names
an MP4/MOV file, the child starts reading that file at once and the imports overlap it.
`Labels` takes it (`take`) when that same file is sniffed as a video; otherwise it is
stopped at exit. Nothing is decided here: this only moves a start earlier, and a child
nobody takes only costs its CPU time.

One file only: several files are checked in worker processes, which start their own.
Standard library only, and little of it: this runs before anything else is imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from importlib.machinery import PathFinder

# With ParseSpeed=0 the hour of 1080p25 (258,756 samples) takes ~30 ms and 47 MB of address
# space (30 MB resident); 256 MB is room for some 3.5 million samples, over 12 hours. A
# hostile file stops at these; a run with N workers holds at most N such children. Not
# spec values: limits of a tool.
TIME_LIMIT_S = 10.0
MEMORY_LIMIT_MB = 256
LIMITS = (TIME_LIMIT_S, MEMORY_LIMIT_MB)  # what an early child was started with
# Run by path with no site and no mediacheck (it starts in ~10 ms); never imported, so a
# run pays no ctypes import.
CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mediainfo_child.py")
# The first box of an MP4/MOV: what the early start looks for (sniff.py decides later).
_FIRST_BOXES = (b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot")

# The child started early: (the file's identity, the process, when it started)
_early: tuple[tuple[int, ...], subprocess.Popen[bytes], float] | None = None


def library_candidates() -> list[str]:
    """The libmediainfo to load, as pymediainfo finds it: the copy its wheel bundles
    (found without importing pymediainfo), then the system's by name."""
    if os.name == "nt":
        names = ["MediaInfo.dll"]
    elif sys.platform == "darwin":
        names = ["libmediainfo.0.dylib", "libmediainfo.dylib"]
    else:
        names = ["libmediainfo.so.0"]
    spec = PathFinder.find_spec("pymediainfo")
    folders = list(spec.submodule_search_locations or []) if spec else []
    bundled = [os.path.join(d, n) for d in folders for n in names]
    return [p for p in bundled if os.path.isfile(p)] + names


def spawn(path: str | os.PathLike[str], seconds: float, megabytes: int,
          libraries: list[str], serve: bool = False) -> subprocess.Popen[bytes] | None:  # fmt: skip
    """MediaInfo's child reading `path` within the limits (with `serve`, reading the
    files named on its stdin: mediainfo_child's serving mode); None if it cannot start."""
    argv = [sys.executable, "-I", "-S", CHILD, str(seconds), str(megabytes),
            "" if serve else os.fspath(path), *libraries]  # fmt: skip
    try:
        return subprocess.Popen(
            argv,
            stdin=subprocess.PIPE if serve else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
    except OSError:
        return None


def _identity(path: str | os.PathLike[str]) -> tuple[int, ...] | None:
    """The file itself (device, inode, size, mtime), so a name taken by another file in
    between does not get this one's answer; None for anything but a regular file."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    if (st.st_mode & 0o170000) != 0o100000:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _looks_mp4(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(8)[4:8] in _FIRST_BOXES
    except (OSError, ValueError):
        return False


def start(argv: list[str]) -> None:
    """Start MediaInfo on the one MP4/MOV file a `video` command line names, if it names
    exactly one (option values that are not such files do not count)."""
    global _early
    if _early is not None or not argv or argv[0] != "video":
        return
    files = [a for a in argv[1:] if not a.startswith("-") and _identity(a) and _looks_mp4(a)]
    if len(files) != 1:
        return
    ident = _identity(files[0])
    proc = spawn(files[0], TIME_LIMIT_S, MEMORY_LIMIT_MB, library_candidates())
    if ident is None or proc is None:
        return
    _early = (ident, proc, time.monotonic())
    import atexit

    atexit.register(_stop_unused)


def take(path: str | os.PathLike[str]) -> tuple[subprocess.Popen[bytes], float] | None:
    """The child started early for this same file, and when it started; None if none."""
    global _early
    if _early is None or _identity(path) != _early[0]:
        return None
    _, proc, started = _early
    _early = None
    return proc, started


def _stop_unused() -> None:
    global _early
    if _early is not None:
        proc = _early[1]
        _early = None
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
