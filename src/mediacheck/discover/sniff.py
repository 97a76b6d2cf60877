"""What a file really is, from its first bytes (never from its name alone).

`sniff(path)` reads at most the first 64 bytes (MPEG-TS alone needs 377, and only
when byte 0 is the TS sync byte) and returns one format name:

=================  ==================================================================
name               signature
=================  ==================================================================
``jpeg``           ``FF D8 FF``
``png``            ``89 'PNG' 0D 0A 1A 0A``
``gif``            ``GIF87a`` / ``GIF89a``
``bmp``            ``BM`` + a known DIB header size at offset 14
``webp``           ``RIFF....WEBP``
``tiff``           ``II*\\0`` / ``MM\\0*`` (and BigTIFF)
``heic``           ISO BMFF ``ftyp`` with an HEVC-image brand (heic, heix, hevc, mif1+heic…)
``heif``           ``ftyp`` brand mif1/msf1 with neither an HEVC nor an AV1 brand
``avif``           ``ftyp`` brand avif/avis (or mif1 listing avif)
``mov``            ``ftyp`` major brand ``qt  ``, or a bare QuickTime atom (moov, mdat, wide…)
``isobmff:<b>``    any other ``ftyp``; ``<b>`` is the major brand, trailing spaces removed
                   (``isobmff:isom``, ``isobmff:mp42``, ``isobmff:M4V``…)
``matroska``       EBML header, DocType matroska; ``webm`` when the DocType is webm
``avi``            ``RIFF....AVI ``
``wav``            ``RIFF....WAVE``
``mpeg-ts``        sync byte 0x47 every 188 bytes (or every 192: M2TS)
``mpeg-ps``        ``00 00 01 BA``
``flv``            ``FLV\\x01``
``xlsx``           zip whose central directory holds ``xl/workbook.xml`` (Excel, WPS, Calc)
``xlsb``           zip holding ``xl/workbook.bin`` (Excel's binary workbook)
``docx``           zip holding ``word/document.xml``
``pptx``           zip holding ``ppt/presentation.xml``
``ofd``            zip holding ``OFD.xml`` (the Chinese fixed-layout format of sealed copies)
``ooxml``          zip whose first entry is ``[Content_Types].xml`` but whose directory
                   could not be read or names no known main part (``sniff_bytes`` alone,
                   which sees only the head, says ``ooxml`` for every Office zip)
``zip``            any other zip
``xls``            ``D0 CF 11 E0`` (OLE2) holding a ``Workbook``/``Book`` stream: Excel 97-2003
``doc``            OLE2 holding a ``WordDocument`` stream: Word 97-2003
``ppt``            OLE2 holding a ``PowerPoint Document`` stream
``ooxml-encrypted``  OLE2 holding ``EncryptedPackage``: a docx/xlsx/pptx with a password
``ole2``           any other OLE2 file (Thumbs.db…), or one whose directory is unreadable
``pdf``            ``%PDF-``
``utf-8-bom``      text with a UTF-8 BOM
``utf-16-le`` /    text with a UTF-16 BOM (``utf-32-le``/``-be`` likewise)
``utf-16-be``
``csv``            named ``.csv`` and its bytes look like text (plain or UTF-8 with BOM)
``text``           no signature, but the bytes look like text (a heuristic)
``empty``          zero bytes
``unknown``        none of the above
=================  ==================================================================

For a zip or an OLE2 file, `sniff(path)` also reads the container's directory, bounded
(the zip's end record and central directory, at most `MAX_ZIP_DIRECTORY` bytes; the OLE2
directory chain, at most `MAX_OLE_SECTORS` sectors); never a member's data.

`kind_of(path)` maps that to ``video``/``photo``/``text``/``table``/``other``; `family(fmt)`
folds a format to a word for messages (any text → ``text``, ``ooxml`` → ``docx``);
`is_junk(name)` says whether a name is system debris (``Thumbs.db``, ``._x``…) that
discovery skips.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import re
import stat
from pathlib import Path

HEAD_BYTES = 64

PHOTO_FORMATS = frozenset({"jpeg", "png", "gif", "bmp", "webp", "tiff", "heic", "heif", "avif"})
VIDEO_FORMATS = frozenset({"mov", "matroska", "webm", "avi", "mpeg-ts", "mpeg-ps", "flv"})
TEXT_FORMATS = frozenset(
    {"utf-8-bom", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "text", "ooxml"}
    | {"docx", "doc"}
)
TABLE_FORMATS = frozenset({"xlsx", "xls", "csv", "xlsb"})
# Sniffed formats that prove "a zip" or "an OLE2 file" but not which document: the name
# then routes the file to the prober that can explain it (a password, a damaged zip).
_CONTAINER_FORMATS = frozenset({"zip", "ole2", "ooxml", "ooxml-encrypted"})

# Used only when the bytes say nothing certain (empty, unknown, or merely "text"):
# the prober of the kind the name promises then explains what is wrong.
_PHOTO_EXT = frozenset(
    {".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff"}
    | {".heic", ".heif", ".avif"}
)
_VIDEO_EXT = frozenset(
    {".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".m2ts", ".mts", ".flv", ".mpg"}
    | {".mpeg", ".3gp", ".wmv"}  # not ".ts": TypeScript sources share it
)
_TEXT_EXT = frozenset({".txt", ".md", ".docx", ".doc", ".text"})
_TABLE_EXT = frozenset({".xlsx", ".xlsm", ".xls", ".csv"})

# System debris that a copied folder drags along; discovery skips these silently.
JUNK_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", ".ds_store", "icon\r"})
JUNK_PATTERNS = ("._*", "~$*", ".~lock.*#", "__macosx")

_HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_HEIF_BRANDS = frozenset({b"mif1", b"msf1", b"mif2"})
# Top-level atoms a pre-ftyp QuickTime file may start with.
_QT_ATOMS = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"})
_DIB_HEADER_SIZES = frozenset({12, 16, 40, 52, 56, 64, 108, 124})

MAX_ZIP_DIRECTORY = 4 * 1024 * 1024  # an xlsx's central directory is a few KB
MAX_ZIP_ENTRIES = 20_000
# Zip safety limits: ONE policy for every zip mediacheck inflates (an xlsx, a docx, a sealed
# package, a unit's .zip). They guard memory and disk against zip bombs; not spec values.
ZIP_MAX_BYTES = 512 * 1024 * 1024  # all members inflated (a 100,000-row table: ~40 MB)
ZIP_MAX_MEMBER_BYTES = 256 * 1024 * 1024  # one member
ZIP_MAX_RATIO = 500  # XML packs 10-100:1, photos ~1:1; deflate's ceiling ~1000:1 is filler
ZIP_RATIO_FROM_BYTES = 32 * 1024 * 1024  # smaller members may compress as they like
MAX_OLE_SECTORS = 64  # directory sectors followed (4 entries each at 512 bytes)
# Main parts in the zip's central directory -> format (the first match wins).
_ZIP_PARTS = (
    ("xl/workbook.xml", "xlsx"),
    ("xl/workbook.bin", "xlsb"),  # binary Excel: the table prober explains it
    ("word/document.xml", "docx"),
    ("ppt/presentation.xml", "pptx"),
    ("OFD.xml", "ofd"),
)
# OLE2 stream names -> format; EncryptedPackage first (it sits beside other streams).
_OLE_STREAMS = (
    ("EncryptedPackage", "ooxml-encrypted"),
    ("Workbook", "xls"),
    ("Book", "xls"),  # Excel 5/95
    ("WordDocument", "doc"),
    ("PowerPoint Document", "ppt"),
)


class NotAFile(OSError):
    """A FIFO, device or socket where a file was expected: never opened for reading (a FIFO
    would block for ever, /dev/zero never ends)."""


def regular(path: str | os.PathLike[str]) -> None:
    """Raise `NotAFile` unless `path` (followed through links) is a regular file."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise NotAFile(errno.EINVAL, "not a regular file (a pipe, device or socket)", str(path))


