"""Take location and device identity out of a photo's metadata, in place, without
touching its pixels (`mediacheck fix`, PRIV-PHOTO).

Nothing is rebuilt: the identifying tags are unlinked from their EXIF directory and their
bytes overwritten with zeros; identifying XMP properties are overwritten with spaces (XMP
packets are made to be edited that way). Every other byte stays where it was, so

- the compressed picture is the original's byte for byte (no re-encoding);
- the file keeps its size, so a photo that met P-SIZE still does;
- everything else in the EXIF survives exactly: orientation, capture date, exposure,
  make and model, the thumbnail, and the maker note's own offsets when it is kept.

Why not rebuild the EXIF with Pillow (`Image.Exif.tobytes`): it drops the thumbnail
directory, writes non-ASCII text as "?", re-guesses the types of tags it does not know,
and moves the maker note, whose vendors' internal offsets then point at the wrong bytes.

What goes, per fact (probe/photo_meta.py names them):

``photo.gps``            the whole GPS directory (position, altitude, time, direction)
                         and XMP ``*:GPS*`` properties;
``photo.camera_serial``  BodySerialNumber, DNG CameraSerialNumber, XMP aux:SerialNumber /
                         exifEX:BodySerialNumber, and the maker note;
``photo.lens_serial``    LensSerialNumber, XMP aux:/exifEX:LensSerialNumber, the maker note;
``photo.owner_name``     CameraOwnerName, XMP aux:OwnerName / exifEX:CameraOwnerName, the
                         maker note.

The maker note (each vendor's private block) goes whenever device identity does: most
vendors keep the body serial there (Canon, Nikon, Sony, Fujifilm, Olympus, Panasonic),
Canon the owner's name too, and it cannot be read here. Kept on purpose: the capture date
(says when, which the case text says anyway, not where or with what) and make/model
(shared by every camera of the kind).

JPEG: every APP1 Exif/XMP segment before the first scan, and those of the extra pictures
an MPO (or a phone's appended preview) carries after the first image. PNG: the eXIf
chunk and the XMP iTXt chunk (CRCs recomputed; a compressed XMP chunk is re-packed).
"""

from __future__ import annotations

import contextlib
import re
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field

# TIFF field types -> bytes per value (TIFF 6, BigTIFF's 16-18 are not in EXIF).
_TYPE_SIZE = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
EXIF_IFD, GPS_IFD, INTEROP_IFD, MAKER_NOTE = 0x8769, 0x8825, 0xA005, 0x927C
OWNER_NAME, BODY_SERIAL, LENS_SERIAL, DNG_CAMERA_SERIAL = 0xA430, 0xA431, 0xA435, 0xC62F
DEVICE_FACTS = ("photo.camera_serial", "photo.lens_serial", "photo.owner_name")
# fact -> tags of the Exif sub-directory (and IFD0) that carry it
_EXIF_TAGS = {
    "photo.camera_serial": (BODY_SERIAL,),
    "photo.lens_serial": (LENS_SERIAL,),
    "photo.owner_name": (OWNER_NAME,),
}
# fact -> XMP property names (prefix:Local; a bare Local name matches any prefix)
_XMP_PROPS = {
    "photo.gps": (r"GPS\w+",),
    "photo.camera_serial": ("aux:SerialNumber", "BodySerialNumber"),
    "photo.lens_serial": ("LensSerialNumber",),
    "photo.owner_name": ("aux:OwnerName", "CameraOwnerName"),
}
EXIF_SIG = b"Exif\x00\x00"
XMP_SIG = b"http://ns.adobe.com/xap/1.0/\x00"
XMP_EXT_SIG = b"http://ns.adobe.com/xmp/extension/\x00"
PNG_SIG = b"\x89PNG\r\n\x1a\n"


class StripError(ValueError):
    """The file's structure is not what it claims; nothing is written from it."""


@dataclass
class Stripped:
    """What was taken out (codes: fix words name them) and the new bytes."""

    data: bytes
    removed: set[str] = field(default_factory=set)  # gps, camera_serial, …, maker_note


