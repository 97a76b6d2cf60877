"""`mediacheck check PATH...`: every file by its content, for CI and pre-commit.

Thin like the rest of the CLI: options and config -> `worklist.build` -> `runner.execute`
-> reporters -> exit code. Formats are `--format FMT[:FILE]`, repeatable or
comma-separated (`--format table,junit:report.xml`); `FILE` `-` is standard output, and
`--output FILE` is the file of the one format given without `:FILE`.
"""

from __future__ import annotations

import importlib
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.text import Text

from mediacheck import app, atomic
from mediacheck.cache import ResultCache
from mediacheck.discover.config import Config, ConfigError, discover_config
from mediacheck.discover.git import GitError, changed_since, toplevel
from mediacheck.discover.walk import MissingPath
from mediacheck.discover.worklist import build
from mediacheck.model import PASS, RunResult
from mediacheck.profile import Profile, ProfileError, load_profile
from mediacheck.report import json as report_json
from mediacheck.report import table as report_table
from mediacheck.report.common import Listed, listed_reason
from mediacheck.runner import Outcome, execute, has_case_rules
from mediacheck.tools import ToolMissing
from mediacheck.words.catalogue import say
from mediacheck.words.lang import pick_lang, tr

USAGE_ERROR = 2
FORMATS = ("table", "json", "junit", "github", "sarif", "gitlab")


def _reporter(fmt: str) -> Any:
    # Imported when asked for: a run pays only for the formats it writes.
    return importlib.import_module(f"mediacheck.report.{fmt}")


WORDS = {
    "cached": {"zh": "（其中 {n} 个结果来自缓存）", "en": "({n} result(s) from the cache)"},
    "sharded": {"zh": "分片 {k}/{n}", "en": "shard {k}/{n}"},
    "config_error": {"zh": "配置文件有误：{error}", "en": "Config error: {error}"},
    "git_error": {"zh": "git 出错：{error}", "en": "git: {error}"},
    "checking": {"zh": "检查中", "en": "Checking"},
}


class UsageError(Exception):
    pass


@dataclass(frozen=True)
class Output:
    fmt: str
    file: Path | None  # None: standard output


def parse_formats(values: Sequence[str], output: Path | None) -> list[Output]:
    """`FMT[:FILE]` items, each value possibly comma-separated. Split at the first ':' so
    a Windows path (`junit:C:\\r.xml`) stays whole. `--output` goes to the one format
    given without ':FILE' (`FMT:-` names standard output explicitly)."""
    items: list[tuple[str, str | None]] = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            fmt, sep, file = part.partition(":")
            fmt = fmt.strip().lower()
            if fmt not in FORMATS:
                raise UsageError(f"unknown format '{fmt}' (known: {', '.join(FORMATS)})")
            if sep and not file:
                raise UsageError(f"'{part}': a file name must follow ':'")
            items.append((fmt, file if sep else None))
    if output is not None:
        bare = [i for i, (_, file) in enumerate(items) if file is None]
        if len(bare) != 1:
            raise UsageError("--output needs exactly one --format without ':FILE'")
        items[bare[0]] = (items[bare[0]][0], str(output))
    return [Output(fmt, None if file in (None, "-") else Path(file)) for fmt, file in items]


def default_formats(environ: dict[str, str] | os._Environ[str]) -> list[Output]:
    return [Output("github" if environ.get("GITHUB_ACTIONS") == "true" else "table", None)]


