"""Facts from an MP4's own sample tables (mediacheck.mp4.read_index): measured, not claimed.

Rates and timing come from the size and timestamp of every sample that plays (source
"measured", see played.py); codec settings come from the sample descriptions, avcC SPS
and the audio codec's own configuration (source "header"), or are left unmeasured where
those cannot say, for ffprobe to fill.
For an hour of 1080p this reads about 2 MB and never touches the media data.
"""

from __future__ import annotations

from typing import Any, Protocol

from mediacheck.model import HEADER, MEASURED
from mediacheck.mp4 import Mp4Index, Track, avc_profile_name
from mediacheck.probe import sampling
from mediacheck.probe.played import Played, played
from mediacheck.probe.video_facts import stream_facts

VIDEO_CODECS = {"avc1": "h264", "avc3": "h264", "hvc1": "hevc", "hev1": "hevc",
                "av01": "av1", "vp09": "vp9", "mp4v": "mpeg4"}  # fmt: skip
AUDIO_CODECS = {".mp3": "mp3", "ac-3": "ac3", "ec-3": "eac3", "Opus": "opus", "fLaC": "flac",
                "alac": "alac", "lpcm": "pcm", "sowt": "pcm", "twos": "pcm", "mlpa": "truehd",
                "samr": "amr-nb", "sawb": "amr-wb"}  # fmt: skip
AAC_OBJECT_TYPES = {1: "aac-main", 2: "aac-lc", 3: "aac-ssr", 4: "aac-ltp", 5: "he-aac",
                    23: "aac-ld", 29: "he-aac-v2", 39: "aac-eld"}  # fmt: skip
QUICKTIME_BRANDS = {"qt"}
THREEGP_PREFIX = ("3gp", "3g2", "3ge", "3gg", "3gr", "3gs")


def container_format(major_brand: str) -> str:
    brand = major_brand.strip().lower()
    if brand in QUICKTIME_BRANDS:
        return "mov"
    if brand.startswith(THREEGP_PREFIX):
        return "3gp"
    return "mp4"  # isom, iso2…iso9, mp41, mp42, avc1, dash, M4V …


def audio_codec(track: Track) -> str | None:
    """The codec name, None when only decoding can tell (AAC-LC or implicit HE-AAC)."""
    if track.codec == "mp4a":
        oti = track.object_type_indication
        if oti in (0x69, 0x6B):
            return "mp3"
        aot = track.aac_object_type
        if aot is None:
            return "aac"
        if aot == 2 and track.sbr:  # backward-compatible explicit signalling
            return "he-aac-v2" if track.ps else "he-aac"
        if aot == 2 and track.out_sample_rate is None:
            return None  # SBR may be signalled in the stream itself (implicit)
        return AAC_OBJECT_TYPES.get(aot, f"aac-{aot}")
    return AUDIO_CODECS.get(track.codec, track.codec.strip().lower())


def _display_size(v: Track) -> list[int] | None:
    w = v.sps_width or v.width
    h = v.sps_height or v.height
    if not w or not h:
        return None
    sar = v.sar or v.vui_sar
    if sar and sar[0] and sar[1]:
        if sar[0] > sar[1]:
            w = round(w * sar[0] / sar[1])
        elif sar[0] < sar[1]:
            h = round(h * sar[1] / sar[0])
    if v.rotation in (90, 270):
        w, h = h, w
    return [int(w), int(h)]


class FactSink(Protocol):
    """What index_facts writes to: a Facts, or probe_video's recorder of Facts calls."""

    series: dict[str, list[float]]

    def set(self, name: str, value: Any, unit: str = "", source: str = MEASURED) -> None: ...

    def absent(self, name: str, reason: str) -> None: ...


def _timing(facts: FactSink, prefix: str, track: Track) -> Played | None:
    """Measured bitrate (average and per whole second) of what plays of one track: the
    samples its edit list presents, from the first of them to the end of the last (not
    the sum of their durations, which zero-duration samples cut short).

    Each pass over the samples is made once: on an hour of 1080p every pass costs tens
    of milliseconds, and the verdict's whole budget is 300.
    """
    try:
        p = played(track)
    except ValueError:  # zero timescale, or timestamps spanning days: corrupt timing
        for name in ("bitrate", "bitrate_per_second", "duration"):
            facts.absent(f"{prefix}.{name}", "corrupt_timing")
        return None
    length = p.length_s
    average = p.total_bytes * 8 / length if length > 0 else None
    facts.set(f"{prefix}.bitrate", average, "bit/s", MEASURED)
    # The final partial second is left out, or every clip would seem to dip at its end.
    series = [b * 8.0 for b in p.seconds[: int(length)]]
    facts.set(f"{prefix}.bitrate_per_second", series, "bit/s", MEASURED)
    facts.series[f"{prefix}.bitrate_per_second"] = series
    return p


