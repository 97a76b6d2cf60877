"""Read .xlsx, .xls and .csv files into plain rows for `table_read` (the I/O half).

**.xlsx** — openpyxl in read-only, data-only mode: rows are streamed, so a 100,000-row
sheet costs the rows actually read (the header window plus at most
`table_read.MAX_DATA_ROWS`), never the whole sheet in memory. Before openpyxl opens
anything, `zipguard` refuses a zip bomb: the directory's declared sizes against
`zipguard.TABLE`, then every member inflated in bounded steps and counted, so a
directory that understates a part is caught before openpyxl reads it whole.

Two things read-only openpyxl does not give, and how they are had:

- *Merged ranges*: read-only sheets have no ``merged_cells``. A full (non-read-only) load
  would hold every cell in memory (hundreds of MB for 100,000 rows), so the sheet's XML
  is streamed once, bounded, for its ``<mergeCell ref="…"/>`` elements, which follow the
  cell data. zlib inflates ~100 MB/s; no XML tree is built.
- *A formula whose value was never saved*: data-only mode reads its cell as empty, like a
  blank. Only for the data cells that read empty, a second read-only pass with
  ``data_only=False`` over just those rows (it stops at the last of them) tells a formula
  from a blank. A second pass over a few rows is cheaper than parsing formulas for the
  whole sheet, and openpyxl already handles shared and array formulas.

**.csv** — UTF-8 with or without BOM, GBK, GB18030 (`probe.text.decode_text`); the
delimiter is the one of ``, ; tab |`` under which the header is found. **.xls** — xlrd
(Excel 97-2003 only, which is all it reads), when installed.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from xml.etree import ElementTree as ET

from mediacheck.model import ProbeError
from mediacheck.probe import zipguard
from mediacheck.probe.table_read import HEADER_SCAN_ROWS, MAX_COLUMNS, ErrorValue, Merge

MAX_PART_BYTES = zipguard.TABLE.part  # one member (the merge scan stops there too)
MAX_SMALL_XML = 8 * 1024 * 1024  # workbook.xml and its relationships
MAX_CSV_BYTES = 32 * 1024 * 1024  # read at most this much of a CSV
MAX_XLS_BYTES = 128 * 1024 * 1024  # xlrd loads a whole .xls
_CHUNK = 1024 * 1024
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?\"")
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class TableFailure(Exception):
    """Carries a `ProbeError` out of the readers; the probe turns it into a result."""

    def __init__(self, error: ProbeError) -> None:
        super().__init__(error.code)
        self.error = error


@dataclass
class Sheet:
    name: str
    hidden: bool
    head: list[list[Any]]  # the first HEADER_SCAN_ROWS rows
    rest: Iterator[Sequence[Any]]  # the rows after them, read lazily
    declared_rows: int | None = None  # the sheet's own claim (<dimension>), for messages
    merges: Callable[[], list[Merge]] = field(default=lambda: [])
    # (row indexes) -> {(row, col): formula text} for cells that read empty
    formulas: Callable[[set[int]], dict[tuple[int, int], str]] = field(default=lambda rows: {})


@dataclass
class Book:
    format: str
    typed: bool  # cells carry types (a digit string is "text")
    sheets: Iterator[Sheet]
    close: Callable[[], None] = field(default=lambda: None)


def _fail(code: str, raw: str = "", **params: Any) -> TableFailure:
    return TableFailure(ProbeError(code, raw, params))


def _letters(col: bytes) -> int:
    n = 0
    for ch in col:
        n = n * 26 + ch - 64
    return n - 1


# ---------------------------------------------------------------------- xlsx


def check_zip(path: str | os.PathLike[str]) -> None:
    """Refuse a zip bomb before openpyxl opens anything (`zipguard`: the directory's
    claims, then every member inflated in bounded steps and counted)."""
    try:
        zipguard.check(path, zipguard.TABLE)
    except zipguard.ZipDamaged as e:
        raise _fail("table_invalid", str(e), detail="zip") from None
    except zipguard.ZipBomb as e:
        declared = max(e.declared, e.inflated)  # a lying directory: what it really gave
        raise _fail("table_too_large", str(e), part=e.part, declared_bytes=declared,
                    compressed_bytes=e.compressed) from None  # fmt: skip


def _sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the zip, from workbook.xml and its relationships."""

    def small(name: str) -> ET.Element | None:
        try:
            info = zf.getinfo(name)
        except KeyError:
            return None
        if info.file_size > MAX_SMALL_XML:
            return None
        return ET.fromstring(zf.read(info))

    book, rels = small("xl/workbook.xml"), small("xl/_rels/workbook.xml.rels")
    if book is None or rels is None:
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet"):
            target = targets.get(sheet.get(f"{{{_REL_NS}}}id"), "")
            out[sheet.get("name", "")] = (
                target.lstrip("/") if target.startswith("/") else "xl/" + target
            )
    return out


