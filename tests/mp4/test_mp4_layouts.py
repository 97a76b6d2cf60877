"""ffmpeg's other layouts of the same lesson (issue #13, items 1, 3, 4, 5): fragments
after a moov that holds samples, a fragment per sample, empty edits, a trim. Each is
measured as what plays, per second equal to ffprobe's packet sums."""

from __future__ import annotations

import pytest
from mp4files import ffprobe_json, ffprobe_packets
from mp4patch import ffprobe_seconds, played_seconds

from mediacheck.app import check_one
from mediacheck.model import FAIL, INFO, PASS, Facts
from mediacheck.mp4 import read_index
from mediacheck.probe.mp4 import index_facts
from mediacheck.probe.sampling import per_second_bytes
from mediacheck.profile import load_profile

PROFILE = load_profile()
FRAGMENTED = ["frag_keyframe", "frag_duration", "frag_separate_moof", "frag_every_frame"]
EDITED = ["late_start", "audio_delayed", "trimmed"]


def facts_of(path) -> Facts:
    facts = Facts(path=path, kind="video")
    index_facts(read_index(path), facts)
    return facts


def findings(path) -> dict:
    return {f.rule_id: f for f in check_one(path, PROFILE, "video").findings}


@pytest.mark.parametrize("name", [*FRAGMENTED, "frag_sidx", "fragmented"])
def test_fragmented_layouts_are_complete_and_every_sample_is_ffprobes(media, name):
    """The moov of frag_keyframe / frag_duration / separate_moof already holds the first
    fragment's samples; the fragments' sizes used to meet offsets built from them
    (125 sizes, 174 offsets) and the file was called truncated."""
    path = media(name)
    idx = read_index(path)
    assert idx.fragmented and not idx.truncated and not idx.issues
    for tr, kind in ((idx.video_tracks[0], "v"), (idx.audio_tracks[0], "a")):
        packets = ffprobe_packets(path, f"{kind}:0")
        assert len(tr.offsets) == len(tr.sizes) == len(tr.durations) == len(packets)
        assert list(tr.offsets) == [int(p["pos"]) for p in packets]
        assert list(tr.sizes) == [int(p["size"]) for p in packets]
        assert tr.samples_past_eof == 0
    assert findings(path)["V-COMPLETE"].status == PASS


def test_moov_samples_then_fragments(media):
    idx = read_index(media("frag_keyframe"))
    v = idx.video_tracks[0]
    assert idx.fragment_count >= 1 and v.decode_bases  # samples in the moov, then moofs
    assert v.decode_bases[0][0] > 0  # the first fragment starts after the moov's samples
    assert list(v.sync_samples) == [i for i in range(v.sample_count) if i % 50 == 0]


@pytest.mark.parametrize("name", [*FRAGMENTED, "frag_sidx", *EDITED])
@pytest.mark.parametrize("kind", ["v", "a"])
def test_per_second_sums_equal_ffprobes_packets(media, name, kind):
    path = media(name)
    mine = played_seconds(path, kind)
    # frag_every_frame: ffmpeg gives every other audio sample the decode time of the one
    # before (and a duration of 0), and its demuxer then drops it; its bytes are in the
    # file and a player fetches them, so they count
    theirs = ffprobe_seconds(path, kind, with_discarded=name == "frag_every_frame")
    assert len(mine) >= 2 and mine == theirs[: len(mine)]
    series = facts_of(path).get(f"{'video' if kind == 'v' else 'audio'}.bitrate_per_second")
    assert series.value == [b * 8.0 for b in mine]


def test_zero_duration_samples_do_not_shorten_the_audio(media):
    """frag_every_frame: 131 of its audio samples last 0 ticks, so their durations add up
    to 3.3 s of 4 s, and the bitrate measured 231 kbit/s instead of 128."""
    path = media("frag_every_frame")
    a = read_index(path).audio_tracks[0]
    assert sum(1 for d in a.durations if d == 0) > a.sample_count // 3
    measured = facts_of(path).get("audio.bitrate").value
    stream = ffprobe_json(path, "-show_streams", "-select_streams", "a:0")["streams"][0]
    assert measured == pytest.approx(float(stream["bit_rate"]), rel=0.01)
    assert measured == pytest.approx(128_000, rel=0.03)
    assert findings(path)["A-BITRATE"].status == PASS


def test_late_start_has_no_empty_seconds(media):
    """Both tracks start 10 s late (empty edits): seconds count from the first sample."""
    path = media("late_start")
    facts = facts_of(path)
    for kind in ("video", "audio"):
        series = facts.get(f"{kind}.bitrate_per_second").value
        assert len(series) == 4 and min(series) > 0.9 * series[1]
        assert facts.get(f"{kind}.duration").value == pytest.approx(4.0, abs=0.05)
    got = findings(path)
    assert got["A-BITRATE-CBR"].status == PASS and got["V-BITRATE"].status == PASS
    assert got["PLAY-AV-SYNC"].status == PASS


def test_delayed_audio_has_full_seconds_and_ends_late(media):
    """An empty edit delays the audio by 0.5 s: its first second is a full one from where
    it starts (it measured half of 128k), and it ends 0.5 s after the video."""
    path = media("audio_delayed")
    facts = facts_of(path)
    series = facts.get("audio.bitrate_per_second").value
    assert series[0] == pytest.approx(128_000, rel=0.05)
    assert facts.get("av.duration_diff").value == pytest.approx(0.5, abs=0.03)
    assert facts.get("audio.duration").value == pytest.approx(4.5, abs=0.03)
    assert findings(path)["A-BITRATE-CBR"].status == PASS


def test_trim_measures_what_plays(media):
    """`-ss 1.3 -c copy`: the edit list starts 1.3 s after the keyframe at 0. The 32
    frames and 1.3 s of audio before it are decoded but not shown; counted in second 0
    they doubled it, and the average was over every sample."""
    path = media("trimmed")
    idx = read_index(path)
    v, a = idx.video_tracks[0], idx.audio_tracks[0]
    for tr in (v, a):
        everything = per_second_bytes(tr.sizes, tr.presentation_times(), tr.timescale)
        assert everything[0] > 1.3 * played_seconds(path, "v" if tr is v else "a")[0]
    packets = ffprobe_packets(path, "v:0")
    shown = [p for p in packets if "D" not in p["flags"]]
    assert 30 <= len(packets) - len(shown) <= 33
    facts = facts_of(path)
    duration = float(ffprobe_json(path, "-show_streams")["streams"][0]["duration"])
    assert duration == pytest.approx(2.7)
    theirs = sum(int(p["size"]) for p in shown) * 8 / duration
    assert facts.get("video.bitrate").value == pytest.approx(theirs, rel=0.01)
    got = findings(path)
    assert got["A-BITRATE-CBR"].status == PASS and got["V-BITRATE"].status == PASS


@pytest.mark.parametrize("name", [*FRAGMENTED, "frag_sidx", *EDITED])
def test_layouts_meet_the_requirements(media, name):
    """Only MediaInfo's bitrate-mode label (a warning) may differ from the compliant
    lesson: a fragmented file's AAC reads as VBR to it."""
    result = check_one(media(name), PROFILE, "video")
    bad = {f.rule_id: f.status for f in result.findings if f.status not in (PASS, INFO)}
    assert result.status != FAIL, bad
    assert set(bad) <= {"A-BITRATE-LABEL"}, bad
