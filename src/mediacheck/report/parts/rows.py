"""The rows of the spreadsheet reports (CSV, XLSX): one per subject and rule not passed,
one for a subject that passed everything (saying so), one per file listed but not checked
("not checked" is never "pass")."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mediacheck.model import FAIL, ORDER, WARN, RunResult
from mediacheck.report.common import KIND_NAMES, Listed, listed_reason
from mediacheck.report.parts.base import display_name
from mediacheck.words.html import SHEET_COLUMNS, say
from mediacheck.words.lang import tr

Row = list[str]


def _kind(kind: str, lang: str) -> str:
    return tr(KIND_NAMES.get(kind, {"zh": kind, "en": kind}), lang)


def header(lang: str) -> Row:
    return [say(key, lang) for key in SHEET_COLUMNS]


def rows(run: RunResult, lang: str, root: Path, listed: Sequence[Listed] = ()) -> list[Row]:
    """Every data row, in the run's order; the header is `header(lang)`."""
    out: list[Row] = []
    for result in run.files:
        name = display_name(result.path, root, lang)
        kind = _kind(result.kind, lang)
        # the district's sheet: what failed or warns (information is in the HTML report)
        bad = sorted((f for f in result.findings if f.status in (FAIL, WARN)),
                     key=lambda f: -ORDER[f.status])  # fmt: skip
        for f in bad:
            out.append([
                name, kind, say("status." + f.status, lang), f.rule_id, f.spec,
                f.measured_text.get(lang, ""), f.expected_text.get(lang, ""),
                tr(f.message, lang) if f.message else tr(f.title, lang),
                tr(f.hint, lang) if f.hint else "",
            ])  # fmt: skip
        if bad:
            continue
        if result.findings:
            n = len(result.findings)
            out.append([name, kind, say("status.pass", lang), "", "", "", "",
                        say("all_passed", lang, n=n), ""])  # fmt: skip
        else:
            out.append([name, kind, say("sheet.not_checked", lang), "", "", "", "",
                        say("no_checks_ran", lang), ""])  # fmt: skip
    for item in listed:
        out.append([display_name(item.path, root, lang), _kind(item.kind, lang),
                    say("sheet.not_checked", lang), "", "", "", "",
                    listed_reason(item, lang), ""])  # fmt: skip
    return out


def from_ctx(run: RunResult, ctx: Any) -> tuple[Row, list[Row]]:
    return header(ctx.lang), rows(run, ctx.lang, Path(ctx.root), getattr(ctx, "listed", ()) or ())
