"""Byte-patched copies of real lessons (issue #13, items 4, 6, 7, 8): a cut at a
fragment boundary, an mdat header too long, an impossible stsd count, decode times 100 s
late, an encrypted lesson."""

from __future__ import annotations

import struct
import subprocess

import pytest
from mp4files import ffprobe_packets
from mp4patch import add_mehd, ffprobe_seconds, moov_edit, patched, shift_tfdt, top_boxes
from toolcheck import HIDDEN_TOOLS, system_ffprobe

from mediacheck.app import check_one
from mediacheck.model import FAIL, INFO, PASS, Facts
from mediacheck.mp4 import Mp4Error, read_index
from mediacheck.probe.mp4 import index_facts
from mediacheck.probe.video import probe_video
from mediacheck.profile import load_profile

PROFILE = load_profile()


def findings(path) -> dict:
    return {f.rule_id: f for f in check_one(path, PROFILE, "video").findings}


def last_moof(data: bytes) -> int:
    return [at for typ, at, _ in top_boxes(data) if typ == b"moof"][-1]


# --- item 6: cut at a fragment boundary; an mdat header that claims too much ----------------


def test_cut_at_a_fragment_boundary_with_mehd_is_truncated(media, tmp_path):
    """Every box of the cut file is whole, but its mehd gives the whole movie's length."""
    if HIDDEN_TOOLS:
        # Known limit: the wheel's FFmpeg 9 lays its fragments out so that the cut keeps
        # the longest track whole; the mehd check cannot see that cut (issue #13 note).
        pytest.skip("fixtures from the wheel's FFmpeg 9: a cut this check cannot see")
    src = media("fragmented")
    length = max(t.decode_span() / t.timescale for t in read_index(src).tracks)
    whole = patched(src, tmp_path, lambda d: moov_edit(d, add_mehd(length)), "mehd.mp4")
    idx = read_index(whole)
    assert idx.fragment_duration and not idx.truncated and not idx.issues
    data = whole.read_bytes()
    cut = patched(whole, tmp_path, lambda d: d[: last_moof(data)], "cut.mp4")
    idx = read_index(cut)
    assert idx.truncated and idx.issues == ["fragments_missing"]
    assert all(t.samples_past_eof == 0 for t in idx.tracks)  # what is there is whole
    assert findings(cut)["V-COMPLETE"].status == FAIL
    # the same cut without the mehd: nothing in the file says more should follow
    plain = patched(src, tmp_path, lambda d: d[: last_moof(bytes(d))], "plain_cut.mp4")
    assert not read_index(plain).truncated


def test_cut_at_a_fragment_boundary_with_sidx_is_truncated(media, tmp_path):
    src = media("frag_sidx")
    idx = read_index(src)
    assert not idx.truncated and idx.expected_end <= idx.file_size
    data = src.read_bytes()
    at = last_moof(data)
    cut = patched(src, tmp_path, lambda d: d[:at])
    idx = read_index(cut)
    assert idx.truncated and idx.issues == ["sidx_past_eof"]
    assert idx.missing_bytes == idx.expected_end - at > 0
    facts = Facts(path=cut, kind="video")
    index_facts(idx, facts)
    assert facts.get("file.missing_bytes").value == idx.missing_bytes
    assert findings(cut)["V-COMPLETE"].status == FAIL


def _longer_mdat(data: bytearray) -> None:
    typ, at, size = next(b for b in top_boxes(data) if b[0] == b"mdat")
    struct.pack_into(">I", data, at, size + 8)


def test_mdat_header_8_bytes_too_long_is_not_truncated(media, tmp_path):
    src = media("compliant")  # moov first, so the mdat is the last box
    path = patched(src, tmp_path, _longer_mdat)
    idx = read_index(path)
    assert idx.issues == ["mdat_past_eof"] and not idx.truncated
    for tr, kind in ((idx.video_tracks[0], "v"), (idx.audio_tracks[0], "a")):
        assert tr.samples_past_eof == 0
        assert len(ffprobe_packets(path, f"{kind}:0")) == tr.sample_count
    assert findings(path)["V-COMPLETE"].status == PASS
    # with the last sample really cut, it is
    short = patched(path, tmp_path, lambda d: d[:-100], "short.mp4")
    assert read_index(short).truncated and findings(short)["V-COMPLETE"].status == FAIL


# --- item 7: an impossible sample-description count ------------------------------------------


def test_stsd_count_of_4_billion_does_not_pass(media, tmp_path):
    def patch(data: bytearray) -> None:
        at = data.index(b"stsd") + 8  # version/flags, then the entry count
        struct.pack_into(">I", data, at, 0xFFFFFFFF)

    path = patched(media("compliant"), tmp_path, patch)
    with pytest.raises(Mp4Error) as err:
        read_index(path)
    assert err.value.code == "bad_box" and "stsd" in err.value.detail
    # ffmpeg refuses the file too ("invalid STSD entries"), so nothing measures it
    proc = subprocess.run(
        [system_ffprobe(), "-v", "error", str(path)], capture_output=True, text=True
    )
    assert proc.returncode != 0 and "STSD" in proc.stderr
    result = check_one(path, PROFILE, "video")
    assert result.status == FAIL
    (f,) = result.findings
    assert f.rule_id == "V-READABLE" and f.status == FAIL
    assert "4294967295" in f.message["en"] and "4294967295" in f.message["zh"]


# --- item 4: decode times that start 100 s late ----------------------------------------------


def test_tfdt_100_s_late_has_no_empty_seconds(media, tmp_path):
    src = media("fragmented")
    scales = {t.track_id: t.timescale for t in read_index(src).tracks}
    path = patched(src, tmp_path, lambda d: shift_tfdt(d, 100.0, scales))
    idx = read_index(path)
    assert idx.video_tracks[0].presentation_times()[0] >= 100 * 12800
    facts = Facts(path=path, kind="video")
    index_facts(idx, facts)
    for kind, name in (("v", "video"), ("a", "audio")):
        series = facts.get(f"{name}.bitrate_per_second").value
        assert len(series) == 4 and min(series) > 0
        assert series == [b * 8.0 for b in ffprobe_seconds(path, kind)[:4]]
        assert facts.get(f"{name}.duration").value == pytest.approx(4.0, abs=0.1)
    got = findings(path)
    # 4 s: no empty seconds, so no steadiness verdict either (shorter than its window)
    assert got["A-BITRATE-CBR"].status == PASS and got["V-BITRATE-STEADY"].status == INFO


# --- item 8: encryption ---------------------------------------------------------------------


def test_encrypted_tracks_are_named_by_their_format_and_do_not_pass(media):
    path = media("encrypted")
    idx = read_index(path)
    v, a = idx.video_tracks[0], idx.audio_tracks[0]
    assert (v.sample_entry, v.codec, a.sample_entry, a.codec) == ("encv", "avc1", "enca", "mp4a")
    assert v.encrypted and a.encrypted and v.protection_scheme == a.protection_scheme == "cenc"
    assert v.avc_profile == 100 and a.out_sample_rate == 48000  # avcC / esds still read
    facts = probe_video(path)
    assert facts.get("container.encrypted").value is True
    assert facts.get("video.codec").value == "h264"
    assert facts.error is not None and facts.error.code == "encrypted"
    result = check_one(path, PROFILE, "video")
    (f,) = result.findings
    assert f.rule_id == "V-READABLE" and f.status == FAIL
    assert "cenc" in f.message["en"] and "加密" in f.message["zh"]
    assert not read_index(media("compliant")).tracks[0].encrypted
