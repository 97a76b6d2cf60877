"""Find the statistics table in a grid of cells and judge its cells. Pure: no I/O.

The file readers (`probe/table_files.py`) turn an .xlsx, .xls or .csv into plain rows
of cell values: ``None`` (empty), ``int``/``float``, ``str``, ``bool``, ``datetime``,
`Formula` (a formula whose value was never saved) or `ErrorValue` (``#DIV/0!``…), plus
the sheet's merged ranges. Everything here works on those lists, so tests can feed it
cells directly.

The table is found by its header *text*, never by a cell address: each of the profile's
11 column titles is looked for in the first rows, compared after NFKC (full-width forms
→ ASCII), with all whitespace removed (text wrapped inside a cell, "辖 区") and an
optional group prefix ("居村委覆盖/辖区内居村委总数", a flattened CSV header). The row
holding most titles is the header's last row; the data rows follow it.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from mediacheck.probe.table_layout import Layout

HEADER_SCAN_ROWS = 60  # notes and a title above the table fit in far fewer
MAX_COLUMNS = 64  # the table has 11 (+ a unit column); cells further right are not read
MIN_HEADER_TITLES = 3  # fewer matching titles than this is not the statistics table
MAX_DATA_ROWS = 1000  # a unit fills one row; past this the scan stops (100,000-row sheets)
BLANK_RUN_END = 20  # this many blank rows in a row end the table
MAX_LISTED = 10  # cells named in one message, then "…(+N)"

EXCEL_ERRORS = frozenset(
    {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!"}
)
_SEPARATORS = "/\\|-_:·.、"
_PLACEHOLDER = re.compile(r"^[\s(（\[【_＿.…]*[)）\]】_＿.…]*$")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_SERIAL_RANGE = (36526, 73051)  # 2000-01-01 … 2099-12-31 as Excel day numbers


@dataclass(frozen=True)
class Formula:
    """A formula cell whose computed value was never saved (openpyxl, scripts)."""

    text: str


@dataclass(frozen=True)
class ErrorValue:
    """A saved Excel error value (#DIV/0!, #REF!…)."""

    text: str


Merge = tuple[int, int, int, int]  # min_row, min_col, max_row, max_col: 0-based, inclusive


def norm(text: str) -> str:
    """NFKC (full-width → ASCII, （ → (), all whitespace removed, case folded."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def column_letter(col: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_name(row: int, col: int) -> str:
    """0-based row and column → "D5"."""
    return f"{column_letter(col)}{row + 1}"


# ---------------------------------------------------------------- the header


@dataclass(frozen=True)
class Header:
    top: int  # first header row (0-based)
    bottom: int  # last header row; data start below it
    columns: dict[str, int]  # column key -> 0-based column index, for the titles found
    missing: tuple[str, ...]  # keys whose title was not found


def fill_merges(rows: list[list[Any]], merges: Iterable[Merge]) -> list[list[Any]]:
    """A copy of `rows` where every cell of a merged range holds its top-left value
    (Excel keeps the value only there)."""
    out = [list(r) for r in rows]
    for r0, c0, r1, c1 in merges:
        c1 = min(c1, MAX_COLUMNS - 1)  # a merge may span to column XFD
        if r0 >= len(out) or c0 >= len(out[r0]) or c0 > c1:
            continue
        value = out[r0][c0]
        for r in range(r0, min(r1, len(out) - 1) + 1):
            row = out[r]
            if len(row) <= c1:
                row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                row[c] = value
    return out


def _title_key(text: str, titles: dict[str, str], groups: set[str]) -> str | None:
    t = norm(text)
    for key, title in titles.items():
        if t == title:
            return key
        if t.endswith(title):
            prefix = t[: -len(title)].strip(_SEPARATORS)
            if prefix in groups:  # "居村委覆盖/辖区内居村委总数", or group + title
                return key
    return None


def find_header(rows: Sequence[Sequence[Any]], layout: Layout,
                merges: Iterable[Merge] = ()) -> Header | None:  # fmt: skip
    """Where the table's header is in the first rows, or None when fewer than
    `MIN_HEADER_TITLES` of the column titles appear on one header row."""
    merges = list(merges)
    grid = fill_merges([list(r[:MAX_COLUMNS]) for r in rows[:HEADER_SCAN_ROWS]], merges)
    titles = {c.key: norm(c.title) for c in layout.columns}
    groups = {norm(c.group) for c in layout.columns if c.group} | {""}
    found: dict[int, dict[str, int]] = {}  # row -> key -> first column
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if isinstance(value, str) and (key := _title_key(value, titles, groups)):
                found.setdefault(r, {}).setdefault(key, c)
    if not found:
        return None
    best = max(found, key=lambda r: (len(found[r]), -r))  # most titles; the first such row
    columns: dict[str, int] = {}
    for r in (best, best - 1):  # a title spanning both header rows sits on the upper one
        for key, c in found.get(r, {}).items():
            if key not in columns and c not in columns.values():
                columns[key] = c
    if len(found[best]) < MIN_HEADER_TITLES:
        return None
    top = best - 1 if any(r == best - 1 for r in found) or _group_row(grid, best, layout) else best
    bottom = best
    for r0, c0, r1, _c1 in merges:  # a header cell merged further down pushes data lower
        if top <= r0 <= best and c0 in columns.values():
            bottom = max(bottom, r1)
    missing = tuple(c.key for c in layout.columns if c.key not in columns)
    return Header(top=top, bottom=bottom, columns=columns, missing=missing)


def _group_row(grid: list[list[Any]], row: int, layout: Layout) -> bool:
    if row == 0:
        return False
    groups = {norm(c.group) for c in layout.columns if c.group}
    return any(isinstance(v, str) and norm(v) in groups for v in grid[row - 1])


# ------------------------------------------------------------- 单位 and 日期


def _label_pattern(label: str) -> re.Pattern[str]:
    # "单 位：", "填报单位:", a full-width colon; the letters may be spread by spaces.
    spread = r"\s*".join(re.escape(ch) for ch in unicodedata.normalize("NFKC", label))
    return re.compile(spread + r"\s*:?\s*")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        return "" if _PLACEHOLDER.match(text) else text.strip("()[]【】 ")
    return value


def _label_hits(text: str, patterns: dict[str, re.Pattern[str]]) -> list[tuple[int, int, str]]:
    """(start, end, name) of each label in `text` followed by a colon, or filling the cell."""
    hits = []
    for name, pat in patterns.items():
        for m in pat.finditer(text):
            if ":" in m.group() or norm(text) == norm(m.group()):
                hits.append((m.start(), m.end(), name))
    return sorted(hits)


def read_labels(rows: Sequence[Sequence[Any]], header: Header,
                layout: Layout) -> dict[str, Any]:  # fmt: skip
    """The values after 单位 and 日期 above the header: {"unit": …, "date": …} for the
    labels found (a value may be "" when the label is there but nothing follows). The
    value is the rest of the cell, else the next filled cell to its right. When a label
    appears more than once ("单位：人次" as a unit of measure), the one on the row
    holding the other label wins (the notice's "单位：…  日期：…" line), else the lowest."""
    patterns = {
        "unit": _label_pattern(layout.unit_label),
        "date": _label_pattern(layout.date_label),
    }
    found: dict[str, list[tuple[int, Any]]] = {"unit": [], "date": []}
    for r, row in enumerate(rows[: header.top]):
        row = list(row[:MAX_COLUMNS])
        for c, value in enumerate(row):
            if not isinstance(value, str):
                continue
            text = unicodedata.normalize("NFKC", value)
            hits = _label_hits(text, patterns)
            for i, (_start, end, name) in enumerate(hits):
                stop = hits[i + 1][0] if i + 1 < len(hits) else len(text)
                inline = _clean(text[end:stop])
                if inline == "" and i + 1 == len(hits):
                    inline = _next_value(row, c, patterns)
                found[name].append((r, inline))
    out: dict[str, Any] = {}
    for name, other in (("unit", "date"), ("date", "unit")):
        shared = {r for r, _ in found[other]}
        candidates = [hit for hit in found[name] if hit[0] in shared] or found[name]
        if candidates:
            out[name] = candidates[-1][1]
    return out


def _next_value(row: list[Any], col: int, patterns: dict[str, re.Pattern[str]]) -> Any:
    for value in row[col + 1 :]:
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, str) and _label_hits(unicodedata.normalize("NFKC", value), patterns):
            return ""  # the next label ("日期："), not a value
        return _clean(value)
    return ""


def parse_date(value: Any) -> dt.date | None:
    """A date from an Excel date cell, an Excel day number, or 2024-10-28, 2024年10月28日,
    2024/10/28, 2024.10.28 (full-width digits too); None when it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).date()
        return None
    if isinstance(value, str):
        m = _DATE.fullmatch(unicodedata.normalize("NFKC", value).strip())
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


# --------------------------------------------------------------- data rows


@dataclass
class DataBlock:
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (row, cells by key)
    fill_row: int = 0  # the row to fill when no row holds data (an empty form)
    capped: bool = False  # stopped at MAX_DATA_ROWS with rows still coming


def _starts_with_marker(row: Sequence[Any], markers: tuple[str, ...]) -> bool:
    for value in row:
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        return isinstance(value, str) and any(norm(value).startswith(m) for m in markers)
    return False


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def scan_data(rows: Iterator[Sequence[Any]], first_row: int, header: Header, layout: Layout,
              max_rows: int = MAX_DATA_ROWS) -> DataBlock:  # fmt: skip
    """Consume `rows` (the sheet below the header, `first_row` being the 0-based index
    of the first) until an end marker (合计, 备注…), a run of blank rows, or `max_rows`."""
    markers = tuple(norm(m) for m in layout.end_markers)
    block = DataBlock(fill_row=first_row)
    blanks = 0
    for offset, row in enumerate(rows):
        index = first_row + offset
        if offset >= max_rows:
            block.capped = True
            break
        if _starts_with_marker(row[:MAX_COLUMNS], markers):
            break
        cells = [row[c] if c < len(row) else None for c in header.columns.values()]
        if all(_blank(v) for v in cells):
            blanks += 1
            if blanks >= BLANK_RUN_END:
                break
            continue
        blanks = 0
        block.rows.append((index, dict(zip(header.columns, cells, strict=True))))
    return block


# -------------------------------------------------------------------- cells

OK, WARN_TEXT, WARN_FULLWIDTH = "ok", "text_number", "fullwidth"
BLANK, INVALID, FORMULA = "blank", "invalid", "unsaved_formula"
_DIGITS = re.compile(r"\d+")
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+")
_NUMBER = re.compile(r"[+-]?\d+(\.\d*)?|[+-]?\.\d+")


def judge(value: Any, typed: bool) -> tuple[str, int | None]:
    """(verdict, whole number or None) for one data cell. `typed`: the file has number
    cells (xlsx/xls), so a digit string is "a number stored as text"; in a CSV every
    cell is text and only full-width digits warn."""
    if isinstance(value, Formula):
        return FORMULA, None
    if value is None:
        return BLANK, None
    if isinstance(value, (ErrorValue, bool, dt.date, dt.time, dt.timedelta)):
        return INVALID, None
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (not math.isfinite(value) or value != int(value)):
            return INVALID, None
        return (OK, int(value)) if value >= 0 else (INVALID, None)
    text = str(value).strip()
    if not text:
        return BLANK, None
    if text in EXCEL_ERRORS:
        return INVALID, None
    plain = unicodedata.normalize("NFKC", text).strip()
    wide = plain != text
    digits = plain.replace(",", "") if _GROUPED.fullmatch(plain) else plain
    if _DIGITS.fullmatch(digits):
        if wide:
            return WARN_FULLWIDTH, int(digits)
        return (WARN_TEXT if typed else OK), int(digits)
    if _NUMBER.fullmatch(digits):
        number = float(digits)
        if number >= 0 and number == int(number):
            return (WARN_FULLWIDTH if wide else WARN_TEXT if typed else OK), int(number)
    return INVALID, None  # 约3000, 若干, 12.5, -3, 3000人, "—"


def shown(value: Any) -> str:
    """A cell's value as a message shows it (language-neutral)."""
    if isinstance(value, Formula):
        return value.text if value.text.startswith("=") else "=" + value.text
    if isinstance(value, ErrorValue):
        return value.text
    if isinstance(value, dt.datetime):
        return (
            value.strftime("%Y-%m-%d %H:%M") if value.time() != dt.time() else f"{value:%Y-%m-%d}"
        )
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    if isinstance(value, str):
        return f"“{value.strip()}”"
    return str(value)


def listing(items: list[str]) -> str:
    """ "D5, E5, …(+3)": at most `MAX_LISTED` names, then how many more."""
    if not items:
        return "—"
    head = ", ".join(items[:MAX_LISTED])
    more = len(items) - MAX_LISTED
    return head + (f", …(+{more})" if more > 0 else "")


# ------------------------------------------------------------------- facts


@dataclass
class Reading:
    """What the table says, ready to become facts (see `table_facts`)."""

    header: Header
    block: DataBlock
    labels: dict[str, Any]
    typed: bool
    merged_cells: frozenset[tuple[int, int]] = frozenset()  # covered, not top-left


def table_facts(reading: Reading, layout: Layout) -> tuple[dict[str, Any], set[str]]:
    """(fact name -> value, names to mark "not_requested"): the S-TABLE and
    S-CONSISTENT facts of one found table. Values of a column count only when exactly
    one data row holds them and its cell is a whole number."""
    header, block = reading.header, reading.block
    facts: dict[str, Any] = {}
    skipped: set[str] = set()
    facts["table.header_row"] = header.bottom + 1
    facts["table.columns_found"] = len(header.columns)
    facts["table.columns_missing"] = len(header.missing)
    facts["table.columns_missing_names"] = "、".join(layout.column(k).title for k in header.missing)
    facts["table.data_rows"] = len(block.rows)
    facts["table.data_rows_capped"] = block.capped
    rows = block.rows or [(block.fill_row, dict.fromkeys(header.columns))]
    blank, invalid, text_numbers, formulas = [], [], [], []
    numbers: dict[str, int | None] = {}
    for index, cells in rows:
        for key, value in cells.items():
            col = header.columns[key]
            name = cell_name(index, col)
            verdict, number = judge(value, reading.typed)
            if verdict == BLANK:
                merged = (index, col) in reading.merged_cells
                blank.append(name + (" (merged)" if merged else ""))
            elif verdict == INVALID:
                invalid.append(f"{name} = {shown(value)}")
            elif verdict == FORMULA:
                formulas.append(f"{name} {shown(value)}")
            elif verdict in (WARN_TEXT, WARN_FULLWIDTH):
                text_numbers.append(f"{name} = {shown(value)}")
            numbers[key] = number
    for name, items in (("blank", blank), ("invalid", invalid),
                        ("text_number", text_numbers), ("unsaved_formula", formulas)):  # fmt: skip
        facts[f"table.{name}_cells"] = len(items)
        facts[f"table.{name}_list"] = listing(items)
    single = len(block.rows) == 1
    for col in layout.columns:
        value = numbers.get(col.key) if single else None
        name = f"table.{col.key}"
        if value is None:
            skipped.add(name)  # the cell's own rule already says what is wrong
        else:
            facts[name] = value
    offline = [numbers.get(k) if single else None for k in layout.offline_actions]
    if all(v is not None for v in offline):
        facts["table.actions_total"] = sum(v for v in offline if v is not None)
    else:
        skipped.add("table.actions_total")
    unit = reading.labels.get("unit")
    facts["table.unit"] = "" if unit is None else str(unit).strip()
    facts["table.unit_filled"] = bool(facts["table.unit"])
    raw = reading.labels.get("date")
    date = parse_date(raw)
    text = "" if raw is None else shown(raw).strip("“”")
    facts["table.date_text"] = text or "—"
    facts["table.date_valid"] = date is not None
    if date is not None:
        facts["table.date"] = date.isoformat()
    else:
        skipped.add("table.date")
    return facts, skipped