# ---------------------------------------------------------------- TIFF (EXIF) in place


class _Tiff:
    """A TIFF structure inside `buf[base:end]` (an EXIF block), edited in place."""

    def __init__(self, buf: bytearray, base: int, end: int) -> None:
        order = bytes(buf[base : base + 2])
        if order not in (b"II", b"MM") or end - base < 8:
            raise StripError("not a TIFF header")
        self.buf, self.base, self.end = buf, base, end
        self.e = "<" if order == b"II" else ">"
        if self._u(2, base + 2) != 42:
            raise StripError("not a TIFF header")

    def _u(self, size: int, pos: int) -> int:
        if not self.base <= pos <= self.end - size:
            raise StripError("offset outside the EXIF block")
        return struct.unpack_from(self.e + ("H" if size == 2 else "I"), self.buf, pos)[0]

    def _zero(self, pos: int, size: int) -> None:
        if size <= 0:
            return
        if not self.base <= pos <= self.end - size:
            raise StripError("value outside the EXIF block")
        self.buf[pos : pos + size] = bytes(size)

    @property
    def ifd0(self) -> int:
        return self.base + self._u(4, self.base + 4)

    def entries(self, ifd: int) -> list[tuple[int, int, int, int]]:
        """(position, tag, value position, value size) of each entry of the IFD at `ifd`."""
        out = []
        for i in range(self._u(2, ifd)):
            pos = ifd + 2 + 12 * i
            tag, typ, count = self._u(2, pos), self._u(2, pos + 2), self._u(4, pos + 4)
            size = _TYPE_SIZE.get(typ, 1) * count
            value = pos + 8 if size <= 4 else self.base + self._u(4, pos + 8)
            out.append((pos, tag, value, size))
        return out

    def sub_ifd(self, ifd: int, tag: int) -> int | None:
        for pos, t, _, _ in self.entries(ifd):
            if t == tag:
                return self.base + self._u(4, pos + 8)
        return None

    def remove(self, ifd: int, tag: int) -> bool:
        """Unlink `tag` from the IFD and zero its value; later entries move up one place,
        the next-IFD pointer with them, and the freed last 12 bytes become zeros."""
        entries = self.entries(ifd)
        found = [k for k, (_, t, _, _) in enumerate(entries) if t == tag]
        if not found:
            return False
        k = found[0]
        pos, _, value, size = entries[k]
        if size > 4:
            self._zero(value, size)
        n = len(entries)
        tail_end = ifd + 2 + 12 * n + 4  # entries and the next-IFD pointer
        self._u(4, tail_end - 4)  # bounds
        self.buf[pos : tail_end - 12] = self.buf[pos + 12 : tail_end]
        self._zero(tail_end - 12, 12)
        struct.pack_into(self.e + "H", self.buf, ifd, n - 1)
        return True

    def blank_ifd(self, ifd: int) -> None:
        """Zero a whole directory: every value it points to, then the directory itself."""
        entries = self.entries(ifd)
        for _, _, value, size in entries:
            if size > 4:
                self._zero(value, size)
        self._zero(ifd, 2 + 12 * len(entries) + 4)


def _blank_exif(buf: bytearray, base: int, end: int, flagged: set[str]) -> set[str]:
    """Take the flagged facts out of the EXIF (TIFF) block `buf[base:end]`."""
    tiff = _Tiff(buf, base, end)
    removed: set[str] = set()
    ifd0 = tiff.ifd0
    if "photo.gps" in flagged:
        gps = tiff.sub_ifd(ifd0, GPS_IFD)
        if gps is not None:
            tiff.blank_ifd(gps)
            tiff.remove(ifd0, GPS_IFD)
            removed.add("gps")
    device = flagged & set(DEVICE_FACTS)
    if not device:
        return removed
    if "photo.camera_serial" in device and tiff.remove(ifd0, DNG_CAMERA_SERIAL):
        removed.add("camera_serial")
    sub = tiff.sub_ifd(ifd0, EXIF_IFD)
    if sub is None:
        return removed
    for fact in sorted(device):
        for tag in _EXIF_TAGS[fact]:
            if tiff.remove(sub, tag):
                removed.add(fact.removeprefix("photo."))
    if tiff.remove(sub, MAKER_NOTE):
        removed.add("maker_note")
    return removed


