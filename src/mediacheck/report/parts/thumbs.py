"""Small previews for the HTML report, as `data:` URIs (the report stays one file).

Videos: a few frames cut by ffmpeg (through `mediacheck.tools`: argument lists, a
timeout, `file:` names), scaled to `VIDEO_WIDTH` px. Photos: Pillow's `draft()` (JPEG
decodes at 1/2…1/8 scale straight away, so a 12-MP photo costs milliseconds), turned
upright by its EXIF orientation, shrunk to `PHOTO_BOX`. Only previews: nothing here
decides anything, and a file that cannot be previewed is simply not shown (with a note).
"""

from __future__ import annotations

import base64
import io
import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from mediacheck import tools

VIDEO_WIDTH = 240
VIDEO_FRAMES = (0.1, 0.37, 0.63, 0.9)  # where to cut, as shares of the duration
PHOTO_BOX = (160, 160)
JPEG_QUALITY = 65
FRAME_TIMEOUT_S = 30.0
MAX_PREVIEW_PIXELS = 120_000_000  # past this a PNG/BMP would need GBs to decode: no preview


@dataclass(frozen=True)
class Frame:
    at: float  # seconds into the video
    uri: str  # data:image/jpeg;base64,…


@dataclass(frozen=True)
class Frames:
    frames: tuple[Frame, ...]
    note: str | None  # why there are none (a words/html key), else None


def data_uri(jpeg: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


def _duration(ffprobe: str, path: Path) -> float | None:
    args = [ffprobe, "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
            tools.media_arg(path)]  # fmt: skip
    try:
        proc = tools.run(args, timeout=FRAME_TIMEOUT_S)
        return float(proc.stdout.decode().strip()) if proc.returncode == 0 else None
    except (tools.ToolTimeout, tools.ToolMissing, ValueError):
        return None


def _frame(ffmpeg: str, path: Path, at: float) -> Frame | None:
    # -ss before -i: seek to the keyframe before `at` without decoding from the start
    args = [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-ss", f"{at}",
            "-i", tools.media_arg(path), "-frames:v", "1", "-an", "-sn", "-dn",
            "-vf", f"scale={VIDEO_WIDTH}:-2", "-c:v", "mjpeg", "-q:v", "6",
            "-f", "image2pipe", "pipe:1"]  # fmt: skip
    try:
        proc = tools.run(args, timeout=FRAME_TIMEOUT_S)
    except (tools.ToolTimeout, tools.ToolMissing, OSError):
        return None
    if proc.returncode == 0 and proc.stdout[:2] == b"\xff\xd8":
        return Frame(at, data_uri(proc.stdout))
    return None


def video_frames(path: Path, duration: float | None = None) -> Frames:
    """Up to four frames spread over the video; none (with the reason) when ffmpeg is
    missing or no frame can be read."""
    if not os.path.isfile(path):
        return Frames((), "thumbs.none_file")
    try:
        ffmpeg = tools.find("ffmpeg")
    except tools.ToolMissing:
        return Frames((), "thumbs.none_tool")
    if not duration:
        # The run measured no length (the file did not read as a video): ask ffprobe
        # where there is one; without it, no frame can be placed.
        probe = tools.which("ffprobe")
        duration = _duration(probe, path) if probe else None
    if not duration or duration <= 0:
        return Frames((), "thumbs.none_read")
    # each cut is its own ffmpeg process (a seek, then a short decode): run them at once
    with ThreadPoolExecutor(max_workers=len(VIDEO_FRAMES)) as pool:
        cuts = pool.map(lambda share: _frame(ffmpeg, path, round(duration * share, 2)),
                        VIDEO_FRAMES)  # fmt: skip
        frames = [f for f in cuts if f is not None]
    return Frames(tuple(frames), None if frames else "thumbs.none_read")


def photo_thumb(path: Path) -> str | None:
    """A small upright JPEG of the photo, or None when it cannot be previewed."""
    from PIL import Image, ImageOps  # Pillow: only when a report shows photos

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DecompressionBombWarning and the like
            with Image.open(path) as im:
                if im.width * im.height > MAX_PREVIEW_PIXELS and im.format != "JPEG":
                    return None
                # draft: JPEG decodes at the smallest scale still ≥ twice the box
                im.draft("RGB", (PHOTO_BOX[0] * 2, PHOTO_BOX[1] * 2))
                upright = ImageOps.exif_transpose(im)
                upright.thumbnail(PHOTO_BOX)
                if upright.mode not in ("RGB", "L"):
                    upright = upright.convert("RGBA").convert("RGB") if "A" in upright.mode \
                        else upright.convert("RGB")  # fmt: skip
                out = io.BytesIO()
                upright.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    except Exception:  # damaged, truncated, a bomb, an odd mode: a preview never breaks a report
        return None
    return data_uri(out.getvalue())