def sniff(path: str | os.PathLike[str]) -> str:
    """Format name of `path` from its first bytes (see the module docstring)."""
    regular(path)
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES)
        if head[:1] == b"\x47" or head[4:5] == b"\x47":
            # A TS sync byte proves nothing alone; confirm at the next two packets.
            head += f.read(2 * 192 + 5 - len(head))
        fmt = sniff_bytes(head)
        if fmt in ("ooxml", "zip"):
            names = zip_names(f)
            if names is not None:
                fmt = zip_format(names) or fmt
        elif fmt == "ole2":
            fmt = ole_format(ole_stream_names(f)) or fmt
    if fmt in ("text", "utf-8-bom") and Path(path).suffix.lower() == ".csv":
        return "csv"
    return fmt


def zip_format(names: list[str]) -> str | None:
    """``xlsx``/``docx``/``pptx``/``ofd`` from a zip's member names, else None (pure)."""
    present = set(names)
    for part, fmt in _ZIP_PARTS:
        if part in present:
            return fmt
    return None


def ole_format(names: list[str]) -> str | None:
    """``xls``/``doc``/``ppt``/``ooxml-encrypted`` from OLE2 stream names, else None."""
    present = set(names)
    for stream, fmt in _OLE_STREAMS:
        if stream in present:
            return fmt
    return None


