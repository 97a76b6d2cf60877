"""Byte patches of real files (copies in tmp_path, never the cached fixture) and what
ffprobe says plays, for the tests of issue #13's wrong verdicts."""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Iterator
from pathlib import Path

from mp4files import box, build_boxes, ffprobe_json, parse_boxes

from mediacheck.mp4 import read_index
from mediacheck.probe.played import played


def top_boxes(data: bytes, start: int = 0, end: int | None = None) -> Iterator[tuple]:
    """(type, offset, size) of the boxes in data[start:end] (32-bit sizes only)."""
    pos, end = start, len(data) if end is None else end
    while pos + 8 <= end:
        size, typ = struct.unpack_from(">I4s", data, pos)
        if size < 8:
            return
        yield typ, pos, size
        pos += size


def patched(src: Path, tmp_path: Path, fn: Callable[[bytearray], bytes | bytearray | None],
            name: str = "patched.mp4") -> Path:  # fmt: skip
    """A copy of `src` in tmp_path with fn applied to its bytes (fn may edit in place)."""
    data = bytearray(src.read_bytes())
    out = fn(data)
    dst = tmp_path / name
    dst.write_bytes(bytes(data if out is None else out))
    return dst


CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"moof", b"traf",
              b"mfra", b"mvex"}  # fmt: skip


def find_box(data: bytes, typ: bytes) -> int:
    """Offset of the first `typ` box, searched through the container boxes."""

    def walk(start: int, end: int) -> int | None:
        for t, at, size in top_boxes(data, start, end):
            if t == typ:
                return at
            if t in CONTAINERS and (found := walk(at + 8, at + size)) is not None:
                return found
        return None

    found = walk(0, len(data))
    if found is None:
        raise LookupError(typ)
    return found


def entry_count(typ: bytes, value: int) -> Callable[[bytearray], None]:
    """A patch: the first `typ` full box's entry count set to `value` (fuzzers' favourite:
    tfra, sgpd, trun, elst, stsd…)."""

    def patch(data: bytearray) -> None:
        at = find_box(data, typ) + 12  # size, type, version and flags
        version = data[at - 4]
        if typ == b"tfra":
            at += 8  # track_ID, then the lengths' sizes
        elif typ == b"sgpd":  # grouping_type, default_length (v1+), default index (v2+)
            at += 4 + 4 * (version >= 1) + 4 * (version >= 2)
        struct.pack_into(">I", data, at, value)

    return patch


def moov_edit(data: bytearray, fn: Callable[[list], None]) -> bytes:
    """The file with its moov's box tree rewritten by fn. Boxes after the moov move by
    the size difference: fine for fragments whose offsets count from their moof."""
    typ, at, size = next(b for b in top_boxes(data) if b[0] == b"moov")
    tree = parse_boxes(bytes(data[at + 8 : at + size]))
    fn(tree)
    return bytes(data[:at]) + box(b"moov", build_boxes(tree)) + bytes(data[at + size :])


def add_mehd(seconds: float, timescale: int = 1000) -> Callable[[list], None]:
    """A moov tree edit: a version-1 mehd of `seconds` first in the mvex."""

    def edit(tree: list) -> None:
        mvex = next(node for node in tree if node[0] == b"mvex")
        mehd = struct.pack(">I", 1 << 24) + struct.pack(">Q", round(seconds * timescale))
        mvex[1].insert(0, [b"mehd", mehd])

    return edit


def shift_tfdt(data: bytearray, seconds: float, timescales: dict[int, int]) -> None:
    """Add `seconds` to every fragment's decode time (tfdt), in place."""
    for typ, at, size in top_boxes(data):
        if typ != b"moof":
            continue
        for t2, at2, size2 in top_boxes(data, at + 8, at + size):
            if t2 != b"traf":
                continue
            tid = None
            for t3, at3, _ in top_boxes(data, at2 + 8, at2 + size2):
                if t3 == b"tfhd":
                    tid = struct.unpack_from(">I", data, at3 + 12)[0]
                elif t3 == b"tfdt" and tid is not None:
                    add = round(seconds * timescales[tid])
                    if data[at3 + 8] == 1:
                        (t,) = struct.unpack_from(">Q", data, at3 + 12)
                        struct.pack_into(">Q", data, at3 + 12, t + add)
                    else:
                        (t,) = struct.unpack_from(">I", data, at3 + 12)
                        struct.pack_into(">I", data, at3 + 12, t + add)


def played_seconds(path: Path, kind: str) -> list[int]:
    """Bytes in each whole second of what plays of the first `kind` ("v"/"a") track, as
    mediacheck measures it."""
    idx = read_index(path)
    track = (idx.video_tracks if kind == "v" else idx.audio_tracks)[0]
    p = played(track)
    return p.seconds[: int(p.length_s)]


def ffprobe_seconds(path: Path, kind: str, *, with_discarded: bool = False) -> list[int]:
    """The same from ffprobe's packets: those it does not flag D (discard: outside the
    edit list), bucketed by pts from the first of them (or from 0 when that one starts
    before 0, as a partly cut audio frame does)."""
    packets = ffprobe_json(
        path, "-select_streams", f"{kind}:0", "-show_entries", "packet=size,pts_time,flags"
    )["packets"]
    shown = [p for p in packets if with_discarded or "D" not in p["flags"]]
    times = [float(p["pts_time"]) for p in shown]
    origin = max(min(times), 0.0)
    out: dict[int, int] = {}
    for p, t in zip(shown, times, strict=True):
        k = max(math.floor(t - origin + 1e-9), 0)
        out[k] = out.get(k, 0) + int(p["size"])
    return [out.get(k, 0) for k in range(max(out) + 1)]
