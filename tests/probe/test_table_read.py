"""table_read: the header found by its text, 单位/日期, data rows, cells — on plain lists."""

from __future__ import annotations

import datetime as dt

import pytest

from mediacheck.probe.table_layout import COLUMN_KEYS, default_layout, layout_from
from mediacheck.probe.table_read import (
    BLANK,
    FORMULA,
    INVALID,
    OK,
    WARN_FULLWIDTH,
    WARN_TEXT,
    ErrorValue,
    Formula,
    Reading,
    cell_name,
    column_letter,
    find_header,
    listing,
    parse_date,
    read_labels,
    scan_data,
    table_facts,
)

L = default_layout()
TITLES = [c.title for c in L.columns]
GROUPS = [c.group for c in L.columns]
VALUES = [30, 30, 6, 12, 40, 8, 25, 600, 3200, 5400, 5]


def two_row_header(titles=TITLES, offset: int = 0) -> list[list]:
    """The notice's header as Excel stores it: each group once, over its first column."""
    groups, seen = [], set()
    for g, t in zip(GROUPS, titles, strict=True):
        label = g or t
        groups.append(None if label in seen else label)
        seen.add(label)
    pad = [None] * offset
    return [pad + groups, pad + [t if g else None for g, t in zip(GROUPS, titles, strict=True)]]


def grid(*, notes: int = 0, offset: int = 0, titles=TITLES, rows=(VALUES,)) -> list[list]:
    out = [[f"说明{i}：数据截至 12 月底"] for i in range(notes)]
    out.append([None] * offset + ["2024 年普陀区老年数字教育进社区行动统计表"])
    out.append(
        [None] * offset + ["单位：", "普陀区长寿路街道", None, None, None, "日期：", "2024-10-28"]
    )
    out += two_row_header(titles, offset)
    out += [[None] * offset + list(r) for r in rows]
    return out


def test_the_notice_layout() -> None:
    header = find_header(grid(), L)
    assert header is not None
    assert header.top == 2 and header.bottom == 3
    assert header.columns == {k: i for i, k in enumerate(COLUMN_KEYS)}
    assert header.missing == ()


def test_found_wherever_it_starts() -> None:
    header = find_header(grid(notes=5, offset=3), L)
    assert header is not None and header.bottom == 8
    assert header.columns["total_committees"] == 3
    assert header.columns["media_reports"] == 13  # on the group row: it spans both


@pytest.mark.parametrize(
    "title",
    [
        "辖 区\n内居村\n委总数",
        "辖区内居村委总数 ",
        "辖区内居村委\u3000总数",
        "辖区内\r\n居村委总数",
    ],
)
def test_wrapped_and_spaced_titles(title: str) -> None:
    header = find_header(grid(titles=[title, *TITLES[1:]]), L)
    assert header is not None and header.columns["total_committees"] == 0


def test_full_width_characters() -> None:
    # NFKC: （ → (, ／ → /, full-width letters and digits → ASCII
    titles = [*TITLES[:7], "读本(折页等)", *TITLES[8:]]
    header = find_header(grid(titles=titles), L)
    assert header is not None and "readers" in header.columns


def test_flattened_csv_header() -> None:
    flat = [f"{g}/{t}" if g else t for g, t in zip(GROUPS, TITLES, strict=True)]
    header = find_header([["单位：X"], flat, VALUES], L)
    assert header is not None and header.bottom == 1 and header.missing == ()
    # group + title without a separator, as a two-row header merged into one cell
    joined = [f"{g}{t}" if g else t for g, t in zip(GROUPS, TITLES, strict=True)]
    assert find_header([joined], L).missing == ()


def test_a_note_quoting_a_title_is_not_the_header() -> None:
    rows = [["说明：辖区内居村委总数指本单位辖区内的居委会和村委会"], ["无关的表格"]]
    assert find_header(rows, L) is None


def test_missing_columns_are_named() -> None:
    titles = [t if i not in (7, 9) else "其他" for i, t in enumerate(TITLES)]
    header = find_header(grid(titles=titles), L)
    assert header is not None
    assert header.missing == ("readers", "attendance_online")
    facts, _ = table_facts(_reading(grid(titles=titles)), L)
    assert facts["table.columns_missing"] == 2
    assert facts["table.columns_missing_names"] == "读本（折页等）、线上人次"


def test_too_few_titles_is_no_table() -> None:
    assert find_header([["辖区内居村委总数", "线上人次"]], L) is None


