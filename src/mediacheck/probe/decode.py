"""`--deep`: decode every frame with ffmpeg and collect the decoder's complaints.

The sample tables say what a file claims to hold; only a decode shows whether it
plays. ffmpeg's error lines carry no timestamps, so each is stamped with the position
ffmpeg's -progress output had last reported: "about 12.5 s".
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

from mediacheck import tools

MAX_LISTED = 5
TIMEOUT_S = 4 * 3600.0


def decode_errors(
    path: Path, on_progress: Callable[[float], None] | None = None, timeout: float = TIMEOUT_S
) -> tuple[int, list[str]]:
    """(number of error lines, the first few as "12.5 s: message")."""
    exe = tools.find("ffmpeg")
    args = [exe, "-nostdin", "-hide_banner", "-v", "error", "-progress", "pipe:1", "-nostats",
            "-i", tools.media_arg(path), "-map", "0:v:0?", "-map", "0:a?",
            "-f", "null", "-"]  # fmt: skip
    position = [0.0]
    errors: list[str] = []
    count = [0]
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)  # fmt: skip

    def read_errors() -> None:
        assert proc.stderr is not None
        for raw in proc.stderr:
            line = raw.decode("utf-8", "replace").strip()
            if not line:
                continue
            count[0] += 1
            if len(errors) < MAX_LISTED:
                errors.append(f"{position[0]:.1f} s: {line}")

    reader = threading.Thread(target=read_errors, daemon=True)
    reader.start()
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        assert proc.stdout is not None
        for raw in proc.stdout:
            key, _, value = raw.decode("ascii", "replace").strip().partition("=")
            if key == "out_time_us" and value.lstrip("-").isdigit():
                position[0] = max(int(value), 0) / 1e6
                if on_progress:
                    on_progress(position[0])
        proc.wait()
    finally:
        timer.cancel()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        reader.join(timeout=5)
    return count[0], errors
