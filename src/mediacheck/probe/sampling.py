"""Measured bitrate and frame timing from per-sample sizes and timestamps.

Pure functions over sequences of ints (the `array.array`s of `mediacheck.mp4.Track`, or a
packet scan of another container): no I/O, no subprocess. Results are small frozen
dataclasses of plain numbers, meant to become facts with source "measured".

Conventions:

- Times are integer ticks of `timescale` per second. Sums bucket samples by
  *presentation* time (dts + cts + edit shift, `Track.presentation_times()`), the same
  clock as ffprobe's packet `pts_time`, so second k holds the samples with
  k <= pts < k + 1. Samples before 0 are counted in second 0. (What an MP4's facts
  measure is narrower: played.py keeps only the samples its edit list presents, and
  counts seconds from the first of them.)
- Windows slide by one second over the *whole* seconds of the stream: a window of
  w seconds starts at every whole second where w whole seconds follow. The final,
  partial second is left out, or a clip ending at 10.4 s would always show a dip.
  Sliding (not tumbling) windows catch a burst wherever it falls; for w = 1 both
  are the same.
- A band is relative: band=0.10 means target ±10 %.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate, islice
from operator import add, gt, mul
from typing import NamedTuple

__all__ = [
    "AvDifference",
    "BitrateStats",
    "FrameTiming",
    "SpanError",
    "WindowStats",
    "av_duration_difference",
    "bitrate_stats",
    "frame_timing",
    "frame_timing_runs",
    "per_second_bytes",
    "presented_seconds",
    "stream_end_s",
]

DEFAULT_WINDOWS = (1, 5, 10)
# Longest time span bucketed per second. Timestamps come from the file, and one
# corrupt duration must not make us allocate (or loop over) years of empty seconds.
MAX_SPAN_S = 48 * 3600


class SpanError(ValueError):
    """The samples' timestamps span more than MAX_SPAN_S: the timing is corrupt."""


MAX_LISTED_DURATIONS = 16

# (counts, values): values[j] repeated counts[j] times, as stts and ctts code them
Runs = tuple[Sequence[int], Sequence[int]]


class WindowStats(NamedTuple):
    seconds: int  # window length
    count: int  # number of windows (0 when the stream is shorter than one window)
    min_bps: float | None
    max_bps: float | None
    in_band: float | None  # share (0..1) of windows within the band; None without a target


class BitrateStats(NamedTuple):
    total_bytes: int
    duration_s: float  # sum of sample durations
    average_bps: float | None  # total_bytes * 8 / duration_s
    target_bps: float | None
    band: float  # relative, 0.10 = ±10 %
    windows: tuple[WindowStats, ...]

    def window(self, seconds: int) -> WindowStats | None:
        return next((w for w in self.windows if w.seconds == seconds), None)


class FrameTiming(NamedTuple):
    frame_count: int
    duration_s: float  # sum of sample durations
    average_fps: float | None  # frame_count / duration_s
    timescale: int
    # Distinct decode durations (ticks), ignoring the last frame whose duration muxers
    # often guess; sorted, at most MAX_LISTED_DURATIONS of them.
    distinct_durations: tuple[int, ...]
    distinct_duration_count: int
    typical_fps: float | None  # from the most frequent duration
    min_fps: float | None  # from the longest duration
    max_fps: float | None  # from the shortest non-zero duration
    zero_duration_frames: int
    constant: bool  # one duration throughout (the last frame may differ), none zero


class AvDifference(NamedTuple):
    video_s: float
    audio_s: float
    difference_s: float  # video - audio: positive when the audio ends first


