"""Findings: one verdict of one rule on one file, with what was measured and expected."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mediacheck.facts import Fact

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
