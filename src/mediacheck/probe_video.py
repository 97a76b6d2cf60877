"""Probe one video file into Facts: ffprobe for streams, MediaInfo for header labels.

Knows nothing about rules. A file that cannot be probed comes back with `facts.error`
set, never as an exception; only a missing tool raises (the whole run cannot go on).
"""

from __future__ import annotations

from pathlib import Path

from mediacheck import sniff
from mediacheck.facts import FILESYSTEM, Facts, ProbeError
from mediacheck.ffprobe import ffprobe_facts, run_ffprobe
from mediacheck.mediainfo import mediainfo_facts, run_mediainfo
from mediacheck.tools import ToolTimeout


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


def content_family(fmt: str) -> str:
    """The sniffed format as a key of messages.CONTENT_NAMES."""
    if fmt in sniff.TEXT_FORMATS and fmt != "ooxml":
        return "text"
    return {"ooxml": "docx", "heif": "heic", "ole2": "unknown"}.get(fmt, fmt)


def probe_video(path: Path) -> Facts:
    facts = Facts(path=path, kind="video")
    if not _readable(path, facts):
        return facts
    content = sniff.sniff(path)
    if sniff.kind_of(path, content) != "video" or content in ("empty", "unknown", "text"):
        facts.error = ProbeError(
            "not_video", content, {"what": content_family(content), "ext": path.suffix or "''"}
        )
        return facts
    try:
        data, complaint = run_ffprobe(path)
    except ToolTimeout as exc:
        facts.error = ProbeError("timeout", str(exc), {"seconds": exc.seconds})
        return facts
    if data is None or not data.get("streams"):
        code = "truncated_index" if "moov atom not found" in complaint else "broken_media"
        facts.error = ProbeError(code, complaint, {"detail": complaint})
        return facts
    ffprobe_facts(data, facts)
    mediainfo_facts(run_mediainfo(path), facts)
    return facts
