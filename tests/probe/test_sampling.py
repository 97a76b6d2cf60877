"""Measured bitrate windows and frame timing: synthetic arrays for the arithmetic,
small real clips for frame rates."""

from __future__ import annotations

import json
import math
import subprocess
from array import array
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from toolcheck import system_ffprobe

from mediacheck import tools
from mediacheck.mp4 import read_index
from mediacheck.probe.sampling import (
    MAX_SPAN_S,
    SpanError,
    WindowStats,
    av_duration_difference,
    bitrate_stats,
    frame_timing,
    frame_timing_runs,
    per_second_bytes,
    presented_seconds,
    stream_end_s,
)

FFMPEG = tools.which("ffmpeg")  # the system's or the FFmpeg wheel's


def cbr(seconds: float, *, bps: int = 128_000, rate: int = 48_000, frame: int = 1024):
    """An AAC-like stream: `frame`-tick samples whose sizes give exactly `bps`."""
    n = int(seconds * rate / frame)
    per = bps * frame / rate / 8  # bytes per frame, fractional
    sizes = array("I", (round(per * (i + 1)) - round(per * i) for i in range(n)))
    durs = array("I", [frame]) * n
    times = array("q", range(0, n * frame, frame))
    return sizes, times, durs, rate


# --- per-second sums ----------------------------------------------------------------------


def test_per_second_bytes_buckets_by_time():
    sizes = [10, 20, 30, 40, 50]
    times = [0, 999, 1000, 2500, 4999]  # timescale 1000
    assert per_second_bytes(sizes, times, 1000) == [30, 30, 40, 0, 50]


def test_pre_roll_before_zero_counts_in_second_zero():
    assert per_second_bytes([7, 10, 20], [-1024, 0, 48_000], 48_000) == [17, 20]


def test_empty_and_bad_input():
    assert per_second_bytes([], [], 1000) == []
    with pytest.raises(ValueError):
        per_second_bytes([1], [0], 0)
    with pytest.raises(ValueError):
        per_second_bytes([1, 2], [0], 1000)


def test_corrupt_span_is_refused_not_allocated():
    with pytest.raises(SpanError):
        per_second_bytes([1, 1], [0, (MAX_SPAN_S + 1) * 1000], 1000)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(-5_000, 60_000)), min_size=1, max_size=200
    ),
    st.booleans(),
)
def test_per_second_bytes_matches_a_plain_count(samples, in_order):
    """Sorted input takes the bisect path, B-frame-like disorder the loop: same answer."""
    if in_order:
        samples = sorted(samples, key=lambda s: s[1])
    sizes = [s for s, _ in samples]
    times = [t for _, t in samples]
    expect: dict[int, int] = defaultdict(int)
    for s, t in samples:
        expect[max(math.floor(t / 1000), 0)] += s
    got = per_second_bytes(sizes, times, 1000)
    assert len(got) == max(expect) + 1
    assert {k: v for k, v in enumerate(got) if v} == {k: v for k, v in expect.items() if v}


# --- the same from run-length tables (stts, ctts) -----------------------------------------


def _expand(runs):
    return [v for c, v in zip(*runs, strict=True) for _ in range(c)]


def _runs(draw, n, values):
    counts, vals = [], []
    left = n
    while left > 0 or (not counts and draw(st.booleans())):
        c = min(left, draw(st.integers(0, 12)))
        counts.append(c)
        vals.append(draw(values))
        left -= c
    return counts, vals


@st.composite
def timed_track(draw):
    """A track as the moov codes it: sizes, duration runs, offset runs, edit shift."""
    ts = draw(st.sampled_from([1, 7, 1000, 12_800, 48_000]))
    n = draw(st.integers(0, 120))
    sizes = draw(st.lists(st.integers(0, 5_000), min_size=n, max_size=n))
    durations = _runs(draw, n, st.one_of(st.just(0), st.integers(0, 3 * ts)))
    offsets = None
    if n and draw(st.booleans()):
        offsets = _runs(draw, n, st.integers(-3 * ts, 3 * ts))
        if draw(st.booleans()):  # an empty run's value still bounds the window
            offsets[0].append(0)
            offsets[1].append(draw(st.integers(-(10**6), 10**6)))
    shift = draw(st.integers(-3 * ts, 3 * ts))
    return sizes, durations, offsets, shift, ts


@settings(max_examples=400, deadline=None)
@given(timed_track())
def test_presented_seconds_equals_the_per_sample_times(track):
    """B-frame-like offsets, zero and mixed durations, edit shifts, gaps: the run-length
    path gives exactly per_second_bytes and stream_end_s of the expanded times."""
    sizes, durations, offsets, shift, ts = track
    durs = _expand(durations)
    cts = _expand(offsets) if offsets else [0] * len(sizes)
    dts = [sum(durs[:i]) for i in range(len(sizes))]
    pts = [d + c + shift for d, c in zip(dts, cts, strict=True)]
    seconds, end = presented_seconds(sizes, durations, offsets, shift, ts)
    assert seconds == per_second_bytes(sizes, pts, ts)
    assert end == stream_end_s(pts, durs, ts)
    assert frame_timing_runs(durations, ts) == frame_timing(durs, ts)


