"""The JSON report, schema `schemas/report-v1.json` (versioned: fields are only ever added)."""

from __future__ import annotations

import json
from typing import Any

from mediacheck import __version__
from mediacheck.model import FAIL, WARN, Finding, RunResult
from mediacheck.report import ReportContext
from mediacheck.report.common import listed_reason
from mediacheck.words.lang import tr, utf8_safe

SCHEMA_ID = "https://mediacheck.invalid/schemas/report-v1.json"
SCHEMA_VERSION = 1


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return value


def finding_dict(f: Finding, lang: str) -> dict[str, Any]:
    return {
        "rule": f.rule_id,
        "spec": f.spec,
        "severity": f.severity,
        "status": f.status,
        "title": tr(f.title, lang),
        "measured": {
            "value": _plain(f.measured.value) if f.measured else None,
            "unit": f.measured.unit if f.measured else "",
            "source": f.measured.source if f.measured else None,
            "text": f.measured_text[lang],
        },
        "expected": {"check": f.check, "value": _plain(f.expected), "text": f.expected_text[lang]},
        "message": tr(f.message, lang) if f.message else "",
        "hint": tr(f.hint, lang) if f.hint else "",
    }


def run_dict(run: RunResult, lang: str) -> dict[str, Any]:
    failed, warned = run.count(FAIL), run.count(WARN)
    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "mediacheck": __version__,
        "profile": run.profile,
        "lang": lang,
        "summary": {
            "files": len(run.files),
            "passed": len(run.files) - failed - warned,
            "warned": warned,
            "failed": failed,
        },
        "files": [
            {
                "path": utf8_safe(str(r.path)),
                "kind": r.kind,
                "status": r.status,
                "findings": [finding_dict(f, lang) for f in r.findings],
            }
            for r in run.files
        ],
    }


def render(run: RunResult, ctx: ReportContext) -> str:
    data = run_dict(run, ctx.lang)
    # Files seen but not checked; an added field, as schema version 1 allows.
    data["listed"] = [
        {"path": utf8_safe(str(i.path)), "kind": i.kind, "reason": i.reason,
         "text": listed_reason(i, ctx.lang)} for i in ctx.listed
    ]  # fmt: skip
    # Indented for people on a terminal; compact in a file or a pipe (machines read it,
    # and Python's indenting encoder is ~25 times slower: 40 ms for an hour-long lesson).
    return json.dumps(data, ensure_ascii=False, indent=None if ctx.to_file else 2) + "\n"
