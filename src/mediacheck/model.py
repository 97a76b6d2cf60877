"""The records that travel: Facts (what probing found out about one file, each value
with where it came from) and Findings (one rule's verdict on one subject).

Probers fill a `Facts`; rules only read it. A fact that could not be measured is
recorded in `missing` with a plain reason, so a verdict can say why it has no value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Where a value came from, so a finding can say how far to trust it.
FFPROBE = "ffprobe"
MEDIAINFO = "mediainfo"
MEASURED = "measured"  # computed by mediacheck from sample tables / bytes / pixels
HEADER = "header"  # read by mediacheck from container boxes or file headers
PILLOW = "pillow"
FILESYSTEM = "filesystem"


@dataclass(frozen=True)
class Fact:
    value: Any
    unit: str = ""
    source: str = MEASURED


@dataclass(frozen=True)
class ProbeError:
    """A file that could not be probed: a result, not a crash.

    `code` picks the bilingual explanation in `messages.py`; `detail` is the raw
    tool output kept for people who want it.
    """

    code: str
    detail: str = ""
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Facts:
    path: Path
    kind: str  # "video", "photo", "text", "other"
    values: dict[str, Fact] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)  # fact name -> reason code
    error: ProbeError | None = None
    # Per-second series etc. for pictures in reports; never read by rules.
    series: dict[str, list[float]] = field(default_factory=dict)

    def set(self, name: str, value: Any, unit: str = "", source: str = MEASURED) -> None:
        if value is None:
            return
        self.values[name] = Fact(value, unit, source)
        self.missing.pop(name, None)

    def absent(self, name: str, reason: str) -> None:
        if name not in self.values:
            self.missing[name] = reason

    def fill_from(self, other: Facts) -> None:
        """Take the facts `other` knows and this one does not (a fallback source)."""
        for name, fact in other.values.items():
            self.values.setdefault(name, fact)
            self.missing.pop(name, None)
        for name, reason in other.missing.items():
            self.absent(name, reason)

    def overwrite_from(self, other: Facts) -> None:
        """Take everything `other` knows, over what this one has (a better source)."""
        for name, fact in other.values.items():
            self.values[name] = fact
            self.missing.pop(name, None)
        for name, reason in other.missing.items():
            self.absent(name, reason)
        self.series.update(other.series)

    def absent_stream(self, kind: str, reason: str) -> None:
        """Every known fact of a missing stream ("video", "audio") is absent for `reason`,
        so each rule on it says "no audio track" rather than "could not be measured"."""
        for name in KNOWN_FACTS:
            if name.startswith(kind + "."):
                self.absent(name, reason)

    def get(self, name: str) -> Fact | None:
        return self.values.get(name)


# Every fact a prober may set, with its unit. Profiles are validated against this
# list, so a typo in a rule's `fact:` is caught before any file is probed.
KNOWN_FACTS: dict[str, str] = {
    "file.size": "bytes",
    "file.truncated": "",  # bool: samples or data past the end of the file
    "file.missing_bytes": "bytes",
    "container.format": "",  # mp4, mov, 3gp, matroska, avi, …
    "container.brand": "",  # ftyp major brand
    "container.faststart": "",  # bool: moov before mdat
    "container.fragmented": "",  # bool
    "container.encrypted": "",  # bool: a protected track (encv/enca): plays only with a key
    "video.streams": "",
    "video.codec": "",  # h264, hevc, …
    "video.profile": "",
    "video.display_size": "px",  # [w, h] after rotation and sample aspect ratio
    "video.rotation": "°",
    "video.bitrate": "bit/s",
    "video.bitrate_declared": "bit/s",
    "video.bitrate_per_second": "bit/s",  # list: bits in each whole second
    "video.fps": "fps",
    "video.fps_mode": "",  # CFR / VFR
    "video.fps_min": "fps",
    "video.fps_max": "fps",
    "video.pix_fmt": "",
    "video.scan": "",  # progressive / interlaced
    "video.duration": "s",
    "audio.streams": "",
    "audio.codec": "",  # aac-lc, he-aac, mp3, …
    "audio.sample_rate": "Hz",
    "audio.channels": "",
    "audio.bitrate": "bit/s",
    "audio.bitrate_declared": "bit/s",
    "audio.bitrate_per_second": "bit/s",  # list: bits in each whole second
    "audio.bitrate_mode": "",  # CBR / VBR as the header (MediaInfo) labels it
    "audio.duration": "s",
    "av.duration_diff": "s",
    "decode.errors": "",  # count, from a full decode (--deep)
    "decode.error_list": "",  # the first few, "12.5 s: message"
}


# Set by photo_probe.probe_photo (see its docstring for meanings).
PHOTO_FACTS: dict[str, str] = {
    "file.size": "bytes",
    "file.sha256": "hex",
    "photo.format": "",
    "photo.format_by_name": "",
    "photo.format_matches_name": "bool",
    "photo.format_allowed": "bool",
    "photo.width": "px",
    "photo.height": "px",
    "photo.display_width": "px",
    "photo.display_height": "px",
    "photo.pixels": "px",
    "photo.mode": "",
    "photo.bit_depth": "bits",
    "photo.has_alpha": "bool",
    "photo.animated": "bool",
    "photo.frames": "count",
    "photo.orientation": "",
    "photo.decodes": "bool",
    "photo.decode_error": "",
    "photo.phash": "hex",
    "photo.dhash": "hex",
}

# Set by textcount.probe_text.
TEXT_FACTS: dict[str, str] = {
    "file.size": "bytes",
    "text.format": "",
    "text.encoding": "",
    "text.decode_errors": "count",
    "text.chars_zishu": "字",
    "text.east_asian_chars": "字",
    "text.non_chinese_words": "words",
    "text.chars_no_spaces": "chars",
    "text.chars_with_spaces": "chars",
    "text.paragraphs": "count",
    "text.tables": "count",
    "text.empty": "bool",
}

# Set by case.case_facts over one case folder.
CASE_FACTS: dict[str, str] = {
    "case.photos": "",  # photo files in the folder (system junk not counted)
    "case.photos_distinct": "",  # usable photos, duplicates counted once
    "case.duplicate_photos": "",  # photos that repeat another (byte copies, resized, re-saved)
    "case.duplicate_groups": "",  # text: "a.jpg = b.jpg; …"
    "case.similar_photos": "",
    "case.similar_groups": "",
    "case.texts": "",  # readable text documents in the folder
}

KNOWN_FACTS.update(PHOTO_FACTS)
KNOWN_FACTS.update(TEXT_FACTS)
KNOWN_FACTS.update(CASE_FACTS)


# ---- findings: one verdict of one rule on one file
# Status of a finding, worst last.
PASS, INFO, WARN, FAIL = "pass", "info", "warn", "fail"
ORDER = {PASS: 0, INFO: 1, WARN: 2, FAIL: 3}


@dataclass(frozen=True)
class Finding:
    path: Path
    rule_id: str
    spec: str
    severity: str  # the rule's severity: error, warning, info
    status: str  # pass, info, warn, fail
    title: dict[str, str]
    measured: Fact | None  # None when it could not be measured
    measured_text: dict[str, str]  # how measured reads, per language
    expected: Any
    expected_text: dict[str, str]  # per language: "≥ 1920×1080", "3.5 Mbit/s ±15 %"
    check: str
    pass_band: float | None = None  # for pictures of a measured series against its band
    message: dict[str, str] = field(default_factory=dict)  # empty when passed
    hint: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FileResult:
    path: Path
    kind: str
    findings: tuple[Finding, ...]

    @property
    def status(self) -> str:
        return max((f.status for f in self.findings), key=ORDER.__getitem__, default=PASS)


@dataclass(frozen=True)
class RunResult:
    profile: str
    files: tuple[FileResult, ...]

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    def exit_code(self, strict: bool = False) -> int:
        worst = {f.status for f in self.files}
        if FAIL in worst or (strict and WARN in worst):
            return 1
        return 0
