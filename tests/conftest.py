"""Shared pytest fixtures."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
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


@pytest.fixture(scope="session", autouse=True)
def own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Commands keep validated profiles in the cache folder by default: the tests' go to
    a folder of their own, never to the user's ~/.cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield
