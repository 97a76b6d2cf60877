"""Running external programs: argument lists (never a shell), a timeout, clear errors."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


class ToolMissing(Exception):
    """A program mediacheck needs is not installed: exit 2 with install advice."""

    def __init__(self, tool: str) -> None:
        super().__init__(tool)
        self.tool = tool


class ToolTimeout(Exception):
    def __init__(self, tool: str, seconds: float) -> None:
        super().__init__(f"{tool} timed out after {seconds:g} s")
        self.tool = tool
        self.seconds = seconds


def find(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        raise ToolMissing(tool)
    return found


def media_arg(path: Path) -> str:
    """ffmpeg/ffprobe treat a leading '-' as an option and 'x:y' as a protocol; the
    file: prefix makes every name just a file name."""
    return "file:" + os.fspath(path)


def run(args: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
    """Run a program with stdin closed; returns whatever its exit status."""
    tool = Path(args[0]).name
    try:
        return subprocess.run(
            args, capture_output=True, stdin=subprocess.DEVNULL, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise ToolTimeout(tool, timeout) from exc
    except FileNotFoundError as exc:
        raise ToolMissing(tool) from exc
