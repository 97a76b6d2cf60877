"""`--format xlsx`: the spreadsheet rows (`parts.rows`) as an Excel workbook (openpyxl).

Bold header, first row frozen, an autofilter over every column, widths fitted to the
text (a CJK character counts two). Every cell is stored as text, never as a formula,
whatever it starts with. `render` returns bytes: `BINARY = True` tells the caller to
write them as they are.
"""

from __future__ import annotations

import io
import unicodedata
from typing import Any

from mediacheck.model import RunResult
from mediacheck.report.parts.rows import from_ctx
from mediacheck.words.html import say
from mediacheck.words.lang import utf8_safe

BINARY = True
MAX_WIDTH = 60
WRAPPED = (7, 8)  # 说明, 建议: long sentences wrap instead of widening the sheet


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def render(run: RunResult, ctx: Any) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    head, body = from_ctx(run, ctx)
    book = Workbook()
    sheet = book.active
    sheet.title = say("sheet.title", ctx.lang)
    widths = [_width(h) for h in head]
    for r, row in enumerate([head, *body], start=1):
        for c, value in enumerate(row, start=1):
            # control characters are not XML; a name that is not UTF-8 keeps its bytes as \xNN
            text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", utf8_safe(value))
            cell = sheet.cell(row=r, column=c, value=text)
            cell.data_type = "s"  # text, even "=SUM(…)"
            if r == 1:
                cell.font = Font(bold=True)
            elif c - 1 in WRAPPED:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.alignment = Alignment(vertical="top")
            widths[c - 1] = max(widths[c - 1], min(MAX_WIDTH, _width(text)))
    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = min(MAX_WIDTH, width + 2)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(head))}{len(body) + 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