def index_facts(index: Mp4Index, facts: FactSink) -> None:
    facts.set("container.format", container_format(index.major_brand), source=HEADER)
    facts.set("container.brand", index.major_brand.strip(), source=HEADER)
    facts.set("container.faststart", index.moov_before_mdat, source=HEADER)
    facts.set("container.fragmented", index.fragmented, source=HEADER)
    facts.set("file.truncated", index.truncated, source=MEASURED)
    facts.set("file.missing_bytes", index.missing_bytes, "bytes", MEASURED)
    facts.set("container.encrypted", any(t.encrypted for t in index.tracks), source=HEADER)
    videos, audios = index.video_tracks, index.audio_tracks
    facts.set("video.streams", len(videos), source=HEADER)
    facts.set("audio.streams", len(audios), source=HEADER)
    video_played = audio_played = None

    if videos:
        v = videos[0]
        facts.set("video.codec", VIDEO_CODECS.get(v.codec, v.codec.strip()), source=HEADER)
        facts.set(
            "video.profile", avc_profile_name(v.avc_profile, v.avc_constraints), source=HEADER
        )
        facts.set("video.display_size", _display_size(v), "px", HEADER)
        facts.set("video.rotation", v.rotation, "°", HEADER)
        facts.set("video.pix_fmt", v.pix_fmt, source=HEADER)
        if v.avc_frame_mbs_only is not None:
            # frame_mbs_only_flag = 0: the stream codes fields (PAFF/MBAFF), i.e. interlaced
            scan = "progressive" if v.avc_frame_mbs_only else "interlaced"
            facts.set("video.scan", scan, source=HEADER)
        if v.timescale > 0 and v.sample_count:
            runs = v.timing_runs
            timing = (
                sampling.frame_timing(v.durations, v.timescale)
                if runs is None
                else sampling.frame_timing_runs(runs[0], v.timescale)
            )
            if timing.average_fps:
                facts.set("video.fps", round(timing.average_fps, 3), "fps", MEASURED)
            facts.set("video.fps_mode", "CFR" if timing.constant else "VFR", source=MEASURED)
            if timing.min_fps:
                facts.set("video.fps_min", round(timing.min_fps, 3), "fps", MEASURED)
            if timing.max_fps:
                facts.set("video.fps_max", round(timing.max_fps, 3), "fps", MEASURED)
            video_played = _timing(facts, "video", v)
    else:
        facts.absent_all(stream_facts("video"), "no_video")

    if audios:
        a = audios[0]
        # None (left to a tool that decodes the stream) where the codec's configuration
        # does not say: the entry's own fields are fixed at 2 channels for AC-3 and AMR
        for name, value, unit in (
            ("audio.codec", audio_codec(a), ""),
            ("audio.sample_rate", a.out_sample_rate, "Hz"),
            ("audio.channels", a.out_channels, ""),
        ):
            if value is None:
                facts.absent(name, "unknown")
            else:
                facts.set(name, value, unit, HEADER)
        if a.esds_avg_bitrate:
            facts.set("audio.bitrate_declared", a.esds_avg_bitrate, "bit/s", HEADER)
        if a.timescale > 0 and a.sample_count:
            audio_played = _timing(facts, "audio", a)
    else:
        facts.absent_all(stream_facts("audio"), "no_audio")

    # Lengths count from the movie's start, the earlier track's first sample: audio that
    # an empty edit delays lasts that much longer than the video it should end with.
    both = [p for p in (video_played, audio_played) if p is not None]
    movie_start = min((p.start_s for p in both), default=0.0)
    for prefix, p in (("video", video_played), ("audio", audio_played)):
        if p is not None:
            facts.set(f"{prefix}.duration", round(p.end_s - movie_start, 3), "s", MEASURED)
    if video_played is not None and audio_played is not None:
        diff = sampling.av_duration_difference(video_played.end_s, audio_played.end_s)
        facts.set("av.duration_diff", round(abs(diff.difference_s), 3), "s", MEASURED)
