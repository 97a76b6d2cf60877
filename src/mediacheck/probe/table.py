"""The ``table`` kind: a unit's statistics table (S-TABLE, S-CONSISTENT, S-SEAL).

Reads .xlsx (openpyxl, read-only, data only), .csv (UTF-8 ± BOM, GBK, GB18030) and
legacy .xls (xlrd); finds the table by its header text (`probe.table_read`); reads 单位
and 日期 from above it; judges every data cell. A sealed PDF/OFD copy of the table is
read for its signature only (its numbers are not read: the spreadsheet carries them).

Facts (`FACTS`, name → unit); every value's source is ``measured`` unless noted:

=================================  ======  ===============================================
``file.size``                      bytes   filesystem
``table.format``                   —       ``xlsx``, ``xls``, ``csv``, ``pdf``, ``ofd``
``table.numbers_read``             bool    False for a PDF/OFD copy (then only seal facts)
``table.sheet``                    —       the sheet holding the table ("" for a CSV)
``table.sheet_hidden``             bool    that sheet is hidden (or very hidden)
``table.sheets_with_table``        count   sheets whose first rows hold the header
``table.sheet_rows``               count   rows the sheet declares (<dimension>), if any
``table.header_row``               —       1-based row number of the header's last row
``table.columns_found`` /          count   of the profile's 11 columns
``table.columns_missing``
``table.columns_missing_names``    —       their titles, "、"-separated
``table.data_rows``                count   rows below the header holding any value
``table.data_rows_capped``         bool    the scan stopped at `MAX_DATA_ROWS`
``table.blank_cells`` / ``_list``  count   data cells left empty ("D5, E5")
``table.invalid_cells`` / ``_list``        not a whole number ≥ 0 ("D5 = “约3000”")
``table.text_number_cells`` / …            a number stored as text, or full-width digits
``table.unsaved_formula_cells`` / …        a formula whose value was never saved
``table.<column key>``             count   the one data row's whole numbers (see
                                           `table_layout.COLUMN_KEYS`)
``table.actions_total``            count   the offline actions summed (profile's
                                           ``offline_actions``)
``table.unit`` / ``unit_filled``   — / bool  the text after 单位：
``table.date_text`` / ``date`` /   —       the text after 日期：, its ISO date, and
``date_valid``                     bool    whether it is one
``seal.signed``                    bool    the file carries a digital signature
``seal.unchanged``                 bool    …and is unchanged since signing (signed only)
``seal.signatures``                count
``seal.format``                    —       pdf, ofd, ooxml
``seal.certificate_verified``      bool    always False when signed: genuineness is not
                                           decided here (the info rule says so)
=================================  ======  ===============================================

A column value is marked ``not_requested`` (no finding of its own) when its cell is
blank or invalid, or when there is not exactly one data row: the cell rule and the row
rule already say what is wrong. ProbeError codes: see `words/table.py`.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from mediacheck.discover.sniff import family, sniff
from mediacheck.model import FILESYSTEM, HEADER, MEASURED, Facts, ProbeError
from mediacheck.probe import seal as seal_mod
from mediacheck.probe.table_files import (
    Book,
    Sheet,
    TableFailure,
    csv_book,
    open_xls,
    open_xlsx,
    read_csv,
)
from mediacheck.probe.table_layout import Layout, default_layout
from mediacheck.probe.table_read import (
    BLANK,
    HEADER_SCAN_ROWS,
    MAX_COLUMNS,
    DataBlock,
    Formula,
    Header,
    Reading,
    fill_merges,
    find_header,
    judge,
    read_labels,
    scan_data,
    table_facts,
)

NAME = "table"
FORMATS = frozenset({"xlsx", "xls", "csv", "pdf", "ofd"})
from mediacheck.probe.table_facts import FACTS, SEAL_FACTS  # noqa: E402,F401

# Sniffed formats that are documents, but not tables: "this is a Word document".
_NOT_TABLES = frozenset({"docx", "doc", "pptx", "ppt", "ooxml", "zip"})


def _open(path: Path, fmt: str, layout: Layout) -> Book:
    if fmt == "xlsx":
        return open_xlsx(path)
    if fmt == "xls":
        return open_xls(path)
    text, _capped = read_csv(path)
    return _best_csv(text, layout)


def _best_csv(text: str, layout: Layout) -> Book:
    """The CSV read with the delimiter under which most header titles are found."""
    best, best_count = ",", -1
    for delimiter in (",", ";", "\t", "|"):
        book = csv_book(text, delimiter)
        sheet = next(book.sheets)
        header = find_header(sheet.head, layout)
        count = len(header.columns) if header else 0
        if count > best_count:
            best, best_count = delimiter, count
    return csv_book(text, best)


def _choose(book: Book, layout: Layout) -> tuple[Sheet, Header, int] | None:
    """The sheet holding the table: the first visible one, else the first hidden one;
    and how many sheets hold it."""
    chosen: tuple[Sheet, Header] | None = None
    count = 0
    for sheet in book.sheets:
        header = find_header(sheet.head, layout)
        if header is None:
            continue
        count += 1
        if chosen is None or (chosen[0].hidden and not sheet.hidden):
            chosen = (sheet, header)
    if chosen is None:
        return None
    return chosen[0], chosen[1], count


def _read(sheet: Sheet, layout: Layout, typed: bool) -> Reading:
    merges = sheet.merges()
    header = find_header(sheet.head, layout, merges) or find_header(sheet.head, layout)
    assert header is not None
    filled = fill_merges(sheet.head, merges)
    labels = read_labels(filled, header, layout)
    start = header.bottom + 1
    below = iter(sheet.head[start:])

    def rows():
        yield from below
        yield from sheet.rest

    block = scan_data(rows(), start, header, layout)
    last = max((i for i, _ in block.rows), default=block.fill_row)
    covered = frozenset(
        (r, c)
        for r0, c0, r1, c1 in merges
        for r in range(max(r0, start), min(r1, last) + 1)  # bounded: A1:XFD1048576 exists
        for c in range(c0, min(c1, MAX_COLUMNS - 1) + 1)
        if (r, c) != (r0, c0)
    )
    _formulas_into(block, header, sheet, typed)
    return Reading(header, block, labels, typed, covered)


def _formulas_into(block: DataBlock, header: Header, sheet: Sheet, typed: bool) -> None:
    """Replace empty data cells that are really unsaved formulas by `Formula`s."""
    rows = block.rows or [(block.fill_row, dict.fromkeys(header.columns))]
    wanted = {i for i, cells in rows for v in cells.values() if judge(v, typed)[0] == BLANK}
    if not wanted:
        return
    found = sheet.formulas(wanted)
    for index, cells in rows:
        for key in cells:
            text = found.get((index, header.columns[key]))
            if text is not None:
                cells[key] = Formula(text)
    if not block.rows and any(isinstance(v, Formula) for v in rows[0][1].values()):
        block.rows.extend(rows)  # an all-formula row is a data row


def _set_seal(facts: Facts, path: Path, fmt: str) -> None:
    try:
        seal = seal_mod.seal_of(path, fmt)
    except (OSError, zipfile.BadZipFile):
        seal = None
    signed = bool(seal and seal.signatures)
    facts.set("seal.signed", signed, "bool", MEASURED)
    if seal is not None:
        facts.set("seal.format", seal.format, "", HEADER)
        facts.set("seal.signatures", seal.signatures, "count", MEASURED)
    if signed and seal is not None and seal.unchanged is not None:
        facts.set("seal.unchanged", seal.unchanged, "bool", MEASURED)
        if seal.unchanged:
            facts.set("seal.certificate_verified", False, "bool", MEASURED)
    for name in SEAL_FACTS:  # unsigned: only S-SEAL itself speaks
        facts.absent(name, "not_requested")


def probe(path: str | os.PathLike[str], options: object | None = None,
          layout: Layout | None = None) -> Facts:  # fmt: skip
    """Facts about one statistics table (or its sealed copy); never raises for bad files.

    `layout` is the profile's ``tables.statistics``: given, or else the profile the run
    passes in `options` (ProbeOptions.profile), else the shipped profile's."""
    profile = getattr(options, "profile", None)
    if layout is None and profile is not None:
        layout = getattr(profile, "tables", {}).get("statistics")
    path = Path(path)
    facts = Facts(path, NAME)
    try:
        size = path.stat().st_size
        fmt = sniff(path)
    except OSError as e:
        facts.error = ProbeError("unreadable", str(e), {"detail": e.strerror or str(e)})
        return facts
    facts.set("file.size", size, "bytes", FILESYSTEM)
    try:
        layout = layout or default_layout()
        _probe_into(facts, path, fmt, layout)
    except TableFailure as failure:
        facts.error = failure.error
    except OSError as e:
        facts.error = ProbeError("unreadable", str(e), {"detail": e.strerror or str(e)})
    return facts


