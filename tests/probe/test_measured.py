"""Issue #3: verdicts on bitrate, CBR audio and frame rate come from the samples.

Real fixtures, real tools. The sample-table reader itself is tested in tests/mp4/
(including per-second sums equal to ffprobe's packet sums).
"""

from __future__ import annotations

import random
import shutil
import subprocess

import pytest

from mediacheck import tools
from mediacheck.app import check_files, check_one
from mediacheck.model import FAIL, PASS, WARN
from mediacheck.probe.video import probe_video
from mediacheck.profile import load_profile

PROFILE = load_profile()


def finding(path, rule, deep=False):
    result = check_one(path, PROFILE, "video", deep=deep)
    return next(f for f in result.findings if f.rule_id == rule)


def test_honest_cbr_passes_from_measurement(media):
    f = finding(media("compliant"), "V-BITRATE")
    assert f.status == PASS
    assert f.measured.source == "measured"
    assert 3.4e6 < f.measured.value < 3.7e6
    cbr = finding(media("compliant"), "A-BITRATE-CBR")
    assert cbr.status == PASS and cbr.measured.source == "measured"


def test_8m_fails_with_measured_value(media):
    f = finding(media("bitrate_8m"), "V-BITRATE")
    assert f.status == FAIL and f.measured.value > 7.5e6
    assert "Mbit/s" in f.message["en"] and "Mbit/s" in f.message["zh"]


@pytest.mark.parametrize("name", ["audio_silence_gated", "audio_vbr"])
def test_audio_that_is_not_constant_fails(media, name):
    f = finding(media(name), "A-BITRATE-CBR")
    assert f.status == FAIL
    assert min(f.measured.value) < 0.9 * 128_000 or max(f.measured.value) > 1.1 * 128_000
    assert "kbit/s" in f.measured_text["en"]


def test_silence_gated_dips_are_measured(media):
    series = finding(media("audio_silence_gated"), "A-BITRATE-CBR").measured.value
    assert min(series) < 20_000  # ffmpeg's AAC encoder at -b:a 128k in digital silence
    assert max(series) > 120_000


def test_vfr_fails_with_min_and_max_rates(media):
    f = finding(media("vfr"), "V-FPS-CONSTANT")
    assert f.status == FAIL and f.measured.value == "VFR"
    assert "16.667 fps" in f.message["en"] and "50 fps" in f.message["en"]
    # its average is exactly 25, which is why the average alone cannot decide
    assert finding(media("vfr"), "V-FPS").status == PASS


def test_truncated_fails_from_sample_offsets(media):
    f = finding(media("truncated"), "V-COMPLETE")
    assert f.status == FAIL and f.measured.source == "measured"
    facts = probe_video(media("truncated"))
    assert facts.get("file.missing_bytes").value > 0


def test_av_mismatch_warns(media):
    f = finding(media("av_mismatch"), "PLAY-AV-SYNC")
    assert f.status == WARN and f.measured.value == pytest.approx(2.0, abs=0.1)


def test_moov_at_end_still_measured(media):
    assert finding(media("moov_at_end"), "V-BITRATE").measured.source == "measured"


def test_other_containers_fall_back_to_a_packet_scan(media, tmp_path):
    mkv = tmp_path / "lesson.mkv"
    remux = [tools.find("ffmpeg"), "-v", "error", "-i", str(media("compliant")), "-c", "copy"]
    subprocess.run([*remux, str(mkv)], check=True)
    result = check_one(mkv, PROFILE, "video")
    got = {f.rule_id: f for f in result.findings}
    assert got["V-CONTAINER"].status == FAIL
    assert got["V-BITRATE"].measured.source == "measured"
    assert got["V-BITRATE"].status == PASS
    assert got["V-FPS-CONSTANT"].status == PASS
    assert got["A-BITRATE-CBR"].status == PASS


def test_deep_decode_stamps_errors_with_positions(media, tmp_path):
    damaged = tmp_path / "damaged.mp4"
    shutil.copyfile(media("compliant"), damaged)
    data = bytearray(damaged.read_bytes())
    noise = random.Random(1)
    for k in range(1, 10):  # seeded garbage at nine places in the media data
        at = len(data) * k // 10
        data[at : at + 3000] = bytes(noise.randrange(256) for _ in range(3000))
    damaged.write_bytes(bytes(data))
    seen: list[float] = []
    run = check_files(
        [damaged], PROFILE, "video", deep=True, on_progress=lambda p, t: seen.append(t)
    )
    f = next(f for f in run.files[0].findings if f.rule_id == "PLAY-DECODE")
    assert f.status == WARN and f.measured.value > 0
    assert " s: " in f.message["en"]  # errors are stamped with a position
    assert seen  # progress was reported


@pytest.mark.parametrize(
    "name", ["compliant", "truncated", "vfr", "no_audio", "no_video", "audio_silence_gated"]
)
def test_facts_are_as_if_labels_came_first(media, name):
    """The sample tables' facts are computed while MediaInfo parses in its thread, and
    applied after its labels: the same facts as doing the two one after the other."""
    from mediacheck.model import FILESYSTEM, Facts
    from mediacheck.mp4 import read_index
    from mediacheck.probe.mediainfo import mediainfo_facts, run_mediainfo
    from mediacheck.probe.mp4 import index_facts

    path = media(name)
    ref = Facts(path=path, kind="video")
    ref.set("file.size", path.stat().st_size, "bytes", FILESYSTEM)
    mediainfo_facts(run_mediainfo(path), ref)
    index_facts(read_index(path), ref)
    ref.absent("decode.errors", "not_requested")
    got = probe_video(path)
    assert got.values == ref.values
    assert got.missing == ref.missing and got.series == ref.series
