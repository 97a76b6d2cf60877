"""sniff tells Office files apart by their zip parts and OLE2 streams; kind_of routes
tables to the table kind and keeps docx with the text kind."""

from __future__ import annotations

import zipfile
from pathlib import Path

import make_tables as mt
import pytest

from mediacheck.discover.sniff import family, kind_of, ole_format, sniff, zip_format


def office_zip(path: Path, *parts: str, first: str = "[Content_Types].xml") -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(first, "<Types/>")
        for part in parts:
            zf.writestr(part, "<x/>")
    return path


@pytest.mark.parametrize(
    ("parts", "fmt"),
    [
        (["xl/workbook.xml", "xl/worksheets/sheet1.xml"], "xlsx"),
        (["word/document.xml"], "docx"),
        (["ppt/presentation.xml"], "pptx"),
        (["xl/workbook.bin"], "xlsb"),
        (["OFD.xml", "Doc_0/Document.xml"], "ofd"),
        (["docProps/app.xml"], None),
    ],
)
def test_zip_format(parts: list[str], fmt: str | None) -> None:
    assert zip_format(parts) == fmt


@pytest.mark.parametrize(
    ("streams", "fmt"),
    [
        (["Root Entry", "Workbook", "SummaryInformation"], "xls"),
        (["Root Entry", "Book"], "xls"),
        (["Root Entry", "WordDocument", "1Table"], "doc"),
        (["Root Entry", "PowerPoint Document"], "ppt"),
        (["Root Entry", "EncryptedPackage", "EncryptionInfo"], "ooxml-encrypted"),
        (["Root Entry", "Catalog", "256_1"], None),  # Thumbs.db
    ],
)
def test_ole_format(streams: list[str], fmt: str | None) -> None:
    assert ole_format(streams) == fmt


@pytest.mark.parametrize(
    ("name", "parts", "first", "fmt", "kind"),
    [
        ("统计表.xlsx", ["xl/workbook.xml"], "[Content_Types].xml", "xlsx", "table"),
        # openpyxl and LibreOffice write [Content_Types].xml last: the directory decides
        ("统计表.xlsx", ["xl/workbook.xml"], "docProps/app.xml", "xlsx", "table"),
        ("总结.docx", ["word/document.xml"], "[Content_Types].xml", "docx", "text"),
        ("总结.docx", ["word/document.xml"], "_rels/.rels", "docx", "text"),
        ("统计表.xlsx", ["word/document.xml"], "[Content_Types].xml", "docx", "text"),
        ("汇报.pptx", ["ppt/presentation.xml"], "[Content_Types].xml", "pptx", "other"),
        ("盖章.ofd", ["OFD.xml"], "mimetype", "ofd", "other"),
        ("a.zip", ["readme.txt"], "x.txt", "zip", "other"),
    ],
)
def test_office_files(tmp_path: Path, name: str, parts: list[str], first: str, fmt: str,
                      kind: str) -> None:  # fmt: skip
    path = office_zip(tmp_path / name, *parts, first=first)
    assert sniff(path) == fmt
    assert kind_of(path) == kind


def test_real_files(tmp_path: Path) -> None:
    assert sniff(mt.make_table(tmp_path / "a.xlsx")) == "xlsx"
    assert kind_of(tmp_path / "a.xlsx") == "table"
    assert sniff(mt.make_docx_named_xlsx(tmp_path / "b.xlsx")) == "docx"
    assert sniff(mt.make_encrypted_xlsx(tmp_path / "c.xlsx")) == "ooxml-encrypted"
    assert kind_of(tmp_path / "c.xlsx") == "table"  # the table prober explains the password
    assert sniff(mt.make_csv(tmp_path / "d.csv")) == "csv"
    assert sniff(mt.make_csv(tmp_path / "e.csv", encoding="gbk")) == "csv"
    assert sniff(mt.make_csv(tmp_path / "f.csv", encoding="utf-8-sig")) == "csv"
    assert kind_of(tmp_path / "f.csv") == "table"
    assert sniff(mt.make_csv(tmp_path / "g.txt")) == "text"  # csv needs the name too
    assert sniff(mt.make_signed_pdf(tmp_path / "h.pdf")) == "pdf"


def test_a_damaged_zip_keeps_the_head_answer(tmp_path: Path) -> None:
    path = tmp_path / "cut.xlsx"
    full = mt.make_table(tmp_path / "full.xlsx").read_bytes()
    path.write_bytes(full[: len(full) // 2])  # no central directory left
    assert sniff(path) in ("zip", "ooxml")
    assert kind_of(path) == "table"  # by name: the table prober says it is damaged


def test_an_unreadable_ole2_directory_stays_ole2(tmp_path: Path) -> None:
    path = tmp_path / "x.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert sniff(path) == "ole2"
    assert kind_of(path) == "table"


@pytest.mark.parametrize(
    ("fmt", "word"),
    [("xlsx", "xlsx"), ("docx", "docx"), ("ooxml", "docx"), ("doc", "doc"), ("csv", "csv"),
     ("ooxml-encrypted", "encrypted"), ("pptx", "pptx"), ("ole2", "unknown")],
)  # fmt: skip
def test_family_words(fmt: str, word: str) -> None:
    assert family(fmt) == word


def test_text_kind_still_reads_docx_and_refuses_tables(tmp_path: Path) -> None:
    from mediacheck.probe.text import probe_text

    docx = probe_text(mt.make_docx_named_xlsx(tmp_path / "总结.docx"))
    assert docx.error is None and docx.values["text.format"].value == "docx"
    sheet = probe_text(mt.make_table(tmp_path / "统计表.docx"))  # a table named .docx
    assert sheet.error is not None and sheet.error.code == "not_text"
    assert sheet.error.params["what"] == "xlsx"
