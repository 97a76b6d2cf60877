"""Shared pytest fixtures."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

# fixtures/ is not a package: put it on the path so tests can `import make_fixtures`
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))

import make_fixtures  # noqa: E402


@pytest.fixture(scope="session")
def media() -> Callable[[str], Path]:
    """media(name) -> path of a generated test file (see fixtures/make_fixtures.py),
    made on first use and cached across runs."""
    missing = [tool for tool in ("ffmpeg", "ffprobe") if shutil.which(tool) is None]
    if missing:
        # CI installs ffmpeg; a missing one is a broken setup, never a reason to skip
        pytest.fail(
            f"{' and '.join(missing)} not found on PATH: the media tests need them "
            "(Debian/Ubuntu: apt install ffmpeg)",
            pytrace=False,
        )
    return make_fixtures.get
