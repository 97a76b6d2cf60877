"""Read an MP4's index: visit the top-level boxes by their headers, seek over `mdat`,
and read only `ftyp`, `moov` and `moof` payloads (moov.py, fragments.py).

Broken structure raises `Mp4Error(code, detail)`; inconsistencies that still leave
usable data become `issues` codes on the index or the track (listed in __init__.py).
"""

from __future__ import annotations

import os
import struct
from array import array

from mediacheck.mp4.arrays import SWAP, U32
from mediacheck.mp4.boxes import HDR, U32S, U64S, ReadState, fourcc, fourccs, printable
from mediacheck.mp4.fragments import moof
from mediacheck.mp4.model import MAX_INDEX_BOX, MAX_TOP_BOXES, Mp4Error, Mp4Index, Track
from mediacheck.mp4.moov import moov
from mediacheck.mp4.tables import past_eof

_MAX_SIDX = 32 + 12 * 0xFFFF  # reference_count is 16 bits
# Boxes that may open an ISO BMFF / QuickTime file. Anything else first is not one.
FIRST_BOXES = fourccs("ftyp styp moov mdat free skip wide pnot uuid sidx junk prfl")


class _Reader:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = path
        self.st = ReadState()

    def read(self) -> Mp4Index:
        try:
            f = open(self.path, "rb", buffering=0)  # noqa: SIM115 - closed below
        except OSError as e:
            raise Mp4Error("io_error", str(e)) from None
        with f:
            try:
                return self.scan(f)
            except OSError as e:
                raise Mp4Error("io_error", str(e)) from None
            except (struct.error, IndexError, ValueError, OverflowError) as e:
                # Safety net: a malformed table we did not anticipate is still a clear error.
                raise Mp4Error("bad_box", f"malformed index ({type(e).__name__}: {e})") from None

    def scan(self, f) -> Mp4Index:
        idx = self.st.idx
        size = os.fstat(f.fileno()).st_size
        idx.file_size = size
        # Samples claimed without a per-sample table may be at most about this many
        # bytes in all: room for a file truncated to half, plus slack for tiny files.
        self.st.sample_budget = 2 * size + 1_000_000
        if size == 0:
            raise Mp4Error("empty_file", "the file is empty")
        pos = 0
        moov_at = first_mdat = -1
        moofs: list[tuple[int, int, bytes]] = []

        def read_at(at: int, n: int) -> bytes:
            f.seek(at)
            data = f.read(n)
            idx.bytes_read += len(data)
            return data

        while pos < size:
            if len(idx.top_boxes) >= MAX_TOP_BOXES:
                idx.issues.append("too_many_boxes")
                break
            if size - pos < 8:
                idx.issues.append("trailing_bytes")
                break
            head = read_at(pos, 16)
            box_size, typ = HDR.unpack_from(head)
            hdr = 8
            name = fourcc(typ)
            if pos == 0 and typ not in FIRST_BOXES:
                raise Mp4Error("not_isobmff", f"the file starts with {head[:8]!r}, not an MP4 box")
            if not printable(typ):
                if moov_at < 0:
                    raise Mp4Error("bad_box", f"unreadable box type {typ!r} at byte {pos}")
                idx.issues.append("trailing_garbage")
                break
            if box_size == 1:
                if len(head) < 16:
                    raise Mp4Error("bad_box", f"'{name}' box at byte {pos} cut short")
                box_size = U64S.unpack_from(head, 8)[0]
                hdr = 16
            elif box_size == 0:
                box_size = size - pos  # "to the end of the file"
            if box_size < hdr:
                if moov_at < 0:
                    raise Mp4Error(
                        "bad_box",
                        f"'{name}' box at byte {pos} has size {box_size}, "
                        f"smaller than its {hdr}-byte header",
                    )
                idx.issues.append("trailing_garbage")
                break
            idx.top_boxes.append((name, pos, box_size))
            end = pos + box_size
            if end > size:
                if typ in (b"moov", b"ftyp") or (typ == b"moof" and moov_at < 0):
                    raise Mp4Error(
                        "box_past_eof",
                        f"'{name}' box at byte {pos} claims {box_size} bytes but the file "
                        f"ends {end - size} bytes short",
                    )
                # mdat (or a fragment) cut off: the file is truncated; what the index
                # says about the missing samples is still worth reporting.
                idx.issues.append(f"{name}_past_eof")
                if typ == b"mdat" and first_mdat < 0:
                    first_mdat = pos
                break
            if typ == b"ftyp":
                body = read_at(pos + hdr, min(box_size - hdr, 4096))
                if len(body) >= 8:
                    idx.major_brand = fourcc(body[:4])
                    idx.minor_version = U32S.unpack_from(body, 4)[0]
                    idx.compatible_brands = [
                        fourcc(body[i : i + 4]) for i in range(8, len(body) - 3, 4)
                    ]
            elif typ == b"moov":
                if moov_at >= 0:
                    idx.issues.append("multiple_moov")
                else:
                    if box_size > MAX_INDEX_BOX:
                        raise Mp4Error("bad_box", f"'moov' box claims {box_size} bytes")
                    moov_at = pos
                    moov(self.st, read_at(pos + hdr, box_size - hdr), pos + hdr)
            elif typ == b"moof":
                if box_size > MAX_INDEX_BOX:
                    raise Mp4Error("bad_box", f"'moof' box claims {box_size} bytes")
                moofs.append((pos, hdr, read_at(pos + hdr, box_size - hdr)))
            elif typ == b"sidx":
                self.sidx(read_at(pos + hdr, min(box_size - hdr, _MAX_SIDX)), end)
            elif typ == b"mdat" and first_mdat < 0:
                first_mdat = pos
            pos = end

        if moov_at < 0:
            cut = any(i.endswith("_past_eof") for i in idx.issues)
            raise Mp4Error(
                "no_moov",
                "no 'moov' index box"
                + (
                    "; the media data runs past the end of the file, so the file was "
                    "probably cut off before its index was written"
                    if cut
                    else ""
                ),
            )
        idx.moov_before_mdat = first_mdat < 0 or moov_at < first_mdat
        for at, hdr, body in moofs:
            moof(self.st, body, at, at + hdr)
        idx.fragment_count = len(moofs)
        if moofs:
            idx.fragmented = True
        if not idx.tracks:
            idx.issues.append("no_tracks")
        for tr in idx.tracks:
            self.finish(tr)
        if idx.expected_end > size:
            idx.issues.append("sidx_past_eof")
        if self.fragments_missing():
            idx.issues.append("fragments_missing")
        return idx

    def sidx(self, body: bytes, box_end: int) -> None:
        """Where the media a segment index describes ends: the first byte after the sidx,
        plus first_offset, plus every reference's size (each is the distance to the next)."""
        idx = self.st.idx
        try:
            if body[0] == 0:
                first_offset = U32S.unpack_from(body, 16)[0]
                p = 20
            else:
                first_offset = U64S.unpack_from(body, 20)[0]
                p = 28
            count = struct.unpack_from(">H", body, p + 2)[0]
            refs = array(U32, body[p + 4 : p + 4 + 12 * count])
        except (IndexError, struct.error, ValueError):
            idx.issues.append("bad_sidx")
            return
        if len(refs) != 3 * count:
            idx.issues.append("bad_sidx")
            return
        if SWAP:
            refs.byteswap()
        sizes = sum(r & 0x7FFFFFFF for r in refs[0::3])  # the top bit is reference_type
        idx.expected_end = max(idx.expected_end, box_end + first_offset + sizes)

    def fragments_missing(self) -> bool:
        """The mehd gives the whole movie's length, fragments included: a file cut at a
        fragment boundary has every box whole, but lasts shorter than that."""
        idx = self.st.idx
        mts = idx.movie_timescale
        if not idx.fragmented or not idx.fragment_duration or not mts:
            return False
        have = slack = 0.0
        for tr in idx.tracks:
            if tr.timescale and tr.sample_count:
                have = max(have, (tr.edit_delay + tr.decode_span()) / tr.timescale)
                slack = max(slack, tr.durations[-1] / tr.timescale)
        # Muxers write mehd from the very durations the samples carry (GStreamer's equals
        # its longest track to the tick): allow a guess at the last sample's duration
        # and rounding, but not a fragment.
        return have + slack + 0.001 < idx.fragment_duration / mts

    def finish(self, tr: Track) -> None:
        delay = 0
        for e in tr.edits:
            if e.media_time != -1:
                break
            delay += e.segment_duration
        mts = self.st.idx.movie_timescale
        if delay and mts and tr.timescale:
            # movie -> track timescale, rounded to nearest as ffmpeg's av_rescale does
            tr.edit_delay = (delay * tr.timescale + mts // 2) // mts
        real = [e for e in tr.edits if e.media_time != -1]
        # Fragments go to the last trak of an ID; an earlier one with the same ID
        # (duplicate_track_id) keeps only what its own tables hold.
        latest = self.st.by_id.get(tr.track_id) is tr
        in_moov = self.st.moov_counts.get(tr.track_id, 0) if latest else tr.sample_count
        own = in_moov == tr.sample_count
        # The window's end is only taken from a simple list over the moov's own samples:
        # a fragmented movie's edit often covers just what the moov held.
        if len(real) == 1 and own and real[0].segment_duration and mts and tr.timescale:
            tr.edit_duration = (real[0].segment_duration * tr.timescale + mts // 2) // mts
        syncs = self.st.sync_lists.get(tr.track_id) if latest else None
        n = tr.sample_count
        if syncs is not None:
            base = tr.sync_samples
            if base is None:
                # samples from the moov, where no stss means all sync
                base = array(U32, range(in_moov))
            merged = array(U32, base or ())
            merged.extend(syncs)
            tr.sync_samples = None if len(merged) == n else merged
        if n and tr.timescale and not tr.has_durations:
            tr.issues.append("zero_duration")
        elif n == 0 and not self.st.idx.fragmented:
            tr.issues.append("no_samples")
        if tr.duration == 0 and n and not self.st.idx.fragmented:
            tr.issues.append("mdhd_zero_duration")
        if n:
            tr.samples_past_eof, tr.bytes_missing = past_eof(tr, self.st.idx.file_size)


def read_index(path: str | os.PathLike[str]) -> Mp4Index:
    """Read the box structure and sample tables of an MP4 file; never reads `mdat`.

    Raises Mp4Error for input that is not a readable MP4 index.
    """
    return _Reader(path).read()
