"""Where mediacheck finds its programs: the system's on PATH first, then the wheel's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import make_fixtures
import pytest

from mediacheck import tools


def fake_tool(folder: Path, name: str) -> Path:
    """An executable on PATH: lookup only cares that it is there."""
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / name
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(0o755)
    return exe


@pytest.fixture
def no_wheel(monkeypatch, tmp_path):
    """imageio-ffmpeg's own override, pointed at nothing: its binary is out of reach."""
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", str(tmp_path / "no-such-ffmpeg"))


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for ffmpeg")
def test_system_ffmpeg_comes_first(monkeypatch, tmp_path):
    exe = fake_tool(tmp_path / "bin", "ffmpeg")
    monkeypatch.setenv("PATH", str(exe.parent))
    assert tools.locate("ffmpeg") == (str(exe), tools.SYSTEM)


def test_wheel_ffmpeg_when_path_has_none(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("IMAGEIO_FFMPEG_EXE", raising=False)
    exe, origin = tools.locate("ffmpeg") or ("", "")
    assert origin == tools.WHEEL
    assert "imageio_ffmpeg" in Path(exe).parts
    out = subprocess.run([exe, "-hide_banner", "-encoders"], capture_output=True, timeout=60)
    encoders = out.stdout.decode()
    # what `fix` and `demo` encode with
    assert " libx264 " in encoders and " aac " in encoders


def test_no_wheel_ffprobe_and_neither_means_missing(monkeypatch, tmp_path, no_wheel):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert tools.which("ffprobe") is None and tools.which("ffmpeg") is None
    with pytest.raises(tools.ToolMissing) as err:
        tools.find("ffmpeg")
    assert err.value.tool == "ffmpeg"


@pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for ffmpeg")
def test_lookup_follows_a_changed_path(monkeypatch, tmp_path, no_wheel):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert tools.which("ffmpeg") is None
    exe = fake_tool(tmp_path / "later", "ffmpeg")  # installed meanwhile
    monkeypatch.setenv("PATH", os.pathsep.join([str(tmp_path / "empty"), str(exe.parent)]))
    assert tools.which("ffmpeg") == str(exe)


def test_tool_names_in_messages():
    assert tools.tool_name("/usr/bin/ffmpeg") == "ffmpeg"
    assert tools.tool_name("C:/ffmpeg/bin/ffprobe.exe") == "ffprobe"
    assert tools.tool_name("/x/imageio_ffmpeg/binaries/ffmpeg-linux-x86_64-v9.0.2") == "ffmpeg"


def test_mediainfo_comes_from_the_pymediainfo_wheel(monkeypatch):
    # pymediainfo's wheels bundle libmediainfo: the MediaInfo child loads the package's
    # own copy first (found without importing pymediainfo), a system one only after it
    import pymediainfo

    from mediacheck.probe import mediainfo

    first = mediainfo.library_candidates()[0]
    assert os.path.dirname(first) == os.path.dirname(pymediainfo.__file__)
    assert os.path.isfile(first)
    monkeypatch.setattr(mediainfo, "library_candidates", lambda: [first])  # that one only
    compliant = make_fixtures.get("compliant")
    assert {"track_type": "General", "isstreamable": "Yes"} in mediainfo.run_mediainfo(compliant)