def _blank_or_empty(buf: bytearray, base: int, end: int, flagged: set[str]) -> set[str]:
    """`_blank_exif`, or, for an EXIF block too damaged to walk, an empty one in its place
    (a valid TIFF header and an IFD0 with no entries, then zeros: same length)."""
    try:
        return _blank_exif(buf, base, end, flagged)
    except StripError:
        if not flagged:
            raise
    empty = b"II*\x00" + struct.pack("<IHI", 8, 0, 0)
    buf[base:end] = (empty + bytes(max(0, end - base - len(empty))))[: end - base]
    return {"damaged_exif"}


# ---------------------------------------------------------------- XMP in place


def _xmp_pattern(flagged: Iterable[str]) -> re.Pattern[bytes] | None:
    names = [n for fact in sorted(flagged) for n in _XMP_PROPS.get(fact, ())]
    if not names:
        return None
    qnames = []
    for name in names:
        prefix, _, local = name.rpartition(":")
        qnames.append((re.escape(prefix) if prefix else r"[\w.-]+") + ":" + local)
    q = "(?:" + "|".join(qnames) + ")"
    attribute = rf"(?<![\w:.-]){q}\s*=\s*(?:\"[^\"]*\"|'[^']*')"
    element = rf"<({q})(?:\s[^>]*)?(?:/>|>.*?</\1\s*>)"
    return re.compile(f"{attribute}|{element}".encode(), re.S | re.I)  # drone-dji:GpsLatitude


def blank_xmp(xmp: bytes, flagged: Iterable[str]) -> tuple[bytes, bool]:
    """The XMP with the flagged properties overwritten by spaces (same length, still
    well-formed: whitespace may stand between attributes and between elements)."""
    pattern = _xmp_pattern(flagged)
    if pattern is None:
        return xmp, False
    out, n = pattern.subn(lambda m: b" " * len(m.group(0)), xmp)
    return out, n > 0


# ---------------------------------------------------------------- JPEG


def _jpeg_headers(data: bytes | bytearray, start: int) -> Iterable[tuple[int, int, int]]:
    """(marker, payload start, payload end) of the segments of the JPEG at `start`, up
    to its first scan (SOS); the scan itself is never read."""
    if data[start : start + 2] != b"\xff\xd8":
        raise StripError("no JPEG start marker")
    pos = start + 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise StripError("JPEG segment expected")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # no length
            pos += 2
            continue
        if marker in (0xDA, 0xD9):  # start of scan / end of image
            return
        length = struct.unpack_from(">H", data, pos + 2)[0]
        if length < 2 or pos + 2 + length > len(data):
            raise StripError("JPEG segment runs past the end")
        yield marker, pos + 4, pos + 2 + length
        pos += 2 + length
    raise StripError("JPEG ends before its picture")


def _strip_jpeg_at(buf: bytearray, start: int, flagged: set[str], removed: set[str]) -> None:
    for marker, begin, end in list(_jpeg_headers(buf, start)):
        if marker != 0xE1:
            continue
        payload = bytes(buf[begin:end])
        if payload.startswith(EXIF_SIG):
            removed |= _blank_or_empty(buf, begin + len(EXIF_SIG), end, flagged)
        elif payload.startswith((XMP_SIG, XMP_EXT_SIG)):
            new, changed = blank_xmp(payload, flagged)
            if changed:
                buf[begin:end] = new
                removed.add("xmp")


def strip_jpeg(data: bytes, flagged: set[str]) -> Stripped:
    buf = bytearray(data)
    removed: set[str] = set()
    _strip_jpeg_at(buf, 0, flagged, removed)
    # Pictures after the first one (MPO's second view, a phone's preview) carry their own
    # EXIF. Their start is found by searching after the first image's scan: a false hit
    # there is skipped, since only a well-formed header is ever edited.
    first = _scan_start(buf)
    pos = buf.find(b"\xff\xd8\xff", first)
    while pos != -1:
        with contextlib.suppress(StripError):
            _strip_jpeg_at(buf, pos, flagged, removed)
        pos = buf.find(b"\xff\xd8\xff", pos + 3)
    return Stripped(bytes(buf), removed)


