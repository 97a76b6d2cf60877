"""What plays of one MP4 track: its bytes per second and its length, over the samples
its edit list presents, on a clock that starts at the first of them.

Which samples play is decided as ffmpeg's mov demuxer does (ffprobe lists the others
with the D flag, "discard"):

- before the edit's start: a video frame that starts before it is not shown (ffmpeg does
  not show a frame in part); an audio frame is, unless it ends by then (a partly cut
  frame is decoded and trimmed, as AAC's priming frame is not);
- at or after the edit's end, nothing is shown.

So a `-ss 1.3 -c copy` trim's pre-roll (the frames from the keyframe before 1.3 s) is
not measured as if it played in second 0. And seconds are counted from the first sample
that plays, not from 0: a track that starts late (a fragment's tfdt of 100 s, audio
delayed by an empty edit) has no empty or half-empty first seconds.

For a track read from the moov's run-length tables this works on the runs (see
sampling.presented_seconds): only the samples near the edit's start and end are looked
at one by one, a few frames of pre-roll and B-frame reordering.
"""

from __future__ import annotations

from array import array
from itertools import compress, repeat
from operator import add, and_, ge, gt, lt
from typing import NamedTuple

from mediacheck.mp4 import Track
from mediacheck.probe.sampling import (
    Clock,
    offset_spread,
    per_second_bytes,
    presented_seconds,
    stream_end_s,
)


class Played(NamedTuple):
    seconds: list[int]  # bytes of each second from `start_s`; the last may be partial
    start_s: float  # the first presented sample, on the presentation timeline
    end_s: float  # when the last presented sample ends
    total_bytes: int  # of the presented samples

    @property
    def length_s(self) -> float:
        return max(self.end_s - self.start_s, 0.0)


_NOTHING = Played([], 0.0, 0.0, 0)


def played(track: Track) -> Played:
    """Raises ValueError (SpanError) for a zero timescale or timestamps spanning days."""
    if track.timescale <= 0:
        raise ValueError("timescale must be positive")
    if not track.sample_count:
        return _NOTHING
    runs = track.timing_runs
    if runs is not None:
        return _from_runs(track, *runs)
    return _from_arrays(track)


def _cut_before(pts: int, dur: int, start: int, video: bool) -> bool:
    return pts < start if video else pts + max(dur, 1) <= start


def _from_arrays(track: Track) -> Played:
    """Fragments: per-sample arrays, filtered with C-speed maps when an edit cuts any."""
    ts = track.timescale
    start, stop = track.presentation_window
    pts, durs, sizes = track.presentation_times(), track.durations, track.sizes
    if (start is not None and min(pts) < start) or (stop is not None and max(pts) >= stop):
        keep: list[bool] | None = None
        if start is not None:
            if track.is_video:
                keep = list(map(ge, pts, repeat(start)))
            else:  # pts + max(d, 1) > start
                ends = map(add, pts, map(max, durs, repeat(1)))
                keep = list(map(gt, ends, repeat(start)))
        if stop is not None:
            before = map(lt, pts, repeat(stop))
            keep = list(before if keep is None else map(and_, keep, before))
        assert keep is not None
        pts = array("q", compress(pts, keep))
        durs = array(durs.typecode, compress(durs, keep))
        sizes = array(sizes.typecode, compress(sizes, keep))
        if not pts:
            return _NOTHING
    first = min(pts)
    origin = first if start is None else max(first, start)
    rel = array("q", map((-origin).__add__, pts)) if origin else pts
    seconds = per_second_bytes(sizes, rel, ts)
    end = stream_end_s(rel, durs, ts)
    if stop is not None:
        end = min(end, (stop - origin) / ts)
    return Played(seconds, origin / ts, (origin / ts) + end, sum(seconds))


def _from_runs(track: Track, dur_runs: tuple, cts_runs: tuple | None) -> Played:
    """The moov's tables, as runs: presented_seconds over every sample from the first
    presented one, then the samples the edit cuts taken out of their seconds."""
    sizes, ts, video = track.sizes, track.timescale, track.is_video
    n = len(sizes)
    start, stop = track.presentation_window
    shift = track.presentation_shift
    offsets = cts_runs if cts_runs is not None else ([n], [0])
    spread = offset_spread(offsets)
    low, width, ends = spread
    # t_i: the lowest pts sample i could have (its decode time + shift + the smallest
    # composition offset); its pts is t + e - low, at most t + width
    clock = Clock(dur_runs, shift + low)

    def samples(lo: int, hi: int):
        """(index, pts, duration) of samples lo..hi-1."""
        if lo < hi:
            for i, t, e, d in clock.walk(offsets, ends, lo, hi):
                yield i, t + e - low, d

    head: list[int] = []  # cut off before the edit's start
    first: int | None = None  # the lowest pts that plays
    c = 0
    if start is not None:
        # only samples with t <= start can start (or end) before it
        c = min(clock.first_at(start + 1), n)
        for i, p, d in samples(0, c):
            if _cut_before(p, d, start, video):
                head.append(i)
            elif (stop is None or p < stop) and (first is None or p < first):
                first = p
    if c < n:  # samples from c on all play from the start; the lowest pts is among these
        for _, p, _ in samples(c, min(clock.first_at(clock.time_at(c) + width + 1), n)):
            if (stop is None or p < stop) and (first is None or p < first):
                first = p
    if first is None:
        return _NOTHING
    origin = first if start is None else max(first, start)
    tail: list[tuple[int, int]] = []  # at or after the edit's end
    if stop is not None:
        for i, p, _ in samples(max(clock.first_at(stop - width), 0), n):
            if p >= stop:
                tail.append((i, p))
    seconds, end = presented_seconds(sizes, dur_runs, cts_runs, shift - origin, ts, spread=spread)
    for i in head:  # before the start, so in second 0
        seconds[0] -= sizes[i]
    for i, p in tail:
        seconds[(p - origin) // ts] -= sizes[i]
    if stop is not None:
        end = min(end, (stop - origin) / ts)
    return Played(seconds, origin / ts, (origin / ts) + end, sum(seconds))
