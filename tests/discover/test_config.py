"""`.mediacheck.yaml`: found upward, validated strictly, globs, command line wins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mediacheck import app
from mediacheck.cli import cli
from mediacheck.discover.config import (
    Config,
    ConfigError,
    discover_config,
    find_config,
    load_config,
    matches,
)
from mediacheck.model import FileResult


def write(folder: Path, text: str) -> Path:
    path = folder / ".mediacheck.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_found_from_a_subfolder_upward(tmp_path):
    config = write(tmp_path, "lang: zh\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == config
    loaded = discover_config(start=deep)
    assert loaded.lang == "zh" and loaded.root == tmp_path


def test_no_config_means_defaults(tmp_path):
    assert find_config(tmp_path) is None or find_config(tmp_path).parent != tmp_path
    assert Config().other_files == "list" and Config().formats == ()


def test_every_key(tmp_path):
    (tmp_path / "loose.yaml").write_text("extends: shanghai-2024\n")
    cfg = load_config(write(tmp_path, """
profile: loose.yaml
include: ["**/*.mp4", "cases/**"]
exclude: drafts
cases: [cases/*]
lang: en
format: [table, "junit:report.xml,sarif:out.sarif"]
jobs: 3
strict: true
other_files: fail
"""))  # fmt: skip
    assert cfg.profile_ref() == str(tmp_path / "loose.yaml")
    assert cfg.include == ("**/*.mp4", "cases/**") and cfg.exclude == ("drafts",)
    assert cfg.formats == ("table", "junit:report.xml", "sarif:out.sarif")
    assert (cfg.jobs, cfg.strict, cfg.other_files, cfg.lang) == (3, True, "fail", "en")
    # A name that is no file beside the config is a shipped profile's name.
    assert load_config(write(tmp_path, "profile: shanghai-2024\n")).profile_ref() == (
        "shanghai-2024"
    )


@pytest.mark.parametrize(
    "text, complaint",
    [
        ("profil: x\n", "unknown key 'profil'"),
        ("jobs: 0\n", "'jobs'"),
        ("jobs: true\n", "'jobs'"),
        ("lang: fr\n", "'lang'"),
        ("strict: maybe\n", "'strict'"),
        ("other_files: ignore\n", "'other_files'"),
        ("exclude: [1]\n", "'exclude'"),
        ("- a\n- b\n", "mapping"),
        ("profile: [\n", "not valid YAML"),
    ],
)
def test_mistakes_name_the_file_and_key(tmp_path, text, complaint):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(path) in str(err.value) and complaint in str(err.value)


def test_malformed_config_exits_2_naming_the_key(tmp_path, monkeypatch):
    write(tmp_path, "profile: shanghai-2024\nformats: json\n")
    (tmp_path / "a.txt").write_text("x")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "a.txt"])
    assert result.exit_code == 2
    assert "'formats'" in result.output and ".mediacheck.yaml" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "pattern, path, hit",
    [
        ("*.mp4", "a.mp4", True),
        ("*.mp4", "deep/er/a.mp4", True),  # no '/': any depth
        ("lessons/*.mp4", "lessons/a.mp4", True),
        ("lessons/*.mp4", "lessons/x/a.mp4", False),  # '*' stays in one folder
        ("lessons/**/*.mp4", "lessons/a.mp4", True),
        ("lessons/**/*.mp4", "lessons/x/y/a.mp4", True),
        ("cases/*", "cases/街道一", True),
        ("cases/*", "other/cases/x", False),  # with '/': anchored
        ("/cases/*", "cases/x", True),
        ("drafts/", "drafts/", True),  # a folder is asked about with its slash
        ("drafts/", "drafts", False),  # a file named drafts is no folder
        ("drafts", "drafts/x.mp4", True),  # inside an excluded folder (pre-commit's case)
        ("build/", "build/a/b.mp4", True),
        (r"\#x.mp4", "#x.mp4", True),  # escapes, as in .gitignore
        ("a?.mp4", "ab.mp4", True),
        ("[!x]*.mp4", "x1.mp4", False),
        ("build/**", "build/x/y.mp4", True),
    ],
)
def test_globs(pattern, path, hit):
    assert matches(pattern, path) is hit


def test_negation_takes_a_file_back():
    assert matches(("*.mp4", "!keep.mp4"), "a.mp4")
    assert not matches(("*.mp4", "!keep.mp4"), "keep.mp4")


def test_a_named_file_inside_an_excluded_folder_is_not_checked(tmp_path, monkeypatch):
    (tmp_path / ".mediacheck.yaml").write_text("exclude: [drafts]\n", encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "x.mp4").write_bytes(b"not a video")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--format", "json", "drafts/x.mp4"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["files"] == [] and report["listed"][0]["reason"] == "excluded"


def test_an_invalid_glob_is_a_config_error(tmp_path, monkeypatch):
    (tmp_path / ".mediacheck.yaml").write_text("exclude: ['a/**b/[']\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--lang", "en", "."])
    assert result.exit_code == 2 and "unclosed '['" in result.output
    assert "Traceback" not in result.output


def fake_check(path: Path, profile, kind: str, *args, **kwargs) -> FileResult:
    return FileResult(path=path, kind=kind, findings=())


def test_command_line_wins_over_config(tmp_path, monkeypatch):
    monkeypatch.setattr(app, "check_one", fake_check)
    write(tmp_path, "lang: zh\nformat: json\nexclude: skip.mp4\n")
    (tmp_path / "a.mp4").write_bytes(b"\0\0\0\x18ftypisom" + bytes(20))
    (tmp_path / "skip.mp4").write_bytes(b"\0\0\0\x18ftypisom" + bytes(20))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    base = ["check", "--jobs", "1", "--no-cache"]
    from_config = runner.invoke(cli, base)
    assert from_config.exit_code == 0, from_config.output
    data = json.loads(from_config.output)
    assert data["lang"] == "zh" and [f["path"] for f in data["files"]] == ["a.mp4"]
    wins = runner.invoke(cli, [*base, "--lang", "en", "--format", "json"])
    assert json.loads(wins.output)["lang"] == "en"
    table = runner.invoke(cli, [*base, "--lang", "en", "--format", "table"])
    assert "Checked 1 file(s)" in table.output
    # An excluded file named on the command line is listed as excluded, not checked.
    named = runner.invoke(cli, [*base, "--format", "json", "--lang", "en", "skip.mp4"])
    assert json.loads(named.output)["listed"][0]["reason"] == "excluded"


def test_explicit_config_option(tmp_path, monkeypatch):
    monkeypatch.setattr(app, "check_one", fake_check)
    other = tmp_path / "ci.yaml"
    other.write_text("lang: zh\nformat: json\n")
    (tmp_path / "a.txt").write_text("x")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--config", str(other), "--no-cache", "a.txt"])
    assert json.loads(result.output)["lang"] == "zh"
    missing = CliRunner().invoke(cli, ["check", "--config", "nope.yaml", "a.txt"])
    assert missing.exit_code == 2
