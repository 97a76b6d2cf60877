"""Zip bombs: one policy for every Office zip mediacheck opens (.docx texts, .xlsx tables).

A zip's central directory *declares* each member's size, and a bomb can lie: python-docx
and openpyxl read parts whole (``ZipFile.read``), and Python's zipfile then inflates the
whole deflate stream in one call before cutting it to the declared size, so a part that
declares 1 KB can take 2 GB of memory on the way. So before any library sees the file:

1. the directory's declared sizes are checked against the limits (refuses an honest bomb
   without inflating a byte: ``sniff.zip_entries``, bounded itself);
2. every member is inflated here in bounded steps (`STEP` bytes of output at a time),
   counting the bytes it really gives: more than it declares (a lying directory) or more
   than the limits is a bomb, found after at most a limit's worth of work and `STEP` of
   memory. Only then does a library read it, and each part it reads whole is known to
   give what it declares, within the limits.

The limits differ by kind (`TABLE`, `DOCX`: a table and a document differ in what is
plausible), the rules are the same. Office files use only stored and deflated members
(ECMA-376 Part 2); any other method, or an encrypted member, is a damaged file here.
Step 2 costs one extra inflate of the file (zlib, ~300 MB/s: 0.06 s for a 100,000-row
sheet's 32 MB of XML); a normal table or case text is a few KB.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from mediacheck.discover.sniff import (
    ZIP_MAX_BYTES,
    ZIP_MAX_MEMBER_BYTES,
    ZIP_MAX_RATIO,
    ZIP_RATIO_FROM_BYTES,
    zip_entries,
)

STEP = 1 << 20  # output inflated per call: the memory the check itself needs
# the numbers are sniff.py's one zip-safety policy (units' zips use them too)
MAX_RATIO = ZIP_MAX_RATIO
RATIO_FROM_BYTES = ZIP_RATIO_FROM_BYTES
_LOCAL = struct.Struct("<4s22xHH")  # local file header: signature … name and extra lengths


@dataclass(frozen=True)
class Limits:
    total: int  # all members inflated
    part: int  # any one member
    named: Mapping[str, int] = field(default_factory=dict)  # tighter, by name ending

    def of(self, name: str) -> int:
        return next((n for end, n in self.named.items() if name.endswith(end)), self.part)


# A 100,000-row table inflates to ~40 MB; openpyxl holds the string table in memory.
TABLE = Limits(ZIP_MAX_BYTES, ZIP_MAX_MEMBER_BYTES, {"sharedStrings.xml": 64 << 20})
# python-docx loads every part (photos too) into memory; the text is word/document.xml.
DOCX = Limits(ZIP_MAX_BYTES, ZIP_MAX_MEMBER_BYTES, {"word/document.xml": 50 << 20})


class ZipBomb(Exception):
    """A member (or all together, part "*") inflates beyond a limit or beyond what the
    directory declares. `declared`: the directory's claim, `inflated`: what was counted
    (at least; counting stops past the limit), `compressed`: its packed size."""

    def __init__(self, part: str, declared: int, inflated: int, compressed: int, limit: int):
        super().__init__(f"{part}: {inflated} bytes from {compressed} (declares {declared})")
        self.part, self.declared, self.inflated = part, declared, inflated
        self.compressed, self.limit = compressed, limit

    @property
    def lying(self) -> bool:
        return self.inflated > self.declared


class ZipDamaged(Exception):
    """Not a zip this can read: no directory, a member it cannot inflate."""


def check(path: str | os.PathLike[str], limits: Limits) -> None:
    """Raise ZipBomb or ZipDamaged unless every member of the zip at `path` really inflates
    to what it declares, within `limits`. Reads the file once; holds `STEP` at a time."""
    with open(path, "rb") as f:
        entries = zip_entries(f)
        if entries is None:
            raise ZipDamaged("no readable zip directory")
        _declared(entries, limits)
        try:
            infos = zipfile.ZipFile(f).infolist()
        except (zipfile.BadZipFile, ValueError, EOFError) as exc:
            raise ZipDamaged(str(exc)) from None
        total = 0
        for info in infos:
            got = _inflated(f, info, info.file_size)  # step 1: declared <= the limit
            total += got
            if got > info.file_size:  # the directory lied about this member
                limit = limits.of(info.filename)
                raise ZipBomb(info.filename, info.file_size, got, info.compress_size, limit)
            if total > limits.total:
                raise ZipBomb("*", sum(i.file_size for i in infos), total,
                              sum(i.compress_size for i in infos), limits.total)  # fmt: skip


def _declared(entries: list[tuple[str, int, int]], limits: Limits) -> None:
    """Step 1: the directory's own claims (a part named first, then all together)."""
    for name, csize, size in entries:
        limit = limits.of(name)
        if size > limit or (size > RATIO_FROM_BYTES and size > MAX_RATIO * max(csize, 1)):
            raise ZipBomb(name, size, 0, csize, limit)
    total = sum(size for _n, _c, size in entries)
    if total > limits.total:
        raise ZipBomb("*", total, 0, sum(c for _n, c, _s in entries), limits.total)


def _inflated(f, info: zipfile.ZipInfo, allowed: int) -> int:
    """Bytes the member really gives, counted in `STEP`s; counting stops once past
    `allowed` (the caller then has its answer)."""
    if info.flag_bits & 0x1:
        raise ZipDamaged(f"{info.filename}: encrypted member")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ZipDamaged(f"{info.filename}: compression method {info.compress_type}")
    f.seek(info.header_offset)
    head = f.read(_LOCAL.size)
    if len(head) < _LOCAL.size or head[:4] != b"PK\x03\x04":
        raise ZipDamaged(f"{info.filename}: bad local header")
    name_len, extra_len = _LOCAL.unpack(head)[1:]
    f.seek(info.header_offset + _LOCAL.size + name_len + extra_len)
    left = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        return min(left, info.file_size)  # what zipfile gives: the packed bytes, cut
    inflate = zlib.decompressobj(-zlib.MAX_WBITS)
    count, data = 0, b""
    try:
        while not inflate.eof and count <= allowed:
            if not data and left > 0:
                data = f.read(min(left, STEP))
                if not data:
                    break  # cut short: zipfile will say so when it is read
                left -= len(data)
            out = inflate.decompress(data, STEP)  # at most STEP, whatever `data` packs
            if not out and not inflate.unconsumed_tail and left <= 0:
                break  # all input given and nothing more comes out
            count += len(out)
            data = inflate.unconsumed_tail
    except zlib.error as exc:
        raise ZipDamaged(f"{info.filename}: {exc}") from None
    return count
