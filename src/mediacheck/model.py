"""The records that travel: Facts (what probing found out about one file, each value
with where it came from) and Findings (one rule's verdict on one subject).

Probers fill a `Facts`; rules only read it. A fact that could not be measured is
recorded in `missing` with a plain reason, so a verdict can say why it has no value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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


@dataclass(frozen=True)
class ProbeOptions:
    """What a run asks of every prober beyond the file itself."""

    deep: bool = False  # videos: decode every frame (slow)
    on_progress: Callable[[float], None] | None = None  # --deep: position in seconds
    profile: Any = None  # the run's Profile, for kinds whose reading it shapes (tables)


@dataclass
class Facts:
    path: Path
    kind: str  # "video", "photo", "text", "other"
    values: dict[str, Fact] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)  # fact name -> reason code
    error: ProbeError | None = None
    # What reports show beside the findings (duplicate groups, a case's photos); never
    # read by rules. Goes to FileResult.evidence.
    series: dict[str, Any] = field(default_factory=dict)

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

    def absent_all(self, names: Iterable[str], reason: str) -> None:
        """Every one of `names` that has no value is absent for `reason` (a missing audio
        track: each audio rule then says "no audio track", not "could not be measured")."""
        for name in names:
            self.absent(name, reason)

    def get(self, name: str) -> Fact | None:
        return self.values.get(name)


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
    # False when a tool this machine lacks kept rules from running (no ffmpeg for a
    # .mkv): such a result is not cached, so the file is checked once the tool is there.
    complete: bool = True
    # For reports only, never for verdicts: the subject's scalar facts and its Facts.series
    # (a case's duplicate groups), so an HTML report needs to read no file again. Not
    # cached: a result from the cache has none, and a report then works without it.
    evidence: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

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
