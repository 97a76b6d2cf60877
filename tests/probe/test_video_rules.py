"""Video verdicts beyond one rule's status (which are rule cases: tests/rules/cases/
video.yaml): measured values, messages, one row for a non-video, runs of several files.
Real ffprobe and MediaInfo on media made by fixtures/make_fixtures.py."""

from __future__ import annotations

import pytest

from mediacheck.app import check_files
from mediacheck.model import FAIL, INFO, WARN, FileResult
from mediacheck.profile import load_profile

PROFILE = load_profile()


def check(path) -> FileResult:
    (result,) = check_files([path], PROFILE, "video").files
    return result


def statuses(result: FileResult) -> dict[str, str]:
    return {f.rule_id: f.status for f in result.findings}


def test_resolution_shows_measured_and_required(media):
    finding = next(f for f in check(media("res_720p")).findings if f.rule_id == "V-RES")
    assert finding.measured.value == [1280, 720]
    assert finding.measured.source == "header"  # the SPS and track header, read directly
    assert "1280×720" in finding.message["en"] and "1920×1080" in finding.message["en"]
    assert "1280×720" in finding.message["zh"] and "1920×1080" in finding.message["zh"]


def test_no_audio_fails_audio_rules_with_a_reason(media):
    result = check(media("no_audio"))
    got = statuses(result)
    for rule in ("A-RATE", "A-BITRATE", "A-CHANNELS"):
        assert got[rule] == FAIL
    finding = next(f for f in result.findings if f.rule_id == "A-CHANNELS")
    assert finding.measured is None
    assert finding.measured_text == {"zh": "没有音频轨道", "en": "no audio track"}


@pytest.mark.parametrize("name", ["empty", "text_as_mp4", "jpeg_as_mp4"])
def test_not_a_video_is_one_clear_row(media, name):
    result = check(media(name))
    assert [f.rule_id for f in result.findings] == ["V-READABLE"]
    assert result.status == FAIL
    assert (
        "not a video" in result.findings[0].message["en"]
        or "empty" in (result.findings[0].message["en"])
    )


def test_a_bad_file_does_not_stop_the_others(media):
    run = check_files(
        [media("empty"), media("compliant"), media("truncated"), media("res_720p")],
        PROFILE,
        "video",
    )
    # the 4-second compliant clip passes, with a note (too short to judge steadiness)
    assert [r.status for r in run.files] == [FAIL, INFO, FAIL, FAIL]
    assert run.exit_code() == 1


def test_warnings_fail_only_under_strict(media):
    run = check_files([media("moov_at_end")], PROFILE, "video")
    assert run.files[0].status == WARN
    assert run.exit_code() == 0
    assert run.exit_code(strict=True) == 1
