"""Replaying a repeated, fully cached `mediacheck check` (replay.py): a run is replayed
only when nothing it depended on changed, and gives then exactly what it gave; any change
is a miss that runs (and answers) afresh. Real clips, real subprocesses; with
MEDIACHECK_REPLAY=why a run says on stderr whether it was kept, and why not."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import make_fixtures
import pytest

RECORDED = b"mediacheck replay: recorded\n"
WHY = b"mediacheck replay: "
PROFILE = Path(__file__).resolve().parents[1] / "rules" / "shanghai-2024.yaml"


class Run:
    """A finished run; `ran`: it imported click, so it was run, not replayed. The
    interpreter's own -X importtime lines are left out of stderr."""

    def __init__(self, proc: subprocess.CompletedProcess[bytes]) -> None:
        lines = proc.stderr.splitlines(keepends=True)
        timed = [line.decode().rsplit("|", 1)[-1].strip() for line in lines
                 if line.startswith(b"import time:")]  # fmt: skip
        self.modules = set(timed)
        self.ran = "click" in self.modules
        self.returncode, self.stdout = proc.returncode, proc.stdout
        self.stderr = b"".join(line for line in lines if not line.startswith(b"import time:"))


class Tree:
    """A folder with clips (an hour old), a cache folder, and the one command line."""

    def __init__(self, root: Path, clips: dict[str, str]) -> None:
        self.root, self.cwd, self.cache = root, root / "work", root / "cache"
        self.report = self.cwd / "report.json"
        (self.cwd / "clips").mkdir(parents=True)
        (root / "home").mkdir()
        for name, variant in clips.items():
            self.put(name, variant)
        self.args = ["check", "clips", "--cache-dir", str(self.cache),
                     "--format", f"json:{self.report}"]  # fmt: skip
        self.env = {"PATH": os.environ.get("PATH", ""), "HOME": str(root / "home"), "CI": "true",
                    "COLUMNS": "120", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
                    "MEDIACHECK_REPLAY": "why"}  # fmt: skip
        if "PYTHONPATH" in os.environ:
            self.env["PYTHONPATH"] = os.environ["PYTHONPATH"]

    def put(self, name: str, variant: str) -> Path:
        target = self.cwd / "clips" / name
        shutil.copyfile(make_fixtures.get(variant), target)
        old = time.time() - 3600  # the result cache's racy-mtime guard stays out
        os.utime(target, (old, old))
        return target

    def run(self, *extra: str, env: dict[str, str] | None = None) -> Run:
        proc = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "mediacheck", *self.args, *extra],
            cwd=self.cwd, env={**self.env, **(env or {})}, capture_output=True, timeout=300,
        )  # fmt: skip
        return Run(proc)

    def settle(self) -> None:
        """Wait out the racy guard: a run is kept only when nothing it reads changed in
        the 2 s before it (os.utime and copies just gave files a new ctime)."""
        newest = max(p.stat().st_ctime for p in [self.root, *self.root.rglob("*")])
        time.sleep(max(0.0, newest + 2.1 - time.time()))

    def records(self) -> list[Path]:
        folder = self.cache / "replay"
        return sorted(folder.iterdir()) if folder.is_dir() else []

    def recorded(self) -> Run:
        """First run (probes), settle, second run (kept): the kept run."""
        first = self.run()
        assert first.ran and WHY not in first.stderr, first.stderr  # it probed: not considered
        self.settle()
        kept = self.run()
        assert kept.ran and kept.stderr.endswith(RECORDED), kept.stderr
        return kept


def same(replayed: Run, kept: Run) -> bool:
    """`replayed` was a replay of `kept`: not run, and what it said, byte for byte."""
    return not replayed.ran and (replayed.returncode, replayed.stdout,
                                 replayed.stderr + RECORDED) == (
        kept.returncode, kept.stdout, kept.stderr)  # fmt: skip


@pytest.fixture
def tree(tmp_path: Path, media) -> Tree:  # type: ignore[no-untyped-def]
    return Tree(tmp_path, {"a.mp4": "compliant", "b.mp4": "compliant"})


