"""Running external programs: where they are, argument lists (never a shell), a timeout,
clear errors.

Lookup order for a tool: the system's copy on PATH first (what the user installed and
may have chosen on purpose), then the copy a wheel brought with `pip install mediacheck`
(imageio-ffmpeg's static ffmpeg). ffprobe has no wheel: without a system ffprobe the
probes ask ffmpeg instead (probe/ffmpeg_probe.py). MediaInfo is not a program here:
pymediainfo's wheel bundles libmediainfo (probe/mediainfo.py).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from pathlib import Path

# Defined with the other errors, so a run that starts no program need not import this
# module to catch them; the probers still import them from here.
from mediacheck.errors import ToolMissing, ToolTimeout

SYSTEM, WHEEL = "system", "wheel"


def _wheel_ffmpeg() -> str | None:
    """imageio-ffmpeg's bundled binary, or None (not installed, or no binary for this
    platform). IMAGEIO_FFMPEG_EXE, imageio-ffmpeg's own override, is honoured."""
    try:
        import imageio_ffmpeg  # a plain import: the binary is found, not run
    except ImportError:
        return None
    try:
        exe = imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError:  # no binary for this platform and none on the system
        return None
    exe = exe if os.path.dirname(exe) else (shutil.which(exe) or "")
    return exe if os.path.isfile(exe) and os.access(exe, os.X_OK) else None


# tool -> finder of the copy a Python package ships
WHEELS = {"ffmpeg": _wheel_ffmpeg}


@functools.lru_cache(maxsize=32)
def _lookup(tool: str, path_env: str | None, override: str | None) -> tuple[str, str] | None:
    # path_env and override are part of the cache key only: a changed PATH (tests, a
    # shell that installs ffmpeg meanwhile) is looked up afresh
    found = shutil.which(tool)
    if found:
        return found, SYSTEM
    finder = WHEELS.get(tool)
    exe = finder() if finder else None
    return (exe, WHEEL) if exe else None


def locate(tool: str) -> tuple[str, str] | None:
    """(path, "system" or "wheel") of `tool`, or None when neither has it."""
    return _lookup(tool, os.environ.get("PATH"), os.environ.get("IMAGEIO_FFMPEG_EXE"))


def which(tool: str) -> str | None:
    found = locate(tool)
    return found[0] if found else None


def find(tool: str) -> str:
    """The path of `tool`; ToolMissing when it is in neither place."""
    found = locate(tool)
    if not found:
        raise ToolMissing(tool)
    return found[0]


def media_arg(path: Path) -> str:
    """ffmpeg/ffprobe treat a leading '-' as an option and 'x:y' as a protocol; the
    file: prefix makes every name just a file name."""
    return "file:" + os.fspath(path)


def tool_name(exe: str) -> str:
    """ "ffmpeg" for /usr/bin/ffmpeg, ffmpeg.exe and the wheel's ffmpeg-linux-x86_64-v9.0.2."""
    m = re.match(r"[A-Za-z]+", Path(exe).name)
    return m.group(0) if m else Path(exe).name


def run(args: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
    """Run a program with stdin closed; returns whatever its exit status."""
    tool = tool_name(args[0])
    try:
        return subprocess.run(
            args, capture_output=True, stdin=subprocess.DEVNULL, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise ToolTimeout(tool, timeout) from exc
    except FileNotFoundError as exc:
        raise ToolMissing(tool) from exc
