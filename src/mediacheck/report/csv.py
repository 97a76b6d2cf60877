"""`--format csv`: the spreadsheet rows (`parts.rows`) for Excel and WPS.

UTF-8 with a byte-order mark, so Excel on a Chinese Windows reads it as UTF-8 rather
than GBK; CRLF line ends (RFC 4180). A cell that a spreadsheet would run as a formula
(starting with = + - @, or a tab or CR) gets a leading apostrophe: a file named
`=HYPERLINK(…).mp4` is shown, not run (OWASP's advice on CSV injection).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from mediacheck.model import RunResult
from mediacheck.report.parts.rows import from_ctx

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def render(run: RunResult, ctx: Any) -> str:
    head, body = from_ctx(run, ctx)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(head)
    writer.writerows([guard(c) for c in row] for row in body)
    return BOM + buf.getvalue()
