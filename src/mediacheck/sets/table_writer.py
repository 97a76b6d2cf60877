"""Write the statistics table in the notice's layout (附件 3 §1): an empty form for a unit
(`mediacheck template`) and the district's merged table (one row per unit and a 合计
row, ready for the district's own seal).

Every text comes from the profile's ``tables: statistics:`` layout. Totals are computed
here and written as *values*, not formulas: a reader that does not recalculate (a
preview, a script, mediacheck itself) sees the numbers, and nobody has to "open and save
it in Excel" first.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mediacheck import atomic
from mediacheck.probe.table_layout import Layout

_TITLE_ROW, _LABEL_ROW, _GROUP_ROW, _TITLE2_ROW = 1, 2, 3, 4


def workbook_bytes(layout: Layout, rows: Sequence[Mapping[str, Any]], *, unit: str = "",
                   date: str = "", unit_names: Sequence[str] | None = None,
                   total: bool = False, empty_rows: int = 0) -> bytes:  # fmt: skip
    """The table as .xlsx bytes. `rows`: one mapping of column key -> value per data
    row; `unit_names`: a first column naming each row's unit (the district's table);
    `total`: a 合计 row of column sums below; `empty_rows`: blank rows to fill."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "统计表"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(horizontal="center", vertical="center", wrap_text=True)
    first = 2 if unit_names is not None else 1  # first numeric column (1-based)
    width = first + len(layout.columns) - 1
    last = get_column_letter(width)

    ws.merge_cells(f"A{_TITLE_ROW}:{last}{_TITLE_ROW}")
    ws.cell(_TITLE_ROW, 1, layout.title).font = Font(bold=True, size=16)
    ws.cell(_TITLE_ROW, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[_TITLE_ROW].height = 32
    half = max(2, width // 2)
    ws.cell(_LABEL_ROW, 1, f"{layout.unit_label}：")
    ws.cell(_LABEL_ROW, 2, unit or None)
    ws.merge_cells(start_row=_LABEL_ROW, start_column=2, end_row=_LABEL_ROW, end_column=half)
    ws.cell(_LABEL_ROW, half + 1, f"{layout.date_label}：")
    ws.cell(_LABEL_ROW, half + 2, date or None)
    ws.merge_cells(start_row=_LABEL_ROW, start_column=half + 2, end_row=_LABEL_ROW,
                   end_column=max(width, half + 2))  # fmt: skip

    if unit_names is not None:
        ws.merge_cells(start_row=_GROUP_ROW, start_column=1, end_row=_TITLE2_ROW, end_column=1)
        ws.cell(_GROUP_ROW, 1, layout.unit_column)
    col = first
    for group, cols in layout.groups():
        if group is None:  # spans both header rows
            ws.merge_cells(start_row=_GROUP_ROW, start_column=col, end_row=_TITLE2_ROW,
                           end_column=col)  # fmt: skip
            ws.cell(_GROUP_ROW, col, cols[0].title)
        else:
            ws.merge_cells(start_row=_GROUP_ROW, start_column=col, end_row=_GROUP_ROW,
                           end_column=col + len(cols) - 1)  # fmt: skip
            ws.cell(_GROUP_ROW, col, group)
            for i, c in enumerate(cols):
                ws.cell(_TITLE2_ROW, col + i, c.title)
        col += len(cols)
    ws.row_dimensions[_TITLE2_ROW].height = 48

    row = _TITLE2_ROW + 1
    data_rows: list[Mapping[str, Any]] = list(rows) + [{}] * empty_rows
    for i, values in enumerate(data_rows):
        if unit_names is not None:
            ws.cell(row, 1, unit_names[i] if i < len(unit_names) else None)
        for j, c in enumerate(layout.columns):
            ws.cell(row, first + j, values.get(c.key))
        row += 1
    if total:
        ws.cell(row, 1, layout.total_label).font = Font(bold=True)
        for j, c in enumerate(layout.columns):
            ws.cell(row, first + j, sum_column(rows, c.key)).font = Font(bold=True)
        row += 1
    for r in range(_GROUP_ROW, row):
        for c in range(1, width + 1):
            ws.cell(r, c).border = box
            ws.cell(r, c).alignment = wrap
    for c in range(1, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 16 if c < first else 11
    row += 1  # a blank line, then the remarks
    for remark in layout.remarks:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        ws.cell(row, 1, remark).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 15 * max(1, len(remark) // (width * 6) + 1)
        row += 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def sum_column(rows: Sequence[Mapping[str, Any]], key: str) -> int | None:
    """The 合计 of one column: the sum of whole numbers; None when any unit's value is
    missing (a total over a gap would be wrong, so the cell stays empty)."""
    values = [r.get(key) for r in rows]
    if not values or any(not isinstance(v, int) or isinstance(v, bool) for v in values):
        return None
    return sum(values)


def unit_row(values: Mapping[str, Any], layout: Layout) -> dict[str, Any]:
    """A unit's row from its table facts (``table.<key>`` -> value, or the Facts'
    values mapping): only whole numbers are carried over."""
    out = {}
    for c in layout.columns:
        value = values.get(f"table.{c.key}")
        value = getattr(value, "value", value)  # a Fact, or a plain value
        if isinstance(value, int) and not isinstance(value, bool):
            out[c.key] = value
    return out


def write_merged_table(path: Path, layout: Layout, units: Sequence[tuple[str, Mapping[str, Any]]],
                       *, district: str = "", date: str = "") -> dict[str, int | None]:  # fmt: skip
    """The district's merged table: one row per (unit name, table facts), a 合计 row,
    written atomically to `path`. Returns the totals written."""
    rows = [unit_row(values, layout) for _name, values in units]
    data = workbook_bytes(layout, rows, unit=district, date=date,
                          unit_names=[name for name, _ in units], total=True)  # fmt: skip
    atomic.write_bytes(Path(path), data)
    return {c.key: sum_column(rows, c.key) for c in layout.columns}