def xlsx_merges(path: str | os.PathLike[str], part: str) -> list[Merge]:
    """<mergeCell ref="A1:B2"/> of one sheet part, streamed (bounded) without a tree."""
    merges: list[Merge] = []
    with zipfile.ZipFile(path) as zf, zf.open(part) as fh:
        carry, inflated = b"", 0
        while chunk := fh.read(_CHUNK):
            inflated += len(chunk)
            if inflated > MAX_PART_BYTES:  # never past the cap, whatever the directory says
                break
            data = carry + chunk
            last = 0
            for m in _MERGE.finditer(data):
                c0, r0, c1, r1 = m.groups()
                c1, r1 = c1 or c0, r1 or r0
                merges.append((int(r0) - 1, _letters(c0), int(r1) - 1, _letters(c1)))
                last = m.end()
            carry = data[max(last, len(data) - 200) :]
    return merges


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::[A-Z]{1,3}(\d+))?\"")


def _head_dimension(self: Any) -> None:
    """Stand-in for ReadOnlyWorksheet._get_size: read <dimension> from the sheet's first
    64 KB only. openpyxl's own scans the whole sheet when the element is absent (write-only
    exporters omit it): 5 s for 100,000 rows, before a single row is read. The size is
    only a claim anyway; rows are read with reset dimensions."""
    with self._get_source() as src:
        m = _DIMENSION.search(src.read(65536))
    rows = m and (m.group(3) or m.group(2))
    self._max_row = int(rows) if rows else None


@contextlib.contextmanager
def _bounded_sizes() -> Iterator[None]:
    from openpyxl.worksheet import _read_only

    cls = getattr(_read_only, "ReadOnlyWorksheet", None)
    original = getattr(cls, "_get_size", None)
    if original is None:  # another openpyxl: keep its own
        yield
        return
    cls._get_size = _head_dimension
    try:
        yield
    finally:
        cls._get_size = original


def open_xlsx(path: str | os.PathLike[str]) -> Book:
    check_zip(path)
    import openpyxl  # only for tables: slow to import

    try:
        with warnings.catch_warnings(), _bounded_sizes():
            warnings.simplefilter("ignore")  # "no default style", unknown extensions
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
        with zipfile.ZipFile(path) as zf:
            parts = _sheet_paths(zf)
    except Exception as e:  # openpyxl raises many kinds on damaged packages
        raise _fail("table_invalid", f"{type(e).__name__}: {e}", detail=str(e)[:200]) from None

    def sheets() -> Iterator[Sheet]:
        for ws in wb.worksheets:
            declared = ws._max_row if isinstance(getattr(ws, "_max_row", None), int) else None
            ws.reset_dimensions()  # the <dimension> claim may be wrong: read what is there
            rows = (list(r) for r in ws.iter_rows(values_only=True, max_col=MAX_COLUMNS))
            head = list(islice(rows, HEADER_SCAN_ROWS))
            part = parts.get(ws.title)
            yield Sheet(
                name=ws.title,
                hidden=ws.sheet_state != "visible",
                head=head,
                rest=rows,
                declared_rows=declared,
                merges=(lambda part=part: xlsx_merges(path, part) if part else []),
                formulas=(lambda wanted, title=ws.title: _formulas(path, title, wanted)),
            )

    return Book("xlsx", True, sheets(), wb.close)