def parse_shard(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", value)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise UsageError(f"--shard wants K/N with 1 ≤ K ≤ N (like 2/4), not '{value}'")
    return int(m.group(1)), int(m.group(2))


# ---------------------------------------------------------------- table for `check`
def print_table(console: Console, outcome: Outcome, lang: str) -> None:
    """Full tables for files that did not pass, one line for each file that did."""
    for result in outcome.run.files:
        if result.status == PASS:
            line = Text.assemble(
                report_table.status_text(PASS, lang), "  ", report_table.shown(result.path), "  ",
                (say("verdict.pass", lang), "dim"),
            )  # fmt: skip
            console.print(line)
        else:
            report_table.print_file(console, result, lang)
    for item in outcome.listed:
        console.print(
            Text(f"- {report_table.shown(item.path)}: {listed_reason(item, lang)}", style="dim")
        )
    summary = report_table.summary_line(outcome.run, lang)
    if outcome.cached:
        summary.append(" " + tr(WORDS["cached"], lang).format(n=outcome.cached), style="dim")
    console.print(summary)


def render(out: Output, outcome: Outcome, lang: str, root: Path, strict: bool,
           profile: Profile, width: int | None = None) -> str:  # fmt: skip
    run = outcome.run
    if out.fmt == "table":
        buf = io.StringIO()
        print_table(Console(file=buf, width=width or 120, no_color=True, highlight=False),
                    outcome, lang)  # fmt: skip
        return buf.getvalue()
    if out.fmt == "json":
        data = report_json.run_dict(run, lang)
        # Files seen but not checked; an added field, as schema version 1 allows.
        data["listed"] = [
            {"path": str(i.path), "kind": i.kind, "reason": i.reason,
             "text": listed_reason(i, lang)} for i in outcome.listed
        ]  # fmt: skip
        # Indented for people on a terminal; compact in a file (machines read it, and
        # Python's indenting encoder is several times slower on a big run).
        indent = 2 if out.file is None else None
        return json.dumps(data, ensure_ascii=False, indent=indent) + "\n"
    return _reporter(out.fmt).render(run, lang, root=root, listed=outcome.listed, strict=strict,
                                 profile=profile)  # fmt: skip


def write_step_summary(run: RunResult, listed: Sequence[Listed], lang: str, root: Path,
                       strict: bool) -> None:  # fmt: skip
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    path = Path(target)
    try:
        before = path.read_text(encoding="utf-8") if path.exists() else ""
    except OSError:
        before = ""
    text = _reporter("github").step_summary(run, lang, root=root, listed=listed, strict=strict)
    # Append (the file is shared by the step's commands) but still replace atomically.
    atomic.write_text(path, before + text)


@contextmanager
def progress_bar(lang: str, enabled: bool) -> Iterator[tuple[Callable[[int], None],
                                                             Callable[[int], None]]]:  # fmt: skip
    """(on_start, on_done) callbacks; a rich bar on a terminal, nothing in CI or pipes."""
    if not enabled:
        yield (lambda total: None), (lambda n: None)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    progress = Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), console=Console(stderr=True), transient=True,
    )  # fmt: skip
    task = progress.add_task(tr(WORDS["checking"], lang), total=None)

    def on_start(total: int) -> None:
        progress.update(task, total=total)
        if total:
            progress.start()

    def on_done(n: int) -> None:
        progress.advance(task, n)

    try:
        yield on_start, on_done
    finally:
        progress.stop()


def show_progress() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


