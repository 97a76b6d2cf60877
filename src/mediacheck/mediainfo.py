"""MediaInfo (through pymediainfo, in-process): the labels a platform using MediaInfo sees.

MediaInfo's CBR/VBR and CFR/VFR are header heuristics (it calls a VBR AAC track averaging
199 kbit/s "CBR"), so they are kept as labels with source "mediainfo"; verdicts on rates
come from measurements where we have them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mediacheck.facts import MEDIAINFO, Facts
from mediacheck.tools import ToolMissing


def run_mediainfo(path: Path) -> list[dict[str, Any]]:
    from pymediainfo import MediaInfo  # imported late: loading libmediainfo costs time

    if not MediaInfo.can_parse():
        raise ToolMissing("MediaInfo (libmediainfo)")
    return [t.to_data() for t in MediaInfo.parse(path).tracks]


def _num(x: Any) -> float | None:
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def mediainfo_facts(tracks: list[dict[str, Any]], facts: Facts) -> None:
    general = next((t for t in tracks if t.get("track_type") == "General"), {})
    video = next((t for t in tracks if t.get("track_type") == "Video"), None)
    audio = next((t for t in tracks if t.get("track_type") == "Audio"), None)
    if str(general.get("istruncated", "")).lower() == "yes":
        facts.set("file.truncated", True, source=MEDIAINFO)
    elif general:
        facts.set("file.truncated", False, source=MEDIAINFO)
    streamable = general.get("isstreamable")
    if streamable:
        facts.set("container.faststart", str(streamable).lower() == "yes", source=MEDIAINFO)
    if video:
        mode = video.get("frame_rate_mode")
        if mode:
            facts.set("video.fps_mode", str(mode).upper(), source=MEDIAINFO)
        declared = _num(video.get("nominal_bit_rate"))
        facts.set("video.bitrate_declared", declared, "bit/s", MEDIAINFO)
        scan = str(video.get("scan_type", "")).lower()
        if scan and "video.scan" not in facts.values:
            facts.set("video.scan", "progressive" if scan == "progressive" else "interlaced",
                      source=MEDIAINFO)  # fmt: skip
    if audio:
        mode = audio.get("bit_rate_mode")
        if mode:
            facts.set("audio.bitrate_mode", str(mode).upper(), source=MEDIAINFO)
        declared = _num(audio.get("nominal_bit_rate") or audio.get("bit_rate"))
        facts.set("audio.bitrate_declared", declared, "bit/s", MEDIAINFO)
