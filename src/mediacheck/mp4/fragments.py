"""Fragments (moof): each traf's tfhd defaults, tfdt decode time and trun samples,
appended to the tracks the moov declared."""

from __future__ import annotations

from array import array
from itertools import accumulate

from mediacheck.mp4.arrays import I32, U32, u32_array
from mediacheck.mp4.boxes import I32S, U32S, U64S, ReadState, Trex, children, fits, need
from mediacheck.mp4.model import MAX_SAMPLES, MAX_TICKS, Mp4Error, Track

# trun sample_flags bit: sample_is_non_sync_sample
NON_SYNC = 0x00010000


def moof(st: ReadState, buf: bytes, moof_start: int, base: int) -> None:
    """`moof_start` is the box's first byte: trun data offsets count from there."""
    mv = memoryview(buf)
    data_end = moof_start  # where the previous traf's data ended
    first = True
    for typ, s, e in children(buf, 0, len(buf), 1, base):
        if typ == b"traf":
            data_end = traf(st, buf, mv, s, e, moof_start, data_end, first, base)
            first = False


def traf(
    st: ReadState,
    buf: bytes,
    mv: memoryview,
    s: int,
    e: int,
    moof_start: int,
    prev_end: int,
    first: bool,
    base: int,
) -> int:
    tr: Track | None = None
    base_offset = moof_start if first else prev_end
    d_dur = d_size = d_flags = 0
    pos = base_offset
    for typ, s2, e2 in children(buf, s, e, 2, base):
        if typ == b"tfhd":
            need(s2, e2, 8, "tfhd")
            fl = int.from_bytes(buf[s2 + 1 : s2 + 4], "big")
            tid = U32S.unpack_from(buf, s2 + 4)[0]
            tr = st.by_id.get(tid)
            if tr is None:
                st.idx.issues.append("fragment_for_unknown_track")
                return prev_end
            trex = st.trex.get(tid, Trex())
            d_dur, d_size, d_flags = trex.duration, trex.size, trex.flags
            p = s2 + 8
            want = 8 + sum(
                w for bit, w in ((1, 8), (2, 4), (8, 4), (0x10, 4), (0x20, 4)) if fl & bit
            )
            need(s2, e2, want, "tfhd")
            if fl & 0x1:
                base_offset = U64S.unpack_from(buf, p)[0]
                p += 8
            elif fl & 0x20000:  # default-base-is-moof
                base_offset = moof_start
            if fl & 0x2:
                p += 4
            if fl & 0x8:
                d_dur = U32S.unpack_from(buf, p)[0]
                p += 4
            if fl & 0x10:
                d_size = U32S.unpack_from(buf, p)[0]
                p += 4
            if fl & 0x20:
                d_flags = U32S.unpack_from(buf, p)[0]
            pos = base_offset
        elif tr is None:
            continue
        elif typ == b"tfdt":
            need(s2, e2, 8, "tfdt")
            if buf[s2] == 1:
                need(s2, e2, 12, "tfdt")
                t0 = U64S.unpack_from(buf, s2 + 4)[0]
            else:
                t0 = U32S.unpack_from(buf, s2 + 4)[0]
            if t0 > MAX_TICKS:
                tr.issues.append("bad_tfdt")
            else:
                tr.decode_bases.append((tr.sample_count, t0))
        elif typ == b"trun":
            pos = trun(st, buf, mv, s2, e2, tr, base_offset, pos, d_dur, d_size, d_flags)
    return pos


def trun(
    st: ReadState,
    buf: bytes,
    mv: memoryview,
    s: int,
    e: int,
    tr: Track,
    base_offset: int,
    pos: int,
    d_dur: int,
    d_size: int,
    d_flags: int,
) -> int:
    need(s, e, 8, "trun")
    fl = int.from_bytes(buf[s + 1 : s + 4], "big")
    count = U32S.unpack_from(buf, s + 4)[0]
    p = s + 8
    if fl & 0x1:
        need(s, e, p - s + 4, "trun")
        pos = base_offset + I32S.unpack_from(buf, p)[0]
        p += 4
    first_flags = None
    if fl & 0x4:
        need(s, e, p - s + 4, "trun")
        first_flags = U32S.unpack_from(buf, p)[0]
        p += 4
    present = [bit for bit in (0x100, 0x200, 0x400, 0x800) if fl & bit]
    k = len(present)
    fits(count, 4 * k, p, e, "trun")
    n0 = tr.sample_count
    # With per-sample fields the count is backed by bytes (checked above); without,
    # a claim must at least be in proportion to the file's size.
    if n0 + count > MAX_SAMPLES or (not k and count * max(d_size, 1) > st.sample_budget):
        raise Mp4Error("bad_box", f"'trun' claims {count} samples, more than the file can hold")
    if count == 0:
        return pos
    table = u32_array(mv, p, count * k)
    cols = {bit: table[j::k] for j, bit in enumerate(present)}
    sizes = cols.get(0x200) or array(U32, [d_size]) * count
    durs = cols.get(0x100) or array(U32, [d_dur]) * count
    tr._thaw()
    tr.sizes.extend(sizes)
    tr.durations.extend(durs)
    offs = array("q", accumulate(sizes, initial=pos))
    end = offs.pop()
    tr.offsets.extend(offs)
    if 0x800 in cols:
        cts = array(I32, cols[0x800].tobytes())
        if tr.cts_offsets is None:
            tr.cts_offsets = array(I32, bytes(4 * n0))
        tr.cts_offsets.extend(cts)
    elif tr.cts_offsets is not None:
        tr.cts_offsets.extend(array(I32, bytes(4 * count)))
    syncs = st.sync_lists.setdefault(tr.track_id, [])
    if 0x400 in cols:
        flags = cols[0x400]
        if first_flags is not None:
            flags[0] = first_flags
        syncs.extend(n0 + i for i, f in enumerate(flags) if not f & NON_SYNC)
    else:
        start = 0
        if first_flags is not None:
            if not first_flags & NON_SYNC:
                syncs.append(n0)
            start = 1
        if not d_flags & NON_SYNC:
            syncs.extend(range(n0 + start, n0 + count))
    return end
