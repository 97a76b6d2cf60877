"""The command line's entry point (`mediacheck = "mediacheck.cli:main"`, and `python -m
mediacheck`). The click group and its commands live in cli/group.py.

`mediacheck --version` is answered here, before click is imported: a start-up is mostly
imports, and click's alone costs several times what Python's own start-up does. The
version is the package's constant (`mediacheck.__version__`, which the build also reads),
not importlib.metadata, which would cost as much again. Anything else goes to click,
which prints the same line for `--version` wherever it appears on the command line.
"""

from __future__ import annotations

import sys

# Nothing else at the top, not even typing (it imports re): this module is all that
# `--version` loads.

PROG = "mediacheck"
VERSION_MESSAGE = "%(prog)s, version %(version)s"  # click's wording, given to click too


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from mediacheck import __version__

        sys.stdout.write(VERSION_MESSAGE % {"prog": PROG, "version": __version__} + "\n")
        return
    if sys.argv[1:2] == ["video"]:  # MediaInfo reads the lesson while click is imported
        from mediacheck.probe import mediainfo_early

        mediainfo_early.start(sys.argv[1:])
    from mediacheck.cli.group import main as run_group

    run_group()


def __getattr__(name: str) -> object:
    """`from mediacheck.cli import cli` (the click group, for tests and docs) still works,
    loading click only when asked."""
    if name in ("cli", "command"):
        from mediacheck.cli import group

        return getattr(group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
