"""GitHub Actions: workflow-command annotations, then a plain summary, and a Markdown
summary for `$GITHUB_STEP_SUMMARY`.

GitHub shows at most 10 annotations of each type per step, so the plain summary after
them lists every failing file and rule: nothing is lost in a big run.
"""

from __future__ import annotations

import secrets

from mediacheck.model import FAIL, INFO, PASS, WARN, RunResult
from mediacheck.report import ReportContext
from mediacheck.report.common import (
    LABELS,
    LEVEL_WORDS,
    all_findings,
    detail,
    listed_reason,
    not_passed,
    rel_path,
    summary_text,
    title,
)
from mediacheck.words.lang import tr

COMMAND = {FAIL: "error", WARN: "warning", INFO: "notice"}

WORDS = {
    "listed": {"zh": "{n} 个文件未检查（仅列出）：", "en": "{n} file(s) listed, not checked:"},
    "problems": {"zh": "有问题的文件：", "en": "Files with problems:"},
    "file": {"zh": "文件", "en": "File"},
    "result": {"zh": "结果", "en": "Result"},
    "rules": {"zh": "未通过的检查", "en": "Rules not passed"},
    "heading": {"zh": "mediacheck 检查结果", "en": "mediacheck results"},
}


def escape_data(text: str) -> str:
    """The message part of a workflow command: `%`, CR and LF would end or break it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (file=, title=): also `:` and `,`, which separate properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(level: str, message: str, **props: str) -> str:
    joined = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    return f"::{level} {joined}::{escape_data(message)}"


def render(run: RunResult, ctx: ReportContext) -> str:
    lang, root, listed, strict = ctx.lang, ctx.root, ctx.listed, ctx.strict
    lines = []
    for result, finding in all_findings(run):
        # Under --strict a warning fails the build, so it is shown as an error too.
        status = FAIL if strict and finding.status == WARN else finding.status
        lines.append(
            annotation(
                COMMAND[status],
                detail(finding, lang),
                file=rel_path(result.path, root),
                title=title(finding, lang),
            )
        )
    # Everything after the annotations is plain text with file names in it: between
    # stop-commands markers (a token nobody can guess), so a name holding "::error::" or
    # "##[error]" is shown, never run as a command.
    token = secrets.token_hex(16)
    lines.append(f"::stop-commands::{token}")
    lines.append(summary_text(run, lang))
    bad = [r for r in run.files if r.status != PASS]
    if bad:
        lines.append(tr(WORDS["problems"], lang))
        for result in bad:
            rules = ", ".join(f.rule_id for f in not_passed(result))
            word = tr(LEVEL_WORDS[result.status], lang)
            # Plain text lines must not start a workflow command by accident.
            lines.append(f"  [{word}] {_safe(rel_path(result.path, root))}: {rules}")
    if listed:
        lines.append(tr(WORDS["listed"], lang).format(n=len(listed)))
        for item in listed:
            lines.append(f"  {_safe(rel_path(item.path, root))}: {listed_reason(item, lang)}")
    lines.append(f"::{token}::")
    return "\n".join(lines) + "\n"


def _safe(text: str) -> str:
    # A newline in a file name would start a new log line, which GitHub could read as a
    # command ("::error ..."); keep every name on its own line.
    return text.replace("\r", "\\r").replace("\n", "\\n")


def _md(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("\r", " ")
        .replace("\n", " ")
        .replace("<", "&lt;")
    )


def step_summary(run: RunResult, ctx: ReportContext) -> str:
    """Markdown for `$GITHUB_STEP_SUMMARY`: the count, then a table of files not passed."""
    lang, root, listed = ctx.lang, ctx.root, ctx.listed
    out = [f"### {tr(WORDS['heading'], lang)}", "", summary_text(run, lang), ""]
    bad = [r for r in run.files if r.status != PASS]
    if bad:
        out += [
            f"| {tr(WORDS['file'], lang)} | {tr(WORDS['result'], lang)} | "
            f"{tr(WORDS['rules'], lang)} |",
            "|---|---|---|",
        ]
        for result in bad:
            rules = "<br>".join(
                _md(f"{title(f, lang)} ({tr(LABELS['measured'], lang)}: "
                    f"{f.measured_text.get(lang, '')})")
                for f in not_passed(result)
            )  # fmt: skip
            out.append(
                f"| `{_md(rel_path(result.path, root))}` | "
                f"{tr(LEVEL_WORDS[result.status], lang)} | {rules} |"
            )
        out.append("")
    if listed:
        out.append(tr(WORDS["listed"], lang).format(n=len(listed)))
        out.append("")
        out += [f"- `{_md(rel_path(i.path, root))}`: {_md(listed_reason(i, lang))}"
                for i in listed]  # fmt: skip
        out.append("")
    return "\n".join(out) + "\n"
