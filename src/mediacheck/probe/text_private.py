"""Personal numbers in a case text or summary (PRIV-TEXT): mainland ID-card numbers and
mobile numbers, found and masked. The full number is never kept: only its masked form
leaves this module, so no report, JSON, cache entry or log can repeat it.

- **ID-card number** (GB 11643-1999): 17 digits and a check character, the check being
  ``"10X98765432"[sum(digit × weight) mod 11]`` with weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5
  8 4 2; the first two digits a province code; digits 7–14 a real birth date between
  1900 and today. May be written in 6-8-4 groups with single spaces. Masked to its first
  and last four characters: ``1101**********002X`` (the district and the birth date are
  what identifies; the ends let the writer find it).
- **Mobile number**: ``1[3-9]`` and nine more digits, optionally after +86 / 0086 / 86,
  optionally grouped 3-4-4 by one space or dash each (``138-1234-5678``). Masked as the
  operators print them: ``138****5678``.

Neither may sit inside a longer run of digits. Full-width digits count (NFKC).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# GB/T 2260 province-level codes; 71 Taiwan, 81/82 Hong Kong/Macao residence permits,
# 83 Taiwan residents' permits, 91 the foreigners' permanent residence card (2023).
_PROVINCES = frozenset(
    {*map(str, (*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47)))}
    | {*map(str, (*range(50, 55), *range(61, 66), 71, 81, 82, 83, 91))}
)
_ID = re.compile(r"(?<!\d)(\d{6})( ?)(\d{8})\2(\d{3}[\dXx])(?![\dXx])")
_MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)?86[ -]?)?(1[3-9]\d)([ -]?)(\d{4})\2(\d{4})(?!\d)")
MAX_LISTED = 10  # a list fact names this many places, then "…"


@dataclass(frozen=True)
class Found:
    masked: str
    where: int  # line (plain text) or paragraph (.docx), from 1


def id_check(first17: str) -> str:
    """The GB 11643-1999 check character of the first 17 digits."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def valid_id(number: str, today: datetime.date | None = None) -> bool:
    """A plausible 18-character ID-card number: province, birth date, check character."""
    if len(number) != 18 or not number[:17].isdigit() or number[:2] not in _PROVINCES:
        return False
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if not datetime.date(1900, 1, 1) <= born <= (today or datetime.date.today()):
        return False
    return id_check(number[:17]) == number[17].upper()


def mask_id(number: str) -> str:
    return number[:4] + "*" * 10 + number[-4:].upper()


def mask_mobile(number: str) -> str:
    return number[:3] + "****" + number[-4:]


def scan(text: str, by_paragraph: bool = False) -> tuple[list[Found], list[Found]]:
    """(ID-card numbers, mobile numbers) in `text`, masked, with where each stands: its
    line, or with `by_paragraph` its place among the non-blank lines (a .docx's
    paragraphs, as a reader counts them in Word)."""
    ids: list[Found] = []
    mobiles: list[Found] = []
    where = 0
    for raw in text.splitlines():
        if by_paragraph and not raw.strip():
            continue
        where += 1
        line = unicodedata.normalize("NFKC", raw)
        if not any(ch.isdigit() for ch in line):
            continue
        for m in _ID.finditer(line):
            number = m.group(1) + m.group(3) + m.group(4)
            if valid_id(number):
                ids.append(Found(mask_id(number), where))
                # the digits of an ID number are no mobile number
                line = line[: m.start()] + "#" * (m.end() - m.start()) + line[m.end() :]
        for m in _MOBILE.finditer(line):
            mobiles.append(Found(mask_mobile(m.group(1) + m.group(3) + m.group(4)), where))
    return ids, mobiles


def listed(found: list[Found]) -> str:
    """``1101**********002X (3), 138****5678 (7), …``: the list facts' value."""
    shown = [f"{f.masked} ({f.where})" for f in found[:MAX_LISTED]]
    if len(found) > MAX_LISTED:
        shown.append("…")
    return ", ".join(shown) if shown else "—"
