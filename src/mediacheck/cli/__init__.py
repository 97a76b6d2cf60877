"""The command line's entry point (`mediacheck = "mediacheck.cli:main"`, and `python -m
mediacheck`). The click group and its commands live in cli/group.py.

`mediacheck --version` is answered here, before click is imported: a start-up is mostly
imports, and click's alone costs several times what Python's own start-up does. The
version is the package's constant (`mediacheck.__version__`, which the build also reads),
not importlib.metadata, which would cost as much again. Anything else goes to click,
which prints the same line for `--version` wherever it appears on the command line.

When a command has finished, the process ends without tearing the interpreter down
(`_end`): freeing every module and object one by one costs 15–25 ms, as much as a cached
check's own work (mypy's `hard_exit` does the same). Every exit handler still runs first,
and standard output and error are flushed; only Python's own clean-up is skipped. Only
when main() is called by the process's main module: a wrapper's code after it still runs.
"""

from __future__ import annotations

import sys

# Nothing else at the top, not even typing (it imports re): this module is all that
# `--version` loads.

PROG = "mediacheck"
VERSION_MESSAGE = "%(prog)s, version %(version)s"  # click's wording, given to click too


def _end(status: int) -> None:
    """End the process with `status` once the exit handlers have run and the standard
    streams are flushed, skipping only Python's own tear-down. Returns (for Python's exit)
    while another thread runs: a normal exit would wait for it."""
    threading = sys.modules.get("threading")  # not imported: no other thread was started
    if threading is not None and threading.active_count() > 1:
        return
    import atexit
    import os

    atexit._run_exitfuncs()  # what Python's exit runs first, in the same order
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # as Python's own exit would: status 120
            status = status or 120
    os._exit(status)


def main() -> None:
    # Only the process's own main module (pip's script, `python -m mediacheck`) ends the
    # process here; under a wrapper (`python -m cProfile -m mediacheck`, a test) main()
    # returns or raises as any function, so the wrapper's own code after it still runs.
    caller = sys._getframe(1).f_globals
    owner = caller is getattr(sys.modules.get("__main__"), "__dict__", None)
    try:
        _main()
    except SystemExit as exc:
        if owner and (exc.code is None or isinstance(exc.code, int)):  # a str: Python's way
            _end(exc.code or 0)
        raise
    if owner:
        _end(0)


def _main() -> None:
    if sys.argv[1:] == ["--version"]:
        from mediacheck import __version__

        sys.stdout.write(VERSION_MESSAGE % {"prog": PROG, "version": __version__} + "\n")
        return
    if sys.argv[1:2] == ["check"]:  # a repeated, fully cached `check`: its answer, no click
        from mediacheck import replay

        if (code := replay.start(sys.argv)) is not None:
            sys.exit(code)
    elif sys.argv[1:2] == ["video"]:  # MediaInfo reads the lesson while click is imported
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
