"""Fragments: trun data offsets, defaults and flags, hostile counts."""

from __future__ import annotations

import struct

import pytest
from mp4files import A_SIZES, V_SIZES, frag_file, read_error, write_file

from mediacheck.mp4 import read_index


@pytest.mark.parametrize("mode", ["explicit", "moof", "implicit"])
def test_fragment_offsets_defaults_and_flags(tmp_path, mode):
    data, payload = frag_file(mode)
    idx = read_index(write_file(tmp_path, data))
    assert idx.fragmented and idx.fragment_count == 1 and not idx.issues
    v, a = idx.tracks
    assert list(v.sizes) == V_SIZES
    assert list(v.offsets) == [payload + sum(V_SIZES[:i]) for i in range(4)]
    a_at = payload + sum(V_SIZES)
    assert list(a.offsets) == [a_at + sum(A_SIZES[:i]) for i in range(3)]
    assert list(v.durations) == [512] * 4  # trun, then trex default
    assert list(a.durations) == [1024] * 3  # trex default
    assert list(v.cts_offsets) == [1024, -512, 0, 0]
    assert list(v.decode_times()) == [1000, 1512, 2024, 2536]
    assert list(v.sync_samples) == [0]  # first-sample-flags sync, trex default non-sync
    assert a.sync_samples is None  # every sample sync
    assert a.aac_object_type == 2 and a.aac_sample_rate == 48000
    assert v.samples_past_eof == a.samples_past_eof == 0


def test_fragment_for_unknown_track_is_flagged(tmp_path):
    data, _ = frag_file("moof")
    i = data.index(b"tfhd") + 8
    data = data[:i] + struct.pack(">I", 9) + data[i + 4 :]
    idx = read_index(write_file(tmp_path, data))
    assert "fragment_for_unknown_track" in idx.issues


def test_trun_count_without_table_is_bounded(tmp_path):
    data, _ = frag_file("moof")
    i = data.rindex(b"trun") + 4
    # the audio trun, flags cleared to 'no per-sample fields', count 4 billion
    data = data[:i] + struct.pack(">II", 0x1, 0xFFFFFFFF) + data[i + 8 :]
    assert read_error(write_file(tmp_path, data)).code == "bad_box"


def test_duplicate_track_id_keeps_fragments_to_one_track(tmp_path):
    """Two traks with one ID (found by fuzz/fuzz_mp4.py): the fragment's samples go to
    the last, and the first keeps its own: no sync sample past its samples."""
    data, _ = frag_file("moof")
    i = data.index(b"tkhd", data.index(b"tkhd") + 4) + 4 + 12  # the second trak's ID
    data = data[:i] + struct.pack(">I", 1) + data[i + 4 :]
    idx = read_index(write_file(tmp_path, data))
    assert "duplicate_track_id" in idx.issues
    first, last = idx.tracks
    assert first.sample_count == 0 and first.sync_samples is None
    assert last.sample_count == 4 and list(last.sync_samples) == [0]
