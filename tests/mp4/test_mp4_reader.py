"""The top-level walk: box order, media data never read, odd box headers, truncation."""

from __future__ import annotations

import struct
import time

import pytest
from mp4files import FTYP, box, mvhd, needs_ffmpeg, one_track, read_error, synth, write_file

from mediacheck.mp4 import Mp4Error, read_index


@needs_ffmpeg
def test_largesize_mdat(clips, tmp_path):
    """ffmpeg leaves an 8-byte 'free' before mdat: turn both into a 64-bit mdat header."""
    data = clips["end"].read_bytes()
    i = data.index(b"free") - 4
    size = struct.unpack_from(">I", data, i + 8)[0]
    assert data[i + 12 : i + 16] == b"mdat"
    out = tmp_path / "large.mp4"
    out.write_bytes(data[:i] + struct.pack(">I4sQ", 1, b"mdat", size + 8) + data[i + 16 :])
    a, b = read_index(clips["end"]), read_index(out)
    assert ("mdat", i, size + 8) in b.top_boxes
    assert [t.offsets for t in a.tracks] == [t.offsets for t in b.tracks]


@needs_ffmpeg
def test_size_zero_mdat_runs_to_eof(clips, tmp_path):
    data = clips["plain"].read_bytes()
    i = data.rindex(b"mdat") - 4
    out = tmp_path / "zero.mp4"
    out.write_bytes(data[:i] + struct.pack(">I", 0) + data[i + 4 :])
    idx = read_index(out)
    assert idx.top_boxes[-1] == ("mdat", i, len(data) - i)
    assert not idx.truncated and idx.tracks[0].sizes == read_index(clips["plain"]).tracks[0].sizes


# --- truncation ---------------------------------------------------------------------------


@needs_ffmpeg
def test_truncated_faststart_counts_missing_samples(clips, tmp_path):
    data = clips["plain"].read_bytes()
    cut = len(data) // 2
    out = tmp_path / "half.mp4"
    out.write_bytes(data[:cut])
    idx = read_index(out)
    assert idx.truncated and "mdat_past_eof" in idx.issues
    v, a = one_track(idx, "v"), one_track(idx, "a")
    assert v.sample_count == 75 and v.samples_past_eof > 0 and a.samples_past_eof > 0
    # the mdat holds nothing but samples, so every byte cut off is a missing sample byte
    assert v.bytes_missing + a.bytes_missing == len(data) - cut
    inside = sum(1 for o, s in zip(v.offsets, v.sizes, strict=True) if o + s <= cut)
    assert v.samples_past_eof == v.sample_count - inside


