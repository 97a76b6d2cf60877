"""The command line: parse options, call the app, pick a reporter, exit. Nothing else."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mediacheck import __version__
from mediacheck.app import check_cases, check_files, check_photos
from mediacheck.discover.walk import MissingPath
from mediacheck.model import FileResult
from mediacheck.profile import Profile, ProfileError, load_profile
from mediacheck.tools import ToolMissing
from mediacheck.words.catalogue import say
from mediacheck.words.lang import pick_lang, tr

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import TaskID

USAGE_ERROR = 2

# Commands with heavy imports of their own, loaded only when run: start-up time is
# part of every check (a CI run over one file, a pre-commit hook).
LAZY_COMMANDS = {
    "check": ("mediacheck.cli.check", "check_command"),
    "fix": ("mediacheck.cli.fix", "fix"),
}


class LazyGroup(click.Group):
    """A click group whose LAZY_COMMANDS are imported on first use (click's documented
    lazy-loading pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module, attr = LAZY_COMMANDS[cmd_name]
            return getattr(import_module(module), attr)
        return super().get_command(ctx, cmd_name)


def common_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--profile", "profile_ref", metavar="NAME|PATH",
                     help="Rules to check against: a shipped profile name or a YAML file "
                     "(default: shanghai-2024)."),
        click.option("--lang", type=click.Choice(["zh", "en"]),
                     help="Language of the report (default: $MEDIACHECK_LANG, then the locale)."),
        click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
                     show_default=True, help="Report format."),
        click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1)."),
    ]  # fmt: skip
    for option in reversed(options):
        func = option(func)
    return func


def new_console(**kwargs: Any) -> Console:
    """A rich Console, with rich imported only now: `--format json` never draws, and
    importing rich (and the table reporter) is ~30 ms of every run's start-up."""
    from rich.console import Console

    return Console(**kwargs)


def fail_usage(console: Console | None, text: str) -> None:
    if console is None:
        console = new_console(stderr=True, highlight=False)
    console.print(text, style="bold red", markup=False, highlight=False)
    sys.exit(USAGE_ERROR)


def load(console: Console | None, ref: str | None, lang: str) -> Profile:
    try:
        return load_profile(ref)
    except ProfileError as exc:
        fail_usage(console, say("profile_error", lang, error=exc))
        raise  # unreachable; for type checkers


def run_check(kind: str, paths: tuple[Path, ...], profile_ref: str | None, lang: str | None,
              fmt: str, strict: bool, deep: bool = False,
              show_details: bool = False, jobs: int | None = None) -> None:  # fmt: skip
    lang = pick_lang(lang)
    # Consoles only where something is drawn: tables, progress bars, photo counts.
    out = new_console(highlight=False) if fmt == "table" else None
    drawn = fmt == "table" or deep or kind in ("photo", "case")
    err = new_console(stderr=True, highlight=False) if drawn else None
    profile = load(err, profile_ref, lang)

    def show(result: FileResult) -> None:
        if out is not None:
            from mediacheck.report import table as report_table

            report_table.print_file(out, result, lang, show_details)

    try:
        if kind == "video":
            with decode_progress(err, deep) as on_progress:
                run = check_files(paths, profile, kind, on_result=show, deep=deep,
                                  on_progress=on_progress)  # fmt: skip
        elif kind == "text":
            run = check_files(paths, profile, kind, on_result=show)
        else:
            check_set = check_photos if kind == "photo" else check_cases
            with count_progress(err) as tick:
                run = check_set(paths, profile, on_result=show, jobs=jobs, tick=tick)
    except MissingPath as exc:
        fail_usage(err, say("missing_path", lang, path=exc.path))
    except ToolMissing as exc:
        fail_usage(err, say("tool_missing", lang, tool=exc.tool))
    if out is None:
        from mediacheck.report import json as report_json

        click.echo(report_json.dumps(run, lang))
    else:
        from mediacheck.report import table as report_table

        report_table.print_summary(out, run, lang)
    sys.exit(run.exit_code(strict))


def _quiet(console: Console) -> bool:
    return not console.is_terminal or bool(os.environ.get("CI"))


