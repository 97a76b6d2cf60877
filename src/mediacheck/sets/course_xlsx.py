"""课程清单.xlsx: the course list as a spreadsheet, read into the same schema as courses.yaml.

Layout (what `mediacheck template` writes):

- the first sheet (or one named 课程清单);
- above the header, optionally a row `区 | 普陀区` (the district);
- a header row, found by its text (the row holding 课程编号), not by cell address; a note
  in brackets after a header (层级（基础类/提高类）) is ignored;
- **one row per episode**. The course's own columns (名称, 层级, 主题, 形式 …) are filled on
  its first row and may be left blank, or repeated, on the rows of its further episodes; a
  blank 课程编号 continues the course above (so a merged 课程编号 cell works). An interactive
  course without episodes is one row with the episode columns blank. A course column filled
  differently on two rows of one course is an error for that course.

Read with openpyxl in read-only mode (values, not formulas); a workbook whose parts unpack
to more than `MAX_UNPACKED` bytes is refused before openpyxl sees it.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from mediacheck.model import ProbeError
from mediacheck.sets.courses import CourseList, Entry, from_data

MAX_UNPACKED = 100 * 1024 * 1024
MAX_ROWS = 20_000
HEADER_SEARCH = 10  # rows searched for the header
SHEET = "课程清单"

# header text -> (record key, part): "course" columns belong to the course, "episode" ones
# to the row's episode. The YAML key names are accepted as headers too.
COLUMNS: dict[str, tuple[str, str]] = {
    "课程编号": ("id", "course"),
    "课程名称": ("title", "course"),
    "层级": ("level", "course"),
    "主题": ("topic", "course"),
    "形式": ("form", "course"),
    "单位": ("unit", "course"),
    "系列名称": ("series.name", "course"),
    "链接": ("url", "course"),
    "需技术支持": ("needs_support", "course"),
    "联系人": ("contact.name", "course"),
    "联系电话": ("contact.phone", "course"),
    "集序号": ("no", "episode"),
    "集标题": ("title", "episode"),
    "视频文件": ("file", "episode"),
}
HEADERS = tuple(COLUMNS)  # the template's order
_ALIASES = {
    **{key: text for text, (key, part) in COLUMNS.items() if part == "course"},
    "no": "集序号", "episode_title": "集标题", "file": "视频文件",
}  # fmt: skip
YES = {"是", "√", "✓", "yes", "true", "y", "1", "需要"}
NO = {"否", "×", "no", "false", "n", "0", "不需要", "无"}
_NOTE = re.compile(r"[（(].*$")


def _header(value: Any) -> str:
    text = "".join(str(value).split()) if value is not None else ""
    text = _NOTE.sub("", text)
    return _ALIASES.get(text, text)


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip() or None
    return value


def _yes_no(value: Any) -> Any:
    if isinstance(value, str):
        low = value.strip().lower()
        if low in YES:
            return True
        if low in NO:
            return False
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
        return bool(value)
    return value


def _failed(path: Path, code: str, **params: Any) -> CourseList:
    params.setdefault("what", "bad_list")
    return CourseList(path=path, error=ProbeError(code, str(params), params))


def _set(record: dict[str, Any], key: str, value: Any) -> None:
    if "." in key:
        outer, inner = key.split(".", 1)
        record.setdefault(outer, {})[inner] = value
    else:
        record[key] = value


def load_xlsx(path: Path) -> CourseList:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        return _failed(path, "xlsx_invalid", detail=str(exc) or type(exc).__name__)
    if unpacked > MAX_UNPACKED:
        return _failed(path, "xlsx_too_large", size=f"{unpacked:,}")
    try:
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 (openpyxl raises many kinds on a broken file)
        return _failed(path, "xlsx_invalid", detail=f"{type(exc).__name__}: {exc}"[:200])
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        return _read_rows(path, sheet.title, rows)
    except Exception as exc:  # noqa: BLE001
        return _failed(path, "xlsx_invalid", detail=f"{type(exc).__name__}: {exc}"[:200])
    finally:
        book.close()


def _find_header(path: Path, title: str, rows: Any) -> tuple[list[str], int, Any] | CourseList:
    """The header row's names and number, and the district above it (or a failed list)."""
    district = None
    for number, row in enumerate(rows, 1):
        cells = [_cell(v) for v in row]
        names = [_header(v) for v in cells]
        if "课程编号" in names:
            unknown = [n for n in names if n and n not in COLUMNS]
            if unknown:
                return _failed(path, "xlsx_unknown_columns", keys=", ".join(unknown),
                               known=", ".join(HEADERS))  # fmt: skip
            return names, number, district
        if names and names[0] in ("区", "区县", "district") and len(cells) > 1:
            district = cells[1] if isinstance(cells[1], str) else district
        if number >= HEADER_SEARCH:
            break
    return _failed(path, "xlsx_no_header", sheet=title, rows=HEADER_SEARCH)


def _read_rows(path: Path, title: str, rows: Any) -> CourseList:
    rows = iter(rows)
    found = _find_header(path, title, rows)
    if isinstance(found, CourseList):
        return found
    header, start, district = found
    courses: dict[str, dict[str, Any]] = {}
    where: dict[str, int] = {}  # course -> its first row
    conflicts: dict[str, tuple[str, str]] = {}
    current: str | None = None
    for number, row in enumerate(rows, start + 1):
        if number - start > MAX_ROWS:
            return _failed(path, "list_too_many", count=f"> {MAX_ROWS:,}", limit=f"{MAX_ROWS:,}")
        cells = [_cell(v) for v in row]
        values = {name: cells[i] for i, name in enumerate(header) if name and i < len(cells)}
        if all(v is None for v in values.values()):
            continue
        given = values.get("课程编号")
        cid = str(given) if given is not None else current or f"(row {number})"
        if cid not in courses:
            courses[cid] = {"id": None if cid.startswith("(row ") else cid}
            where[cid] = number
        current = cid
        _fill(courses[cid], values, cid, conflicts)
    order = list(courses)
    listed = from_data(
        path,
        {"schema": 1, "district": district, "courses": [courses[c] for c in order]},
        lambda i: f"row {where[order[i]]}" if i < len(order) else "",
    )
    if listed.error is not None or not conflicts:
        return listed
    entries = tuple(
        Entry(e.index, e.id, e.where, error=ProbeError("course_conflict", "", {
            "course": e.id, "key": conflicts[e.id][0], "found": conflicts[e.id][1],
            "what": "bad_entry"}))
        if e.id in conflicts else e
        for e in listed.entries
    )  # fmt: skip
    return CourseList(path=path, schema=1, district=listed.district, entries=entries)


def _fill(record: dict[str, Any], values: dict[str, Any], cid: str,
          conflicts: dict[str, tuple[str, str]]) -> None:  # fmt: skip
    """One row into its course: course columns once (a differing repeat is a conflict), the
    episode columns as one more episode."""
    episode: dict[str, Any] = {}
    for name, value in values.items():
        key, part = COLUMNS[name]
        if value is None or key == "id":
            continue
        if part == "episode":
            episode[key] = value
            continue
        if key == "needs_support":
            value = _yes_no(value)
        outer, _, inner = key.partition(".")
        known = record.get(outer, {}).get(inner) if inner else record.get(key)
        if known is None:
            _set(record, key, value)
        elif known != value:
            conflicts.setdefault(cid, (name, f"{known} / {value}"))
    if episode:
        record.setdefault("episodes", []).append(episode)
