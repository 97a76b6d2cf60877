"""`mediacheck fix`: the click command. Thin, like cli.py: parse, call, print, exit.

Kept in its own module so cli.py only registers it; the heavy imports (ffmpeg-python,
Pillow) wait until the command runs.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

from mediacheck.cli.options import LANG, PROFILE, command, option

if TYPE_CHECKING:
    from collections.abc import Callable

    from mediacheck.profile import Profile

X264_PRESETS = (
    "ultrafast",
    "superfast",
    "veryfast",
    "faster",
    "fast",
    "medium",
    "slow",
    "slower",
    "veryslow",
)
DEFAULT_PRESET = "veryfast"  # "fast" ran about real time on 2 cores: an hour-long wait


def in_ci(environ: dict[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return env.get("CI", "").strip().lower() in ("1", "true", "yes")


def default_timeout(duration: float | None) -> float | None:
    """Generous: a slow laptop encodes 1080p at a few times slower than real time."""
    return None if not duration else 120.0 + 20.0 * duration


@command("fix", help="help.fix")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(path_type=Path, readable=False))  # fmt: skip
@option("-o", "--output", type=click.Path(path_type=Path), help="help.fix_output")
@option("--force", is_flag=True, help="help.fix_force")
@option("--dry-run", is_flag=True, help="help.fix_dry_run")
@option("--preset", type=click.Choice(X264_PRESETS), default=DEFAULT_PRESET, show_default=True,
        help="help.fix_preset")  # fmt: skip
@option("--timeout", type=float, metavar="SECONDS", help="help.fix_timeout")
@PROFILE
@LANG
def fix(
    paths: tuple[Path, ...],
    output: Path | None,
    force: bool,
    dry_run: bool,
    preset: str,
    timeout: float | None,
    profile_ref: str | None,
    lang: str | None,
) -> None:
    sys.exit(run_fix(paths, output, force, dry_run, preset, timeout, profile_ref, lang))


def run_fix(
    paths: tuple[Path, ...],
    output: Path | None,
    force: bool,
    dry_run: bool,
    preset: str,
    timeout: float | None,
    profile_ref: str | None,
    lang: str | None,
) -> int:
    """Fix each path in turn; one that cannot be fixed is said and the next one goes on.
    The exit status is the worst of them; a signal stops the run at once with 128 + its
    number, after ffmpeg is stopped and the unfinished file removed."""
    from mediacheck.fix.files import USAGE, Interrupted, stop_on_signals
    from mediacheck.profile import ProfileError, load_profile
    from mediacheck.words.catalogue import say as say_ui
    from mediacheck.words.fix import say
    from mediacheck.words.lang import pick_lang

    lang = pick_lang(lang)
    # emoji=False: "0:V:0" in a command or ":x:" in a file name is text, not an emoji code
    out = Console(highlight=False, emoji=False)
    err = Console(stderr=True, highlight=False, emoji=False)

    def fail(message: str, code: int) -> int:
        err.print(message, style="bold red", markup=False, highlight=False)
        return code

    try:
        profile = load_profile(profile_ref)
    except ProfileError as exc:
        return fail(say_ui("profile_error", lang, error=exc.text(lang)), USAGE)
    if output is not None and len(paths) > 1 and not output.is_dir():
        return fail(say("err.output_many", lang, count=len(paths)), USAGE)
    worst = 0
    with stop_on_signals():
        try:
            for path in paths:
                worst = max(worst, _one(path, output, profile, force, dry_run, preset,
                                        timeout, lang, out, fail))  # fmt: skip
        except Interrupted as stop:
            return fail(stop.text(lang), stop.exit_code)
        except KeyboardInterrupt:  # where no handler could be set (not the main thread)
            return fail(say("err.interrupted", lang), 130)
    return worst


def _one(
    path: Path,
    output: Path | None,
    profile: Profile,
    force: bool,
    dry_run: bool,
    preset: str,
    timeout: float | None,
    lang: str,
    out: Console,
    fail: Callable[[str, int], int],
) -> int:
    """Fix one file; its exit status (a problem of this file is said, never raised)."""
    from mediacheck.discover import sniff
    from mediacheck.fix.files import USAGE, FixError, check_source
    from mediacheck.tools import ToolMissing, ToolTimeout
    from mediacheck.words.catalogue import say as say_ui

    try:
        check_source(path)
        kind = sniff.kind_of(path)
        if kind == "photo":
            return _photo(path, output, profile, force, dry_run, lang, out)
        if kind != "video":
            what = _content_name(sniff.family(sniff.sniff(path)))
            raise FixError("not_media", USAGE, path=path, what=what)
        return _video(path, output, profile, force, dry_run, preset, timeout, lang, out)
    except FixError as exc:
        return fail(exc.text(lang), exc.exit_code)
    except ToolMissing as exc:
        return fail(say_ui("tool_missing", lang, tool=exc.tool), USAGE)
    except ToolTimeout as exc:  # ffmpeg asked for its version or encoders, and hung
        return fail(FixError("timeout", seconds=exc.seconds).text(lang), 1)
    except OSError as exc:  # the file changed under us (removed, permissions)
        error = FixError("write", path=path, detail=exc.strerror or str(exc))
        return fail(error.text(lang), error.exit_code)
    except Exception as exc:  # a bug of ours: said, and the next file is still fixed
        detail = f"{type(exc).__name__}: {exc}"
        return fail(FixError("crashed", path=path, detail=detail).text(lang), 1)


def _content_name(family: str) -> dict[str, str]:
    from mediacheck.words.catalogue import CONTENT_NAMES

    return CONTENT_NAMES.get(family, CONTENT_NAMES["unknown"])


def _photo(
    path: Path,
    output: Path | None,
    profile: Profile,
    force: bool,
    dry_run: bool,
    lang: str,
    out: Console,
) -> int:
    from mediacheck.fix.photo import fix_photo
    from mediacheck.words.lang import tr

    outcome = fix_photo(path, output, profile, force=force, dry_run=dry_run)
    for message in outcome.messages:
        out.print(tr(message, lang), markup=False)
    return outcome.exit_code


def _video(
    path: Path,
    output: Path | None,
    profile: Profile,
    force: bool,
    dry_run: bool,
    preset: str,
    timeout: float | None,
    lang: str,
    out: Console,
) -> int:
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    from mediacheck.fix.files import output_for
    from mediacheck.fix.plan import make_plan
    from mediacheck.fix.video import (
        build_command,
        check_paths,
        default_name,
        ffmpeg_exe,
        ffmpeg_major,
        fix_video,
    )
    from mediacheck.model import WARN
    from mediacheck.probe.video import probe_video
    from mediacheck.report import table as report_table
    from mediacheck.words.fix import say
    from mediacheck.words.lang import visible

    plan = make_plan(probe_video(path), profile)
    out.print(say("title.plan", lang, path=path), style="bold", markup=False)
    for line in plan.words(lang):
        out.print(line, markup=False)
    if plan.blockers:
        return 1
    if plan.nothing_to_do:
        out.print(say("nothing", lang, path=path), style="green", markup=False)
        return 0
    target = output_for(path, output, default_name(path))
    check_paths(path, target, force)
    if dry_run:
        exe = ffmpeg_exe()  # missing ffmpeg is worth knowing before the real run
        args = build_command(plan, path, target, preset, "ffmpeg", ffmpeg_major(exe))
        out.print(say("dry_run", lang), style="bold", markup=False)
        # plain: no wrapping, so it can be pasted (a name's control characters made visible)
        click.echo(visible(shlex.join(args)))
        return 0

    timeout = timeout if timeout is not None else default_timeout(plan.duration)
    err = Console(stderr=True, highlight=False, emoji=False)
    show = err.is_terminal and not in_ci() and bool(plan.duration)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not show,
    )
    with progress:
        task = progress.add_task(say("progress", lang), total=plan.duration or 1)

        def on_progress(seconds: float) -> None:
            progress.update(task, completed=min(seconds, plan.duration or seconds))

        outcome = fix_video(
            plan,
            target,
            profile,
            force=force,
            preset=preset,
            timeout=timeout,
            on_progress=on_progress,
        )
    out.print(say("verify", lang), style="bold", markup=False)
    report_table.print_file(out, outcome.result, lang)
    if not outcome.passed:
        err.print(say("verify_failed", lang), style="bold red", markup=False)
        return 1
    out.print(
        say("written", lang, path=target, seconds=outcome.seconds), style="green", markup=False
    )
    if outcome.result.status == WARN:
        out.print(say("warnings_left", lang), style="yellow", markup=False)
    return 0
