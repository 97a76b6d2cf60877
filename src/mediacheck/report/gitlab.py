"""GitLab Code Quality JSON (a CodeClimate subset): one issue per finding not passed.

GitLab compares the fingerprints of a merge request's report with its target branch's,
so the fingerprint is a hash of path + rule only: a re-measured bitrate is the same issue.
Media have no lines; every issue sits on line 1 of its file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mediacheck.model import FAIL, INFO, WARN, RunResult
from mediacheck.report import ReportContext
from mediacheck.report.common import all_findings, detail, fingerprint, rel_path, title

# Code Quality severities: info, minor, major, critical, blocker.
SEVERITY = {FAIL: "major", WARN: "minor", INFO: "info"}


def issues(run: RunResult, lang: str, *, root: Path, strict: bool = False,
           ) -> list[dict[str, Any]]:  # fmt: skip
    out = []
    for result, f in all_findings(run):
        rel = rel_path(result.path, root)
        status = FAIL if strict and f.status == WARN else f.status
        out.append(
            {
                "type": "issue",
                "engine_name": "mediacheck",
                "check_name": f.rule_id,
                "description": f"{title(f, lang)} — "
                + detail(f, lang, with_hint=False).replace("\n", " · "),
                "content": {"body": detail(f, lang)},
                "categories": ["Compatibility"],
                "fingerprint": fingerprint(rel, f.rule_id),
                "severity": SEVERITY[status],
                "location": {"path": rel, "lines": {"begin": 1}},
            }
        )
    return out


def render(run: RunResult, ctx: ReportContext) -> str:
    lang, root, strict = ctx.lang, ctx.root, ctx.strict
    return json.dumps(issues(run, lang, root=root, strict=strict), ensure_ascii=False,
                      indent=2) + "\n"  # fmt: skip
