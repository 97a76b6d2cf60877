"""The short fuzz run of CI (issue #13): fuzz/fuzz_mp4.py on both targets, a few
thousand inputs for the reader and a few dozen for the whole probe, must find nothing.

Marked `fuzz` (`-m "not fuzz"` leaves it out); MEDIACHECK_FUZZ_SCALE multiplies the
inputs (CI may run more; the million-input run is the README's). The reader runs under
atheris where it is installed (Linux, CPython 3.11-3.13), else the random mutator; the
probe always in forked children with a timeout and a memory cap.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FUZZ = ROOT / "fuzz" / "fuzz_mp4.py"
SCALE = float(os.environ.get("MEDIACHECK_FUZZ_SCALE", "1"))

pytestmark = pytest.mark.fuzz


def _fuzz(tmp_path: Path, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, str(FUZZ), *args, "--seed", "13", "--crashes", str(tmp_path / "crashes"),
         "--corpus", str(tmp_path / "corpus")],
        capture_output=True, text=True, timeout=1800, env=env, check=False,
    )  # fmt: skip
    reports = sorted((tmp_path / "crashes").glob("*.txt"))
    found = "\n\n".join(p.read_text()[:3000] for p in reports)
    assert proc.returncode == 0, f"{proc.stderr[-3000:]}\n{found}"
    return json.loads(proc.stdout)


def test_box_reader_short_run(tmp_path):
    runs = int(3000 * SCALE)
    stats = _fuzz(tmp_path, "box", "--runs", str(runs))
    assert stats["inputs"] >= runs and not stats["crashes"]
    # the mutations reach both sides of the contract
    assert stats["outcomes"].get("index") and stats["outcomes"].get("error:bad_box")


def test_whole_probe_short_run(tmp_path):
    """Mutated inputs only: the seeds as they are are the fixtures every test checks."""
    runs = int(40 * SCALE)
    stats = _fuzz(tmp_path, "probe", "--runs", str(runs), "--mutated-only")
    assert stats["inputs"] == runs and not stats["crashes"]
    assert any(k.startswith("checked:") for k in stats["outcomes"])