def _scan_start(buf: bytes | bytearray) -> int:
    ends = [end for _, _, end in _jpeg_headers(buf, 0)]
    return ends[-1] if ends else 2


# ---------------------------------------------------------------- PNG


def _png_chunks(data: bytes) -> Iterable[tuple[bytes, bytes]]:
    if not data.startswith(PNG_SIG):
        raise StripError("no PNG signature")
    pos = len(PNG_SIG)
    while pos + 12 <= len(data):
        (length,) = struct.unpack_from(">I", data, pos)
        kind = data[pos + 4 : pos + 8]
        if pos + 12 + length > len(data):
            raise StripError("PNG chunk runs past the end")
        yield kind, data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IEND":
            yield b"", data[pos:]  # anything after IEND, as it was
            return
    raise StripError("PNG ends without IEND")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_xmp(body: bytes, flagged: set[str]) -> bytes | None:
    """An iTXt XMP chunk's new body, or None when it does not change."""
    keyword, _, rest = body.partition(b"\x00")
    if keyword != b"XML:com.adobe.xmp" or len(rest) < 2:
        return None
    compressed, rest = rest[0], rest[2:]  # then the compression method
    lang, _, rest = rest.partition(b"\x00")
    translated, _, text = rest.partition(b"\x00")
    head = body[: len(body) - len(text)]
    if compressed:
        try:
            text = zlib.decompress(text)
        except zlib.error:
            return None
    new, changed = blank_xmp(text, flagged)
    if not changed:
        return None
    return head + (zlib.compress(new) if compressed else new)


def strip_png(data: bytes, flagged: set[str]) -> Stripped:
    out = [PNG_SIG]
    removed: set[str] = set()
    for kind, body in list(_png_chunks(data)):
        if kind == b"":
            out.append(body)
            continue
        if kind == b"eXIf":
            buf = bytearray(body)
            base = len(EXIF_SIG) if buf.startswith(EXIF_SIG) else 0
            got = _blank_or_empty(buf, base, len(buf), flagged)
            if got:
                removed |= got
                body = bytes(buf)
        elif kind == b"iTXt":
            new = _png_xmp(body, flagged)
            if new is not None:
                body = new
                removed.add("xmp")
        out.append(_chunk(kind, body))
    return Stripped(b"".join(out), removed)


STRIPPERS = {"jpeg": strip_jpeg, "png": strip_png}


def strip(data: bytes, fmt: str, flagged: set[str]) -> Stripped:
    """The photo's bytes without the flagged facts; StripError when its structure is
    broken, KeyError for a format with no stripper here."""
    try:
        return STRIPPERS[fmt](data, flagged)
    except (struct.error, IndexError) as exc:
        raise StripError(str(exc)) from exc


# ---------------------------------------------------------------- converted photos


def clean_exif(exif, flagged: set[str]) -> set[str]:
    """The same, on a Pillow Image.Exif that is about to be written into a converted photo
    (fix/photo.py's conversion: the pixels are encoded anew there anyway)."""
    removed = set()
    if "photo.gps" in flagged and GPS_IFD in exif:
        del exif[GPS_IFD]
        removed.add("gps")
    device = flagged & set(DEVICE_FACTS)
    if device:
        if "photo.camera_serial" in device and exif.pop(DNG_CAMERA_SERIAL, None) is not None:
            removed.add("camera_serial")
        sub = exif.get_ifd(EXIF_IFD) if EXIF_IFD in exif else {}
        for fact in sorted(device):
            for tag in _EXIF_TAGS[fact]:
                if sub.pop(tag, None) is not None:
                    removed.add(fact.removeprefix("photo."))
        if sub.pop(MAKER_NOTE, None) is not None:
            removed.add("maker_note")
    return removed