@contextmanager
def count_progress(console: Console | None) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar while photos are hashed, on a terminal only."""
    if console is None or _quiet(console):
        yield None
        return
    from rich.progress import Progress

    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("…", total=None)
        yield lambda done, total: progress.update(task, completed=done, total=total)


@contextmanager
def decode_progress(
    console: Console | None, deep: bool
) -> Iterator[Callable[[Path, float], None] | None]:
    """A progress bar for --deep decodes, on a terminal only (never in CI logs)."""
    if not deep or console is None or _quiet(console):
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from mediacheck.probe.video import duration_hint

    tasks: dict[Path, TaskID] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeRemainingColumn(),
                  console=console, transient=True) as progress:  # fmt: skip

        def update(path: Path, seconds: float) -> None:
            if path not in tasks:
                tasks[path] = progress.add_task(path.name, total=duration_hint(path) or None)
            progress.update(tasks[path], completed=seconds)

        yield update


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mediacheck")
def cli() -> None:
    """Check lesson videos, case photos and texts against the upload rules of the
    Shanghai 2024 elderly digital education programme (老年数字教育进社区行动).

    Exit status: 0 nothing failed, 1 a file failed (or warned, with --strict),
    2 usage, profile or missing-tool problems."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@common_options
@click.option(
    "--deep",
    is_flag=True,
    help="Also decode every frame with ffmpeg and report decode errors (slow: "
    "about 20x real time).",
)
@click.option(
    "--details",
    "show_details",
    is_flag=True,
    help="Draw the measured per-second bitrates against their bands.",
)
def video(paths: tuple[Path, ...], profile_ref: str | None, lang: str | None, fmt: str,
          strict: bool, deep: bool, show_details: bool) -> None:  # fmt: skip
    """Check lesson videos (files, or folders searched for videos)."""
    run_check("video", paths, profile_ref, lang, fmt, strict, deep, show_details)


JOBS = click.option("--jobs", "-j", type=click.IntRange(min=1), metavar="N",
                    help="Worker processes for hashing photos (default: all cores).")  # fmt: skip


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@common_options
@JOBS
def photos(paths: tuple[Path, ...], profile_ref: str | None, lang: str | None, fmt: str,
           strict: bool, jobs: int | None) -> None:  # fmt: skip
    """Check case photos (files, or folders searched for photos): format, size, and no
    repeats and at least 5 distinct among them all."""
    run_check("photo", paths, profile_ref, lang, fmt, strict, jobs=jobs)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@common_options
def text(paths: tuple[Path, ...], profile_ref: str | None, lang: str | None, fmt: str,
         strict: bool) -> None:  # fmt: skip
    """Check case texts and work summaries (.docx, .txt, .md): 字数 at most 2000."""
    run_check("text", paths, profile_ref, lang, fmt, strict)


@cli.command()
@click.argument("folders", nargs=-1, required=True,
                type=click.Path(path_type=Path, file_okay=False))  # fmt: skip
@common_options
@JOBS
def case(folders: tuple[Path, ...], profile_ref: str | None, lang: str | None, fmt: str,
         strict: bool, jobs: int | None) -> None:  # fmt: skip
    """Check case folders: the text, each photo, and the case as a whole."""
    run_check("case", folders, profile_ref, lang, fmt, strict, jobs=jobs)


@cli.command()
@click.option("--profile", "profile_ref", metavar="NAME|PATH")
@click.option("--lang", type=click.Choice(["zh", "en"]))
def rules(profile_ref: str | None, lang: str | None) -> None:
    """List the rules of a profile, with the spec clause each one enforces."""
    lang = pick_lang(lang)
    out = new_console(highlight=False)
    profile = load(new_console(stderr=True), profile_ref, lang)
    out.print(f"{tr(profile.title, lang)}  ({profile.name})", style="bold")
    for rule in profile.rules:
        out.print(f"[bold]{rule.id}[/] [dim]{rule.spec} · {rule.applies_to} · "
                  f"{rule.severity}[/]  {tr(rule.title, lang)}")  # fmt: skip


@cli.command()
@click.option(
    "--keep",
    type=click.Path(path_type=Path, file_okay=False),
    help="Write the sample lessons to this folder instead of a temporary one.",
)
@click.option("--lang", type=click.Choice(["zh", "en"]))
def demo(keep: Path | None, lang: str | None) -> None:
    """Make a compliant and a failing short lesson, and check both."""
    from mediacheck.demo import run_demo

    lang = pick_lang(lang)
    try:
        sys.exit(run_demo(keep, lang))
    except ToolMissing as exc:
        fail_usage(new_console(stderr=True), say("tool_missing", lang, tool=exc.tool))


def main() -> None:
    cli(prog_name="mediacheck")
