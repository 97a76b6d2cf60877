"""Probe one video file into Facts. Knows nothing about rules.

MP4/MOV: the sample tables are read directly (mp4_facts: measured rates and timing,
codec settings from the headers); ffprobe fills only what those cannot say (e.g. the
pixel format of a non-H.264 stream). Other containers: ffprobe for streams plus a
packet scan for measured rates. MediaInfo adds the labels a MediaInfo-based platform
sees (in a child process with time and memory limits: probe/mediainfo.py). A file that
cannot be probed comes back with `facts.error` set, never as an
exception. A missing ffmpeg is that file's finding too (MP4s never need it); only a
missing MediaInfo, or ffmpeg for --deep, raises (then no file can be checked).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from mediacheck.discover import sniff
from mediacheck.model import FILESYSTEM, MEASURED, Facts, ProbeError, ProbeOptions
from mediacheck.mp4 import Mp4Error, read_index
from mediacheck.probe.mediainfo import Labels, MediaInfoFailed, mediainfo_facts, mediainfo_failed
from mediacheck.probe.mp4 import index_facts
from mediacheck.probe.video_facts import FACTS, REMEDIES
from mediacheck.tools import ToolMissing, ToolTimeout

NAME = "video"
# Sniffed formats this kind claims; any other ISO BMFF brand ("isobmff:<brand>") too.
FORMATS = frozenset({"mov", "matroska", "webm", "avi", "mpeg-ts", "mpeg-ps", "flv"})
__all__ = ["FACTS", "FORMATS", "NAME", "REMEDIES", "probe", "probe_video"]

# ffprobe, the packet scan and the --deep decode are imported where used: an MP4 checked
# from its sample tables needs none of them, and start-up is part of every check.

# Facts the sample tables must yield for ffprobe to be skipped.
FROM_INDEX = ("video.codec", "video.display_size", "video.pix_fmt", "video.scan",
              "audio.codec", "audio.sample_rate", "audio.channels")  # fmt: skip


def _readable(path: Path, facts: Facts) -> bool:
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            fh.read(1)
    except OSError as exc:
        facts.error = ProbeError("unreadable", str(exc), {"detail": exc.strerror or str(exc)})
        return False
    facts.set("file.size", size, "bytes", FILESYSTEM)
    if size == 0:
        facts.error = ProbeError("empty")
        return False
    return True


def _ffprobe_into(path: Path, facts: Facts) -> bool:
    """Fill facts from ffprobe; on failure set facts.error and return False."""
    from mediacheck.probe.ffprobe import ffprobe_facts, run_ffprobe

    try:
        data, complaint = run_ffprobe(path)
    except ToolTimeout as exc:
        facts.error = ProbeError("timeout", str(exc), {"seconds": exc.seconds})
        return False
    except ToolMissing as exc:  # no ffprobe and no ffmpeg: this file is not checked
        facts.error = ProbeError("tool_missing", exc.tool, {"tool": exc.tool})
        return False
    if data is None or not data.get("streams"):
        code = "truncated_index" if "moov atom not found" in complaint else "broken_media"
        facts.error = ProbeError(code, complaint, {"detail": complaint})
        return False
    ffprobe_facts(data, facts)
    return True


def duration_hint(path: Path) -> float | None:
    """Seconds of video, for a progress bar's total; None when unknown."""
    try:
        index = read_index(path)
    except Mp4Error:
        return None
    tracks = index.video_tracks or index.audio_tracks
    if not tracks or not tracks[0].timescale:
        return None
    return tracks[0].duration_ticks / tracks[0].timescale


def probe(path: Path, options: ProbeOptions | None = None) -> Facts:
    """The kind's prober (see probe/__init__.py)."""
    options = options or ProbeOptions()
    return probe_video(path, deep=options.deep, on_progress=options.on_progress)


def probe_video(
    path: Path, deep: bool = False, on_progress: Callable[[float], None] | None = None
) -> Facts:
    facts = _probe_streams(path)
    if facts.error is None:
        if deep:
            from mediacheck.probe.decode import decode_errors

            count, listed = decode_errors(path, on_progress)
            facts.set("decode.errors", count, source=MEASURED)
            facts.set("decode.error_list", "; ".join(listed) or "—", source=MEASURED)
        else:
            facts.absent("decode.errors", "not_requested")
    return facts


def _probe_streams(path: Path) -> Facts:
    facts = Facts(path=path, kind="video")
    if not _readable(path, facts):
        return facts
    content = sniff.sniff(path)
    if sniff.kind_of(path, content) != "video" or content in ("empty", "unknown", "text"):
        what = sniff.family(content)
        facts.error = ProbeError("not_video", content, {"what": what, "ext": path.suffix})
        return facts

    labels = Labels(path)  # MediaInfo reads in its own process while the tables are read
    try:
        return _probe_sniffed(path, content, facts, labels)
    finally:
        labels.close()  # not left running when its answer is not needed


def _labels_into(labels: Labels, facts: Facts) -> None:
    try:
        mediainfo_facts(labels.result(), facts)
    except MediaInfoFailed as exc:  # a hostile file: those rules say "not checked"
        mediainfo_failed(exc, facts)


def _probe_sniffed(path: Path, content: str, facts: Facts, labels: Labels) -> Facts:
    index = None
    damaged = ""  # why the sample tables could not be read, for a message if ffprobe fails
    if content == "mov" or content.startswith("isobmff:"):
        try:
            index = read_index(path)
        except Mp4Error as exc:
            if exc.code == "no_moov":
                facts.error = ProbeError("truncated_index", exc.detail, {"detail": exc.detail})
                return facts
            # Damaged index: ffprobe may still read what it can; the packet scan measures.
            damaged = exc.detail

    measured = Facts(path=path, kind="video")
    if index is not None:
        index_facts(index, measured)  # while MediaInfo reads in its process
    _labels_into(labels, facts)
    if index is not None and any(t.encrypted for t in index.tracks):
        # DRM: nothing plays without the key, whatever the other facts say
        facts.overwrite_from(measured)
        schemes = sorted({t.protection_scheme or "?" for t in index.tracks if t.encrypted})
        facts.error = ProbeError("encrypted", "", {"scheme": ", ".join(schemes)})
        return facts
    if index is not None:
        facts.overwrite_from(measured)  # measurements win over MediaInfo's labels
        present = {"video": bool(index.video_tracks), "audio": bool(index.audio_tracks)}
        needed = [n for n in FROM_INDEX if present[n.split(".")[0]]]
        if all(n in facts.values for n in needed):
            return facts
        fallback = Facts(path=path, kind="video")
        if _ffprobe_into(path, fallback):
            facts.fill_from(fallback)
        return facts

    if not _ffprobe_into(path, facts):
        if damaged and facts.error is not None and facts.error.code == "broken_media":
            detail = f"{facts.error.detail}; {damaged}"  # ffmpeg's words, then the index's
            facts.error = ProbeError("broken_media", detail, {"detail": detail})
        return facts
    # On a timeout the header facts stand; rates stay as ffprobe reported them.
    from mediacheck.probe.packets import packet_facts, scan_packets

    with contextlib.suppress(ToolTimeout):
        packet_facts(scan_packets(path), facts)
    return facts