def test_a_third_run_is_replayed_byte_for_byte_without_click(tree):
    kept = tree.recorded()
    assert len(tree.records()) == 1 and kept.returncode == 0
    report = tree.report.read_bytes()
    replayed = tree.run()
    assert same(replayed, kept) and "mediacheck.replay" in replayed.modules
    assert tree.report.read_bytes() == report
    assert not list(tree.cwd.glob(".*.tmp"))


def test_a_failing_clip_is_replayed_with_its_exit_code(tmp_path, media):
    t = Tree(tmp_path, {"a.mp4": "compliant", "small.mp4": "res_720p"})
    kept = t.recorded()
    assert kept.returncode == 1
    report = t.report.read_bytes()
    replayed = t.run()
    assert same(replayed, kept) and t.report.read_bytes() == report


def test_a_deleted_report_is_written_again(tree):
    kept = tree.recorded()
    report = tree.report.read_bytes()
    tree.report.unlink()
    replayed = tree.run()
    assert same(replayed, kept)
    assert tree.report.read_bytes() == report
    assert not list(tree.cwd.glob(".*.tmp"))


def test_a_report_edited_by_hand_is_written_again_an_identical_one_left_alone(tree):
    kept = tree.recorded()
    report = tree.report.read_bytes()
    before = tree.report.stat()
    replayed = tree.run()  # the file holds the bytes already: not written, no fsync
    assert same(replayed, kept) and tree.report.stat().st_ino == before.st_ino
    tree.report.write_bytes(report.replace(b'"passed"', b'"PASSED"'))  # same size
    assert same(tree.run(), kept)
    assert tree.report.read_bytes() == report


def _edit_in_place(t: Tree) -> None:
    """Same size, same mtime, other bytes: only ctime (and the bytes) tell."""
    clip = t.cwd / "clips" / "a.mp4"
    st = clip.stat()
    with open(clip, "r+b") as fh:
        fh.seek(st.st_size - 16)
        fh.write(bytes(16))
    os.utime(clip, ns=(st.st_atime_ns, st.st_mtime_ns))


CHANGES = {
    "clip edited in place, size and mtime kept": _edit_in_place,
    "clip replaced by a failing one": lambda t: (
        (t.cwd / "clips" / "a.mp4").unlink(),
        t.put("a.mp4", "res_720p"),
    ),
    "clip added": lambda t: t.put("c.mp4", "res_720p"),
    "clip removed": lambda t: (t.cwd / "clips" / "b.mp4").unlink(),
    "clip renamed": lambda t: (t.cwd / "clips" / "b.mp4").rename(t.cwd / "clips" / "z.mp4"),
    "config in cwd": lambda t: (t.cwd / ".mediacheck.yaml").write_text(
        "exclude: ['clips/b.mp4']\n"
    ),
    "config in a parent folder": lambda t: (t.root / ".mediacheck.yaml").write_text(
        "exclude: ['clips/b.mp4']\n"
    ),
    "cache folder deleted": lambda t: shutil.rmtree(t.cache),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_is_a_miss_that_answers_afresh(tree, change):
    kept = tree.recorded()
    assert same(tree.run(), kept)  # replayed while nothing changed
    CHANGES[change](tree)
    fresh = tree.run()
    truth = tree.run(env={"MEDIACHECK_REPLAY": "0"})
    assert fresh.ran and (fresh.returncode, fresh.stdout) == (truth.returncode, truth.stdout)
    if change.startswith("clip edited"):  # the verdict is the cache's; the run is not replayed
        assert b"a.mp4 changed too recently" in fresh.stderr, fresh.stderr


def test_another_environment_or_command_line_is_another_record(tree):
    kept = tree.recorded()
    other = tree.run(env={"SOMETHING": "else"})
    assert other.ran and other.stderr.endswith(RECORDED)  # run, and kept under its own key
    chinese = tree.run("--lang", "zh")
    assert chinese.ran and chinese.stderr.endswith(RECORDED) and chinese.stdout != kept.stdout
    assert len(tree.records()) == 3
    assert same(tree.run(), kept)


def test_an_edited_profile_is_a_miss(tree, tmp_path):
    profile = tmp_path / "mine.yaml"
    shutil.copyfile(PROFILE, profile)
    old = time.time() - 3600
    os.utime(profile, (old, old))
    tree.args += ["--profile", str(profile)]
    kept = tree.recorded()
    assert kept.returncode == 0 and same(tree.run(), kept)
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace("expected: [1920, 1080]", "expected: [3840, 2160]", 1),
                       encoding="utf-8")  # fmt: skip
    fresh = tree.run()
    assert fresh.ran and fresh.returncode == 1 and WHY not in fresh.stderr  # probed again


