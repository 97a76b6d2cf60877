"""MediaInfo (through pymediainfo, in-process): the labels a platform using MediaInfo sees.

MediaInfo's CBR/VBR and CFR/VFR are header heuristics (it calls a VBR AAC track averaging
199 kbit/s "CBR"), so they are kept as labels with source "mediainfo"; verdicts on rates
come from measurements where we have them.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from mediacheck.model import MEDIAINFO, Facts
from mediacheck.tools import ToolMissing


def run_mediainfo(path: Path) -> list[dict[str, Any]]:
    from pymediainfo import MediaInfo  # imported late: loading libmediainfo costs time

    if not MediaInfo.can_parse():
        raise ToolMissing("MediaInfo (libmediainfo)")
    # parse_speed=0 reads the headers only (4.4 MB of an hour of 1080p instead of 8.7 MB)
    # and gives the same labels we report: BitRate_Mode, IsTruncated, IsStreamable.
    try:
        os.fspath(path).encode("utf-8")
    except UnicodeEncodeError:
        # libmediainfo takes the name as wide text, which a name that is not UTF-8 is
        # not: give it the open file instead (pymediainfo then feeds it the bytes)
        with open(path, "rb") as fh:
            return [t.to_data() for t in MediaInfo.parse(fh, parse_speed=0).tracks]
    return [t.to_data() for t in MediaInfo.parse(path, parse_speed=0).tracks]


class Background:
    """run_mediainfo in a thread: libmediainfo works outside the GIL (ctypes), so it
    overlaps with reading the sample tables."""

    def __init__(self, path: Path) -> None:
        self._result: list[dict[str, Any]] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(path,), daemon=True)
        self._thread.start()

    def _run(self, path: Path) -> None:
        try:
            self._result = run_mediainfo(path)
        except BaseException as exc:  # re-raised in the caller's thread by result()
            self._error = exc

    def result(self) -> list[dict[str, Any]]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result


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