@needs_ffmpeg
def test_truncation_counts_equal_every_sample_checked(clips, tmp_path):
    """The truncation check looks at whole chunks near the end only; at any cut its
    counts equal those of checking offset + size <= file size for every sample."""
    data = clips["plain"].read_bytes()
    full = read_index(clips["plain"])
    moov_end = max(at + size for typ, at, size in full.top_boxes if typ == "moov")
    cuts = {len(data) - d for d in (0, 1, 2, 100, 1000, 5000)}
    cuts |= {moov_end + (len(data) - moov_end) * k // 13 for k in range(13)}
    out = tmp_path / "cut.mp4"
    for cut in sorted(c for c in cuts if c >= moov_end):
        out.write_bytes(data[:cut])
        idx = read_index(out)
        for tr in idx.tracks:
            past = [(o, s) for o, s in zip(tr.offsets, tr.sizes, strict=True) if o + s > cut]
            assert tr.samples_past_eof == len(past), cut
            assert tr.bytes_missing == sum(s if o >= cut else o + s - cut for o, s in past)


@needs_ffmpeg
def test_truncated_moov_at_end_is_no_moov(clips, tmp_path):
    data = clips["end"].read_bytes()
    out = tmp_path / "half_end.mp4"
    out.write_bytes(data[: len(data) // 2])
    with pytest.raises(Mp4Error) as e:
        read_index(out)
    assert e.value.code == "no_moov" and "cut off" in e.value.detail


@needs_ffmpeg
def test_truncated_fragmented_keeps_earlier_fragments(clips, tmp_path):
    data = clips["frag"].read_bytes()
    cut = int(len(data) * 0.6)
    out = tmp_path / "frag_cut.mp4"
    out.write_bytes(data[:cut])
    idx = read_index(out)
    assert idx.truncated
    assert 0 < one_track(idx, "v").sample_count <= 75


def test_synthetic_file_reads(tmp_path):
    idx = read_index(write_file(tmp_path, synth()))
    (tr,) = idx.tracks
    assert tr.sample_count == 10 and list(tr.sizes) == [100] * 10
    assert tr.offsets[1] - tr.offsets[0] == 100
    assert tr.offsets[-1] + 100 == idx.file_size
    assert tr.duration_ticks == 5120 and not tr.issues and tr.language == "und"


def test_empty_file(tmp_path):
    assert read_error(write_file(tmp_path, b"")).code == "empty_file"


def test_text_file(tmp_path):
    p = write_file(tmp_path, "这不是视频 — just some notes.\n".encode() * 20, "notes.mp4")
    assert read_error(p).code == "not_isobmff"


def test_missing_file(tmp_path):
    assert read_error(tmp_path / "nope.mp4").code == "io_error"


def test_no_moov(tmp_path):
    p = write_file(tmp_path, FTYP + box(b"free") + box(b"mdat", bytes(1000)))
    err = read_error(p)
    assert err.code == "no_moov" and "cut off" not in err.detail


def test_moov_past_eof(tmp_path):
    data = synth()
    i = data.index(b"moov") - 4
    size = struct.unpack_from(">I", data, i)[0]
    bad = data[:i] + struct.pack(">I", size + 10**6) + data[i + 4 :]
    assert read_error(write_file(tmp_path, bad)).code == "box_past_eof"


def test_child_box_past_its_parent(tmp_path):
    data = synth()
    i = data.index(b"stts") - 4
    bad = data[:i] + struct.pack(">I", 5000) + data[i + 4 :]
    err = read_error(write_file(tmp_path, bad))
    assert err.code == "bad_box" and "stts" in err.detail


@pytest.mark.parametrize("size", [4, 7])
def test_box_smaller_than_its_header(tmp_path, size):
    data = synth()
    i = data.index(b"trak") - 4
    bad = data[:i] + struct.pack(">I", size) + data[i + 4 :]
    err = read_error(write_file(tmp_path, bad))
    assert err.code == "bad_box" and "smaller than" in err.detail
    top = FTYP + struct.pack(">I4s", size, b"free") + bytes(100)
    assert read_error(write_file(tmp_path, top, "top.mp4")).code == "bad_box"


def test_size_zero_moov_at_end(tmp_path):
    data = synth()
    i, j = data.index(b"moov") - 4, data.index(b"mdat") - 4
    moov, mdat = data[i:j], data[j:]
    # media first, then a size-0 moov running to EOF; chunk offset moves with the mdat
    moov = moov.replace(struct.pack(">II", 1, j + 8), struct.pack(">II", 1, i + 8))
    out = data[:i] + mdat + struct.pack(">I", 0) + moov[4:]
    idx = read_index(write_file(tmp_path, out))
    assert not idx.moov_before_mdat and idx.tracks[0].offsets[0] == i + 8
    assert idx.top_boxes[-1][2] == len(out) - idx.top_boxes[-1][1]


def test_largesize_top_level_box(tmp_path):
    data = synth()
    i = data.index(b"mdat") - 4
    n = len(data) - i
    out = data[:i] + struct.pack(">I4sQ", 1, b"mdat", n + 8) + data[i + 8 :]
    idx = read_index(write_file(tmp_path, out))
    assert idx.top_boxes[-1] == ("mdat", i, n + 8)
    assert idx.tracks[0].samples_past_eof == 0  # the offsets point 8 bytes early: still inside


def test_deep_nesting_is_harmless(tmp_path):
    inner = box(b"trak")
    for _ in range(5000):
        inner = box(b"trak", inner)
    data = FTYP + box(b"moov", mvhd() + inner)
    t0 = time.perf_counter()
    idx = read_index(write_file(tmp_path, data))
    assert time.perf_counter() - t0 < 1
    assert idx.tracks[0].sample_count == 0


def test_no_tracks_is_flagged(tmp_path):
    idx = read_index(write_file(tmp_path, FTYP + box(b"moov", mvhd())))
    assert idx.tracks == [] and "no_tracks" in idx.issues
