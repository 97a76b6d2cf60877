"""The one run every checking command makes: options -> config -> profile -> work list ->
results -> reports -> exit code. `check` and the kind commands (`video`, `photos`, `text`,
`case`) differ only in the options record they fill.

Formats are `--format FMT[:FILE]`, repeatable or comma-separated (`--format
table,junit:report.xml`); `FILE` `-` is standard output, and `--output FILE` is the file
of the one format given without `:FILE`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

import click

from mediacheck import replay
from mediacheck.discover.config import Config, discover_config
from mediacheck.discover.git import changed_since, toplevel
from mediacheck.discover.worklist import CaseJob, FileJob, WorkList, build
from mediacheck.errors import UsageError
from mediacheck.model import ProbeOptions, RunResult
from mediacheck.probe import KINDS
from mediacheck.profile import Profile, load_profile
from mediacheck.report import REPORTERS, ReportContext, reporter
from mediacheck.report.common import Listed
from mediacheck.runner import Outcome, execute
from mediacheck.words.catalogue import say
from mediacheck.words.lang import pick_lang


@dataclass(frozen=True)
class RunOptions:
    """What a checking command was asked; the CLI fills it, `run` reads only it."""

    paths: tuple[Path, ...]
    only: str | None = None  # a kind command's kind ("video", "photo", "text", "case")
    config_file: Path | None = None
    profile_ref: str | None = None
    lang: str | None = None
    formats: tuple[str, ...] = ()
    output: Path | None = None
    strict: bool | None = None
    jobs: int | None = None
    changed_since: str | None = None
    shard: str | None = None
    cache_dir: Path | None = None
    use_cache: bool = True  # the result cache (`check`)
    profile_cache: bool = True  # the validated profile, kept in the same folder
    deep: bool = False
    details: bool = False


class Output(NamedTuple):
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
            if fmt not in REPORTERS:
                raise UsageError("usage.format", fmt=fmt, known=", ".join(REPORTERS))
            if sep and not file:
                raise UsageError("usage.format_file", part=part)
            items.append((fmt, file if sep else None))
    if output is not None:
        bare = [i for i, (_, file) in enumerate(items) if file is None]
        if len(bare) != 1:
            raise UsageError("usage.output")
        items[bare[0]] = (items[bare[0]][0], str(output))
    outs = [Output(fmt, None if file in (None, "-") else Path(file)) for fmt, file in items]
    on_stdout = [o.fmt for o in outs if o.file is None]
    if len(on_stdout) > 1:  # two documents in one stream parse as neither
        raise UsageError("usage.one_stdout", formats=", ".join(on_stdout))
    return outs


def default_formats(
    environ: dict[str, str] | os._Environ[str], command: str | None
) -> list[Output]:
    in_actions = environ.get("GITHUB_ACTIONS") == "true" and command is None
    return [Output("github" if in_actions else "table", None)]


def parse_shard(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", value)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise UsageError("usage.shard", value=value)
    return int(m.group(1)), int(m.group(2))


def remember_lang(lang: str) -> None:
    """The one error handler (cli/group.py) words exit-2 problems in this language."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None:
        ctx.find_root().meta["mediacheck.lang"] = lang


@dataclass(frozen=True)
class Setup:
    """What every checking command decides before it reads a file."""

    config: Config
    lang: str
    outs: list[Output]
    profile: Profile
    strict: bool
    workers: int
    root: Path


def setup(opts: RunOptions) -> Setup:
    remember_lang(pick_lang(opts.lang))
    config = discover_config(opts.config_file)
    lang = pick_lang(opts.lang or config.lang)
    remember_lang(lang)
    outs = parse_formats(opts.formats or config.formats, opts.output)
    stash = _profile_cache(opts)
    return Setup(
        config=config,
        lang=lang,
        outs=outs or default_formats(os.environ, opts.only),
        profile=load_profile(opts.profile_ref or config.profile_ref(), cache_dir=stash),
        strict=config.strict if opts.strict is None else opts.strict,
        workers=opts.jobs or config.jobs or os.cpu_count() or 1,
        root=toplevel() or config.root,
    )