def test_merged_header_cells_hold_their_value_top_left() -> None:
    rows = grid()
    # the group row merged over its columns, 宣传报道次数 merged down over both rows
    merges = [(2, 0, 2, 1), (2, 2, 2, 4), (2, 10, 3, 10)]
    header = find_header(rows, L, merges)
    assert header is not None and header.bottom == 3 and header.columns["media_reports"] == 10


def _reading(rows: list[list], typed: bool = True) -> Reading:
    header = find_header(rows, L)
    assert header is not None
    labels = read_labels(rows, header, L)
    block = scan_data(iter(rows[header.bottom + 1 :]), header.bottom + 1, header, L)
    return Reading(header, block, labels, typed)


U = "普陀区长寿路街道"


@pytest.mark.parametrize(
    ("line", "unit", "date"),
    [
        (["单位：", U, None, "日期：", "2024-10-28"], U, "2024-10-28"),
        ([f"单位：{U}        日期：2024年10月28日"], U, "2024年10月28日"),
        (["单 位：", None, "普陀区长寿路街道", "日 期：", dt.datetime(2024, 10, 28)],
         "普陀区长寿路街道", dt.datetime(2024, 10, 28)),
        (["填报单位：普陀区长寿路街道"], "普陀区长寿路街道", None),
        (["单位：", None, None, "日期：", None], "", ""),
        (["单位：（   ）", None, "日期：____"], "", ""),
        (["单位:普陀区长寿路街道", "日期:2024.10.28"], "普陀区长寿路街道", "2024.10.28"),
    ],
)  # fmt: skip
def test_unit_and_date_above_the_table(line: list, unit: str, date) -> None:
    rows = [["2024 年普陀区老年数字教育进社区行动统计表"], line, *two_row_header(), VALUES]
    labels = read_labels(rows, find_header(rows, L), L)
    assert labels.get("unit") == unit
    assert labels.get("date") == date


def test_unit_of_measure_line_is_not_the_unit() -> None:
    rows = [["单位：个、次、人次"], ["单位：普陀区长寿路街道", "日期：2024-10-28"],
            *two_row_header(), VALUES]  # fmt: skip
    assert read_labels(rows, find_header(rows, L), L)["unit"] == "普陀区长寿路街道"


@pytest.mark.parametrize(
    ("value", "date"),
    [
        ("2024-10-28", dt.date(2024, 10, 28)),
        ("2024年10月28日", dt.date(2024, 10, 28)),
        ("2024/10/28", dt.date(2024, 10, 28)),
        ("2024.10.28", dt.date(2024, 10, 28)),
        ("２０２４年１０月２８日", dt.date(2024, 10, 28)),
        (" 2024 年 10 月 28 日 ", dt.date(2024, 10, 28)),
        (dt.datetime(2024, 10, 28, 0, 0), dt.date(2024, 10, 28)),
        (45593, dt.date(2024, 10, 28)),  # an Excel day number in a cell not formatted as date
        ("2024-02-30", None),
        ("2024年10月", None),
        ("十月底", None),
        ("", None),
        (None, None),
        (12, None),
    ],
)
def test_parse_date(value, date) -> None:
    assert parse_date(value) == date


@pytest.mark.parametrize(
    ("value", "typed", "verdict", "number"),
    [
        (3000, True, OK, 3000),
        (3000.0, True, OK, 3000),
        (0, True, OK, 0),
        ("3000", True, WARN_TEXT, 3000),  # a number stored as text
        ("3000", False, OK, 3000),  # a CSV has only text
        ("3,000", True, WARN_TEXT, 3000),
        ("３０００", True, WARN_FULLWIDTH, 3000),
        ("３０００", False, WARN_FULLWIDTH, 3000),
        (" 12 ", True, WARN_TEXT, 12),
        ("约3000", True, INVALID, None),
        ("若干", True, INVALID, None),
        ("3000人", True, INVALID, None),
        (12.5, True, INVALID, None),
        ("12.5", False, INVALID, None),
        (-3, True, INVALID, None),
        ("-3", False, INVALID, None),
        ("—", True, INVALID, None),
        (True, True, INVALID, None),
        (dt.datetime(2024, 1, 1), True, INVALID, None),
        (ErrorValue("#DIV/0!"), True, INVALID, None),
        ("#REF!", True, INVALID, None),
        (float("nan"), True, INVALID, None),
        (None, True, BLANK, None),
        ("  ", True, BLANK, None),
        (Formula("=SUM(A5:C5)"), True, FORMULA, None),
    ],
)
def test_judge(value, typed: bool, verdict: str, number) -> None:
    from mediacheck.probe.table_read import judge

    assert judge(value, typed) == (verdict, number)


