"""MediaInfo started before the command line is parsed (`mediacheck video FILE`): the
same answer as a child started at sniff time, taken only for that same file, and never
left running. Real MediaInfo, real clips."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from mediacheck.probe import mediainfo, mediainfo_early


@pytest.fixture(autouse=True)
def _no_leftover():
    yield
    mediainfo_early._stop_unused()


def test_the_early_child_is_taken_and_answers_as_a_late_one(media):
    clip = media("compliant")
    late = mediainfo.run_mediainfo(clip)
    mediainfo_early.start(["video", "--format", "json", str(clip)])
    early = mediainfo_early._early
    assert early is not None
    labels = mediainfo.Labels(clip)
    try:
        assert labels._proc is early[1]  # the child started before parsing, not a new one
        assert labels.result() == late
    finally:
        labels.close()
    assert mediainfo_early._early is None


@pytest.mark.parametrize(
    "words",
    [
        lambda clip, other: ["check", str(clip)],  # only `video`
        lambda clip, other: ["video", str(clip), str(other)],  # two files: worker processes
        lambda clip, other: ["video", "--config", str(clip.parent / "nothing-here.yaml")],
        lambda clip, other: ["video", str(clip.with_suffix(".absent"))],
    ],
)
def test_no_early_child_unless_one_mp4_file(media, tmp_path, words):
    clip = media("compliant")
    other = tmp_path / "second.mp4"
    shutil.copyfile(clip, other)
    mediainfo_early.start(words(clip, other))
    assert mediainfo_early._early is None


def test_a_word_that_is_not_an_mp4_does_not_count(media, tmp_path):
    clip = media("compliant")
    notes = tmp_path / "notes.txt"
    notes.write_text("not a video", encoding="utf-8")
    mediainfo_early.start(["video", str(notes), str(clip)])
    assert mediainfo_early._early is not None  # the text file is not a second video


def test_another_file_under_the_same_name_is_not_given_its_answer(media, tmp_path):
    target = tmp_path / "lesson.mp4"
    shutil.copyfile(media("compliant"), target)
    mediainfo_early.start(["video", str(target)])
    proc = mediainfo_early._early[1]
    replacement = tmp_path / "new.mp4"
    shutil.copyfile(media("res_720p"), replacement)
    os.replace(replacement, target)  # a new inode under the old name
    assert mediainfo_early.take(target) is None
    mediainfo_early._stop_unused()
    assert proc.poll() is not None  # stopped, not left running


def test_the_command_gives_the_same_report_with_and_without_the_early_start(media):
    """End to end: `video FILE` (started early) and `video FILE FILE`'s first result."""
    clip = media("compliant")
    src = os.path.dirname(os.path.dirname(os.path.dirname(mediainfo.__file__)))
    env = {**os.environ, "PYTHONPATH": src}

    def findings(*paths: str) -> list[dict]:
        out = subprocess.run(
            [sys.executable, "-m", "mediacheck", "video", "--format", "json", *paths],
            capture_output=True, text=True, env=env, check=False, timeout=120,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout)["files"][0]["findings"]

    early = findings(str(clip))
    rules = {f["rule"]: f["status"] for f in early}
    assert rules["A-BITRATE-LABEL"] == "pass"
    assert early == findings(str(clip), str(clip))  # the same file twice: one job, no early