def per_second_bytes(sizes: Sequence[int], times: Sequence[int], timescale: int) -> list[int]:
    """Bytes per presentation second: out[k] = sum of sizes with k <= t/timescale < k+1.

    Raises SpanError when the timestamps run past MAX_SPAN_S (corrupt timing).
    """
    if timescale <= 0:
        raise ValueError("timescale must be positive")
    if not len(times):
        return []
    last = max(times) // timescale
    if last > MAX_SPAN_S:
        raise SpanError(f"samples run to {last} s, beyond the {MAX_SPAN_S} s this measures")
    out = [0] * (max(last, 0) + 1)
    if len(sizes) != len(times):
        raise ValueError("sizes and times differ in length")
    if not any(map(gt, times, islice(times, 1, None))):
        # In presentation order (audio, video without B-frames): cut at each second
        # with bisect and let C sum the slices.
        a = bisect_left(times, timescale)  # everything before 1 s, pre-roll included
        out[0] = sum(sizes[:a])
        n = len(times)
        while a < n:  # one step per occupied second, so gaps cost nothing
            k = times[a] // timescale
            b = bisect_left(times, (k + 1) * timescale, a)
            out[k] = sum(sizes[a:b])
            a = b
        return out
    for size, t in zip(sizes, times, strict=True):
        k = t // timescale
        out[k if k > 0 else 0] += size
    return out


