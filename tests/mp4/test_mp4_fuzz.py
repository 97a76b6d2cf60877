"""Fuzzing: mutated real files, box soup and table values never escape as tracebacks."""

from __future__ import annotations

import struct
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mp4files import FTYP, box, needs_ffmpeg, read_and_use, synth


def _index_region(data: bytes) -> tuple[int, int]:
    """Byte range holding the moov and moofs (all before the first mdat payload here)."""
    end = data.index(b"mdat") + 4
    return 0, end


FUZZ = settings(
    max_examples=120,
    deadline=3000,  # generous for a loaded CI box; each example is a few ms
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)


@needs_ffmpeg
@FUZZ
@given(
    which=st.sampled_from(["fast", "frag"]),
    edits=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)),
        min_size=1,
        max_size=12,
    ),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_fuzz_mutated_real_file(tiny, tmp_path_factory, which, edits, cut):
    data = bytearray(tiny[which])
    lo, hi = _index_region(bytes(data))
    for where, value in edits:
        data[lo + int(where * (hi - lo))] = value
    if cut is not None:
        data = data[: int(len(data) * cut)]
    path = tmp_path_factory.getbasetemp() / f"fuzz_{which}.mp4"
    path.write_bytes(bytes(data))
    t0 = time.perf_counter()
    read_and_use(path)
    assert time.perf_counter() - t0 < 1


_TYPE_NAMES = """
    moov trak mdia minf stbl stsd stsz stz2 stts ctts stsc stco co64 stss edts elst tkhd mdhd
    hdlr mvhd mvex trex moof traf tfhd tfdt trun mfhd mdat free avc1 avcC mp4a esds wave pasp
    ftyp sidx mehd ac-3 dac3 ec-3 dec3 Opus dOps fLaC dfLa alac mlpa dmlp samr encv enca sinf
    frma schm
"""
BOX_TYPES = [t.encode() for t in _TYPE_NAMES.split()]


@st.composite
def soup(draw, depth: int = 0) -> bytes:
    out = b""
    for _ in range(draw(st.integers(0, 4 if depth else 6))):
        typ = draw(st.sampled_from(BOX_TYPES))
        if depth < 6 and draw(st.booleans()):
            body = draw(soup(depth + 1))
        else:
            body = draw(st.binary(max_size=48))
        size = draw(st.sampled_from(["ok", "ok", "ok", 0, 1, 3, "big"]))
        if size == "ok":
            out += box(typ, body)
        elif size == 1:
            out += struct.pack(">I4sQ", 1, typ, draw(st.integers(0, 2**64 - 1))) + body
        elif size == "big":
            out += struct.pack(">I4s", draw(st.integers(9, 2**32 - 1)), typ) + body
        else:
            out += struct.pack(">I4s", size, typ) + body
    return out


@FUZZ
@given(body=soup())
def test_fuzz_box_soup(tmp_path_factory, body):
    path = tmp_path_factory.getbasetemp() / "soup.mp4"
    path.write_bytes(FTYP + body)
    t0 = time.perf_counter()
    read_and_use(path)
    assert time.perf_counter() - t0 < 1


@FUZZ
@given(
    sizes=st.lists(st.integers(0, 2000), min_size=1, max_size=30),
    counts=st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=4),
    delta=st.integers(0, 2**32 - 1),
)
def test_fuzz_table_values(tmp_path_factory, sizes, counts, delta):
    stts = tuple((c, delta) for c in counts)
    path = tmp_path_factory.getbasetemp() / "tables.mp4"
    path.write_bytes(synth(sizes=tuple(sizes), stts=stts, duration=0))
    read_and_use(path)