# ---------------------------------------------------------------- the command
@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Config file (default: the nearest .mediacheck.yaml from here upward).",
)
@click.option(
    "--profile",
    "profile_ref",
    metavar="NAME|PATH",
    help="Rules to check against (default: the config's, else shanghai-2024).",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of the report.")
@click.option(
    "--format",
    "formats",
    multiple=True,
    metavar="FMT[:FILE]",
    help=f"Report format(s): {', '.join(FORMATS)}. Repeat or comma-separate; "
    "':FILE' writes that format to FILE ('-': standard output). Default: table, "
    "or github when GITHUB_ACTIONS=true.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File for the one format given without ':FILE'.",
)
@click.option("--strict/--no-strict", default=None, help="Warnings fail the run too (exit 1).")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    metavar="N",
    help="Worker processes (default: the config's, else the number of cores).",
)
@click.option(
    "--changed-since",
    metavar="REF",
    help="Only files git reports added/modified/renamed since REF (plus untracked).",
)
@click.option("--shard", metavar="K/N", help="Check only the K-th of N slices of the work.")
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Result cache folder (default: $XDG_CACHE_HOME/mediacheck or ~/.cache/mediacheck).",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
def check_command(paths: tuple[Path, ...], config_file: Path | None, profile_ref: str | None,
                  lang: str | None, formats: tuple[str, ...], output: Path | None,
                  strict: bool | None, jobs: int | None, changed_since: str | None,
                  shard: str | None, cache_dir: Path | None, no_cache: bool) -> None:  # fmt: skip
    """Check files and folders for CI: each file by its content (video, photo, text),
    configured case folders as cases. Files of no known kind are listed, not failed.

    Exit status: 0 nothing failed, 1 a file failed (or warned, with --strict),
    2 usage, config, profile, git or missing-tool problems."""
    err = Console(stderr=True, highlight=False)
    lang_guess = pick_lang(lang)

    def usage(text: str) -> None:
        err.print(text, style="bold red", markup=False, highlight=False)
        sys.exit(USAGE_ERROR)

    try:
        config = discover_config(config_file)
    except ConfigError as exc:
        usage(tr(WORDS["config_error"], lang_guess).format(error=exc))
        raise  # unreachable
    lang = pick_lang(lang or config.lang)
    try:
        outs = parse_formats(formats or config.formats, output)
        sharding = parse_shard(shard)
    except UsageError as exc:
        usage(str(exc))
        raise
    if not outs:
        outs = default_formats(os.environ)
    try:
        profile = load_profile(profile_ref or config.profile_ref())
    except ProfileError as exc:
        usage(say("profile_error", lang, error=exc))
        raise
    strict = config.strict if strict is None else strict
    workers = jobs or config.jobs or os.cpu_count() or 1
    root = toplevel() or config.root

    code = run_and_report(paths or (Path("."),), config, profile, lang, outs, strict, workers,
                          changed_since, sharding, cache_dir, no_cache, root, usage)  # fmt: skip
    sys.exit(code)


def run_and_report(paths: Sequence[Path], config: Config, profile: Profile, lang: str,
                   outs: list[Output], strict: bool, workers: int, since: str | None,
                   sharding: tuple[int, int] | None, cache_dir: Path | None, no_cache: bool,
                   root: Path, usage: Callable[[str], None]) -> int:  # fmt: skip
    try:
        changes = changed_since(since) if since is not None else None
        work = build(paths, config, checkable=lambda kind: kind in app.PROBERS,
                     case_rules=has_case_rules(), changes=changes)  # fmt: skip
    except GitError as exc:
        usage(tr(WORDS["git_error"], lang).format(error=exc))
        raise
    except MissingPath as exc:
        usage(say("missing_path", lang, path=exc.path))
        raise
    if sharding is not None:
        work = work.shard(*sharding)
    cache = None if no_cache else ResultCache.open(cache_dir, profile, root)
    try:
        with progress_bar(lang, show_progress()) as (on_start, on_done):
            outcome = execute(work, profile, jobs=workers, cache=cache, on_start=on_start,
                              on_done=on_done)  # fmt: skip
    except ToolMissing as exc:
        usage(say("tool_missing", lang, tool=exc.tool))
        raise
    if not any(o.file is None for o in outs):
        # Every report went to a file; the log still says what happened: the summary
        # line (or, in GitHub Actions, the annotations and summary).
        github = os.environ.get("GITHUB_ACTIONS") == "true"
        outs = [*outs, Output("github" if github else "summary", None)]
    console = Console(highlight=False)
    for out in outs:
        if out.fmt == "summary":
            console.print(report_table.summary_line(outcome.run, lang))
        elif out.file is None and out.fmt == "table":
            print_table(console, outcome, lang)
        elif out.file is None:
            click.echo(render(out, outcome, lang, root, strict, profile), nl=False)
        else:
            try:
                out.file.parent.mkdir(parents=True, exist_ok=True)
                atomic.write_text(out.file, render(out, outcome, lang, root, strict, profile))
            except OSError as exc:
                usage(f"{out.file}: {exc.strerror or exc}")
    if any(o.fmt == "github" for o in outs):
        write_step_summary(outcome.run, outcome.listed, lang, root, strict)
    return outcome.run.exit_code(strict)
