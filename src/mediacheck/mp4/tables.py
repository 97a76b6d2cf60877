"""The sample tables of one track (stbl): per-sample sizes, timing runs, chunk map.

Tables are read into `Tables` as raw arrays, then `build_samples` turns them into the
Track's fields: sizes, duration and composition-offset runs (kept as runs, see
`Track`), sync samples and the chunk map that file offsets are built from on first
use. `past_eof` counts the sample bytes a truncated file has lost, looking at the last
few chunks only.
"""

from __future__ import annotations

import struct
from array import array
from itertools import compress, repeat
from operator import gt, le, lt, mul, sub

from mediacheck.mp4.arrays import (
    HI_NIBBLE,
    I32,
    LO_NIBBLE,
    SWAP,
    U32,
    fit_runs,
    indexes_above,
    max_bound,
    u32_array,
)
from mediacheck.mp4.boxes import U32S, children, fits, fourcc, need
from mediacheck.mp4.model import MAX_SAMPLES, Mp4Error, Track

_TABLES = (b"stsz", b"stz2", b"stts", b"ctts", b"stsc", b"stco", b"co64", b"stss")


class Tables:
    def __init__(self) -> None:
        self.sizes: array | None = None
        self.uniform_size = 0
        self.count = 0
        self.stts: array | None = None
        self.ctts: array | None = None
        self.stsc: array | None = None
        self.chunks: array | None = None
        self.stss: array | None = None


def read_stbl(
    buf: bytes, mv: memoryview, s: int, e: int, t: Tables, base: int
) -> list[tuple[int, int]]:
    """Read the tables of one stbl into `t`; returns where its stsd boxes are, for the
    sample entries' reader (entries.py)."""
    stsds = []
    for typ, s2, e2 in children(buf, s, e, 5, base):
        if typ == b"stsd":
            stsds.append((s2, e2))
            continue
        if typ not in _TABLES:
            continue
        need(s2, e2, 8, fourcc(typ))
        if typ == b"stsz":
            need(s2, e2, 12, "stsz")
            t.uniform_size, t.count = struct.unpack_from(">II", buf, s2 + 4)
            if t.uniform_size == 0:
                fits(t.count, 4, s2 + 12, e2, "stsz")
                t.sizes = u32_array(mv, s2 + 12, t.count)
            continue
        if typ == b"stz2":
            need(s2, e2, 12, "stz2")
            bits = buf[s2 + 7]
            t.count = U32S.unpack_from(buf, s2 + 8)[0]
            t.sizes = stz2(mv, s2 + 12, e2, bits, t.count)
            continue
        n = U32S.unpack_from(buf, s2 + 4)[0]
        p = s2 + 8
        if typ == b"stts":
            fits(n, 8, p, e2, "stts")
            t.stts = u32_array(mv, p, 2 * n)
        elif typ == b"ctts":
            fits(n, 8, p, e2, "ctts")
            t.ctts = u32_array(mv, p, 2 * n, I32)  # signed in practice, either version
        elif typ == b"stsc":
            fits(n, 12, p, e2, "stsc")
            t.stsc = u32_array(mv, p, 3 * n)
        elif typ == b"stco":
            fits(n, 4, p, e2, "stco")
            # kept 32-bit: widening 90,000 offsets to 'q' costs 5 ms, and offsets
            # are only built (as 'q') on demand
            t.chunks = u32_array(mv, p, n)
        elif typ == b"co64":
            fits(n, 8, p, e2, "co64")
            a = array("q")
            a.frombytes(mv[p : p + 8 * n])
            if SWAP:
                a.byteswap()
            t.chunks = a
        elif typ == b"stss":
            fits(n, 4, p, e2, "stss")
            t.stss = u32_array(mv, p, n)
    return stsds


