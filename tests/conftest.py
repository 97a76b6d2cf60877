"""Shared pytest fixtures."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

# fixtures/ is not a package: put it on the path so tests can `import make_fixtures`
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))

import make_fixtures  # noqa: E402

from mediacheck import tools  # noqa: E402

# .ci/run's second run hides the system's ffmpeg, ffprobe and mediainfo from PATH to
# show that a plain `pip install` is enough; tests that compare with ffprobe itself skip
# there (and only there: elsewhere a missing ffprobe is a broken setup).
HIDDEN_TOOLS = os.environ.get("MEDIACHECK_HIDDEN_TOOLS") == "1"


def system_ffprobe() -> str:
    """The system's ffprobe, for tests that compare against it."""
    found = shutil.which("ffprobe")
    if found:
        return found
    if HIDDEN_TOOLS:
        pytest.skip("compares with the system's ffprobe, hidden in this run (.ci/run)")
    pytest.fail("ffprobe not found on PATH (Debian/Ubuntu: apt install ffmpeg)", pytrace=False)


@pytest.fixture(scope="session")
def media() -> Callable[[str], Path]:
    """media(name) -> path of a generated test file (see fixtures/make_fixtures.py),
    made on first use and cached across runs."""
    if tools.which("ffmpeg") is None:
        # the system's ffmpeg or the FFmpeg wheel's (imageio-ffmpeg, a dependency): a
        # missing one is a broken setup, never a reason to skip
        pytest.fail("no ffmpeg: neither on PATH nor from imageio-ffmpeg", pytrace=False)
    return make_fixtures.get
