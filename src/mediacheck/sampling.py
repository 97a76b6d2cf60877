"""Measured bitrate and frame timing from per-sample sizes and timestamps.

Pure functions over sequences of ints (the `array.array`s of `isobmff.Track`, or a
packet scan of another container): no I/O, no subprocess. Results are small frozen
dataclasses of plain numbers, meant to become facts with source "measured".

Conventions:

- Times are integer ticks of `timescale` per second. Sums bucket samples by
  *presentation* time (dts + cts + edit shift, `Track.presentation_times()`), the same
  clock as ffprobe's packet `pts_time`, so second k holds the samples with
  k <= pts < k + 1. Samples before 0 (an edit list's pre-roll, such as AAC's priming
  frame) are counted in second 0: they are data the player must fetch at the start.
- Windows slide by one second over the *whole* seconds of the stream: a window of
  w seconds starts at every whole second where w whole seconds follow. The final,
  partial second is left out, or a clip ending at 10.4 s would always show a dip.
  Sliding (not tumbling) windows catch a burst wherever it falls; for w = 1 both
  are the same.
- A band is relative: band=0.10 means target ±10 %.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate, islice
from operator import add, gt

__all__ = [
    "AvDifference",
    "BitrateStats",
    "FrameTiming",
    "SpanError",
    "WindowStats",
    "av_duration_difference",
    "bitrate_stats",
    "frame_timing",
    "per_second_bytes",
    "stream_end_s",
]

DEFAULT_WINDOWS = (1, 5, 10)
# Longest time span bucketed per second. Timestamps come from the file, and one
# corrupt duration must not make us allocate (or loop over) years of empty seconds.
MAX_SPAN_S = 48 * 3600


class SpanError(ValueError):
    """The samples' timestamps span more than MAX_SPAN_S: the timing is corrupt."""


MAX_LISTED_DURATIONS = 16


@dataclass(frozen=True)
class WindowStats:
    seconds: int  # window length
    count: int  # number of windows (0 when the stream is shorter than one window)
    min_bps: float | None
    max_bps: float | None
    in_band: float | None  # share (0..1) of windows within the band; None without a target


@dataclass(frozen=True)
class BitrateStats:
    total_bytes: int
    duration_s: float  # sum of sample durations
    average_bps: float | None  # total_bytes * 8 / duration_s
    target_bps: float | None
    band: float  # relative, 0.10 = ±10 %
    windows: tuple[WindowStats, ...]

    def window(self, seconds: int) -> WindowStats | None:
        return next((w for w in self.windows if w.seconds == seconds), None)


@dataclass(frozen=True)
class FrameTiming:
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


@dataclass(frozen=True)
class AvDifference:
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
    duration_s = sum(durations) / timescale
    body = durations[:-1] if n > 1 else durations
    distinct = set(body)
    # few distinct values: one C-speed array.count each; many (VFR): one Counter pass
    counts = {d: body.count(d) for d in distinct} if len(distinct) <= 64 else dict(Counter(body))
    zero = counts.get(0, 0) + (1 if n > 1 and durations[-1] == 0 else 0)
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
