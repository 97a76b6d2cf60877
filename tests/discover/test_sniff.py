"""sniff: formats from the first bytes, kinds, and system junk names."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import pytest

from mediacheck.discover import sniff as sniff_mod
from mediacheck.discover.sniff import family, is_junk, kind_of, sniff, sniff_bytes

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fixtures"))  # not a package
import make_photos  # noqa: E402


def ftyp(major: bytes, *compat: bytes) -> bytes:
    body = major + b"\x00\x00\x02\x00" + b"".join(compat)
    return struct.pack(">I", 8 + len(body)) + b"ftyp" + body + b"\x00\x00\x00\x08free"


def local_zip_header(name: bytes) -> bytes:
    return b"PK\x03\x04" + bytes(22) + struct.pack("<HH", len(name), 0) + name


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"", "empty"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "png"),
        (b"GIF87a\x01\x00", "gif"),
        (b"GIF89a\x01\x00", "gif"),
        (b"BM" + bytes(12) + struct.pack("<I", 40) + bytes(8), "bmp"),
        (b"BMW and Audi are cars, not bitmaps.\n", "text"),  # "BM" alone is no BMP
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
        (b"RIFF\x00\x00\x00\x00AVI LIST", "avi"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "wav"),
        (b"II*\x00\x08\x00\x00\x00", "tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "tiff"),
        (ftyp(b"heic", b"mif1", b"heic"), "heic"),
        (ftyp(b"mif1", b"mif1", b"heic"), "heic"),
        (ftyp(b"avif", b"avif", b"mif1"), "avif"),
        (ftyp(b"mif1", b"avif"), "avif"),
        (ftyp(b"mif1", b"mif1"), "heif"),
        (ftyp(b"qt  ", b"qt  "), "mov"),
        (ftyp(b"isom", b"isom", b"iso2", b"avc1", b"mp41"), "isobmff:isom"),
        (ftyp(b"mp42", b"mp42", b"isom"), "isobmff:mp42"),
        (ftyp(b"M4V ", b"M4V "), "isobmff:M4V"),
        (b"\x00\x00\x00\x08wide\x00\x00\x00\x00mdat", "mov"),  # pre-ftyp QuickTime
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska", "matroska"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", "webm"),
        (b"FLV\x01\x05\x00\x00\x00\x09", "flv"),
        (b"\x00\x00\x01\xba\x44\x00\x04\x00", "mpeg-ps"),
        ((b"\x47" + bytes(187)) * 3, "mpeg-ts"),
        ((bytes(4) + b"\x47" + bytes(187)) * 3, "mpeg-ts"),  # M2TS: 192-byte packets
        (b"\x47" + bytes(187) + b"\x00" * 200, "unknown"),  # one sync byte proves nothing
        (local_zip_header(b"[Content_Types].xml"), "ooxml"),
        (local_zip_header(b"readme.txt"), "zip"),
        (b"PK\x05\x06" + bytes(18), "zip"),  # empty zip
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(8), "ole2"),
        (b"%PDF-1.7\n", "pdf"),
        (b"\xef\xbb\xbf\xe4\xbd\xa0\xe5\xa5\xbd", "utf-8-bom"),
        (b"\xff\xfe`O}Y", "utf-16-le"),
        (b"\xfe\xffO`Y}", "utf-16-be"),
        (b"\xff\xfe\x00\x00`O\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff\x00\x00O`", "utf-32-be"),
        ("老年数字教育进社区\r\n".encode(), "text"),
        ("老年数字教育进社区\r\n".encode("gbk"), "text"),
        (b"\x00\x01\x02\x03binary", "unknown"),
    ],
)
def test_sniff_bytes(head: bytes, expected: str) -> None:
    assert sniff_bytes(head) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("photo_a", "jpeg"),
        ("resaved_a_png", "png"),
        ("png_as_jpg", "png"),  # content wins over the .jpg name
        ("animated_gif", "gif"),
        ("bmp", "bmp"),
        ("webp", "webp"),
        ("tiff", "tiff"),
        ("avif", "avif"),
        ("heic", "heic"),
        ("empty_jpg", "empty"),
        ("text_as_png", "text"),
        ("thumbs_db", "ole2"),
        ("case_docx", "docx"),  # the central directory names word/document.xml
        ("not_zip_docx", "text"),
        ("utf8_bom_txt", "utf-8-bom"),
        ("utf16_txt", "utf-16-le"),
        ("gbk_txt", "text"),
    ],
)
def test_sniff_fixture_files(name: str, expected: str) -> None:
    assert sniff(make_photos.get(name)) == expected


def test_sniff_reads_only_the_head(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + bytes(1_000_000))
    reads: list[int] = []
    real_open = open

    class Spy:
        def __init__(self, fh):
            self.fh = fh

        def read(self, n: int = -1) -> bytes:
            reads.append(n)
            return self.fh.read(n)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

    monkeypatch.setattr(sniff_mod, "open", lambda p, m: Spy(real_open(p, m)), raising=False)
    assert sniff(path) == "jpeg"
    assert reads == [sniff_mod.HEAD_BYTES]


def test_sniff_confirms_ts_with_a_longer_read(tmp_path: Path) -> None:
    path = tmp_path / "clip.ts"
    path.write_bytes((b"\x47\x40\x00\x10" + bytes(184)) * 10)
    assert sniff(path) == "mpeg-ts"
    assert kind_of(path) == "video"


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.jpg", b"\xff\xd8\xff\xe0", "photo"),
        ("a.txt", b"\xff\xd8\xff\xe0", "photo"),  # a certain signature decides alone
        ("a.mp4", ftyp(b"isom", b"isom"), "video"),
        ("a.jpg", ftyp(b"qt  "), "video"),
        ("a.heic", ftyp(b"heic", b"mif1"), "photo"),
        ("a.jpg", b"", "photo"),  # nothing to go on: the name routes it to its prober
        ("a.png", "这不是图片".encode(), "photo"),  # merely text-like: the name decides
        ("a.mp4", b"hello", "video"),
        ("a.txt", "你好".encode(), "text"),
        ("README", b"hello world\n", "text"),
        ("a.txt", b"\xff\xfeh\x00i\x00", "text"),
        ("a.docx", local_zip_header(b"[Content_Types].xml"), "text"),
        ("a.docx", b"plain text saved as docx", "text"),
        ("a.zip", local_zip_header(b"x.txt"), "other"),
        ("a.pdf", b"%PDF-1.4", "other"),
        ("a.bin", b"\x00\x01\x02", "other"),
    ],
)
def test_kind_of(tmp_path: Path, name: str, content: bytes, kind: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert kind_of(path) == kind
    assert kind_of(path, sniff(path)) == kind  # with a pre-sniffed format: same answer


@pytest.mark.parametrize(
    "name",
    [
        "Thumbs.db",
        "THUMBS.DB",
        "ehthumbs.db",
        "desktop.ini",
        "Desktop.ini",
        ".DS_Store",
        "._活动照片1.jpg",
        "~$案例.docx",
        ".~lock.案例.docx#",
        "some/dir/Thumbs.db",
    ],
)
def test_junk(name: str) -> None:
    assert is_junk(name)


@pytest.mark.parametrize(
    "name", ["活动照片1.jpg", "案例.docx", "thumbs.jpg", "_photo.jpg", "a~$.txt"]
)
def test_not_junk(name: str) -> None:
    assert not is_junk(name)


@pytest.mark.parametrize(
    ("fmt", "fam"),
    [("utf-16-le", "text"), ("ooxml", "docx"), ("heif", "heic"), ("isobmff:mp42", "mp4")]
    + [("jpeg", "jpeg"), ("ole2", "unknown")],
)
def test_family(fmt: str, fam: str) -> None:
    assert family(fmt) == fam
