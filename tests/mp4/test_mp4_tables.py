"""Sample tables: the same samples in other box forms, and hostile counts and sizes."""

from __future__ import annotations

import struct
import time
import tracemalloc
from array import array

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mp4files import (
    fbox,
    needs_ffmpeg,
    read_error,
    rewrite_moov_at_end,
    synth,
    walk_boxes,
    write_file,
)

from mediacheck.mp4 import read_index
from mediacheck.mp4.arrays import indexes_above, max_bound
from mediacheck.probe import sampling


def _to_co64_and_stz2(tree: list) -> None:
    for node in walk_boxes(tree):
        if node[0] == b"stco":
            n = struct.unpack_from(">I", node[1], 4)[0]
            offs = struct.unpack_from(f">{n}I", node[1], 8)
            node[0], node[1] = b"co64", node[1][:8] + struct.pack(f">{n}Q", *offs)
        elif node[0] == b"stsz":
            _, n = struct.unpack_from(">II", node[1], 4)
            sizes = struct.unpack_from(f">{n}I", node[1], 12)
            if max(sizes) < 65536:  # the audio track
                body = struct.pack(">I3xBI", 0, 16, n) + struct.pack(f">{n}H", *sizes)
                node[0], node[1] = b"stz2", body


@needs_ffmpeg
def test_co64_and_stz2_read_the_same(clips, tmp_path):
    out = tmp_path / "co64.mp4"
    rewrite_moov_at_end(clips["end"], out, _to_co64_and_stz2)
    assert b"stz2" in out.read_bytes() and b"co64" in out.read_bytes()
    a, b = read_index(clips["end"]), read_index(out)
    for ta, tb in zip(a.tracks, b.tracks, strict=True):
        assert ta.sizes == tb.sizes and ta.offsets == tb.offsets
        assert ta.durations == tb.durations


@given(
    st.lists(st.integers(0, 2**32 - 1), max_size=300),
    st.integers(-10, 2**33),
    st.sampled_from(["I", "q"]),
    st.booleans(),
)
def test_indexes_above_and_max_bound_are_exact(values, limit, code, negatives):
    if code == "q" and negatives:
        values = [v - 2**31 for v in values] + [-(2**62), 2**62]
    a = array(code, values)
    if limit >= 0:
        assert indexes_above(a, limit) == [i for i, v in enumerate(a) if v > limit or v < 0]
    if code == "I":
        assert max_bound(a) > max(values, default=0)


def test_absurd_stsz_count_does_not_allocate(tmp_path):
    stsz = fbox(b"stsz", struct.pack(">II", 0, 0xFFFFFFFF) + struct.pack(">4I", 1, 2, 3, 4))
    p = write_file(tmp_path, synth(stsz=stsz))
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        err = read_error(p)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert err.code == "bad_box" and "4294967295" in err.detail
    assert peak < 5_000_000 and time.perf_counter() - t0 < 1


def test_absurd_uniform_sample_count_is_flagged_not_allocated(tmp_path):
    stsz = fbox(b"stsz", struct.pack(">II", 100, 0xFFFFFFF0))
    p = write_file(tmp_path, synth(stsz=stsz, stts=((0xFFFFFFF0, 512),)))
    tracemalloc.start()
    try:
        idx = read_index(p)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert "too_many_samples" in idx.tracks[0].issues and idx.tracks[0].sample_count == 0
    assert peak < 5_000_000


def test_run_length_counts_are_clipped_to_the_sample_count(tmp_path):
    # stts claims 4 billion samples for a track of 10
    idx = read_index(write_file(tmp_path, synth(stts=((0xFFFFFFFF, 512), (5, 256)))))
    tr = idx.tracks[0]
    assert len(tr.durations) == 10 and set(tr.durations) == {512}
    assert "stts_count_mismatch" in tr.issues


def test_zero_duration_track(tmp_path):
    idx = read_index(write_file(tmp_path, synth(stts=((10, 0),), duration=0)))
    tr = idx.tracks[0]
    assert "zero_duration" in tr.issues and "mdhd_zero_duration" in tr.issues
    ft = sampling.frame_timing(tr.durations, tr.timescale)
    assert ft.average_fps is None and not ft.constant and ft.zero_duration_frames == 10


def test_empty_edit_delays_the_track(tmp_path):
    # 500 ms of nothing (movie timescale 1000), then the media from time 0
    idx = read_index(write_file(tmp_path, synth(elst=[(500, -1), (400, 0)])))
    tr = idx.tracks[0]
    assert "empty_edit" in tr.issues
    assert tr.edit_delay == 6400  # 0.5 s at 12800
    assert tr.presentation_times()[0] == 6400


def test_edit_list_with_only_an_empty_edit_and_no_entries(tmp_path):
    idx = read_index(write_file(tmp_path, synth(elst=[(500, -1)])))
    assert "edit_list_only_empty" in idx.tracks[0].issues
    idx = read_index(write_file(tmp_path, synth(elst=[]), "none.mp4"))
    assert "empty_edit_list" in idx.tracks[0].issues


@pytest.mark.parametrize("bits", [4, 8, 16])
def test_stz2_field_sizes(tmp_path, bits):
    sizes = [3, 15, 0, 7, 9] if bits == 4 else [200, 13, 255, 1, 77]
    if bits == 4:
        packed = bytes((sizes[i] << 4) | (sizes[i + 1] if i + 1 < 5 else 0) for i in (0, 2, 4))
    else:
        packed = struct.pack(f">5{'B' if bits == 8 else 'H'}", *sizes)
    stz2 = fbox(b"stz2", struct.pack(">3xBI", bits, 5) + packed)
    idx = read_index(write_file(tmp_path, synth(sizes=sizes, stts=((5, 512),), stsz=stz2)))
    tr = idx.tracks[0]
    assert list(tr.sizes) == sizes
    assert list(tr.offsets) == [tr.offsets[0] + sum(sizes[:i]) for i in range(5)]
