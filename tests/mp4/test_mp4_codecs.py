"""Codec configuration: SPS fields, SAR and cropping, AudioSpecificConfig."""

from __future__ import annotations

import struct

import pytest
from mp4files import fbox, ffprobe_json, mp4a, needs_ffmpeg, one_track, synth, write_file

from mediacheck.mp4 import avc_profile_name, read_index


@needs_ffmpeg
@pytest.mark.parametrize(
    ("name", "profile", "pix_fmt", "frame_mbs_only"),
    [
        ("high10", "High 10", "yuv420p10le", True),
        ("yuv444", "High 4:4:4 Predictive", "yuv444p", True),
        ("yuv422", "High 4:2:2", "yuv422p", True),
        ("interlaced", "Main", "yuv420p", False),  # ultrafast: no 8x8 transform
        ("baseline", "Constrained Baseline", "yuv420p", True),
    ],
)
def test_sps_fields_match_ffprobe(variant, name, profile, pix_fmt, frame_mbs_only):
    path = variant(name)
    v = one_track(read_index(path), "v")
    fv = ffprobe_json(path, "-show_streams")["streams"][0]
    assert avc_profile_name(v.avc_profile, v.avc_constraints) == fv["profile"] == profile
    assert v.pix_fmt == fv["pix_fmt"] == pix_fmt
    assert v.avc_frame_mbs_only is frame_mbs_only
    assert (v.sps_width, v.sps_height) == (fv["width"], fv["height"])
    assert not v.issues


@needs_ffmpeg
def test_sar_and_cropping(variant):
    v = one_track(read_index(variant("sar43")), "v")
    assert v.sar == (4, 3) and v.vui_sar == (4, 3)
    c = one_track(read_index(variant("cropped")), "v")
    assert (c.sps_width, c.sps_height) == (130, 70)


@needs_ffmpeg
@pytest.mark.parametrize(
    ("name", "aot", "profile", "rate", "channels"),
    [("aac_main", 1, "Main", 44100, 1), ("aac_6ch", 2, "LC", 32000, 6)],
)
def test_audio_config_matches_ffprobe(variant, name, aot, profile, rate, channels):
    path = variant(name)
    a = one_track(read_index(path), "a")
    fa = ffprobe_json(path, "-show_streams")["streams"][0]
    assert a.aac_object_type == aot and fa["profile"] == profile
    assert a.aac_sample_rate == int(fa["sample_rate"]) == rate
    assert a.aac_channels == fa["channels"] == channels


def test_he_aac_object_type(tmp_path):
    # AOT 5 (SBR), core 24 kHz (index 6), stereo, extension 48 kHz (3), then AOT 2
    bits = "00101" + "0110" + "0010" + "0011" + "00010"
    asc = int(bits.ljust(24, "0"), 2).to_bytes(3, "big")
    stsd = fbox(b"stsd", struct.pack(">I", 1) + mp4a(asc))
    data = synth(sizes=(10,) * 4, stts=((4, 1024),), timescale=48000, handler=b"soun", stsd=stsd)
    tr = read_index(write_file(tmp_path, data)).tracks[0]
    assert tr.codec == "mp4a" and tr.aac_object_type == 5
    assert tr.aac_sample_rate == 24000 and tr.aac_channels == 2 and tr.sample_rate == 48000