def _formulas(path: str | os.PathLike[str], title: str,
              wanted: set[int]) -> dict[tuple[int, int], str]:  # fmt: skip
    """Formula texts of the cells in rows `wanted` (0-based), from a second read-only
    pass that stops at the last of those rows."""
    if not wanted:
        return {}
    import openpyxl

    out: dict[tuple[int, int], str] = {}
    with warnings.catch_warnings(), _bounded_sizes():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    try:
        ws = wb[title]
        ws.reset_dimensions()
        low, high = min(wanted), max(wanted)
        rows = ws.iter_rows(min_row=low + 1, max_row=high + 1, max_col=MAX_COLUMNS,
                            values_only=True)  # fmt: skip
        for r, row in enumerate(rows, start=low):
            if r not in wanted:
                continue
            for c, value in enumerate(row):
                text = getattr(value, "text", value)  # ArrayFormula keeps its text there
                if isinstance(text, str) and text.startswith("="):
                    out[(r, c)] = text
    finally:
        wb.close()
    return out


# ----------------------------------------------------------------------- csv


def read_csv(path: str | os.PathLike[str]) -> tuple[str, bool]:
    """(text, capped): at most MAX_CSV_BYTES, cut at a line break, decoded."""
    from mediacheck.probe.text import decode_text

    with open(path, "rb") as f:
        data = f.read(MAX_CSV_BYTES + 1)
    capped = len(data) > MAX_CSV_BYTES
    if capped:
        data = data[: data.rfind(b"\n", 0, MAX_CSV_BYTES) + 1]
    text, encoding, _replaced = decode_text(data)
    if encoding == "unknown":
        raise _fail("table_csv_encoding", "no text encoding fits")
    return text, capped


def csv_rows(text: str, delimiter: str) -> Iterator[list[Any]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    for row in reader:
        yield [cell if cell.strip() else None for cell in row[:MAX_COLUMNS]]


def csv_book(text: str, delimiter: str) -> Book:
    rows = csv_rows(text, delimiter)
    head = list(islice(rows, HEADER_SCAN_ROWS))
    return Book("csv", False, iter([Sheet(name="", hidden=False, head=head, rest=rows)]))


# ----------------------------------------------------------------------- xls


def open_xls(path: str | os.PathLike[str]) -> Book:
    try:
        import xlrd
    except ImportError:
        raise _fail("table_xls_no_reader", "xlrd is not installed") from None
    if os.path.getsize(path) > MAX_XLS_BYTES:
        raise _fail("table_too_large", "xls too large", part="",
                    declared_bytes=os.path.getsize(path), limit_bytes=MAX_XLS_BYTES)  # fmt: skip
    try:
        with open(os.devnull, "w") as sink:  # xlrd prints warnings to its logfile
            book = xlrd.open_workbook(os.fspath(path), formatting_info=True, on_demand=True,
                                      logfile=sink)  # fmt: skip
    except xlrd.XLRDError as e:
        if "encrypt" in str(e).lower():
            raise _fail("table_encrypted", str(e)) from None
        raise _fail("table_invalid", str(e), detail=str(e)[:200]) from None
    except Exception as e:  # xlrd raises assorted errors on damaged files
        raise _fail("table_invalid", f"{type(e).__name__}: {e}", detail=str(e)[:200]) from None

    def value(sheet, r: int, c: int) -> Any:
        cell = sheet.cell(r, c)
        if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            return None
        if cell.ctype == xlrd.XL_CELL_DATE:
            with contextlib.suppress(Exception):
                return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        if cell.ctype == xlrd.XL_CELL_ERROR:
            return ErrorValue(xlrd.error_text_from_code.get(cell.value, "#ERROR"))
        if cell.ctype == xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        return cell.value

    def sheets() -> Iterator[Sheet]:
        for i in range(book.nsheets):
            sheet = book.sheet_by_index(i)
            width = min(sheet.ncols, MAX_COLUMNS)
            rows = ([value(sheet, r, c) for c in range(width)] for r in range(sheet.nrows))
            head = list(islice(rows, HEADER_SCAN_ROWS))
            merges = [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
            yield Sheet(sheet.name, sheet.visibility != 0, head, rows, sheet.nrows,
                        merges=lambda m=merges: m)  # fmt: skip

    return Book("xls", True, sheets(), book.release_resources)