def _probe_into(facts: Facts, path: Path, fmt: str, layout: Layout) -> None:
    suffix = path.suffix.lower()
    if fmt == "empty":
        raise TableFailure(ProbeError("empty", "0 bytes"))
    if fmt == "xlsb":
        raise TableFailure(ProbeError("table_xlsb", "binary workbook (.xlsb)"))
    if fmt == "ooxml-encrypted":
        raise TableFailure(ProbeError("table_encrypted", "EncryptedPackage in an OLE2 file"))
    if fmt == "text" and suffix in (".csv", ".txt", ".tsv"):
        fmt = "csv"  # sniff says csv only for the .csv name
    if fmt == "ooxml" and suffix in (".xlsx", ".xlsm"):
        fmt = "xlsx"  # an Office zip whose directory sniff could not place: let openpyxl try
    if fmt in ("pdf", "ofd"):
        facts.set("table.format", fmt, "", HEADER)
        facts.set("table.numbers_read", False, "bool", MEASURED)
        _set_seal(facts, path, fmt)
        for name in FACTS:
            facts.absent(name, "not_requested")  # the numbers are the spreadsheet's
        return
    if fmt not in ("xlsx", "xls", "csv"):
        if (
            fmt in _NOT_TABLES
            or fmt.startswith(("utf-", "isobmff"))
            or suffix not in (".xlsx", ".xls", ".csv", ".xlsm")
        ):
            what = family(fmt)
            raise TableFailure(ProbeError("not_table", f"content is {fmt}",
                                          {"what": what, "format": fmt}))  # fmt: skip
        raise TableFailure(ProbeError("table_invalid", f"content is {fmt}", {"detail": fmt}))
    facts.set("table.format", fmt, "", HEADER)
    facts.set("table.numbers_read", True, "bool", MEASURED)
    book = _open(path, fmt, layout)
    try:
        chosen = _choose(book, layout)
        if chosen is None:
            raise TableFailure(
                ProbeError("table_not_found", "no header", {"rows": HEADER_SCAN_ROWS,
                                                            "titles": _titles(layout)})
            )  # fmt: skip
        sheet, _header, count = chosen
        reading = _read(sheet, layout, book.typed)
    finally:
        book.close()
    facts.set("table.sheet", sheet.name, "", HEADER)
    facts.set("table.sheet_hidden", sheet.hidden, "bool", HEADER)
    facts.set("table.sheets_with_table", count, "", MEASURED)
    if sheet.declared_rows is not None:
        facts.set("table.sheet_rows", sheet.declared_rows, "", HEADER)
    values, skipped = table_facts(reading, layout)
    for name, value in values.items():
        facts.set(name, value, FACTS.get(name, ""), MEASURED)
    for name in skipped:
        facts.absent(name, "not_requested")
    _set_seal(facts, path, fmt)


def _titles(layout: Layout) -> str:
    return "、".join(c.title for c in layout.columns[:3])
