"""A box-aware mutator: what a damaged or hostile MP4 looks like, from a real one.

Used where libFuzzer is not (the whole-probe run, whose MediaInfo and ffprobe no Python
coverage can see, and the short run in CI when atheris is not installed). Each
mutation is one of: a byte or a 32-bit field set to a value that breaks arithmetic
(0, 1, 2**31 - 1, 2**32 - 1, a size off by a little), a box's size or entry count
changed, a box deleted, duplicated, swapped with its neighbour or spliced in from
another file, a box type renamed, or the file cut short. Deterministic for a seed.
"""

from __future__ import annotations

import random
import struct

# Boxes whose payload is a list of boxes (after `skip` bytes): where mutations descend.
CONTAINERS = {
    b"moov": 0, b"trak": 0, b"mdia": 0, b"minf": 0, b"stbl": 0, b"edts": 0, b"dinf": 0,
    b"mvex": 0, b"moof": 0, b"traf": 0, b"udta": 0, b"sinf": 0, b"wave": 0, b"schi": 0,
    b"stsd": 8, b"avc1": 78, b"avc3": 78, b"hvc1": 78, b"hev1": 78, b"encv": 78,
    b"mp4a": 28, b"enca": 28, b"ac-3": 28, b"ec-3": 28, b"Opus": 28, b"fLaC": 28,
    b"alac": 28, b"mlpa": 28, b"samr": 28, b"lpcm": 64, b"sowt": 28,
}  # fmt: skip
_LEAVES = """
    ftyp styp mdat free skip sidx mfra tfra mfro mvhd tkhd mdhd hdlr elst stsz stz2 stts
    ctts stsc stco co64 stss sdtp sgpd sbgp trex mehd mfhd tfhd tfdt trun avcC hvcC esds
    pasp dac3 dec3 dOps dfLa dmlp damr frma schm tenc senc saiz saio pssh"""
FOURCCS = [*CONTAINERS, *(t.encode() for t in _LEAVES.split())]
INTERESTING = (0, 1, 2, 7, 8, 9, 15, 16, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000,
               0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF)  # fmt: skip


def boxes(data: bytes) -> list[tuple[int, int, bytes, int]]:
    """(offset, size, type, depth) of every box found, descending into containers;
    lenient: stops where sizes stop making sense."""
    out: list[tuple[int, int, bytes, int]] = []

    def walk(start: int, end: int, depth: int) -> None:
        pos = start
        while pos + 8 <= end and depth < 12 and len(out) < 4000:
            size, typ = struct.unpack_from(">I4s", data, pos)
            hdr = 8
            if size == 1 and pos + 16 <= end:
                size, hdr = struct.unpack_from(">Q", data, pos + 8)[0], 16
            elif size == 0:
                size = end - pos
            if size < hdr or pos + size > end:
                return
            out.append((pos, size, typ, depth))
            skip = CONTAINERS.get(typ)
            if skip is not None:
                walk(pos + hdr + skip, pos + size, depth + 1)
            pos += size

    walk(0, len(data), 0)
    return out


def mutate(data: bytes, rng: random.Random, others: list[bytes] | None = None) -> bytes:
    """One to four mutations of `data`."""
    buf = bytearray(data)
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
        buf = _one(buf, rng, others or [])
    return bytes(buf)


def _value(rng: random.Random, near: int) -> int:
    r = rng.random()
    if r < 0.5:
        return rng.choice(INTERESTING)
    if r < 0.8:
        return max(0, min(0xFFFFFFFF, near + rng.randint(-16, 16)))
    return rng.getrandbits(32)


def _one(buf: bytearray, rng: random.Random, others: list[bytes]) -> bytearray:
    found = boxes(bytes(buf))
    # favour the index boxes: mdat payloads are never read by the reader
    index = [b for b in found if b[2] != b"mdat"] or found
    kind = rng.random()
    if not index or kind < 0.1:  # raw bytes anywhere
        if buf:
            for _ in range(rng.randint(1, 8)):
                buf[rng.randrange(len(buf))] = rng.choice((0, 0xFF, 0x7F, 0x80, rng.getrandbits(8)))
        return buf
    at, size, typ, _depth = rng.choice(index)
    if kind < 0.35:  # a 32-bit field inside the box: counts, sizes, offsets, durations
        if size >= 12:
            p = at + 8 + 4 * rng.randrange((size - 8) // 4)
            old = struct.unpack_from(">I", buf, p)[0]
            struct.pack_into(">I", buf, p, _value(rng, old))
    elif kind < 0.5:  # the entry count of a full box, or its version/flags
        if size >= 16:
            p = at + rng.choice((8, 12))
            old = struct.unpack_from(">I", buf, p)[0]
            struct.pack_into(">I", buf, p, _value(rng, old))
    elif kind < 0.62:  # the box's own size
        new = _value(rng, size)
        if rng.random() < 0.1:  # a 64-bit size
            return buf[:at] + struct.pack(">I4sQ", 1, typ, rng.getrandbits(64)) + buf[at + 8 :]
        struct.pack_into(">I", buf, at, new)
    elif kind < 0.7:  # a byte inside the box
        if size > 8:
            buf[at + 8 + rng.randrange(size - 8)] = rng.getrandbits(8)
    elif kind < 0.76:  # delete the box
        del buf[at : at + size]
    elif kind < 0.82:  # duplicate it
        buf[at:at] = buf[at : at + size]
    elif kind < 0.87:  # rename it
        buf[at + 4 : at + 8] = rng.choice(FOURCCS)
    elif kind < 0.92 and others:  # splice in a box from another file
        other = rng.choice(others)
        theirs = [b for b in boxes(other) if b[2] != b"mdat" and b[1] <= 65536]
        if theirs:
            o_at, o_size, _, _ = rng.choice(theirs)
            buf[at:at] = other[o_at : o_at + o_size]
    elif kind < 0.96:  # swap with the next box
        nxt = next((b for b in found if b[0] == at + size), None)
        if nxt is not None:
            a, b = bytes(buf[at : at + size]), bytes(buf[nxt[0] : nxt[0] + nxt[1]])
            buf[at : nxt[0] + nxt[1]] = b + a
    else:  # cut the file short, often at a box boundary
        cut = at if rng.random() < 0.5 else rng.randrange(len(buf) + 1)
        del buf[cut:]
    return buf
