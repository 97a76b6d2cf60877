"""The command line end to end: exit codes, languages, JSON schema, awkward names, errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from mediacheck.cli import cli


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "200", **(env or {})})


def test_compliant_exits_0_in_both_languages(media):
    for lang, word in (("en", "meets the requirements"), ("zh", "符合要求")):
        result = run("video", "--lang", lang, str(media("compliant")))
        assert result.exit_code == 0, result.output
        assert word in result.output


def test_720p_exits_1_showing_measured_and_required(media):
    for lang, word in (("en", "FAIL"), ("zh", "不合格")):
        result = run("video", "--lang", lang, str(media("res_720p")))
        assert result.exit_code == 1
        assert word in result.output
        assert "1280×720" in result.output and "≥ 1920×1080" in result.output


def test_language_from_environment(media):
    result = run("video", str(media("res_720p")), env={"MEDIACHECK_LANG": "zh"})
    assert "分辨率" in result.output


def test_json_follows_its_schema(media):
    result = run("video", "--format", "json", str(media("compliant")), str(media("empty")),
                 str(media("res_720p")))  # fmt: skip
    assert result.exit_code == 1
    report = json.loads(result.output)
    schema_file = resources.files("mediacheck") / "schemas" / "report-v1.json"
    jsonschema.validate(report, json.loads(schema_file.read_text(encoding="utf-8")))
    assert report["summary"] == {"files": 3, "passed": 1, "warned": 0, "failed": 2}
    res = next(f for f in report["files"][2]["findings"] if f["rule"] == "V-RES")
    assert res["measured"] == {"value": [1280, 720], "unit": "px", "source": "header",
                               "text": "1280×720"}  # fmt: skip
    assert res["expected"]["value"] == [1920, 1080]


def test_missing_path_exits_2_naming_it(media, tmp_path):
    missing = tmp_path / "nope.mp4"
    result = run("video", str(media("compliant")), str(missing))
    assert result.exit_code == 2
    assert str(missing) in result.output


def test_user_profile_extending_default_changes_a_verdict(media, tmp_path):
    profile = tmp_path / "loose.yaml"
    profile.write_text("extends: shanghai-2024\nrules:\n  V-RES: {expected: [1280, 720]}\n")
    assert run("video", str(media("res_720p"))).exit_code == 1
    assert run("video", "--profile", str(profile), str(media("res_720p"))).exit_code == 0


def test_bad_profile_exits_2_before_probing(media, tmp_path):
    profile = tmp_path / "bad.yaml"
    profile.write_text("extends: shanghai-2024\nrules:\n  V-RES: {fact: video.colour}\n")
    result = run("video", "--profile", str(profile), str(media("compliant")))
    assert result.exit_code == 2
    assert "bad.yaml" in result.output and "V-RES" in result.output


@pytest.mark.parametrize("name", ["报告 (1).mp4", "-x.mp4", "with space.mp4"])
def test_awkward_names_are_just_names(media, tmp_path, name):
    target = tmp_path / name
    shutil.copyfile(media("compliant"), target)
    result = run("video", "--", str(target)) if name.startswith("-") else run("video", str(target))
    assert result.exit_code == 0, result.output
    # A relative name starting with '-' reaches ffprobe as a file, not an option.
    proc = subprocess.run(
        [sys.executable, "-m", "mediacheck", "video", "--format", "json", "--", name],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["files"][0]["path"] == name


def test_missing_ffmpeg_for_deep_is_one_clear_message(media, tmp_path):
    # no FFmpeg anywhere (PATH empty, the wheel's pointed away): --deep needs one, exit 2
    env = {"PATH": str(tmp_path), "IMAGEIO_FFMPEG_EXE": str(tmp_path / "none")}
    for lang in ("en", "zh"):
        result = run("video", "--deep", "--lang", lang, str(media("compliant")), env=env)
        assert result.exit_code == 2
        assert "ffmpeg" in result.output and "pip install" in result.output
        assert "apt-get" not in result.output and "Traceback" not in result.output


def test_rules_lists_clauses():
    result = run("rules", "--lang", "en")
    assert result.exit_code == 0
    assert "V-RES" in result.output and "A-CHANNELS" in result.output


def test_usage_error_exits_2():
    assert run("video").exit_code == 2
    assert run("video", "--format", "xml", "x.mp4").exit_code == 2


def test_module_entry_point_runs():
    proc = subprocess.run([sys.executable, "-m", "mediacheck", "--version"],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert proc.returncode == 0 and "mediacheck" in proc.stdout


def test_paths_are_kept_as_given(media):
    result = run("video", "--format", "json", str(media("compliant")))
    assert json.loads(result.output)["files"][0]["path"] == str(Path(media("compliant")))


def test_details_draws_the_per_second_bitrate(media):
    result = run("video", "--details", "--lang", "en", str(media("audio_silence_gated")))
    assert "A-BITRATE-CBR" in result.output
    assert any(bar in result.output for bar in "▁▂▃▄▅▆▇█")
    assert "red = outside the band" in result.output


def test_demo_makes_and_checks_two_lessons(tmp_path):
    """The README's first command: a compliant lesson passes, a failing one is caught."""
    result = run("demo", "--lang", "en", "--keep", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "the compliant lesson passed and the failing one was caught" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "lesson-720p-30fps-mono.mp4",
        "lesson-compliant.mp4",
    ]