def test_presented_seconds_refuses_a_corrupt_span():
    with pytest.raises(SpanError):
        presented_seconds([1, 1], ([1, 1], [(MAX_SPAN_S + 1) * 1000, 0]), None, 0, 1000)
    with pytest.raises(SpanError):  # an absurd composition offset, not a duration
        presented_seconds([1, 1], ([2], [40]), ([1, 1], [0, (MAX_SPAN_S + 2) * 1000]), 0, 1000)
    with pytest.raises(ValueError):
        presented_seconds([1, 1], ([3], [40]), None, 0, 1000)  # runs cover 3 samples


# --- bitrate windows ----------------------------------------------------------------------


def test_constant_stream_is_inside_every_band():
    sizes, times, durs, ts = cbr(12)
    st_ = bitrate_stats(sizes, times, durs, ts, target_bps=128_000, band=0.02)
    assert st_.average_bps == pytest.approx(128_000, rel=1e-3)
    assert st_.duration_s == pytest.approx(len(durs) * 1024 / 48_000)
    w1, w5, w10 = (st_.window(w) for w in (1, 5, 10))
    # 12 s of frames ends at 11.989 s: 11 whole seconds, sliding windows
    assert (w1.count, w5.count, w10.count) == (11, 7, 2)
    for w in (w1, w5, w10):
        assert w.in_band == 1.0
        assert w.min_bps == pytest.approx(128_000, rel=0.03)
        assert w.max_bps == pytest.approx(128_000, rel=0.03)


def test_one_burst_shows_in_short_windows_only():
    sizes, times, durs, ts = cbr(20)
    for i, t in enumerate(times):
        if t // ts == 5:  # second 5 carries twice the data
            sizes[i] *= 2
    st_ = bitrate_stats(sizes, times, durs, ts, target_bps=128_000, band=0.15)
    w1, w5, w10 = (st_.window(w) for w in (1, 5, 10))
    assert w1.max_bps == pytest.approx(256_000, rel=0.03)
    assert w1.in_band == pytest.approx(18 / 19)  # 19 whole seconds, one doubled
    # the burst is in 5 of the 15 five-second windows, each then at +20 %
    assert w5.in_band == pytest.approx(10 / 15)
    # and in 6 of the 10 ten-second windows, diluted to +10 %: inside ±15 %
    assert w10.in_band == 1.0 and w10.count == 10
    assert w10.max_bps == pytest.approx(140_800, rel=0.02)


def test_a_gap_pulls_the_minimum_down():
    sizes, times, durs, ts = cbr(10)
    for i, t in enumerate(times):
        if 2 <= t // ts < 4:
            sizes[i] = 0
    st_ = bitrate_stats(sizes, times, durs, ts, target_bps=128_000)
    assert st_.window(1).min_bps < 5_000
    assert st_.window(5).min_bps < 0.7 * 128_000


def test_without_target_there_is_no_share():
    sizes, times, durs, ts = cbr(3)
    st_ = bitrate_stats(sizes, times, durs, ts)
    assert st_.target_bps is None and all(w.in_band is None for w in st_.windows)


def test_shorter_than_a_window():
    sizes, times, durs, ts = cbr(3)
    st_ = bitrate_stats(sizes, times, durs, ts, target_bps=128_000, windows=(1, 5))
    assert st_.window(5) == WindowStats(5, 0, None, None, None)
    assert st_.window(1).count == 2  # 2.987 s of audio: two whole seconds


def test_empty_stream():
    st_ = bitrate_stats([], [], [], 1000, target_bps=1)
    assert st_.average_bps is None and st_.total_bytes == 0
    assert all(w.count == 0 for w in st_.windows)


def test_delayed_track_counts_the_silent_seconds():
    """An empty edit delays a track: its first seconds carry nothing and count as such."""
    sizes, times, durs, ts = cbr(5)
    times = array("q", (t + 2 * ts for t in times))
    st_ = bitrate_stats(sizes, times, durs, ts, target_bps=128_000)
    assert st_.window(1).min_bps == 0 and st_.window(1).in_band == pytest.approx(4 / 6)


# --- frame timing -------------------------------------------------------------------------


def test_constant_frame_rate():
    ft = frame_timing(array("I", [512]) * 250, 12_800)
    assert ft.constant and ft.average_fps == 25 and ft.typical_fps == 25
    assert ft.min_fps == ft.max_fps == 25 and ft.distinct_durations == (512,)


def test_last_frame_may_differ():
    ft = frame_timing([512] * 99 + [300], 12_800)
    assert ft.constant and ft.distinct_durations == (512,)
    assert ft.average_fps == pytest.approx(100 / ((99 * 512 + 300) / 12_800))


