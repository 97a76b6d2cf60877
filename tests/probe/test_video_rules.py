"""Every video rule has a passing and a failing fixture, checked with the real ffprobe and
MediaInfo on media made by fixtures/make_fixtures.py."""

from __future__ import annotations

import pytest

from mediacheck.app import check_files
from mediacheck.model import FAIL, INFO, PASS, WARN, FileResult
from mediacheck.profile import load_profile

PROFILE = load_profile()


def check(path) -> FileResult:
    (result,) = check_files([path], PROFILE, "video").files
    return result


def statuses(result: FileResult) -> dict[str, str]:
    return {f.rule_id: f.status for f in result.findings}


def test_compliant_passes_every_rule(media):
    result = check(media("compliant"))
    # PLAY-DECODE needs --deep; without it the rule says nothing.
    expected = {r.id: PASS for r in PROFILE.for_kind("video") if r.id != "PLAY-DECODE"}
    assert statuses(result) == expected
    assert result.status == PASS


# (fixture, rule, status it must get). Each rule's passing case is `compliant` above.
FAILING = [
    ("mov", "V-CONTAINER", FAIL),
    ("mov_renamed.mp4", "V-CONTAINER", FAIL),
    ("truncated", "V-COMPLETE", FAIL),
    ("no_video", "V-STREAMS", FAIL),
    ("hevc", "V-CODEC", FAIL),
    ("res_720p", "V-RES", FAIL),
    ("rotated", "V-RES", FAIL),
    ("bitrate_8m", "V-BITRATE", FAIL),
    ("bitrate_1m", "V-BITRATE", FAIL),
    ("fps_30", "V-FPS", FAIL),
    ("vfr", "V-FPS-CONSTANT", FAIL),
    ("audio_44k", "A-RATE", FAIL),
    ("audio_64k", "A-BITRATE", FAIL),
    ("audio_vbr", "A-BITRATE-CBR", FAIL),
    ("audio_silence_gated", "A-BITRATE", FAIL),
    ("audio_mono", "A-CHANNELS", FAIL),
    ("audio_mp3", "PLAY-AAC", WARN),
    ("yuv444", "PLAY-PIXFMT", WARN),
    ("interlaced", "PLAY-PROGRESSIVE", WARN),
    ("moov_at_end", "PLAY-FASTSTART", WARN),
    ("two_audio", "PLAY-ONE-AUDIO", WARN),
]


@pytest.mark.parametrize(("name", "rule", "status"), FAILING, ids=[f[0] for f in FAILING])
def test_each_rule_fails_on_its_fixture(media, name, rule, status):
    result = check(media(name))
    got = statuses(result)
    assert got[rule] == status, got
    finding = next(f for f in result.findings if f.rule_id == rule)
    for lang in ("zh", "en"):
        assert finding.message[lang] and finding.hint[lang]
        assert finding.measured_text[lang] and finding.expected_text[lang]


def test_anamorphic_displays_full_hd(media):
    assert statuses(check(media("anamorphic")))["V-RES"] == PASS


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
