"""The terminal report: a rich table per file and a one-line summary. Never probes or decides."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mediacheck.model import FAIL, INFO, PASS, WARN, FileResult, RunResult
from mediacheck.report import ReportContext
from mediacheck.report.common import listed_reason, summary_text
from mediacheck.words.catalogue import say, source_text
from mediacheck.words.lang import tr, visible

STYLE = {PASS: "green", INFO: "cyan", WARN: "yellow", FAIL: "bold red"}
MARK = {PASS: "✓", INFO: "i", WARN: "!", FAIL: "✗"}


def status_text(status: str, lang: str) -> Text:
    return Text(f"{MARK[status]} {say('status.' + status, lang)}", style=STYLE[status])


def shown(path: object) -> str:
    """One name, one line: a newline in a file name must not start a line of its own
    (in a CI log such a line could read as a command, like GitHub's "::error"), an ESC
    must not drive the terminal, and a name that is not UTF-8 is shown by its bytes."""
    return visible(path)


def file_table(result: FileResult, lang: str) -> Table:
    """One row per rule: what was required and what was measured."""
    verdict = say("verdict." + (result.status if result.status != INFO else PASS), lang)
    title = Text.assemble((shown(result.path), "bold"), "  ", (verdict, STYLE[result.status]))
    table = Table(title=title, title_justify="left")
    table.add_column(say("col.status", lang), no_wrap=True)
    table.add_column(say("col.rule", lang), no_wrap=True, style="dim")
    table.add_column(say("col.check", lang))
    table.add_column(say("col.measured", lang))
    table.add_column(say("col.expected", lang))
    for f in result.findings:
        measured = Text(f.measured_text[lang])
        if f.measured is not None and f.measured.source:
            measured.append(f" ({source_text(f.measured.source, lang)})", style="dim")
        table.add_row(
            status_text(f.status, lang),
            f.rule_id,
            tr(f.title, lang),
            measured,
            f.expected_text[lang],
        )
    return table


def advice(result: FileResult, lang: str) -> Text:
    """Below the table, for each problem: what it means and what to do. Kept out of the
    table so it stays readable in an 80-column terminal and in CI logs."""
    out = Text()
    for f in result.findings:
        if not f.message:
            continue
        out.append(f"{MARK[f.status]} {f.rule_id}", style=STYLE[f.status])
        out.append(f" [{f.spec}] " if f.spec != f.rule_id else " ", style="dim")
        out.append(tr(f.message, lang) + "\n")
        if f.hint:
            out.append("  → " + tr(f.hint, lang) + "\n", style="italic")
    return out


BARS = "▁▂▃▄▅▆▇█"
SPARK_WIDTH = 60


def sparkline(series: list[float], expected: float, band: float, width: int = SPARK_WIDTH) -> Text:
    """Per-second values as bars; a bar outside expected ±band is red. Long series are
    shown by their minimum per column, so a dip is never averaged away."""
    if not series:
        return Text("—")
    step = max(1, -(-len(series) // width))
    cols = [min(series[i : i + step]) for i in range(0, len(series), step)]
    top = max(max(cols), expected * (1 + band)) or 1.0
    lo, hi = expected * (1 - band), expected * (1 + band)
    out = Text()
    for v in cols:
        bar = BARS[min(len(BARS) - 1, int(v / top * (len(BARS) - 1) + 0.5))]
        out.append(bar, style="green" if lo <= v <= hi else "bold red")
    return out


def details(result: FileResult, lang: str) -> Text:
    """Pictures of the measured per-second series (bitrate), with the band they must keep."""
    out = Text()
    for f in result.findings:
        if f.check != "steady" or f.measured is None or not isinstance(f.measured.value, list):
            continue
        series = f.measured.value
        band = f.pass_band or 0.0
        out.append(f"{f.rule_id} ", style="bold")
        out.append(f"{tr(f.title, lang)}  ({f.expected_text[lang]})\n", style="dim")
        out.append("  ")
        out.append_text(sparkline(series, float(f.expected), band))
        step = max(1, -(-len(series) // SPARK_WIDTH))
        out.append(f"  {say('details.scale', lang, seconds=len(series), step=step)}\n", style="dim")
    return out


def summary_line(run: RunResult, lang: str) -> Text:
    failed, warned = run.count(FAIL), run.count(WARN)
    style = "yellow" if not run.files else STYLE[FAIL if failed else WARN if warned else PASS]
    return Text(summary_text(run, lang), style=style)


def print_file(console: Console, result: FileResult, lang: str, show_details: bool = False) -> None:
    console.print(file_table(result, lang))
    if show_details:
        pictures = details(result, lang)
        if pictures:
            console.print(pictures)
    notes = advice(result, lang)
    if notes:
        console.print(notes)
    else:
        console.print()


def show(console: Console, run: RunResult, ctx: ReportContext) -> None:
    """The report on a console: a full table for each file (or, with `every_file` off,
    only for those that need something done: a file that passed is one line, and one
    whose only remarks are notes is that line and its notes), then the summary."""
    lang = ctx.lang
    for result in run.files:
        if result.status in (PASS, INFO) and not ctx.every_file:
            console.print(Text.assemble(status_text(result.status, lang), "  ",
                                        shown(result.path), "  ",
                                        (say("verdict.pass", lang), "dim")))  # fmt: skip
            notes = advice(result, lang) if result.status == INFO else None
            if notes:
                console.print(notes)
        else:
            print_file(console, result, lang, ctx.details)
    for item in ctx.listed:
        console.print(Text(f"- {shown(item.path)}: {listed_reason(item, lang)}", style="dim"))
    summary = summary_line(run, lang)
    if ctx.cached:
        summary.append(" " + say("cached", lang, n=ctx.cached), style="dim")
    console.print(summary)


def render(run: RunResult, ctx: ReportContext) -> str:
    """The same as plain text (for a file, or a pipe)."""
    buf = io.StringIO()
    show(Console(file=buf, width=120, no_color=True, highlight=False), run, ctx)
    return buf.getvalue()
