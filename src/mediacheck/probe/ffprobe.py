"""ffprobe: run it, and turn its JSON into facts. The parser is pure (tested on recorded JSON).

What we learned on real files (issue #2): `format_name` is the same for MOV and MP4, so
the container comes from the ftyp major brand; `r_frame_rate` says 25/1 on a VFR file, so
frame rate is frames ÷ duration (`avg_frame_rate`); the stream `bit_rate` is sample bytes
÷ duration, a measurement, unlike MediaInfo's declared `nominal_bit_rate`; channels come
from the codec configuration.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

from mediacheck import tools
from mediacheck.model import FFPROBE, Facts
from mediacheck.probe.mp4 import container_format as brand_container
from mediacheck.probe.video_facts import stream_facts

TIMEOUT_S = 60.0


def run_ffprobe(path: Path, timeout: float = TIMEOUT_S) -> tuple[dict[str, Any] | None, str]:
    """(parsed JSON, '') on success, (None, ffprobe's complaint) on failure."""
    exe = tools.which("ffprobe")
    if exe is None:  # e.g. only the FFmpeg wheel's ffmpeg: ask ffmpeg (ToolMissing if none)
        from mediacheck.probe.ffmpeg_probe import read_streams

        return read_streams(path, timeout)
    args = [exe, "-v", "error", "-show_format", "-show_streams", "-of", "json"]
    proc = tools.run([*args, tools.media_arg(path)], timeout)
    err = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        return None, err.splitlines()[-1] if err else f"exit status {proc.returncode}"
    try:
        return json.loads(proc.stdout.decode("utf-8", "replace")), err
    except json.JSONDecodeError:
        return None, "ffprobe printed no readable result"


def _num(x: Any) -> float | None:
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def _ratio(x: Any) -> Fraction | None:
    try:
        r = Fraction(str(x).replace(":", "/"))
    except (ValueError, ZeroDivisionError):
        return None
    return r if r > 0 else None


def container_format(fmt: dict[str, Any]) -> str:
    names = str(fmt.get("format_name", "")).split(",")
    if "mp4" in names or "mov" in names:
        return brand_container(str(fmt.get("tags", {}).get("major_brand", "")))
    return names[0] if names and names[0] else "unknown"


def rotation(stream: dict[str, Any]) -> int:
    for side in stream.get("side_data_list", []) or []:
        if "rotation" in side:
            return int(round(float(side["rotation"]))) % 360
    rotate = stream.get("tags", {}).get("rotate")
    return int(rotate) % 360 if rotate and str(rotate).lstrip("-").isdigit() else 0


def display_size(stream: dict[str, Any]) -> list[int] | None:
    """Width × height as shown to a viewer: sample aspect ratio applied, then rotation."""
    w, h = stream.get("width"), stream.get("height")
    if not w or not h:
        return None
    sar = _ratio(stream.get("sample_aspect_ratio")) or Fraction(1)
    if sar > 1:
        w = round(w * sar)
    elif sar < 1:
        h = round(h / sar)
    if rotation(stream) in (90, 270):
        w, h = h, w
    return [int(w), int(h)]


def audio_codec(stream: dict[str, Any]) -> str:
    name = str(stream.get("codec_name", "unknown"))
    profile = str(stream.get("profile", ""))
    if name == "aac":
        return {"LC": "aac-lc", "HE-AAC": "he-aac", "HE-AACv2": "he-aac-v2"}.get(
            profile, f"aac-{profile.lower()}" if profile else "aac"
        )
    return name


def _is_picture(stream: dict[str, Any]) -> bool:
    return bool(stream.get("disposition", {}).get("attached_pic"))


def ffprobe_facts(data: dict[str, Any], facts: Facts) -> None:
    """Fill facts from `ffprobe -show_format -show_streams -of json` (or the same shape
    made by ffmpeg_probe, which names itself in "source")."""
    src = str(data.get("source", FFPROBE))
    fmt = data.get("format", {})
    streams = data.get("streams", [])
    video = [s for s in streams if s.get("codec_type") == "video" and not _is_picture(s)]
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    facts.set("container.format", container_format(fmt), source=src)
    brand = fmt.get("tags", {}).get("major_brand")
    if brand:
        facts.set("container.brand", brand.strip(), source=src)
    facts.set("video.streams", len(video), source=src)
    facts.set("audio.streams", len(audio), source=src)

    if video:
        v = video[0]
        facts.set("video.codec", v.get("codec_name"), source=src)
        facts.set("video.profile", v.get("profile"), source=src)
        facts.set("video.display_size", display_size(v), "px", src)
        facts.set("video.rotation", rotation(v), "°", src)
        facts.set("video.pix_fmt", v.get("pix_fmt"), source=src)
        order = v.get("field_order")
        if order:
            scan = "progressive" if order == "progressive" else "interlaced"
            if order != "unknown":
                facts.set("video.scan", scan, source=src)
        facts.set("video.bitrate", _num(v.get("bit_rate")), "bit/s", src)
        fps = _ratio(v.get("avg_frame_rate"))
        facts.set("video.fps", round(float(fps), 3) if fps else None, "fps", src)
        facts.set("video.duration", _num(v.get("duration")), "s", src)
    else:
        facts.absent_all(stream_facts("video"), "no_video")

    if audio:
        a = audio[0]
        facts.set("audio.codec", audio_codec(a), source=src)
        facts.set("audio.sample_rate", _num(a.get("sample_rate")), "Hz", src)
        facts.set("audio.channels", a.get("channels"), source=src)
        facts.set("audio.bitrate", _num(a.get("bit_rate")), "bit/s", src)
        facts.set("audio.duration", _num(a.get("duration")), "s", src)
    else:
        facts.absent_all(stream_facts("audio"), "no_audio")

    vd, ad = facts.get("video.duration"), facts.get("audio.duration")
    if vd and ad:
        facts.set("av.duration_diff", round(abs(vd.value - ad.value), 3), "s", src)