def zip_entries(f) -> list[tuple[str, int, int]] | None:
    """(name, compressed size, declared size) of every member, from the central directory.

    Reads the end record and the directory only, bounded by `MAX_ZIP_DIRECTORY` and
    `MAX_ZIP_ENTRIES`; None when there is no readable directory (truncated, zip64, too
    big). `f` is a binary file open for reading (its position is moved)."""
    try:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        tail_len = min(size, 22 + 65535)
        f.seek(size - tail_len)
        tail = f.read(tail_len)
    except OSError:
        return None
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    count = int.from_bytes(tail[at + 10 : at + 12], "little")
    cd_size = int.from_bytes(tail[at + 12 : at + 16], "little")
    cd_offset = int.from_bytes(tail[at + 16 : at + 20], "little")
    if count == 0xFFFF or cd_offset == 0xFFFFFFFF or cd_size > MAX_ZIP_DIRECTORY:
        return None  # zip64, or a directory no Office file has
    if count > MAX_ZIP_ENTRIES or cd_offset + cd_size > size:
        return None
    f.seek(cd_offset)
    cd = f.read(cd_size)
    entries, pos = [], 0
    while pos + 46 <= len(cd) and cd[pos : pos + 4] == b"PK\x01\x02":
        flags = int.from_bytes(cd[pos + 8 : pos + 10], "little")
        csize = int.from_bytes(cd[pos + 20 : pos + 24], "little")
        usize = int.from_bytes(cd[pos + 24 : pos + 28], "little")
        n, m, k = (int.from_bytes(cd[pos + i : pos + i + 2], "little") for i in (28, 30, 32))
        raw = cd[pos + 46 : pos + 46 + n]
        name = raw.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
        entries.append((name, csize, usize))
        pos += 46 + n + m + k
    return entries


def zip_member_bomb(compressed: int, size: int, limit: int = ZIP_MAX_MEMBER_BYTES) -> str | None:
    """``"size"`` when one member inflates beyond `limit`, ``"ratio"`` when a large one is
    packed beyond `ZIP_MAX_RATIO`:1, else None: the same test on the sizes a zip directory
    declares and on the bytes counted while inflating."""
    if size > limit:
        return "size"
    if size > ZIP_RATIO_FROM_BYTES and size > ZIP_MAX_RATIO * max(compressed, 1):
        return "ratio"
    return None