def _profile_cache(opts: RunOptions) -> Path | None:
    if not opts.profile_cache:
        return None
    from mediacheck.caching import default_dir

    return opts.cache_dir or default_dir()


def run(opts: RunOptions) -> int:
    s = setup(opts)
    sharding = parse_shard(opts.shard)
    changes = changed_since(opts.changed_since) if opts.changed_since is not None else None
    paths = opts.paths or (Path("."),)
    work = build(paths, s.config, checkable=lambda kind: kind in KINDS,
                 case_rules=opts.only is None, changes=changes, only=opts.only)  # fmt: skip
    if opts.only == "photo":
        work = _as_one_set(work, paths)
    _refuse_reports_over_inputs(s.outs, work)
    if sharding is not None:
        work = work.shard(*sharding)
    cache = None
    if opts.use_cache:
        from mediacheck.cache import ResultCache  # hashing and JSON: only for cached runs

        cache = ResultCache.open(opts.cache_dir, s.profile, s.root)
    with progress_bar(s.lang, show_progress()) as (on_start, on_done, on_decode):
        outcome = execute(work, s.profile, jobs=s.workers, cache=cache, on_start=on_start,
                          on_done=on_done, options=ProbeOptions(deep=opts.deep),
                          progress=on_decode if opts.deep else None,
                          keep_order=opts.only is not None)  # fmt: skip
    report(outcome, s.outs, context(s, opts, outcome.listed, outcome.cached, sharding))
    code = outcome.run.exit_code(s.strict)
    if opts.use_cache and outcome.cached == len(work.jobs):  # nothing probed: may be replayed
        replay.finish(code, opts.cache_dir, work.jobs, {o.fmt for o in s.outs})
    return code


def context(s: Setup, opts: RunOptions, listed: tuple[Listed, ...] = (), cached: int = 0,
            sharding: tuple[int, int] | None = None) -> ReportContext:  # fmt: skip
    return ReportContext(lang=s.lang, root=s.root, profile=s.profile, strict=s.strict,
                         listed=listed, cached=cached, every_file=opts.only is not None,
                         details=opts.details, shard=sharding)  # fmt: skip


def _as_one_set(work: WorkList, paths: Sequence[Path]) -> WorkList:
    """`mediacheck photos`: the photos found are also one set (P-COUNT, P-UNIQUE), named
    by the folder given, or by the folder they share."""
    photos = [j.path for j in work.jobs if isinstance(j, FileJob)]
    if not photos:
        return work
    if len(paths) == 1 and paths[0].is_dir():
        label = paths[0]
    else:
        label = Path(os.path.commonpath([p.absolute() for p in paths]))
    return replace(work, jobs=[CaseJob(label, tuple(photos), texts=False)])


def _refuse_reports_over_inputs(outs: Sequence[Output], work: WorkList) -> None:
    """A report file must never replace a file being checked (`-o good.mp4`)."""
    inputs = {os.path.realpath(j.path) for j in work.jobs if isinstance(j, FileJob)}
    for job in work.jobs:
        if isinstance(job, CaseJob) and job.members:
            inputs |= {os.path.realpath(m) for m in job.members}
    for out in outs:
        if out.file is not None and os.path.realpath(out.file) in inputs:
            raise UsageError("usage.output_is_input", file=out.file)


def report(outcome: Outcome, outs: list[Output], ctx: ReportContext) -> None:
    report_run(outcome.run, outs, ctx)


