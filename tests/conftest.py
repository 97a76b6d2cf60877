"""Shared pytest fixtures."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

# fixtures/ is not a package: put it on the path so tests can `import make_fixtures`
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))

import make_fixtures  # noqa: E402
from toolcheck import HIDDEN_TOOLS, system_ffprobe  # noqa: E402,F401

from mediacheck import tools  # noqa: E402


@pytest.fixture(scope="session")
def media() -> Callable[[str], Path]:
    """media(name) -> path of a generated test file (see fixtures/make_fixtures.py),
    made on first use and cached across runs."""
    if tools.which("ffmpeg") is None:
        # the system's ffmpeg or the FFmpeg wheel's (imageio-ffmpeg, a dependency): a
        # missing one is a broken setup, never a reason to skip
        pytest.fail("no ffmpeg: neither on PATH nor from imageio-ffmpeg", pytrace=False)
    return make_fixtures.get
