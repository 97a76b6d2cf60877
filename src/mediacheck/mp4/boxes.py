"""Box headers inside an in-memory index box, and the state one read carries.

Nothing in a file is trusted: every child must fit in its parent, every entry count
must be backed by bytes in its box (`fits`), every fixed field must be there (`need`).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from mediacheck.mp4.model import MAX_DEPTH, Mp4Error, Mp4Index, Track

HDR = struct.Struct(">I4s")
U16 = struct.Struct(">H")
U32S = struct.Struct(">I")
I32S = struct.Struct(">i")
U64S = struct.Struct(">Q")


def fourccs(*words: str) -> frozenset[bytes]:
    return frozenset(w.encode("latin-1") for line in words for w in line.split())


def fourcc(b: bytes) -> str:
    return b.decode("latin-1")


def printable(b: bytes) -> bool:
    return all(32 <= c < 127 or c == 0xA9 for c in b)


def children(buf: bytes, start: int, end: int, depth: int, base: int) -> Iterator[tuple]:
    """Yield (type, payload start, end) for the boxes in buf[start:end]."""
    if depth > MAX_DEPTH:
        raise Mp4Error("bad_box", f"boxes nested more than {MAX_DEPTH} deep at byte {base}")
    pos = start
    while end - pos >= 8:
        size, typ = HDR.unpack_from(buf, pos)
        hdr = 8
        if size == 1:
            if end - pos < 16:
                raise Mp4Error("bad_box", f"'{fourcc(typ)}' box at byte {base + pos} cut short")
            size = U64S.unpack_from(buf, pos + 8)[0]
            hdr = 16
        elif size == 0:
            size = end - pos  # runs to the end of its parent
        if size < hdr:
            raise Mp4Error(
                "bad_box",
                f"'{fourcc(typ)}' box at byte {base + pos} has size {size}, "
                f"smaller than its {hdr}-byte header",
            )
        if pos + size > end:
            raise Mp4Error(
                "bad_box",
                f"'{fourcc(typ)}' box at byte {base + pos} (size {size}) runs past "
                "the box that contains it",
            )
        yield typ, pos + hdr, pos + size
        pos += size


def need(s: int, e: int, n: int, name: str) -> None:
    if e - s < n:
        raise Mp4Error("bad_box", f"'{name}' box is {e - s} bytes, needs at least {n}")


def fits(n: int, step: float, start: int, end: int, name: str) -> None:
    """An entry count must be backed by bytes in the box: never trust the claim."""
    if n * step > end - start:
        raise Mp4Error(
            "bad_box",
            f"'{name}' claims {n} entries but its box holds only {end - start} bytes",
        )


# The reader's scratch records are plain classes: a dataclass costs ~1 ms of import
# time each (its methods are generated and compiled at start-up), for nothing here.
class Trex:
    __slots__ = ("duration", "size", "flags")

    def __init__(self, duration: int = 0, size: int = 0, flags: int = 0) -> None:
        self.duration, self.size, self.flags = duration, size, flags


class ReadState:
    """What one read of one file gathers as it goes, shared by the moov and moof parsers."""

    def __init__(self) -> None:
        self.idx = Mp4Index()
        self.trex: dict[int, Trex] = {}
        self.by_id: dict[int, Track] = {}
        self.sync_lists: dict[int, list[int]] = {}
        self.moov_counts: dict[int, int] = {}  # samples described by the moov itself
        self.sample_budget = 0  # set from the file size: see tables.build_samples / trun
