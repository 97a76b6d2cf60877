"""Options shared by the commands, and the command line's language.

Help texts are keys of `words/cli.py` HELP, put into words when help is shown, in the
language of the run: `--lang` on the command line, else `MEDIACHECK_LANG`, the locale.
Click asks for its own messages ("Usage:", "No such option") through gettext;
`use_language` points the click modules' gettext at `words/cli.py` CLICK_ZH.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from mediacheck.words.cli import CLICK_ZH, HELP
from mediacheck.words.lang import pick_lang, tr

_state = {"lang": "en"}


def _gettext(message: str) -> str:
    return CLICK_ZH.get(message, message) if _state["lang"] == "zh" else message


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def use_language(lang: str) -> None:
    """Speak `lang` from now on: help texts, and click's own messages."""
    _state["lang"] = lang
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    for module in (click.core, click.decorators, click.exceptions, click.formatting,
                   click.parser, click.types):  # fmt: skip
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]


def lang_of(args: Sequence[str]) -> str:
    """The language a command line asks for, before click has parsed it."""
    asked = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            asked = args[i + 1]
        elif arg.startswith("--lang="):
            asked = arg.split("=", 1)[1]
    return pick_lang(asked)


def words(key: str | None, **params: str) -> str | None:
    """A help key in the run's language; any other text as it is."""
    if key is None or key not in HELP:
        return key
    text = tr(HELP[key], _state["lang"])
    return text.format(**params) if params else text


@contextmanager
def _worded(thing: Any, **params: str) -> Iterator[None]:
    """`thing.help` in the run's words while click formats it, its key again after."""
    saved = thing.help
    thing.help = words(saved, **params)
    try:
        yield
    finally:
        thing.help = saved


class Option(click.Option):
    """An option whose help is a key of words/cli.py HELP (with `help_params`)."""

    def __init__(self, *args: Any, help_params: dict[str, str] | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.help_params = help_params or {}

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        with _worded(self, **self.help_params):
            return super().get_help_record(ctx)


class _Worded:
    """A command whose help is a key of words/cli.py HELP."""

    help: str | None

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _worded(self):
            super().format_help_text(ctx, formatter)  # type: ignore[misc]

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        # click words --help's own help once, when it first builds it: word it again now
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _gettext("Show this message and exit.")
        return option

    def get_short_help_str(self, limit: int = 45) -> str:
        with _worded(self):
            return super().get_short_help_str(limit)  # type: ignore[misc]


class Command(_Worded, click.Command):
    pass


def console(**kw: Any) -> Any:
    """A rich Console for standard output whose reader may leave early (`| head`): a
    closed pipe ends the run quietly with status 0, not rich's 1."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            import os
            import sys

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(0)

    return _Console(**kw)


def option(*decls: str, **kw: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(*decls, cls=Option, **kw)


def command(name: str | None = None, **kw: Any) -> Callable[[Callable[..., Any]], Command]:
    return click.command(name, cls=Command, **kw)  # type: ignore[return-value]


LANG = option("--lang", type=click.Choice(["zh", "en"]), help="help.lang")
PROFILE = option("--profile", "profile_ref", metavar="NAME|PATH", help="help.profile")

config_option = option("--config", "config_file",
                       type=click.Path(path_type=Path, dir_okay=False, readable=False),
                       help="help.config")  # fmt: skip
jobs_option = option("--jobs", "-j", type=click.IntRange(min=1), metavar="N", help="help.jobs")


def checking_options(default_hint: str = "table") -> Callable[[Callable[..., Any]], Any]:
    """--profile, --lang, --format, --output, --strict: what every checking command takes."""
    from mediacheck.report import REPORTERS

    def apply(func: Callable[..., Any]) -> Any:
        options = [
            PROFILE,
            LANG,
            option("--format", "formats", multiple=True, metavar="FMT[:FILE]",
                   help="help.format",
                   help_params={"formats": ", ".join(REPORTERS), "default": default_hint}),
            option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False),
                   help="help.output"),
            option("--strict/--no-strict", default=None, help="help.strict"),
        ]  # fmt: skip
        for opt in reversed(options):
            func = opt(func)
        return func

    return apply