def test_no_cache_is_never_recorded(tree):
    tree.args.append("--no-cache")
    for _ in range(2):
        tree.settle()
        proc = tree.run()
        assert proc.ran and proc.returncode == 0 and WHY not in proc.stderr
    assert tree.records() == []


def test_a_racy_file_is_not_recorded(tree):
    tree.run()  # probes, fills the cache
    tree.settle()
    clip = tree.cwd / "clips" / "a.mp4"
    st = clip.stat()
    os.utime(clip, ns=(st.st_atime_ns, st.st_mtime_ns))  # the same stat, but ctime now
    proc = tree.run()  # answered by the cache, but a.mp4 changed in the same 2 s
    assert proc.ran and proc.returncode == 0
    assert b"a.mp4 changed too recently" in proc.stderr and tree.records() == []


def test_a_corrupt_record_is_a_miss_never_a_traceback(tree):
    kept = tree.recorded()
    (record,) = tree.records()
    for garbage in (b"", b"\x00" * 100, os.urandom(5000), record.read_bytes()[:-1] + b"!"):
        record.write_bytes(garbage)
        proc = tree.run()
        assert proc.ran and proc.stderr.endswith(RECORDED) and b"Traceback" not in proc.stderr
        assert (proc.returncode, proc.stdout) == (kept.returncode, kept.stdout)
    assert same(tree.run(), kept)


def test_replay_off(tree):
    tree.env["MEDIACHECK_REPLAY"] = "0"
    for _ in range(3):
        tree.settle()
        proc = tree.run()
        assert proc.ran and proc.returncode == 0
    assert tree.records() == []


def test_a_report_in_a_folder_the_walker_lists_is_part_of_what_it_saw(tree):
    """Only where the import system alone listed a folder is a deleted report written
    again; the walker saw the report (here excluded, as a report must be: it would be
    checked otherwise), so without it the run is run."""
    (tree.cwd / ".mediacheck.yaml").write_text("exclude: ['report.json']\n")
    tree.args = ["check", ".", "--cache-dir", str(tree.cache), "--format", "json:report.json"]
    kept = tree.recorded()  # the second run walked a folder with the report in it
    assert same(tree.run(), kept)
    tree.report.unlink()
    fresh = tree.run()
    truth = tree.run(env={"MEDIACHECK_REPLAY": "0"})
    assert fresh.ran and (fresh.returncode, fresh.stdout) == (truth.returncode, truth.stdout)


def test_an_appended_step_summary_is_never_replayed(tree):
    summary = tree.root / "summary.md"
    tree.env.update(GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary))
    tree.run()
    tree.settle()
    sizes = []
    for _ in range(3):
        proc = tree.run()
        assert proc.ran and b"an output was also read" in proc.stderr or WHY not in proc.stderr
        sizes.append(summary.stat().st_size)
    assert sizes[0] < sizes[1] < sizes[2] and tree.records() == []


def test_a_run_that_starts_a_program_is_not_recorded(tree):
    """--changed-since asks git: a subprocess, which a replay would not redo."""
    git = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": tree.env["HOME"],
           "PATH": tree.env["PATH"]}  # fmt: skip
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "c"]):
        subprocess.run(["git", *args], cwd=tree.cwd, env=git, check=True, capture_output=True)
    tree.args.extend(["--changed-since", "HEAD"])
    tree.settle()
    for _ in range(2):
        proc = tree.run()
        assert proc.ran and WHY in proc.stderr and not proc.stderr.endswith(RECORDED)
        assert b"/dev/null" in proc.stderr or b"subprocess" in proc.stderr, proc.stderr
    assert tree.records() == []


def test_an_html_report_is_not_recorded(tree):
    """It prints the time it was made."""
    tree.args[-1] = f"html:{tree.cwd / 'report.html'}"
    tree.run()
    tree.settle()
    proc = tree.run()
    assert proc.ran and proc.returncode == 0 and WHY in proc.stderr, proc.stderr
    assert tree.records() == []
