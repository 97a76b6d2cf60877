"""The entry point: `--version` answered before click is imported, in click's own words;
the quick end of the process (every exit handler, streams flushed, the status kept)."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from mediacheck import __version__
from mediacheck.cli import cli


def _python(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)  # fmt: skip
    return proc.stdout


def test_version_without_click_says_what_click_says():
    # main() ends the process; an exit handler sees what it imported
    fast = _python("import atexit, sys; sys.argv = ['mediacheck', '--version']\n"
                   "m = sys.modules\n"
                   "atexit.register(lambda: print('click' in m, 'mediacheck.cli.group' in m))\n"
                   "from mediacheck.cli import main; main()\n")  # fmt: skip
    slow = CliRunner().invoke(cli, ["--version"])
    assert slow.exit_code == 0
    assert fast == slow.output + "False False\n"
    assert slow.output == f"mediacheck, version {__version__}\n"


def test_version_among_other_options_goes_to_click():
    out = _python("import atexit, sys; sys.argv = ['mediacheck', '-h', '--version']\n"
                  "atexit.register(lambda: print('click' in sys.modules))\n"
                  "from mediacheck.cli import main; main()\n")  # fmt: skip
    assert out.endswith("True\n")


def test_the_group_is_still_importable_from_the_package():
    from mediacheck.cli import command
    from mediacheck.cli.group import cli as group_cli

    assert cli is group_cli and callable(command)


# --- the end of the process: every exit handler, the streams flushed, the status kept ---


def _entry(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mediacheck", *args], capture_output=True,
                          text=True, check=False, timeout=120)  # fmt: skip


def test_the_status_survives_the_quick_end(media):
    assert _entry("video", str(media("compliant"))).returncode == 0
    assert _entry("video", str(media("res_720p"))).returncode == 1
    usage = _entry("video", "--no-such-option")
    assert usage.returncode == 2 and "--no-such-option" in usage.stderr


def test_a_long_report_reaches_a_pipe_whole():
    piped = _entry("rules", "--format", "markdown", "--lang", "en")
    inside = CliRunner().invoke(cli, ["rules", "--format", "markdown", "--lang", "en"])
    assert piped.returncode == 0 and inside.exit_code == 0
    assert piped.stdout == inside.output and len(piped.stdout) > 10_000


def test_a_closed_pipe_is_not_an_error():
    proc = subprocess.Popen([sys.executable, "-m", "mediacheck", "rules", "--format", "markdown"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()  # the reader has what it wanted, like `| head -c 10`
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert b"Traceback" not in err and b"Exception ignored" not in err


def test_other_exit_handlers_run_before_the_end():
    out = _python("import atexit, sys; sys.argv = ['mediacheck', 'rules']\n"
                  "from mediacheck.cli import main\n"
                  "atexit.register(lambda: print('handler ran'))\n"
                  "main()\n")  # fmt: skip
    assert out.endswith("handler ran\n")


def test_under_a_wrapper_main_returns_as_any_function():
    """`python -m cProfile -m mediacheck` runs mediacheck's __main__ in a namespace of its
    own, then writes its figures: the process is not ended under it."""
    out = _python("import runpy, sys; sys.argv = ['mediacheck', '--version']\n"
                  "try:\n    runpy.run_module('mediacheck', run_name='__main__')\n"
                  "except SystemExit as exc:\n    print('exit', exc.code)\n"
                  "print('the wrapper goes on')\n")  # fmt: skip
    assert out.endswith("the wrapper goes on\n")
