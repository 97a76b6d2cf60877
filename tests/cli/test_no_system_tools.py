"""A machine with nothing but `pip install mediacheck`: no system ffmpeg, ffprobe or
mediainfo. MP4s need none of them; everything else runs on the FFmpeg wheel's ffmpeg;
with no FFmpeg at all, only the work that needs it stops (exit 2), or the one file that
needs it says so."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from mediacheck import tools
from mediacheck.cli import cli


@pytest.fixture
def wheel_only(tmp_path) -> dict[str, str]:
    """PATH without any system tool: the wheel's ffmpeg is all there is."""
    empty = tmp_path / "empty-path"
    empty.mkdir()
    return {"PATH": str(empty)}


@pytest.fixture
def nothing(tmp_path, wheel_only) -> dict[str, str]:
    """No FFmpeg at all: PATH empty and imageio-ffmpeg's binary pointed away."""
    return {**wheel_only, "IMAGEIO_FFMPEG_EXE": str(tmp_path / "no-such-ffmpeg")}


def run(*args: str, env: dict[str, str] | None = None):
    base = {"COLUMNS": "200", "CI": "true", "GITHUB_ACTIONS": ""}
    return CliRunner().invoke(cli, list(args), env={**base, **(env or {})})


def verdict(*args: str, env: dict[str, str] | None = None) -> tuple[int, dict]:
    result = run(*args, "--format", "json", "--lang", "en", env=env)
    assert "Traceback" not in result.output, result.output
    return result.exit_code, json.loads(result.output)


def rules(report: dict, index: int = 0) -> dict[str, tuple[str, object]]:
    findings = report["files"][index]["findings"]
    return {f["rule"]: (f["status"], (f["measured"] or {}).get("value")) for f in findings}


@pytest.fixture
def mkv(media, tmp_path) -> Path:
    out = tmp_path / "lesson.mkv"
    remux = [tools.find("ffmpeg"), "-v", "error", "-nostdin", "-i", f"file:{media('compliant')}"]
    subprocess.run([*remux, "-c", "copy", f"file:{out}"], check=True, timeout=60)
    return out


@pytest.mark.parametrize("name", ["compliant", "res_720p", "vfr", "audio_mono", "hevc"])
def test_mp4_gets_its_full_verdict_with_no_ffmpeg_at_all(media, nothing, name):
    with_tools = verdict("video", str(media(name)))
    without = verdict("video", str(media(name)), env=nothing)
    assert without == with_tools  # same exit code, same findings, same measurements


def test_a_non_mp4_without_ffmpeg_is_that_files_finding(media, mkv, nothing):
    code, report = verdict("video", str(media("compliant")), str(mkv), env=nothing)
    assert code == 1  # a failed file, not a usage error: the MP4 was checked
    mp4, other = report["files"]
    assert mp4["status"] in ("pass", "info")  # info: a 4-s clip's steadiness is not judged
    assert other["status"] == "fail" and len(other["findings"]) == 1
    message = other["findings"][0]["message"]
    assert "ffmpeg" in message and "pip install mediacheck" in message
    zh = run("video", "--lang", "zh", str(mkv), env=nothing).output
    assert "没有检查" in zh and "pip install mediacheck" in zh and "apt-get" not in zh


def test_a_non_mp4_on_the_wheels_ffmpeg_alone(media, mkv, wheel_only):
    code, with_ffprobe = verdict("video", str(mkv))
    code_wheel, wheel = verdict("video", str(mkv), env=wheel_only)
    assert code_wheel == code == 1  # MKV is not an allowed container
    got, want = rules(wheel), rules(with_ffprobe)
    assert {r: s for r, (s, _) in got.items()} == {r: s for r, (s, _) in want.items()}
    assert got["V-CONTAINER"] == ("fail", "matroska")
    assert got["V-RES"][0] == got["V-BITRATE"][0] == got["A-CHANNELS"][0] == "pass"


def test_not_cached_while_ffmpeg_is_missing(mkv, nothing, tmp_path):
    cache = ["--cache-dir", str(tmp_path / "cache"), "--jobs", "1"]
    first = run("check", *cache, "--format", "json", str(mkv), env=nothing)
    assert json.loads(first.output)["files"][0]["findings"][0]["rule"] == "V-READABLE"
    again = json.loads(run("check", *cache, "--format", "json", str(mkv)).output)
    assert rules(again)["V-CONTAINER"][1] == "matroska"  # checked now, not the cached miss


def test_deep_decode_on_the_wheels_ffmpeg(media, wheel_only):
    code, report = verdict("video", "--deep", str(media("compliant")), env=wheel_only)
    assert code == 0 and rules(report)["PLAY-DECODE"] == ("pass", 0)


def test_fix_on_the_wheels_ffmpeg(media, wheel_only, tmp_path):
    out = tmp_path / "fixed.mp4"
    result = run("fix", "--lang", "en", str(media("audio_mono")), "-o", str(out), env=wheel_only)
    assert result.exit_code == 0, result.output
    code, report = verdict("video", str(out), env=wheel_only)
    assert code == 0 and rules(report)["A-CHANNELS"] == ("pass", 2)


def test_demo_on_the_wheels_ffmpeg(wheel_only, tmp_path):
    result = run("demo", "--lang", "en", "--keep", str(tmp_path), env=wheel_only)
    assert result.exit_code == 0, result.output
    assert "the compliant lesson passed and the failing one was caught" in result.output


@pytest.mark.parametrize("command", [["video", "--deep"], ["fix"]])
def test_work_that_needs_ffmpeg_exits_2_without_any(media, nothing, command):
    result = run(*command, "--lang", "en", str(media("res_720p")), env=nothing)
    assert result.exit_code == 2, result.output
    assert "ffmpeg was not found" in result.output and "pip install mediacheck" in result.output
    assert "Traceback" not in result.output
