"""The movie box: mvhd, mvex (trex, mehd) and each trak with its tkhd, edit list,
media header, handler and sample tables."""

from __future__ import annotations

import math
import struct

from mediacheck.mp4.boxes import U16, U32S, U64S, ReadState, Trex, children, fits, fourcc, need
from mediacheck.mp4.entries import stsd
from mediacheck.mp4.model import MAX_TICKS, Edit, Track
from mediacheck.mp4.tables import Tables, build_samples, read_stbl


def moov(st: ReadState, buf: bytes, base: int) -> None:
    mv = memoryview(buf)
    idx = st.idx
    for typ, s, e in children(buf, 0, len(buf), 1, base):
        if typ == b"mvhd":
            need(s, e, 20, "mvhd")
            if buf[s] == 1:
                need(s, e, 32, "mvhd")
                idx.movie_timescale = U32S.unpack_from(buf, s + 20)[0]
                idx.movie_duration = U64S.unpack_from(buf, s + 24)[0]
            else:
                idx.movie_timescale, idx.movie_duration = struct.unpack_from(">II", buf, s + 12)
        elif typ == b"trak":
            tr = trak(st, buf, mv, s, e, base)
            if tr.track_id in st.by_id:
                idx.issues.append("duplicate_track_id")
            st.by_id[tr.track_id] = tr
            st.moov_counts[tr.track_id] = tr.sample_count
            idx.tracks.append(tr)
        elif typ == b"mvex":
            idx.fragmented = True
            for t2, s2, e2 in children(buf, s, e, 2, base):
                if t2 == b"trex":
                    need(s2, e2, 24, "trex")
                    tid, _sdi, d, sz, fl = struct.unpack_from(">5I", buf, s2 + 4)
                    st.trex[tid] = Trex(d, sz, fl)
                elif t2 == b"mehd":
                    need(s2, e2, 8, "mehd")
                    if buf[s2] == 1:
                        need(s2, e2, 12, "mehd")
                        idx.fragment_duration = U64S.unpack_from(buf, s2 + 4)[0]
                    else:
                        idx.fragment_duration = U32S.unpack_from(buf, s2 + 4)[0]
                    idx.movie_duration = idx.fragment_duration


def trak(st: ReadState, buf: bytes, mv: memoryview, s: int, e: int, base: int) -> Track:
    tr = Track()
    tables = Tables()
    for typ, s2, e2 in children(buf, s, e, 2, base):
        if typ == b"tkhd":
            tkhd(buf, s2, e2, tr)
        elif typ == b"edts":
            for t3, s3, e3 in children(buf, s2, e2, 3, base):
                if t3 == b"elst":
                    elst(buf, s3, e3, tr)
        elif typ == b"mdia":
            for t3, s3, e3 in children(buf, s2, e2, 3, base):
                if t3 == b"mdhd":
                    mdhd(buf, s3, e3, tr)
                elif t3 == b"hdlr":
                    need(s3, e3, 12, "hdlr")
                    tr.handler = fourcc(buf[s3 + 8 : s3 + 12])
                elif t3 == b"minf":
                    for t4, s4, e4 in children(buf, s3, e3, 4, base):
                        if t4 == b"stbl":
                            for s5, e5 in read_stbl(buf, mv, s4, e4, tables, base):
                                stsd(buf, s5, e5, tr, base)
    build_samples(tr, tables, st.sample_budget)
    if tr.edits and all(ed.media_time == -1 for ed in tr.edits):
        tr.issues.append("edit_list_only_empty")
    elif any(ed.media_time == -1 for ed in tr.edits):
        tr.issues.append("empty_edit")
    if sum(1 for ed in tr.edits if ed.media_time != -1) > 1:
        tr.issues.append("complex_edit_list")
    if tr.timescale == 0:
        tr.issues.append("zero_timescale")
    return tr


def tkhd(buf: bytes, s: int, e: int, tr: Track) -> None:
    v1 = buf[s] == 1 if e > s else False
    off = s + (4 + 8 + 8 if v1 else 4 + 4 + 4)
    need(s, e, (off - s) + 4 + 4 + (8 if v1 else 4) + 16 + 36 + 8, "tkhd")
    tr.track_id = U32S.unpack_from(buf, off)[0]
    m = off + 4 + 4 + (8 if v1 else 4) + 16
    a, b = struct.unpack_from(">ii", buf, m)
    if a or b:
        tr.rotation = int(round(-math.degrees(math.atan2(b, a)))) % 360
    w, h = struct.unpack_from(">II", buf, m + 36)
    tr.tkhd_width = w / 65536
    tr.tkhd_height = h / 65536


def mdhd(buf: bytes, s: int, e: int, tr: Track) -> None:
    if e > s and buf[s] == 1:
        need(s, e, 34, "mdhd")
        tr.timescale = U32S.unpack_from(buf, s + 20)[0]
        tr.duration = U64S.unpack_from(buf, s + 24)[0]
        lang = U16.unpack_from(buf, s + 32)[0]
    else:
        need(s, e, 22, "mdhd")
        tr.timescale, tr.duration = struct.unpack_from(">II", buf, s + 12)
        lang = U16.unpack_from(buf, s + 20)[0]
    if lang:
        tr.language = "".join(chr(((lang >> k) & 31) + 0x60) for k in (10, 5, 0))


def elst(buf: bytes, s: int, e: int, tr: Track) -> None:
    need(s, e, 8, "elst")
    v1 = buf[s] == 1
    n = U32S.unpack_from(buf, s + 4)[0]
    step = 20 if v1 else 12
    fits(n, step, s + 8, e, "elst")
    fmt = struct.Struct(">Qqhh" if v1 else ">Iihh")
    if n == 0:
        tr.issues.append("empty_edit_list")
    for i in range(n):
        d, t, ri, rf = fmt.unpack_from(buf, s + 8 + i * step)
        if d > MAX_TICKS or not -1 <= t <= MAX_TICKS:
            tr.issues.append("bad_edit")  # would overflow 64-bit timestamps later
            continue
        tr.edits.append(Edit(d, t, ri + rf / 65536))