def test_cells_are_named_and_values_shown() -> None:
    row = [None, 30, "约3000", 12.5, -3, "８", "25", Formula("=B5*2"), 1, 2, 3]
    facts, skipped = table_facts(_reading(grid(rows=(row,))), L)
    assert facts["table.blank_cells"] == 1 and facts["table.blank_list"] == "A5"
    assert facts["table.invalid_list"] == "C5 = “约3000”, D5 = 12.5, E5 = -3"
    assert facts["table.text_number_list"] == "F5 = “８”, G5 = “25”"
    assert facts["table.unsaved_formula_list"] == "H5 =B5*2"
    assert facts["table.resources_digital"] == 25  # a warning keeps its value
    assert "table.total_committees" in skipped and "table.actions_total" in skipped


def test_consistency_facts_of_one_row() -> None:
    facts, skipped = table_facts(_reading(grid()), L)
    assert facts["table.total_committees"] == 30
    assert facts["table.actions_total"] == 6 + 12 + 40  # offline_actions from the profile
    assert facts["table.unit_filled"] is True and facts["table.date"] == "2024-10-28"
    assert skipped == set()


def test_two_data_rows_compare_nothing() -> None:
    facts, skipped = table_facts(_reading(grid(rows=(VALUES, VALUES))), L)
    assert facts["table.data_rows"] == 2
    assert {f"table.{k}" for k in COLUMN_KEYS} <= skipped


def test_an_empty_form_has_every_cell_blank() -> None:
    rows = grid(rows=())
    facts, _ = table_facts(_reading(rows), L)
    assert facts["table.data_rows"] == 0
    assert facts["table.blank_cells"] == 11
    assert facts["table.blank_list"].startswith("A5, B5, C5")
    assert facts["table.blank_list"].endswith("…(+1)")


@pytest.mark.parametrize(
    "marker", ["合计", "备注：1．以上数据必须…", "注：行动次数为线下", "填表人：张三"]
)
def test_data_rows_end_at_remarks(marker: str) -> None:
    rows = grid(rows=(VALUES, [marker], VALUES))
    assert _reading(rows).block.rows == [(4, dict(zip(COLUMN_KEYS, VALUES, strict=True)))]


def test_blank_rows_between_are_skipped_a_long_run_ends() -> None:
    rows = grid(rows=([None] * 11, VALUES, *([[None]] * 25), VALUES))
    assert len(_reading(rows).block.rows) == 1


def test_scan_is_bounded() -> None:
    header = find_header(grid(rows=()), L)
    endless = iter(lambda: VALUES, None)  # never ends
    block = scan_data(endless, 4, header, L, max_rows=50)
    assert len(block.rows) == 50 and block.capped


def test_names_and_listing() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A", "Z", "AA", "AB", "ZZ", "AAA"
    ]  # fmt: skip
    assert cell_name(4, 3) == "D5"
    assert listing([]) == "—"
    assert listing([f"A{i}" for i in range(12)]).endswith("A9, …(+2)")


def test_layout_validation() -> None:
    from mediacheck.profile import load_profile

    raw = load_profile().tables["statistics"]
    good = {
        "title": raw.title, "unit_label": "单位", "date_label": "日期",
        "columns": {c.key: {"title": c.title, **({"group": c.group} if c.group else {})}
                    for c in raw.columns},
        "offline_actions": list(raw.offline_actions), "end_markers": ["合计"],
        "total_label": "合计", "unit_column": "单位", "remarks": ["备注"],
    }  # fmt: skip
    assert layout_from(good, "x") == raw._replace(end_markers=("合计",), remarks=("备注",))
    for broken, words in [
        ({**good, "colour": "red"}, "unknown key"),
        ({k: v for k, v in good.items() if k != "title"}, "missing key"),
        ({**good, "columns": dict(list(good["columns"].items())[:10])}, "exactly"),
        ({**good, "offline_actions": ["nope"]}, "offline_actions"),
        ({**good, "title": ""}, "non-empty"),
    ]:
        with pytest.raises(ValueError, match=words):
            layout_from(broken, "x")