def report_run(run_result: RunResult, outs: list[Output], ctx: ReportContext) -> None:
    if not any(o.file is None for o in outs):
        # Every report went to a file; the log still says what happened: the summary
        # line (or, in GitHub Actions, the annotations and summary).
        github = os.environ.get("GITHUB_ACTIONS") == "true"
        outs = [*outs, Output("github" if github else "summary", None)]
    console: Any = None

    def terminal() -> Any:  # rich only when something is drawn (JSON alone never is)
        nonlocal console
        if console is None:
            from mediacheck.cli.options import console as new_console

            console = new_console(highlight=False)
        return console

    for out in outs:
        if out.fmt == "summary" and not draws_colour():
            from mediacheck.report.common import summary_text

            click.echo(summary_text(run_result, ctx.lang))
        elif out.fmt == "summary":
            from mediacheck.report.table import summary_line

            terminal().print(summary_line(run_result, ctx.lang))
        elif out.file is None and out.fmt == "table":
            reporter("table").show(terminal(), run_result, ctx)
        elif out.file is None:
            module = reporter(out.fmt)
            # a pipe or a redirect is read by a program, like a file (compact JSON)
            data = module.render(run_result, ctx if _on_terminal() else replace(ctx, to_file=True))
            if getattr(module, "BINARY", False):
                sys.stdout.buffer.write(data)
                sys.stdout.buffer.flush()
            else:
                click.echo(data, nl=False)
        else:
            module = reporter(out.fmt)
            data = module.render(run_result, replace(ctx, to_file=True))
            from mediacheck import atomic  # tempfile and the rest: only to write a file

            try:
                out.file.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(data, bytes):
                    atomic.write_bytes(out.file, data)
                else:
                    atomic.write_text(out.file, data)
            except OSError as exc:
                raise UsageError("usage.write", file=out.file, detail=exc.strerror or exc) from exc
    if any(o.fmt == "github" for o in outs):
        write_step_summary(run_result, ctx)


def _on_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # replaced or closed
        return False


def draws_colour() -> bool:
    """Would rich colour standard output? Only on a terminal, or when TTY_COMPATIBLE or
    FORCE_COLOR ask (rich's own rules). Otherwise a line of text needs no rich, which
    takes longer to import than the rest of a cached run."""
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    if "FORCE_COLOR" in os.environ:
        return os.environ["FORCE_COLOR"] != ""
    try:
        return sys.stdout.isatty()
    except ValueError:  # closed
        return False


def write_step_summary(run_result: RunResult, ctx: ReportContext) -> None:
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    path = Path(target)
    try:
        before = path.read_text(encoding="utf-8") if path.exists() else ""
    except OSError:
        before = ""
    text = reporter("github").step_summary(run_result, ctx)
    from mediacheck import atomic

    # Append (the file is shared by the step's commands) but still replace atomically.
    atomic.write_text(path, before + text)


def show_progress() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


Callbacks = tuple[Callable[[int], None], Callable[[int], None], Callable[[Path, float], None]]


@contextmanager
def progress_bar(lang: str, enabled: bool) -> Iterator[Callbacks]:
    """(on_start, on_done, on_decode) callbacks; a rich bar on a terminal, nothing in CI
    or pipes. on_decode(path, seconds) follows a --deep decode inside one file."""
    if not enabled:
        yield (lambda total: None), (lambda n: None), (lambda path, seconds: None)
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    progress = Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), console=Console(stderr=True), transient=True,
    )  # fmt: skip
    task = progress.add_task(say("checking", lang), total=None)
    decoding: dict[Path, object] = {}

    def on_start(total: int) -> None:
        progress.update(task, total=total)
        if total:
            progress.start()

    def on_done(n: int) -> None:
        progress.advance(task, n)

    def on_decode(path: Path, seconds: float) -> None:
        if path not in decoding:
            from mediacheck.probe.video import duration_hint

            decoding[path] = progress.add_task(path.name, total=duration_hint(path) or None)
        progress.update(decoding[path], completed=seconds)  # type: ignore[arg-type]

    try:
        yield on_start, on_done, on_decode
    finally:
        progress.stop()