def test_variable_frame_rate_averaging_25_is_not_constant():
    durs = [256, 768] * 50  # 50 fps and 16.7 fps alternating: 25 fps on average
    ft = frame_timing(durs, 12_800)
    assert ft.average_fps == 25 and not ft.constant
    assert ft.distinct_durations == (256, 768) and ft.distinct_duration_count == 2
    assert ft.min_fps == pytest.approx(12_800 / 768) and ft.max_fps == 50


def test_many_distinct_durations_are_capped():
    durs = list(range(100, 400)) + [0]
    ft = frame_timing(durs, 90_000)
    assert ft.distinct_duration_count == 300 and len(ft.distinct_durations) == 16
    assert ft.zero_duration_frames == 1 and not ft.constant


def test_zero_durations_and_empty():
    ft = frame_timing([0, 0, 0], 1000)
    assert ft.average_fps is None and ft.zero_duration_frames == 3 and not ft.constant
    assert ft.min_fps is None and ft.max_fps is None
    ft = frame_timing([], 1000)
    assert ft.frame_count == 0 and ft.average_fps is None and not ft.constant
    one = frame_timing([40], 1000)
    assert one.constant and one.average_fps == 25


def test_av_difference():
    assert av_duration_difference(10.0, 9.5).difference_s == pytest.approx(0.5)
    assert stream_end_s([0, 1000, 2000], [1000, 1000, 1500], 1000) == 3.5
    assert stream_end_s([-1024, 0], [1024, 1024], 48_000) == pytest.approx(1024 / 48_000)


# --- real clips ---------------------------------------------------------------------------


def _ffmpeg(*args: str) -> None:
    assert FFMPEG
    subprocess.run(
        [FFMPEG, "-v", "error", "-nostdin", "-y", *args],
        check=True,
        timeout=120,
        capture_output=True,
    )


def _stream(path: Path, sel: str) -> dict:
    out = subprocess.run(
        [system_ffprobe(), "-v", "error", "-select_streams", sel, "-show_streams", "-of", "json"]
        + [f"file:{path}"],
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)["streams"][0]


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Small 25 fps clips with audio: constant, variable (every 5th frame dropped),
    and audio 1 s shorter than the video."""
    if not FFMPEG:
        pytest.skip("needs ffmpeg")
    d = tmp_path_factory.mktemp("sampling")
    video = ["-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25:duration=2"]
    enc = ["-c:v", "libx264", "-preset", "veryfast", "-c:a", "aac", "-b:a", "128k"]
    out = {n: d / f"{n}.mp4" for n in ("cfr", "vfr", "short_audio")}
    audio2 = ["-f", "lavfi", "-i", "sine=sample_rate=48000:duration=2"]
    audio1 = ["-f", "lavfi", "-i", "sine=sample_rate=48000:duration=1"]
    _ffmpeg(*video, *audio2, *enc, f"file:{out['cfr']}")
    drop = "select='not(eq(mod(n\\,5)\\,2))'"
    _ffmpeg(*video, *audio2, "-vf", drop, "-fps_mode", "vfr", *enc, f"file:{out['vfr']}")
    _ffmpeg(*video, *audio1, *enc, f"file:{out['short_audio']}")
    return out


def _measure(path: Path):
    idx = read_index(path)
    (v,) = idx.video_tracks
    (a,) = idx.audio_tracks
    return idx, v, a


def test_real_constant_25fps(small):
    idx, v, a = _measure(small["cfr"])
    ft = frame_timing(v.durations, v.timescale)
    fv = _stream(small["cfr"], "v:0")
    assert ft.constant and ft.average_fps == pytest.approx(25)
    assert ft.frame_count == int(fv["nb_frames"]) == 50
    assert Fraction(fv["avg_frame_rate"]) == 25


def test_real_variable_frame_rate(small):
    idx, v, a = _measure(small["vfr"])
    ft = frame_timing(v.durations, v.timescale)
    fv = _stream(small["vfr"], "v:0")
    assert not ft.constant and ft.distinct_duration_count >= 2
    assert ft.frame_count == int(fv["nb_frames"]) == 40
    assert ft.average_fps == pytest.approx(float(Fraction(fv["avg_frame_rate"])), rel=0.02)
    assert ft.max_fps == pytest.approx(25) and ft.min_fps == pytest.approx(12.5)


def test_real_bitrate_average_matches_ffprobe(small):
    idx, v, a = _measure(small["cfr"])
    for tr, sel in ((v, "v:0"), (a, "a:0")):
        pts = tr.presentation_times()
        st_ = bitrate_stats(tr.sizes, pts, tr.durations, tr.timescale)
        # ffprobe's mov bit_rate is also total sample bytes over summed durations
        assert abs(st_.average_bps - int(_stream(small["cfr"], sel)["bit_rate"])) <= 1


def test_real_av_difference(small):
    def diff(path: Path) -> float:
        idx, v, a = _measure(path)
        ends = [stream_end_s(t.presentation_times(), t.durations, t.timescale) for t in (v, a)]
        return av_duration_difference(*ends).difference_s

    assert abs(diff(small["cfr"])) < 0.03
    assert diff(small["short_audio"]) == pytest.approx(1.0, abs=0.03)
