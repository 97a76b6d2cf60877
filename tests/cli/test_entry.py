"""The entry point: `--version` answered before click is imported, in click's own words."""

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
    fast = _python("import sys; sys.argv = ['mediacheck', '--version']\n"
                   "from mediacheck.cli import main; main()\n"
                   "m = sys.modules; print('click' in m, 'mediacheck.cli.group' in m)")  # fmt: skip
    slow = CliRunner().invoke(cli, ["--version"])
    assert slow.exit_code == 0
    assert fast == slow.output + "False False\n"
    assert slow.output == f"mediacheck, version {__version__}\n"


def test_version_among_other_options_goes_to_click():
    out = _python("import sys; sys.argv = ['mediacheck', '-h', '--version']\n"
                  "from mediacheck.cli import main\n"
                  "try:\n    main()\nexcept SystemExit:\n    pass\n"
                  "print('click' in sys.modules)")  # fmt: skip
    assert out.endswith("True\n")


def test_the_group_is_still_importable_from_the_package():
    from mediacheck.cli import command
    from mediacheck.cli.group import cli as group_cli

    assert cli is group_cli and callable(command)