def stz2(mv: memoryview, p: int, e: int, bits: int, n: int) -> array:
    if bits not in (4, 8, 16):
        raise Mp4Error("bad_box", f"'stz2' field size {bits} is not 4, 8 or 16")
    fits(n, bits / 8, p, e, "stz2")
    if bits == 16:
        h = array("H")
        h.frombytes(mv[p : p + 2 * n])
        if SWAP:
            h.byteswap()
        return array(U32, h)
    raw = bytes(mv[p : p + (n * bits + 7) // 8])
    if bits == 8:
        return array(U32, iter(raw))  # iter: a bytes initializer would be raw memory
    # 4-bit: high nibble first; split with translate tables instead of a loop
    out = bytearray(2 * len(raw))
    out[0::2] = raw.translate(HI_NIBBLE)
    out[1::2] = raw.translate(LO_NIBBLE)
    return array(U32, iter(out[:n]))


def build_samples(tr: Track, t: Tables, sample_budget: int) -> None:
    """Per-sample arrays from the sample tables."""
    n = t.count
    # A table-less (uniform size) count is not backed by bytes: bound it by the file.
    if n > MAX_SAMPLES or (t.sizes is None and n * max(t.uniform_size, 1) > sample_budget):
        tr.issues.append("too_many_samples")
        return
    if t.sizes is not None:
        tr.sizes = t.sizes
        n = len(t.sizes)
    elif n:
        tr.sizes = array(U32, [t.uniform_size]) * n
    if n == 0:
        return

    # decode durations and composition offsets: kept as runs (see Track)
    if t.stts is None or not len(t.stts):
        tr.issues.append("no_stts")
        tr._dur_runs = (array(U32, [n]), array(U32, [0]))
    else:
        counts, deltas = t.stts[0::2], t.stts[1::2]
        if sum(counts) != n:
            tr.issues.append("stts_count_mismatch")
        tr._dur_runs = fit_runs(counts, deltas, n, deltas[-1])

    if t.ctts is not None and len(t.ctts):
        counts = array(U32, t.ctts[0::2].tobytes())
        vals = t.ctts[1::2]
        if sum(counts) != n:
            tr.issues.append("ctts_count_mismatch")
        counts, vals = fit_runs(counts, vals, n, 0)
        if any(compress(vals, counts)):
            tr._cts_runs = (counts, vals)

    # sync samples
    if t.stss is not None:
        if len(t.stss) and (min(t.stss) < 1 or max(t.stss) > n):
            tr.issues.append("stss_out_of_range")
            tr.sync_samples = array(U32, (i - 1 for i in t.stss if 1 <= i <= n))
        else:  # the usual case, at C speed
            tr.sync_samples = array(U32, map((-1).__add__, t.stss))

    chunk_map(tr, t, n)


def chunk_map(tr: Track, t: Tables, n: int) -> None:
    """Samples per chunk from stsc, as runs of chunks; file offsets on first use."""
    chunks = t.chunks
    if chunks is None or t.stsc is None or not len(t.stsc) or not len(chunks):
        tr.issues.append("no_chunk_table")
        tr._offsets = array("q", [-1]) * n
        return
    nc = len(chunks)
    first = t.stsc[0::3]
    spc = t.stsc[1::3]
    # chunks per stsc entry = distance to the next entry's first chunk
    if first[0] == 1 and not any(map(le, first[1:], first)):
        runs = array(U32, map(sub, first[1:], first))
    else:
        tr.issues.append("bad_stsc")
        runs = array(
            U32,
            (max(0, min(b, nc + 1) - a) for a, b in zip(first, first[1:], strict=False)),
        )
    runs.append(max(0, nc + 1 - first[-1]))
    runs, spc = fit_runs(runs, spc, nc, 0)  # chunks past the table hold no samples
    held = sum(map(mul, runs, spc))
    if held < n:
        tr.issues.append("samples_without_chunk")
    elif held > n:
        tr.issues.append("chunks_exceed_samples")
    tr._offsets = None  # built lazily by Track.offsets
    tr._chunk_map = (chunks, runs, spc, held)


def chunk_samples(
    cands: list[int], runs: array, per_run: array, held: int
) -> list[tuple[int, int]]:
    """(first sample, sample count) of each chunk in `cands` (ascending), from the runs of
    chunks (runs[j] chunks of per_run[j] samples). Walks the runs from the end, since
    the chunks asked about are the last ones of the file."""
    out = []
    j = len(runs) - 1
    c_end = sum(runs)
    s_end = held
    for c in reversed(cands):
        while c < c_end - runs[j]:
            c_end -= runs[j]
            s_end -= runs[j] * per_run[j]
            j -= 1
        out.append((s_end - (c_end - c) * per_run[j], per_run[j]))
    out.reverse()
    return out


def past_eof(tr: Track, size: int) -> tuple[int, int]:
    """(samples, bytes) of sample data that lies outside a file of `size` bytes.

    A chunk's samples lie back to back from its offset, so a chunk at 0 <= offset <=
    size - (most samples in a chunk) * (bound on a sample's size) is wholly inside the
    file. Only the chunks above that (the last few in a well-formed file) or at a
    negative offset are looked at sample by sample; finding them costs C-speed scans of
    the chunk offsets' bytes rather than a Python-level pass over every chunk or sample.
    """
    sizes = tr.sizes
    n = len(sizes)
    items: list[tuple[int, int]] = []
    past = missing = 0
    if tr._chunk_map is not None:
        chunks, runs, per_run, held = tr._chunk_map
        limit = size - max_bound(per_run) * max_bound(sizes)
        cands = indexes_above(chunks, limit) if limit >= 0 else list(range(len(chunks)))
        for c, (first, count) in zip(cands, chunk_samples(cands, runs, per_run, held), strict=True):
            o = chunks[c]
            for sz in sizes[min(first, n) : min(first + count, n)]:
                items.append((o, sz))
                o += sz
        if held < n:  # samples no chunk holds have no offset (-1, as `offsets` gives)
            past, missing = n - held, sum(sizes[held:])
    else:
        offs = tr.offsets
        big = max(sizes)
        cand = set(compress(range(n), map(gt, offs, repeat(size - big))))
        cand.update(compress(range(n), map(lt, offs, repeat(0))))
        items = [(offs[i], sizes[i]) for i in sorted(cand)]
    for o, sz in items:
        if o < 0 or o + sz > size:
            past += 1
            missing += sz if o < 0 or o >= size else o + sz - size
    return past, missing
