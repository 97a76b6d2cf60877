"""`mediacheck check` end to end on temp git repositories: exit codes, formats, parallel
order, --changed-since, --shard, case folders, and the bad inputs of issue 5."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from mediacheck import app
from mediacheck.cli import cli
from mediacheck.cli.run import show_progress
from mediacheck.discover import worklist
from mediacheck.discover.config import Config
from mediacheck.discover.worklist import build
from mediacheck.model import FAIL, FileResult
from mediacheck.probe import KINDS
from mediacheck.profile import load_profile
from mediacheck.runner import execute

MP4_HEAD = b"\0\0\0\x18ftypisom" + bytes(20)


def invoke(*args: str, env: dict[str, str] | None = None):
    base = {"COLUMNS": "200", "GITHUB_ACTIONS": "", "GITHUB_STEP_SUMMARY": "", "CI": "true"}
    return CliRunner().invoke(cli, ["check", *args], env={**base, **(env or {})})


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return proc.stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    folder = tmp_path / "repo"
    folder.mkdir()
    for var, value in (("GIT_AUTHOR_NAME", "t"), ("GIT_AUTHOR_EMAIL", "t@example.invalid"),
                       ("GIT_COMMITTER_NAME", "t"), ("GIT_COMMITTER_EMAIL", "t@example.invalid"),
                       ("GIT_CONFIG_NOSYSTEM", "1")):  # fmt: skip
        monkeypatch.setenv(var, value)
    git(folder, "init", "-q")
    monkeypatch.chdir(folder)
    return folder


def commit(repo: Path, message: str = "c") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def probes(monkeypatch):
    """Probing replaced by a fake (a `bad` in the name fails): for tests about which
    files are checked, not how."""
    calls: list[str] = []

    def fake(path: Path, profile, kind: str, *args, **kwargs) -> FileResult:
        calls.append(Path(path).as_posix())
        return worklist.problem(path, "CHECK-CRASHED", "crashed", kind, detail="x") if (
            "bad" in Path(path).name) else FileResult(path, kind, ())  # fmt: skip

    monkeypatch.setattr(app, "check_one", fake)
    return calls


def put(path: Path, data: bytes = MP4_HEAD) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# ------------------------------------------------------------------ real media
def test_good_and_bad_videos_every_format(repo, media, tmp_path):
    shutil.copyfile(media("compliant"), put(repo / "lessons" / "good.mp4"))
    shutil.copyfile(media("res_720p"), repo / "lessons" / "bad.mp4")
    put(repo / "notes.xyz", b"\x00\x01\x02 no known kind")
    commit(repo)
    cache = str(tmp_path / "cache")
    out = tmp_path / "out"  # reports outside the repo, so a re-run does not list them
    out.mkdir()
    args = ["--jobs", "2", "--cache-dir", cache, "--lang", "en", "--format",
            f"table:-,junit:{out}/j.xml,sarif:{out}/s.sarif", "--format", f"gitlab:{out}/g.json",
            "-o", f"{out}/r.json", "--format", "json"]  # fmt: skip
    result = invoke(*args)
    assert result.exit_code == 1, result.output
    assert "lessons/bad.mp4" in result.output and "1280×720" in result.output
    assert "notes.xyz: no checks" in result.output  # listed, not failed

    suites = ET.parse(out / "j.xml").getroot()
    failed = {(f.get("type"), s.get("name")) for s in suites for f in s.iter("failure")}
    assert failed == {("V-RES", "lessons/bad.mp4")}
    sarif = json.loads((out / "s.sarif").read_text())
    # (the 4-second clips also get a note: too short to judge the bitrate's steadiness)
    (res,) = [r for r in sarif["runs"][0]["results"] if r["level"] != "note"]
    assert res["ruleId"] == "V-RES"
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "lessons/bad.mp4"
    (issue,) = [i for i in json.loads((out / "g.json").read_text()) if i["severity"] != "info"]
    assert issue["location"]["path"] == "lessons/bad.mp4" and issue["check_name"] == "V-RES"
    report = json.loads((out / "r.json").read_text())
    assert [f["path"] for f in report["files"]] == ["lessons/bad.mp4", "lessons/good.mp4"]
    assert [f["status"] for f in report["files"]] == ["fail", "info"]

    # Good file alone: exit 0. And a re-run from the cache says the same.
    assert invoke("--cache-dir", cache, "lessons/good.mp4").exit_code == 0
    again = invoke(*args)
    assert json.loads((out / "r.json").read_text()) == report
    assert "from the cache" in again.output


def test_parallel_output_is_sorted_like_serial(repo, media):
    for name, source in (("d.mp4", "compliant"), ("a.mp4", "res_720p"),
                         ("c/b.mp4", "res_720p"), ("b.mp4", "compliant")):  # fmt: skip
        shutil.copyfile(media(source), put(repo / name))
    serial = invoke("--no-cache", "--jobs", "1", "--format", "json")
    parallel = invoke("--no-cache", "--jobs", "2", "--format", "json")
    assert serial.exit_code == parallel.exit_code == 1
    assert serial.output == parallel.output
    paths = [f["path"] for f in json.loads(parallel.output)["files"]]
    assert paths == ["a.mp4", "b.mp4", "c/b.mp4", "d.mp4"]


def test_github_annotations_for_awkward_names(repo, media, tmp_path):
    name = "bad, one\nline:%.mp4"
    shutil.copyfile(media("res_720p"), put(repo / name))
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step output\n")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    result = invoke("--no-cache", "--lang", "en", env=env)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    (error,) = [x for x in lines if x.startswith("::error ")]
    assert error.startswith("::error file=bad%2C one%0Aline%3A%25.mp4,title=V-RES%3A ")
    assert "Checked 1 file(s): 0 passed, 0 with warnings, 1 failed." in lines
    text = summary.read_text()
    assert text.startswith("earlier step output\n### mediacheck results")
    assert "bad, one line:%.mp4" in text


def test_file_deleted_between_discover_and_probe(repo, media):
    shutil.copyfile(media("compliant"), put(repo / "a.mp4"))
    shutil.copyfile(media("compliant"), repo / "b.mp4")
    work = build([Path(".")], Config(), checkable=lambda k: k in KINDS, case_rules=False)
    assert [j.path.name for j in work.jobs] == ["a.mp4", "b.mp4"]
    (repo / "a.mp4").unlink()
    outcome = execute(work, load_profile(), jobs=1)
    gone, kept = outcome.run.files
    assert gone.status == FAIL and kept.status != FAIL
    assert any("No such file" in f.message.get("en", "") for f in gone.findings)


# ------------------------------------------------------------------ which files
def test_changed_since_checks_only_changed_and_untracked(repo, probes):
    put(repo / "old.mp4")
    put(repo / "edited.mp4")
    put(repo / "renamed.mp4")
    put(repo / "deleted.mp4")
    commit(repo)
    base = git(repo, "rev-parse", "HEAD").strip()
    put(repo / "edited.mp4", MP4_HEAD + b"new")
    git(repo, "mv", "renamed.mp4", "moved.mp4")
    (repo / "deleted.mp4").unlink()
    put(repo / "sub" / "untracked.mp4")
    (repo / ".gitignore").write_text("ignored.mp4\n")
    put(repo / "ignored.mp4")
    result = invoke("--no-cache", "--jobs", "1", "--format", "json", "--changed-since", base)
    assert result.exit_code == 0, result.output
    paths = [f["path"] for f in json.loads(result.output)["files"]]
    assert paths == ["edited.mp4", "moved.mp4", "sub/untracked.mp4"]
    # Restricted to the paths given.
    only_sub = invoke("--no-cache", "--format", "json", "--changed-since", base, "sub")
    assert [f["path"] for f in json.loads(only_sub.output)["files"]] == ["sub/untracked.mp4"]


def test_changed_since_unknown_ref_exits_2(repo, probes):
    put(repo / "a.mp4")
    commit(repo)
    result = invoke("--changed-since", "no-such-branch")
    assert result.exit_code == 2
    assert "no-such-branch" in result.output and "fetch-depth" in result.output
    assert invoke("--changed-since", "--all").exit_code == 2  # never read as a git option
    assert probes == []


def test_changed_since_outside_git_exits_2(tmp_path, monkeypatch, probes):
    monkeypatch.chdir(tmp_path)
    put(tmp_path / "a.mp4")
    result = invoke("--changed-since", "HEAD")
    assert result.exit_code == 2 and "git" in result.output


def test_shards_split_the_work_exactly(repo, probes):
    for i in range(7):
        put(repo / f"f{i}.mp4")
    seen = []
    for k in (1, 2, 3):
        result = invoke("--no-cache", "--format", "json", "--shard", f"{k}/3")
        seen.append([f["path"] for f in json.loads(result.output)["files"]])
    assert [len(s) for s in seen] == [3, 2, 2]
    assert sorted(sum(seen, [])) == [f"f{i}.mp4" for i in range(7)]
    for bad in ("0/3", "4/3", "x", "1/0"):
        assert invoke("--shard", bad).exit_code == 2


def test_other_files_are_listed_unless_the_config_fails_them(repo, probes):
    put(repo / "a.mp4")
    put(repo / "blob.xyz", b"\x00\x01\x02\x03")
    assert invoke("--no-cache").exit_code == 0
    (repo / ".mediacheck.yaml").write_text("other_files: fail\n")
    result = invoke("--no-cache", "--format", "json", "--lang", "en")
    assert result.exit_code == 1
    (blob,) = [f for f in json.loads(result.output)["files"] if f["path"] == "blob.xyz"]
    assert blob["findings"][0]["rule"] == "FILE-KIND"


def test_case_folders_go_to_check_case(repo, probes, monkeypatch):
    (repo / ".mediacheck.yaml").write_text("cases: [cases/*]\nexclude: [drafts]\n")
    for i in range(3):
        put(repo / "cases" / "街道一" / f"p{i}.jpg", b"\xff\xd8\xff\xe0" + bytes(10))
    put(repo / "cases" / "街道一" / "case.txt", "案例".encode())
    put(repo / "lesson.mp4")
    put(repo / "drafts" / "x.mp4")
    folders: list[str] = []

    def check_case(folder: Path, profile, *args, **kwargs) -> list[FileResult]:
        folders.append(Path(folder).as_posix())
        return [worklist.problem(Path(folder), "CHECK-CRASHED", "crashed", "case", detail="few")]

    monkeypatch.setattr(app, "check_case", check_case, raising=False)
    result = invoke("--no-cache", "--jobs", "1", "--format", "json")
    assert result.exit_code == 1
    assert folders == ["cases/街道一"] and probes == ["lesson.mp4"]
    # A file named inside a case (as pre-commit passes them) checks the whole case.
    folders.clear()
    invoke("--no-cache", "--jobs", "1", "cases/街道一/p1.jpg", "cases/街道一/p2.jpg")
    assert folders == ["cases/街道一"]


# ------------------------------------------------------------------ bad input
def test_unreadable_folder_is_reported_and_the_rest_checked(repo, probes, monkeypatch):
    put(repo / "a.mp4")
    put(repo / "locked" / "b.mp4")
    real_scandir = os.scandir

    def scandir(path=".", *a, **k):
        if Path(path).name == "locked":
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_scandir(path, *a, **k)

    # Root ignores chmod 000, so the walk is made to meet the same PermissionError.
    monkeypatch.setattr(os, "scandir", scandir)
    result = invoke("--no-cache", "--jobs", "1", "--format", "json", "--lang", "en")
    assert result.exit_code == 1
    files = {f["path"]: f for f in json.loads(result.output)["files"]}
    assert set(files) == {"a.mp4", "locked"}
    assert files["a.mp4"]["status"] == "pass"
    assert "Permission denied" in files["locked"]["findings"][0]["message"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can list a chmod 000 folder")
def test_unreadable_folder_for_real(repo, probes):
    put(repo / "locked" / "b.mp4")
    (repo / "locked").chmod(0)
    try:
        result = invoke("--no-cache", "--jobs", "1", "--format", "json")
    finally:
        (repo / "locked").chmod(0o755)
    assert result.exit_code == 1 and "locked" in result.output


def test_symlink_loops(repo, probes):
    put(repo / "a.mp4")
    os.symlink("self.mp4", repo / "self.mp4")  # a link to itself
    os.symlink(".", repo / "again")  # a folder link back up the tree
    result = invoke("--no-cache", "--jobs", "1", "--format", "json", "--lang", "en")
    assert result.exit_code == 1
    data = json.loads(result.output)
    loops = {f["path"]: f["findings"][0]["message"] for f in data["files"] if f["status"] == "fail"}
    assert list(loops) == ["self.mp4"] and "loop" in loops["self.mp4"]
    assert [(i["path"], i["reason"]) for i in data["listed"]] == [("again", "symlink_dir")]
    assert probes == ["a.mp4"]


def test_a_crashing_check_fails_its_file_only(repo, monkeypatch):
    put(repo / "a.mp4")
    put(repo / "boom.mp4")

    def check(path: Path, profile, kind: str, *args, **kwargs) -> FileResult:
        if Path(path).name == "boom.mp4":
            raise RuntimeError("kaput")
        return FileResult(path, kind, ())

    monkeypatch.setattr(app, "check_one", check)
    result = invoke("--no-cache", "--jobs", "1", "--format", "json", "--lang", "en")
    assert result.exit_code == 1
    files = {f["path"]: f for f in json.loads(result.output)["files"]}
    assert files["a.mp4"]["status"] == "pass"
    assert "RuntimeError: kaput" in files["boom.mp4"]["findings"][0]["message"]


def test_missing_path_exits_2_and_no_ffmpeg_is_a_finding(repo, tmp_path):
    put(repo / "a.mp4")
    assert invoke("nope.mp4").exit_code == 2
    # no ffprobe, no ffmpeg: MP4s need neither, so this is not a usage error (exit 2)
    env = {"PATH": str(tmp_path), "IMAGEIO_FFMPEG_EXE": str(tmp_path / "none")}
    result = invoke("--no-cache", "--jobs", "1", "--format", "json", "a.mp4", env=env)
    assert result.exit_code == 1 and "Traceback" not in result.output  # its moov is missing


def test_bad_format_and_output_usage(repo, probes):
    put(repo / "a.mp4")
    assert invoke("--format", "xml").exit_code == 2
    assert invoke("--format", "junit:").exit_code == 2
    assert invoke("--format", "json,table", "-o", "x.json").exit_code == 2


def test_progress_only_on_a_terminal_outside_ci(monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    monkeypatch.setenv("CI", "true")
    assert show_progress() is False
    monkeypatch.delenv("CI")
    assert show_progress() is True
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert show_progress() is False


def test_changed_since_rechecks_a_case_whose_photo_was_deleted(repo, probes, monkeypatch):
    (repo / ".mediacheck.yaml").write_text("cases: [cases/*]\n")
    for case in ("c1", "c2"):
        for i in range(2):
            put(repo / "cases" / case / f"p{i}.jpg", b"\xff\xd8\xff\xe0" + bytes(10))
    put(repo / "lesson.mp4")
    commit(repo)
    folders: list[str] = []

    def check_case(folder: Path, profile, *args, **kwargs) -> list[FileResult]:
        folders.append(Path(folder).as_posix())
        return []

    monkeypatch.setattr(app, "check_case", check_case, raising=False)
    (repo / "cases" / "c2" / "p0.jpg").unlink()  # fewer photos: c2's verdict can change
    assert invoke("--no-cache", "--jobs", "1", "--changed-since", "HEAD").exit_code == 0
    assert folders == ["cases/c2"] and probes == []


def test_changed_since_a_whole_deleted_case_is_not_a_failure(repo, probes, monkeypatch):
    (repo / ".mediacheck.yaml").write_text("cases: [cases/*]\n")
    put(repo / "cases" / "gone" / "p0.jpg", b"\xff\xd8\xff\xe0" + bytes(10))
    commit(repo)
    monkeypatch.setattr(app, "check_case", lambda folder, profile: [], raising=False)
    shutil.rmtree(repo / "cases" / "gone")
    assert invoke("--no-cache", "--jobs", "1", "--changed-since", "HEAD").exit_code == 0


def test_an_empty_case_folder_fails_its_count(repo):
    (repo / ".mediacheck.yaml").write_text('cases: ["cases/*"]\n', encoding="utf-8")
    (repo / "cases" / "empty").mkdir(parents=True)
    result = invoke("--no-cache", "--format", "json", "--lang", "en")
    assert result.exit_code == 1, result.output
    (case,) = json.loads(result.output)["files"]
    assert case["kind"] == "case" and case["path"].endswith("cases/empty")
    assert {f["rule"]: f["status"] for f in case["findings"]}["P-COUNT"] == "fail"
