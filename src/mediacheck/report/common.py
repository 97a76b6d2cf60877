"""What the CI reporters share: paths relative to the repository, one-line texts, listed
files. Like every reporter, nothing here probes or decides; it only words a finished run."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from mediacheck.model import FAIL, INFO, PASS, WARN, FileResult, Finding, RunResult
from mediacheck.words.catalogue import KIND_NAMES, LISTED_REASONS, UI, say, source_text
from mediacheck.words.lang import tr, utf8_safe

Text = dict[str, str]


class Listed(NamedTuple):
    """A file the run saw but did not check (no checks for its kind, excluded, …)."""

    path: Path
    kind: str  # photo, text, other, folder
    reason: str  # a key of LISTED_REASONS


# The status words: the catalogue's, said once.
LEVEL_WORDS: dict[str, Text] = {s: UI[f"status.{s}"] for s in (FAIL, WARN, INFO, PASS)}

LABELS: dict[str, Text] = {
    "measured": {"zh": "实测", "en": "measured"},
    "expected": {"zh": "要求", "en": "required"},
    "clause": {"zh": "条款", "en": "clause"},
    "listed": {"zh": "未检查（仅列出）", "en": "not checked (listed)"},
}


def listed_reason(item: Listed, lang: str) -> str:
    kind = tr(KIND_NAMES.get(item.kind, KIND_NAMES["other"]), lang)
    return tr(LISTED_REASONS[item.reason], lang).format(kind=kind)


def summary_text(run: RunResult, lang: str) -> str:
    """The one-line count of a run ("Checked 3 file(s): 2 passed, …"), as plain text."""
    if not run.files:
        return say("summary.nothing", lang)
    failed, warned = run.count(FAIL), run.count(WARN)
    passed = len(run.files) - failed - warned
    return say("summary", lang, files=len(run.files), passed=passed, warned=warned,
               failed=failed)  # fmt: skip


def rel_path(path: Path, root: Path) -> str:
    """`path` relative to the repository root, `/`-separated; absolute when outside it.

    `abspath`, not `resolve`: a symlinked file is reported under the name it has in the
    repository. A name that is not UTF-8 keeps its bytes as \\xNN (`utf8_safe`)."""
    absolute = os.path.abspath(path)
    rel = os.path.relpath(absolute, root)  # relpath makes `root` absolute itself
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return utf8_safe(Path(absolute).as_posix())
    return utf8_safe(rel.replace(os.sep, "/"))


def fingerprint(rel: str, rule_id: str) -> str:
    """Stable identity of one finding across runs: the file and the rule, nothing that
    changes with the measurement (so a CI can tell new problems from old ones)."""
    import hashlib  # OpenSSL's start-up: only for the reports that print fingerprints

    return hashlib.sha256(f"{rel}\0{rule_id}".encode()).hexdigest()


def not_passed(result: FileResult) -> Iterator[Finding]:
    return (f for f in result.findings if f.status != PASS)


def all_findings(run: RunResult) -> Iterator[tuple[FileResult, Finding]]:
    for result in run.files:
        for finding in not_passed(result):
            yield result, finding


def is_failure(finding: Finding, strict: bool) -> bool:
    """Does this finding fail the build? (The run's exit code follows the same rule.)"""
    return finding.status == FAIL or (strict and finding.status == WARN)


def title(finding: Finding, lang: str) -> str:
    return f"{finding.rule_id}: {tr(finding.title, lang)}"


def detail(finding: Finding, lang: str, with_hint: bool = True) -> str:
    """Message, measured and required values, and the hint, as plain text lines."""
    lines = []
    if finding.message:
        lines.append(tr(finding.message, lang))
    measured = finding.measured_text.get(lang, "")
    expected = finding.expected_text.get(lang, "")
    parts = []
    if measured and measured != "—":
        source = f" ({source_text(finding.measured.source, lang)})" if finding.measured else ""
        parts.append(f"{tr(LABELS['measured'], lang)}: {measured}{source}")
    if expected and expected != "—":
        parts.append(f"{tr(LABELS['expected'], lang)}: {expected}")
    if finding.spec and finding.spec != finding.rule_id:
        parts.append(f"{tr(LABELS['clause'], lang)}: {finding.spec}")
    if parts:
        lines.append("; ".join(parts))
    if with_hint and finding.hint:
        lines.append("→ " + tr(finding.hint, lang))
    return "\n".join(lines)