class Clock:
    """Times of samples whose durations come as runs: sample i of run j is at
    times[j] + (i - starts[j]) * deltas[j]. Durations are not negative, so times never
    fall, and the first sample at or after a time is found by arithmetic within its run
    (a constant frame rate is one run) rather than by a search over every sample."""

    __slots__ = ("counts", "deltas", "starts", "times", "runs")

    def __init__(self, runs: Runs, origin: int) -> None:
        self.counts, self.deltas = runs
        self.runs = len(self.counts)
        self.starts = list(accumulate(self.counts, initial=0))  # first sample of each run
        self.times = list(accumulate(map(mul, self.counts, self.deltas), initial=origin))

    def time_at(self, i: int) -> int:
        j = bisect_right(self.starts, i, 0, self.runs) - 1
        return self.times[j] + (i - self.starts[j]) * self.deltas[j]

    def first_at(self, t: int) -> int:
        """How many samples are timed before t."""
        j = bisect_left(self.times, t, 0, self.runs) - 1  # the last run starting before t
        if j < 0:
            return 0
        c, d = self.counts[j], self.deltas[j]
        return self.starts[j] + (min(c, (t - self.times[j] - 1) // d + 1) if d else c)

    def firsts(self, start: int, step: int, count: int) -> list[int]:
        """[first_at(start + k * step) for k in range(count)] (step > 0), computed run by
        run: one arithmetic list comprehension over the limits each run holds."""
        times, runs = self.times, self.runs
        k = min(count, max(0, (times[0] - start) // step + 1))  # limits <= the first time
        out = [0] * k
        for j in range(runs):
            if k >= count:
                break
            # run j answers the limits t with times[j] < t <= times[j + 1] (any t, last)
            kk = count if j + 1 == runs else min(count, (times[j + 1] - start) // step + 1)
            if kk <= k:
                continue
            s, c, d, t0 = self.starts[j], self.counts[j], self.deltas[j], times[j]
            if not d:
                out.extend([s + c] * (kk - k))
            else:
                first = start + k * step
                vals = [
                    s + (t - t0 - 1) // d + 1 for t in range(first, first + (kk - k) * step, step)
                ]
                if j + 1 == runs:  # past its last sample: all of them
                    cut = bisect_left(vals, s + c)
                    vals[cut:] = [s + c] * (len(vals) - cut)
                out.extend(vals)
            k = kk
        return out

    def walk(self, offsets: Runs, ends: list[int], lo: int, hi: int) -> Iterator[tuple]:
        """(index, time, offset, duration) of samples lo..hi-1; `ends` are the sample
        indexes where each offset run ends."""
        starts, times, deltas = self.starts, self.times, self.deltas
        values = offsets[1]
        j = bisect_right(starts, lo, 0, self.runs) - 1
        d = deltas[j]
        t = times[j] + (lo - starts[j]) * d
        nxt = starts[j + 1]
        q = bisect_right(ends, lo)
        e, q_end = values[q], ends[q]
        for i in range(lo, hi):
            if i >= nxt:
                while i >= nxt:
                    j += 1
                    nxt = starts[j + 1]
                d = deltas[j]
                t = times[j] + (i - starts[j]) * d
            if i >= q_end:
                while i >= q_end:
                    q += 1
                    q_end = ends[q]
                e = values[q]
            yield i, t, e, d
            t += d


# (smallest offset, largest - smallest, the sample index where each offset run ends)
OffsetSpread = tuple[int, int, list[int]]


def offset_spread(offsets: Runs) -> OffsetSpread:
    low = min(offsets[1])
    return low, max(offsets[1]) - low, list(accumulate(offsets[0]))


def presented_seconds(
    sizes: Sequence[int],
    durations: Runs,
    offsets: Runs | None,
    shift: int,
    timescale: int,
    *,
    spread: OffsetSpread | None = None,
) -> tuple[list[int], float]:
    """(per_second_bytes, stream_end_s) of a track whose durations and composition
    offsets are given as runs (stts, ctts): pts = shift + dts + offset, dts the sum of
    the durations before. The same numbers as from the expanded per-sample times, without
    building them.

    Decode times rise with the sample index, so seconds are cut by arithmetic on the
    duration runs and summed by C over slices of `sizes`, bucketed by the *lowest* pts a
    sample could have (dts + shift + smallest offset). Only a sample whose offset carries
    it over a second boundary lands elsewhere, and those lie within (largest - smallest
    offset) before a boundary: each is moved one by one, a few frames a second for B-frame
    video, none for audio. Likewise the latest pts and end are taken among the last few.

    `spread`: offset_spread(offsets), when the caller has it already (an hour of B-frame
    video has 60,000 offset runs: a few milliseconds each time).
    """
    if timescale <= 0:
        raise ValueError("timescale must be positive")
    n = len(sizes)
    if sum(durations[0]) != n:
        raise ValueError("durations and sizes differ in length")
    if not n:
        return [], 0.0
    if min(durations[1]) < 0:
        raise ValueError("durations must not be negative")
    if offsets is None:
        offsets = ([n], [0])
    elif sum(offsets[0]) != n:
        raise ValueError("offsets and sizes differ in length")
    low, width, ends = spread or offset_spread(offsets)
    # t: the lowest pts the sample could have; e - low: how much later it is (0..width)
    clock = Clock(durations, shift + low)
    walk = clock.walk

    lo = clock.first_at(clock.time_at(n - 1) - width)
    latest = max(t + e - low for _, t, e, _ in walk(offsets, ends, lo, n))
    last = latest // timescale
    if last > MAX_SPAN_S:
        raise SpanError(f"samples run to {last} s, beyond the {MAX_SPAN_S} s this measures")
    # end: the latest pts + duration; no sample timed before (end of the last) - width -
    # (longest duration) can beat the last one
    _, t, e, d = next(walk(offsets, ends, n - 1, n))
    lo = clock.first_at(t + e - low + d - width - max(durations[1]))
    end = max(t + e - low + d for _, t, e, d in walk(offsets, ends, lo, n))

    k_end = max(last, 0) + 1
    cuts = clock.firsts(timescale, timescale, k_end - 1)  # first sample of seconds 1, 2, ...
    edges = [0, *cuts, n]
    out = list(map(sum, map(sizes.__getitem__, map(slice, edges, edges[1:]))))
    if width:
        _move_late(sizes, clock, offsets[1], ends, low, width, timescale, cuts, out)
    return out, max(end, 0) / timescale


def _move_late(sizes: Sequence[int], clock: Clock, values: Sequence[int], ends: list[int],
               low: int, width: int, timescale: int, cuts: list[int],
               out: list[int]) -> None:  # fmt: skip
    """Move the samples whose offset carries them over a second boundary (presented_seconds).

    Window k holds the samples with k*ts - width <= t < k*ts. Those first seen in it have
    t >= (k-1)*ts (earlier ones were in the window before), so sit in second k-1 by t,
    and belong to a later second when t + e - low reaches k*ts. This is the only
    per-sample loop, hence inlined, with cursors into the runs rather than lookups.
    """
    lows = clock.firsts(timescale - width, timescale, len(cuts))
    starts, times, deltas, runs = clock.starts, clock.times, clock.deltas, clock.runs
    j, nxt, d = -1, 0, 0  # duration run of the current sample, where the next starts
    q, q_end, e = 0, -1, 0  # offset run of the current sample, where it ends, its offset
    k = done = 0
    reach = low  # k * ts + low: t + e >= reach is past the boundary
    for lo, hi in zip(lows, cuts, strict=True):
        k += 1
        reach += timescale
        if lo < done:
            lo = done
        if lo >= hi:
            continue
        done = hi
        if lo >= nxt:
            j = bisect_right(starts, lo, j + 1, runs) - 1
            nxt, d = starts[j + 1], deltas[j]
        u = times[j] + (lo - starts[j]) * d - reach  # t - reach
        if lo >= q_end:
            q = bisect_right(ends, lo, q)
            q_end, e = ends[q], values[q]
        if hi <= nxt and width < timescale:
            # One duration run (always, at a constant frame rate), and every sample that
            # moves lands in second k (t + e - low < k*ts + width). Then per run of equal
            # offsets, the movers are the run's last ones, from where u + e reaches 0:
            # found by arithmetic and summed by C, not looked at one by one.
            moved = 0
            i = lo
            while i < hi:
                if i >= q_end:
                    while i >= q_end:
                        q += 1
                        q_end = ends[q]
                    e = values[q]
                stop = q_end if q_end < hi else hi
                if d:
                    first = lo - (u + e) // d  # the first i with u + (i - lo) * d + e >= 0
                    if first < i:
                        first = i
                else:
                    first = i if u + e >= 0 else stop
                if first < stop:
                    moved += sum(sizes[first:stop])
                i = stop
            out[k - 1] -= moved
            out[k] += moved
            continue
        if hi <= nxt:  # one duration run
            for i in range(lo, hi):
                if i >= q_end:
                    while i >= q_end:
                        q += 1
                        q_end = ends[q]
                    e = values[q]
                if u + e >= 0:
                    size = sizes[i]
                    out[k - 1] -= size
                    out[(u + e + reach - low) // timescale] += size
                u += d
            continue
        for i in range(lo, hi):
            if i >= nxt:
                j = bisect_right(starts, i, j + 1, runs) - 1
                nxt, d = starts[j + 1], deltas[j]
                u = times[j] + (i - starts[j]) * d - reach
            if i >= q_end:
                while i >= q_end:
                    q += 1
                    q_end = ends[q]
                e = values[q]
            if u + e >= 0:
                size = sizes[i]
                out[k - 1] -= size
                out[(u + e + reach - low) // timescale] += size
            u += d


def _full_seconds(times: Sequence[int], durations: Sequence[int], timescale: int) -> int:
    """Whole seconds covered, from 0 to the end of the latest-presented sample."""
    end = max(map(add, times, durations), default=0)
    return max(end, 0) // timescale


def bitrate_stats(
    sizes: Sequence[int],
    times: Sequence[int],
    durations: Sequence[int],
    timescale: int,
    *,
    target_bps: float | None = None,
    band: float = 0.10,
    windows: Iterable[int] = DEFAULT_WINDOWS,
) -> BitrateStats:
    """Average and windowed bitrate of one track.

    `times` are presentation ticks (see module doc), `durations` decode durations.
    """
    if timescale <= 0:
        raise ValueError("timescale must be positive")
    total = sum(sizes)
    duration_s = sum(durations) / timescale
    average = total * 8 / duration_s if duration_s > 0 else None
    buckets = per_second_bytes(sizes, times, timescale)
    full = min(_full_seconds(times, durations, timescale), len(buckets))
    prefix = list(accumulate(buckets[:full], initial=0))
    stats = []
    for w in windows:
        if w <= 0:
            raise ValueError("window lengths must be positive")
        rates = [(prefix[i + w] - prefix[i]) * 8 / w for i in range(full - w + 1)]
        if not rates:
            stats.append(WindowStats(w, 0, None, None, None))
            continue
        share = None
        if target_bps:
            lo, hi = target_bps * (1 - band), target_bps * (1 + band)
            share = sum(1 for r in rates if lo <= r <= hi) / len(rates)
        stats.append(WindowStats(w, len(rates), min(rates), max(rates), share))
    return BitrateStats(total, duration_s, average, target_bps, band, tuple(stats))


def frame_timing(durations: Sequence[int], timescale: int) -> FrameTiming:
    """Frame rate facts from decode durations (stts / trun), in `timescale` ticks.

    Constant means every frame but the last has the same non-zero duration: muxers
    set the last frame's duration from a guess, and a VFR file whose average happens
    to be 25 still shows several durations here.
    """
    if timescale <= 0:
        raise ValueError("timescale must be positive")
    n = len(durations)
    body = durations[:-1] if n > 1 else durations
    distinct = set(body)
    # few distinct values: one C-speed array.count each; many (VFR): one Counter pass
    counts = {d: body.count(d) for d in distinct} if len(distinct) <= 64 else dict(Counter(body))
    last_zero = n > 1 and durations[-1] == 0
    return _frame_timing(n, sum(durations), counts, last_zero, timescale)


def frame_timing_runs(runs: Runs, timescale: int) -> FrameTiming:
    """frame_timing(durations) for durations given as runs (stts: one run for a constant
    frame rate), without expanding them to one value per frame."""
    if timescale <= 0:
        raise ValueError("timescale must be positive")
    pairs = [(c, d) for c, d in zip(*runs, strict=True) if c > 0]
    n = sum(c for c, _ in pairs)
    total = sum(c * d for c, d in pairs)
    last = pairs[-1][1] if pairs else 0
    if n > 1:  # the body: every frame but the last
        c, d = pairs[-1]
        pairs[-1] = (c - 1, d)
    # the same dict, in the same order, as frame_timing builds from the expanded list
    distinct = {d for c, d in pairs if c > 0}
    tally: dict[int, int] = {}
    for c, d in pairs:
        if c > 0:
            tally[d] = tally.get(d, 0) + c
    counts = {d: tally[d] for d in distinct} if len(distinct) <= 64 else tally
    return _frame_timing(n, total, counts, n > 1 and last == 0, timescale)


def _frame_timing(
    n: int, total: int, counts: dict[int, int], last_zero: bool, timescale: int
) -> FrameTiming:
    duration_s = total / timescale
    zero = counts.get(0, 0) + (1 if last_zero else 0)
    nonzero = sorted(d for d in counts if d > 0)
    typical = max(counts, key=counts.__getitem__) if counts else 0
    return FrameTiming(
        frame_count=n,
        duration_s=duration_s,
        average_fps=n / duration_s if duration_s > 0 else None,
        timescale=timescale,
        distinct_durations=tuple(sorted(counts)[:MAX_LISTED_DURATIONS]),
        distinct_duration_count=len(counts),
        typical_fps=timescale / typical if typical else None,
        min_fps=timescale / nonzero[-1] if nonzero else None,
        max_fps=timescale / nonzero[0] if nonzero else None,
        zero_duration_frames=zero,
        constant=len(counts) == 1 and zero == 0 and n > 0,
    )


def stream_end_s(times: Sequence[int], durations: Sequence[int], timescale: int) -> float:
    """When the track's last sample stops being presented, in seconds from 0.

    Measured from the samples (presentation times + durations), so an edit list that
    trims AAC priming or delays a track is honoured and a header duration is not trusted.
    """
    if timescale <= 0:
        raise ValueError("timescale must be positive")
    end = max(map(add, times, durations), default=0)
    return max(end, 0) / timescale


def av_duration_difference(video_s: float, audio_s: float) -> AvDifference:
    """How much longer the video runs than the audio (negative: audio runs longer).

    Pass each track's `stream_end_s` so both are on the one presentation timeline.
    """
    return AvDifference(video_s, audio_s, video_s - audio_s)
