"""MediaInfo: the labels a platform using MediaInfo sees, read in a child process.

MediaInfo's CBR/VBR and CFR/VFR are header heuristics (it calls a VBR AAC track averaging
199 kbit/s "CBR"), so they are kept as labels with source "mediainfo"; verdicts on rates
come from measurements where we have them.

libmediainfo is not safe on hostile files: fuzzed index boxes make it loop for ever or
allocate gigabytes, even where mediacheck's own reader has rejected the box. So it never
runs in this process: `Labels` starts `mediainfo_child.py` (the library pymediainfo's wheel
bundles, through ctypes) with TIME_LIMIT_S and MEMORY_LIMIT_MB, right when a video is
sniffed (for `mediacheck video FILE`, before the command line is parsed:
probe/mediainfo_early.py), and its answer is collected after the sample tables are read.
A file MediaInfo cannot read within them is a finding ("not checked"), never a pass, and
the rest of the verdict stands.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

from mediacheck.model import MEDIAINFO, Facts
from mediacheck.probe import mediainfo_early
from mediacheck.probe.mediainfo_early import MEMORY_LIMIT_MB, TIME_LIMIT_S, library_candidates
from mediacheck.tools import ToolMissing

TOOL = "MediaInfo (libmediainfo)"
NO_LIBRARY = 3  # mediainfo_child's exit status when no candidate library loads

# The facts only MediaInfo gives for some files: "not checked" when it could not read one.
LABEL_FACTS = ("file.truncated", "container.faststart", "video.fps_mode",
               "video.bitrate_declared", "video.scan", "audio.bitrate_mode",
               "audio.bitrate_declared")  # fmt: skip
# mediainfo_child.TEMPLATE's lines: kind letter -> track type, the fields in order (named
# as pymediainfo names them)
FIELDS = {
    "G": ("General", ("istruncated", "isstreamable")),
    "V": ("Video", ("frame_rate_mode", "nominal_bit_rate", "scan_type")),
    "A": ("Audio", ("bit_rate_mode", "nominal_bit_rate", "bit_rate")),
}


class MediaInfoFailed(Exception):
    """MediaInfo did not read the file within its limits (or gave up on it)."""

    def __init__(self, seconds: float, megabytes: int, why: str) -> None:
        super().__init__(f"MediaInfo: {why} ({seconds:g} s / {megabytes} MB)")
        self.seconds, self.megabytes, self.why = seconds, megabytes, why


def parse_report(text: str) -> list[dict[str, Any]]:
    """mediainfo_child's lines -> one dict per stream, in pymediainfo's to_data() shape."""
    tracks = []
    for line in text.splitlines():
        kind, _, rest = line.partition("|")
        if kind not in FIELDS:
            continue
        track_type, names = FIELDS[kind]
        values = rest.split("|")
        track: dict[str, Any] = {"track_type": track_type}
        track.update({n: v for n, v in zip(names, values, strict=False) if v})
        tracks.append(track)
    return tracks


class Labels:
    """MediaInfo's report of one file, from a child process started at once; `result()`
    waits for it (up to the time limit from the start), `close()` stops it."""

    def __init__(self, path: Path) -> None:
        self.seconds, self.megabytes = TIME_LIMIT_S, MEMORY_LIMIT_MB
        self._tracks: list[dict[str, Any]] | None = None
        early = mediainfo_early.take(path)  # started before the command line was parsed
        if early is not None and (self.seconds, self.megabytes) == mediainfo_early.LIMITS:
            self._proc: subprocess.Popen[bytes] | None = early[0]
            self._deadline = early[1] + self.seconds
            return
        self._deadline = time.monotonic() + self.seconds
        self._proc = mediainfo_early.spawn(path, self.seconds, self.megabytes,
                                           library_candidates())  # fmt: skip

    def _failed(self, why: str) -> MediaInfoFailed:
        return MediaInfoFailed(self.seconds, self.megabytes, why)

    def result(self) -> list[dict[str, Any]]:
        """MediaInfo's tracks; MediaInfoFailed past a limit, ToolMissing without the
        library."""
        if self._tracks is not None:
            return self._tracks
        proc = self._proc
        if proc is None:
            raise self._failed("not started")
        try:
            out, _ = proc.communicate(timeout=max(0.0, self._deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.close()
            raise self._failed("timeout") from None
        if proc.returncode == NO_LIBRARY:
            raise ToolMissing(TOOL)
        if proc.returncode != 0:
            raise self._failed(f"exit status {proc.returncode}")
        self._tracks = parse_report(out.decode("utf-8", "replace"))
        return self._tracks

    def close(self) -> None:
        """Stop the child if it still runs (a probe that needs no labels, a timeout)."""
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.communicate()


def run_mediainfo(path: Path) -> list[dict[str, Any]]:
    """MediaInfo's tracks of one file, waiting for them (see Labels)."""
    labels = Labels(path)
    try:
        return labels.result()
    finally:
        labels.close()


def _num(x: Any) -> float | None:
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def mediainfo_failed(exc: MediaInfoFailed, facts: Facts) -> None:
    """Every fact only MediaInfo would give is "not checked", with the limits it had."""
    facts.set("mediainfo.limit", f"{exc.seconds:g} s / {exc.megabytes} MB", source=MEDIAINFO)
    facts.absent_all(LABEL_FACTS, "mediainfo_failed")


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