def zip_names(f) -> list[str] | None:
    entries = zip_entries(f)
    return None if entries is None else [e[0] for e in entries]


def ole_stream_names(f) -> list[str]:
    """Names in an OLE2 (compound file) directory, following at most `MAX_OLE_SECTORS`
    directory sectors through the first 109 FAT sectors; [] when unreadable."""
    try:
        f.seek(0)
        header = f.read(512)
        if len(header) < 512:
            return []
        shift = int.from_bytes(header[30:32], "little")
        if shift not in (9, 12):
            return []
        sector = 1 << shift
        difat = [int.from_bytes(header[76 + 4 * i : 80 + 4 * i], "little") for i in range(109)]
        per_fat = sector // 4
        fat_cache: dict[int, bytes] = {}

        def read_sector(sid: int) -> bytes:
            f.seek((sid + 1) * sector)
            return f.read(sector)

        def next_sid(sid: int) -> int:
            index = sid // per_fat
            if index >= len(difat) or difat[index] >= 0xFFFFFFFA:
                return 0xFFFFFFFE
            if index not in fat_cache:
                fat_cache[index] = read_sector(difat[index])
            at = (sid % per_fat) * 4
            return int.from_bytes(fat_cache[index][at : at + 4], "little")

        names: list[str] = []
        sid = int.from_bytes(header[48:52], "little")
        for _ in range(MAX_OLE_SECTORS):
            if sid >= 0xFFFFFFFA:
                break
            data = read_sector(sid)
            for at in range(0, len(data) - 127, 128):
                length = int.from_bytes(data[at + 64 : at + 66], "little")
                if 2 <= length <= 64:
                    names.append(data[at : at + length - 2].decode("utf-16-le", "replace"))
            sid = next_sid(sid)
        return names
    except OSError:
        return []


def sniff_bytes(head: bytes) -> str:
    """Format name from the first bytes of a file (pure, for tests and callers with bytes)."""
    if not head:
        return "empty"
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:2] == b"BM" and int.from_bytes(head[14:18], "little") in _DIB_HEADER_SIZES:
        return "bmp"  # "BM" alone starts too many text files; the DIB size confirms
    if head[:4] == b"RIFF" and len(head) >= 12:
        sub = head[8:12]
        if sub == b"WEBP":
            return "webp"
        if sub == b"AVI ":
            return "avi"
        if sub == b"WAVE":
            return "wav"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head[4:8] == b"ftyp" and len(head) >= 12:
        return _ftyp(head)
    if head[4:8] in _QT_ATOMS:
        return "mov"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm" if b"webm" in head else "matroska"
    if head[:3] == b"FLV" and head[3:4] == b"\x01":
        return "flv"
    if head[:4] == b"\x00\x00\x01\xba":
        return "mpeg-ps"
    if _is_ts(head):
        return "mpeg-ts"
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        name_len = int.from_bytes(head[26:28], "little")
        return "ooxml" if head[30 : 30 + name_len] == b"[Content_Types].xml" else "zip"
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "ole2"
    if head[:5] == b"%PDF-":
        return "pdf"
    if head[:3] == b"\xef\xbb\xbf":
        return "utf-8-bom"
    # UTF-32 LE's BOM starts like UTF-16 LE's, so it goes first.
    if head[:4] == b"\xff\xfe\x00\x00":
        return "utf-32-le"
    if head[:4] == b"\x00\x00\xfe\xff":
        return "utf-32-be"
    if head[:2] == b"\xff\xfe":
        return "utf-16-le"
    if head[:2] == b"\xfe\xff":
        return "utf-16-be"
    if _looks_like_text(head):
        return "text"
    return "unknown"


