"""Where mediacheck finds its programs: the system's on PATH first, then the wheel's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")
def test_mediainfo_comes_from_the_pymediainfo_wheel():
    # pymediainfo's wheels bundle libmediainfo: the library loaded is the package's own
    # copy, not a system one (none is needed)
    code = (
        "import pymediainfo, os\n"
        "assert pymediainfo.MediaInfo.can_parse()\n"
        "maps = open('/proc/self/maps').read().split('\\n')\n"
        "libs = {l.split()[-1] for l in maps if 'libmediainfo' in l}\n"
        "print(os.path.dirname(pymediainfo.__file__)); print(*libs, sep='\\n')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True).stdout.split()  # fmt: skip
    package, libs = out[0], out[1:]
    assert libs and all(os.path.dirname(lib) == package for lib in libs), out
