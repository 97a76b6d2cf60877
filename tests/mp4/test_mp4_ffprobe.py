"""The MP4 reader against ffprobe on real clips: every sample, per-second sums, codecs."""

from __future__ import annotations

import math

import pytest
from mp4files import ffprobe_json, ffprobe_packets, needs_ffmpeg, one_track

from mediacheck.mp4 import avc_profile_name, read_index
from mediacheck.probe import sampling
from mediacheck.probe.sampling import per_second_bytes

# --- agreement with ffprobe ----------------------------------------------------------------


@needs_ffmpeg
@pytest.mark.parametrize("name", ["plain", "end", "frag"])
@pytest.mark.parametrize("kind", ["v", "a"])
def test_per_second_bytes_equal_ffprobe_packet_sums(clips, name, kind):
    path = clips[name]
    idx = read_index(path)
    tr = one_track(idx, kind)
    pts = tr.presentation_times()
    mine = per_second_bytes(tr.sizes, pts, tr.timescale)

    packets = ffprobe_packets(path, f"{kind}:0")
    theirs = [0] * len(mine)
    for pk in packets:
        # ffprobe buckets the same way: floor(pts_time); pre-roll before 0 joins second 0
        sec = max(math.floor(float(pk["pts_time"])), 0)
        theirs[sec] += int(pk["size"])
    assert mine == theirs
    assert sum(mine) > 0
    # mediacheck itself works on the run-length tables (stts, ctts) when the samples are
    # all the moov's: the same sums, and the same end, without per-sample times
    runs = tr.timing_runs
    assert (runs is None) == (name == "frag")
    if runs is not None:
        seconds, end = sampling.presented_seconds(
            tr.sizes, *runs, tr.presentation_shift, tr.timescale
        )
        assert seconds == theirs
        assert end == sampling.stream_end_s(pts, tr.durations, tr.timescale)
        ft = sampling.frame_timing_runs(runs[0], tr.timescale)
        assert ft == sampling.frame_timing(tr.durations, tr.timescale)


@needs_ffmpeg
@pytest.mark.parametrize("name", ["plain", "end", "frag"])
@pytest.mark.parametrize("kind", ["v", "a"])
def test_every_sample_matches_ffprobe_packet(clips, name, kind):
    """Size, file offset, pts and keyframe flag of each sample, in decode order."""
    path = clips[name]
    idx = read_index(path)
    tr = one_track(idx, kind)
    packets = ffprobe_packets(path, f"{kind}:0")
    assert tr.sample_count == len(packets)
    assert list(tr.sizes) == [int(p["size"]) for p in packets]
    assert list(tr.offsets) == [int(p["pos"]) for p in packets]
    # mov streams have time_base 1/timescale, so pts compare as exact integers
    assert list(tr.presentation_times()) == [int(p["pts"]) for p in packets]
    keys = [i for i, p in enumerate(packets) if "K" in p["flags"]]
    sync = range(tr.sample_count) if tr.sync_samples is None else tr.sync_samples
    assert list(sync) == keys
    assert tr.samples_past_eof == 0 and not idx.truncated


@needs_ffmpeg
def test_codec_info_matches_ffprobe(clips):
    path = clips["plain"]
    idx = read_index(path)
    streams = ffprobe_json(path, "-show_streams")["streams"]
    fv = next(s for s in streams if s["codec_type"] == "video")
    fa = next(s for s in streams if s["codec_type"] == "audio")
    v, a = one_track(idx, "v"), one_track(idx, "a")

    assert v.codec == "avc1" and v.handler == "vide"
    assert (v.width, v.height) == (fv["width"], fv["height"]) == (1920, 1080)
    assert (v.sps_width, v.sps_height) == (1920, 1080)  # 1088 coded, cropped by the SPS
    assert avc_profile_name(v.avc_profile, v.avc_constraints) == fv["profile"] == "High"
    assert v.avc_level == fv["level"]
    assert v.pix_fmt == fv["pix_fmt"] == "yuv420p"
    assert v.avc_chroma_format == 1 and v.avc_bit_depth_luma == 8
    assert v.avc_frame_mbs_only is True
    assert v.timescale == 12800 and v.rotation == 0
    assert v.cts_offsets is not None  # B-frames

    assert a.codec == "mp4a" and a.handler == "soun"
    assert a.object_type_indication == 0x40
    assert a.aac_object_type == 2 and fa["profile"] == "LC"
    assert a.sample_rate == a.aac_sample_rate == int(fa["sample_rate"]) == 48000
    assert a.channels == a.aac_channels == fa["channels"] == 2
    assert a.esds_avg_bitrate and abs(a.esds_avg_bitrate - 128000) < 8000

    assert idx.major_brand == "isom" and "mp41" in idx.compatible_brands
    assert idx.moov_before_mdat and not idx.fragmented
    assert not idx.issues


@needs_ffmpeg
def test_box_order_and_fragments(clips):
    plain, end, frag = (read_index(clips[n]) for n in ("plain", "end", "frag"))
    assert plain.moov_before_mdat and not end.moov_before_mdat
    assert frag.fragmented and frag.fragment_count >= 3  # about one per 1 s GOP
    assert frag.moov_before_mdat
    for idx in (plain, end, frag):
        assert [t.handler for t in idx.tracks] == ["vide", "soun"]
        assert one_track(idx, "v").sample_count == 75


@needs_ffmpeg
@pytest.mark.parametrize("name", ["plain", "end", "frag"])
def test_never_reads_media_data(clips, name):
    idx = read_index(clips[name])
    index_bytes = sum(size for typ, _, size in idx.top_boxes if typ != "mdat")
    assert idx.bytes_read <= index_bytes + 16 * len(idx.top_boxes)
    assert idx.bytes_read < idx.file_size / 50


@needs_ffmpeg
def test_rotation_from_display_matrix(clips):
    v = one_track(read_index(clips["rot"]), "v")
    assert v.rotation == 90