def _ftyp(head: bytes) -> str:
    major = head[8:12]
    box_size = int.from_bytes(head[0:4], "big")
    # Compatible brands follow the minor version, up to the end of the ftyp box.
    end = min(box_size if box_size >= 16 else 16, len(head))
    compat = {head[i : i + 4] for i in range(16, end - 3, 4)}
    brands = compat | {major}
    if major == b"qt  ":
        return "mov"
    if major in _AVIF_BRANDS or (major in _HEIF_BRANDS and brands & _AVIF_BRANDS):
        return "avif"
    if major in _HEIC_BRANDS or (major in _HEIF_BRANDS and brands & _HEIC_BRANDS):
        return "heic"
    if major in _HEIF_BRANDS:
        return "heif"
    return "isobmff:" + major.decode("latin-1").rstrip(" \x00")


def _is_ts(head: bytes) -> bool:
    if len(head) >= 377 and head[0] == head[188] == head[376] == 0x47:
        return True
    # M2TS: each 188-byte packet is preceded by a 4-byte timestamp.
    return len(head) >= 389 and head[4] == head[196] == head[388] == 0x47


def _looks_like_text(head: bytes) -> bool:
    # No NULs and no control bytes other than whitespace; high bytes are fine
    # (UTF-8 or GB18030 Chinese). A heuristic: it only says "no binary signature".
    if b"\x00" in head:
        return False
    return all(b >= 0x20 or b in (0x09, 0x0A, 0x0C, 0x0D, 0x1B) for b in head)


def kind_of(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """``video``, ``photo``, ``text``, ``table`` or ``other``, by content.

    A certain signature decides alone (a JPEG named ``.txt`` is a photo). When the
    bytes are empty, unknown, or merely look like text, the extension decides, so
    that an empty ``.jpg`` or a text file named ``.png`` reaches the photo prober,
    which then says exactly what is wrong with it. `fmt` skips re-reading the file
    when the caller already sniffed it.
    """
    if fmt is None:
        fmt = sniff(path)
    suffix = Path(path).suffix.lower()
    if fmt in PHOTO_FORMATS:
        return "photo"
    if fmt in VIDEO_FORMATS or fmt.startswith("isobmff:"):
        return "video"
    if fmt in TABLE_FORMATS:
        return "table"
    if fmt == "ooxml":  # an Office zip whose directory named no known part
        return "table" if suffix in _TABLE_EXT else "text"
    if fmt in ("empty", "unknown", "text") or fmt in _CONTAINER_FORMATS:
        if suffix in _PHOTO_EXT:
            return "photo"
        if suffix in _VIDEO_EXT:
            return "video"
        if suffix in _TEXT_EXT:
            return "text"
        if suffix in _TABLE_EXT:
            return "table"
        return "text" if fmt == "text" else "other"
    if fmt in TEXT_FORMATS:
        return "text"
    return "other"


def named_kind(path: str | os.PathLike[str]) -> str | None:
    """The kind a file's extension promises (``.mp4``: video), or None."""
    suffix = Path(path).suffix.lower()
    for kind, suffixes in (("photo", _PHOTO_EXT), ("video", _VIDEO_EXT), ("text", _TEXT_EXT),
                           ("table", _TABLE_EXT)):  # fmt: skip
        if suffix in suffixes:
            return kind
    return None


def family(fmt: str) -> str:
    """A format name folded to a family for messages: any text is "text", ooxml is "docx"."""
    if fmt in TEXT_FORMATS and fmt not in ("ooxml", "docx", "doc"):
        return "text"
    if fmt.startswith("isobmff:"):
        return "mp4"
    names = {"ooxml": "docx", "heif": "heic", "ole2": "unknown", "ooxml-encrypted": "encrypted"}
    return names.get(fmt, fmt)


def is_junk(name: str | os.PathLike[str]) -> bool:
    """True for system debris (Thumbs.db, desktop.ini, .DS_Store, ._x, ~$x.docx…)."""
    base = os.path.basename(os.fspath(name)).lower()
    return base in JUNK_NAMES or _JUNK.match(base) is not None


# JUNK_PATTERNS as one expression (every file of every walk is asked)
_JUNK = re.compile("|".join(fnmatch.translate(p) for p in JUNK_PATTERNS))
