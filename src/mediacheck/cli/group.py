"""The click group and its commands: parse options into a RunOptions record, run, exit.
Nothing else.

Every exit-2 problem (errors.MediacheckError, a missing tool) is caught once, here, and
said in the user's language.
"""

from __future__ import annotations

import sys
from importlib import import_module
from pathlib import Path
from typing import Any

import click

from mediacheck import __version__
from mediacheck.cli import PROG, VERSION_MESSAGE
from mediacheck.cli.options import (
    LANG,
    PROFILE,
    Command,
    Option,
    _Worded,
    checking_options,
    command,
    config_option,
    jobs_option,
    lang_of,
    option,
    use_language,
)
from mediacheck.errors import MediacheckError, ToolMissing
from mediacheck.words.catalogue import say
from mediacheck.words.lang import pick_lang

USAGE_ERROR = 2

# Commands with heavy imports of their own, loaded only when run: start-up time is
# part of every check (a CI run over one file, a pre-commit hook).
LAZY_COMMANDS = {
    "check": ("mediacheck.cli.check", "check_command"),
    "fix": ("mediacheck.cli.fix", "fix"),
    "serve": ("mediacheck.cli.serve", "serve_command"),
}


class Group(_Worded, click.Group):
    """The mediacheck group: LAZY_COMMANDS imported on first use (click's documented
    lazy-loading pattern), the language set before click parses, and the one handler
    of exit-2 problems."""

    command_class = Command

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module, attr = LAZY_COMMANDS[cmd_name]
            return getattr(import_module(module), attr)
        return super().get_command(ctx, cmd_name)

    def main(self, args: Any = None, *rest: Any, **kw: Any) -> Any:
        for stream in (sys.stdout, sys.stderr):
            # a name that is not UTF-8 must not crash a report, nor reach the terminal as
            # raw bytes: what slips past the reporters' own escaping is shown as \udcff
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(errors="backslashreplace")
        argv = list(sys.argv[1:] if args is None else args)
        use_language(lang_of(argv))
        return super().main(argv, *rest, **kw)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            try:
                return super().invoke(ctx)
            finally:
                sys.stdout.flush()  # a closed pipe shows here, inside the handler below
        except MediacheckError as exc:
            _stop(ctx, exc.text(_lang(ctx)))
        except ToolMissing as exc:
            _stop(ctx, say("tool_missing", _lang(ctx), tool=exc.tool))
        except BrokenPipeError:
            # `mediacheck rules | head -1`: the reader has all it wanted; not an error.
            # Point stdout at nowhere so the final flush cannot fail again.
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)


def _lang(ctx: click.Context) -> str:
    return ctx.find_root().meta.get("mediacheck.lang") or pick_lang(None)


def _stop(ctx: click.Context, text: str) -> None:
    from rich.console import Console

    Console(stderr=True, highlight=False).print(text, style="bold red", markup=False)
    ctx.exit(USAGE_ERROR)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]},
             help="help.main")  # fmt: skip
@click.version_option(__version__, prog_name=PROG, message=VERSION_MESSAGE, cls=Option,
                      help="help.version")  # fmt: skip
def cli() -> None:
    pass


# readable=False: a file that cannot be read is its own finding, and the rest is checked
PATHS = click.argument("paths", nargs=-1, required=True,
                       type=click.Path(path_type=Path, readable=False))  # fmt: skip


def _run(**kw: Any) -> None:
    from mediacheck.cli.run import RunOptions, run

    sys.exit(run(RunOptions(use_cache=False, **kw)))


@cli.command(help="help.video")
@PATHS
@checking_options()
@config_option
@jobs_option
@option("--deep", is_flag=True, help="help.deep")
@option("--details", "show_details", is_flag=True, help="help.details")
def video(paths: tuple[Path, ...], show_details: bool, **kw: Any) -> None:
    _run(paths=paths, only="video", details=show_details, **kw)


@cli.command(help="help.photos")
@PATHS
@checking_options()
@config_option
@jobs_option
def photos(paths: tuple[Path, ...], **kw: Any) -> None:
    _run(paths=paths, only="photo", **kw)


@cli.command(help="help.text")
@PATHS
@checking_options()
@config_option
def text(paths: tuple[Path, ...], **kw: Any) -> None:
    _run(paths=paths, only="text", **kw)


@cli.command(help="help.case")
@click.argument("folders", nargs=-1, required=True,
                type=click.Path(path_type=Path, file_okay=False, readable=False))  # fmt: skip
@checking_options()
@config_option
@jobs_option
def case(folders: tuple[Path, ...], **kw: Any) -> None:
    _run(paths=folders, only="case", **kw)


@cli.command(help="help.table")
@PATHS
@checking_options()
@config_option
@jobs_option
def table(paths: tuple[Path, ...], **kw: Any) -> None:
    _run(paths=paths, only="table", **kw)


@cli.command(help="help.courses")
@click.argument("list_file", metavar="FILE",
                type=click.Path(path_type=Path, dir_okay=False, readable=False))  # fmt: skip
@checking_options()
@config_option
@option("--online/--offline", default=None, help="help.online")
@option("--allow-private", is_flag=True, help="help.allow_private")
@option("--deep", is_flag=True, help="help.deep")
def courses(list_file: Path, online: bool | None, allow_private: bool, **kw: Any) -> None:
    from mediacheck.cli.courses import run_courses
    from mediacheck.cli.run import RunOptions

    sys.exit(run_courses(RunOptions(paths=(list_file,), only="course", use_cache=False, **kw),
                         online, allow_private))  # fmt: skip


@cli.command(help="help.submission")
@PATHS
@checking_options()
@config_option
@jobs_option
def submission(paths: tuple[Path, ...], **kw: Any) -> None:
    from mediacheck.cli.run import RunOptions
    from mediacheck.cli.submission import run_submission

    sys.exit(run_submission(RunOptions(paths=paths, only="submission", use_cache=False, **kw)))


@cli.command(help="help.district")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@checking_options()
@config_option
@jobs_option
@option("--table-out", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE.xlsx",
        help="help.table_out")  # fmt: skip
@option("--online/--offline", default=None, help="help.online")
def district(folder: Path, table_out: Path | None, online: bool | None, **kw: Any) -> None:
    from mediacheck.cli.run import RunOptions
    from mediacheck.cli.submission import run_district

    opts = RunOptions(paths=(folder,), only="district", use_cache=False, **kw)
    sys.exit(run_district(opts, table_out, online))


@cli.command(help="help.template")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@PROFILE
@LANG
def template(folder: Path, profile_ref: str | None, lang: str | None) -> None:
    from mediacheck.cli.courses import run_template

    sys.exit(run_template(folder, profile_ref, lang))


@cli.command(help="help.rules")
@PROFILE
@LANG
@option("--format", "fmt", type=click.Choice(["table", "markdown"]), default="table",
        show_default=True, help="help.rules_format")  # fmt: skip
def rules(profile_ref: str | None, lang: str | None, fmt: str) -> None:
    from mediacheck.cli.rules import show_rules

    show_rules(profile_ref, lang, fmt)


@cli.command(help="help.demo")
@option("--keep", type=click.Path(path_type=Path, file_okay=False), help="help.keep")
@LANG
def demo(keep: Path | None, lang: str | None) -> None:
    from mediacheck.demo import run_demo

    sys.exit(run_demo(keep, pick_lang(lang)))


def main() -> None:
    cli(prog_name=PROG)


__all__ = ["cli", "command", "main"]
