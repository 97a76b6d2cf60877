"""The template (an empty submission) and the district's merged table: written in the
official layout, read back through the table kind."""

from __future__ import annotations

from pathlib import Path

import make_tables as mt
import pytest

from mediacheck.demo.template import (
    CASE_NAME,
    SUMMARY_NAME,
    TABLE_NAME,
    TemplateExists,
    write_template,
)
from mediacheck.evaluate import evaluate
from mediacheck.model import FAIL
from mediacheck.probe import table
from mediacheck.probe.table_layout import COLUMN_KEYS
from mediacheck.probe.text import probe_text, read_docx_text
from mediacheck.profile import load_profile
from mediacheck.sets.table_writer import sum_column, write_merged_table

PROFILE = load_profile()
LAYOUT = PROFILE.tables["statistics"]


def test_template_is_the_empty_official_form(tmp_path: Path) -> None:
    written = write_template(tmp_path / "长寿路街道", PROFILE)
    assert [p.relative_to(tmp_path / "长寿路街道").as_posix() for p in written] == [
        TABLE_NAME, SUMMARY_NAME, Path(CASE_NAME).as_posix()
    ]  # fmt: skip
    facts = table.probe(written[0])
    assert facts.error is None
    assert facts.values["table.columns_missing"].value == 0  # the header is found
    assert facts.values["table.header_row"].value == 4
    got = {f.rule_id: f.status for f in evaluate(facts, PROFILE).findings}
    # an empty form: every cell blank, no unit, no date
    assert got["S-TABLE-FILLED"] == FAIL and facts.values["table.blank_cells"].value == 11
    assert got["S-TABLE-UNIT"] == FAIL and got["S-TABLE-DATE"] == FAIL


def test_template_layout(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_template(tmp_path, PROFILE)[0]
    ws = load_workbook(path).active
    assert ws["A1"].value == LAYOUT.title == "2024 年普陀区老年数字教育进社区行动统计表"
    assert ws["A2"].value == "单位：" and ws["F2"].value == "日期："
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:K1", "A3:B3", "C3:E3", "F3:H3", "I3:J3", "K3:K4"} <= merged
    assert [ws.cell(4, c).value for c in range(1, 11)] == [c.title for c in LAYOUT.columns[:10]]
    remarks = [ws.cell(r, 1).value for r in range(7, 10)]
    assert "盖电子章" in remarks[0] and "线下行动次数" in remarks[1]


def test_template_texts_carry_the_rules(tmp_path: Path) -> None:
    written = write_template(tmp_path, PROFILE)
    summary, _ = read_docx_text(written[1])
    case, _ = read_docx_text(written[2])
    assert "2000 字以内" in summary and "工作总结" in summary
    assert "5 张以上照片" in case and "jpg、png、gif、bmp" in case and "2 MiB" in case
    assert probe_text(written[2]).error is None


def test_template_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / TABLE_NAME).write_bytes(b"mine")
    with pytest.raises(TemplateExists) as exc:
        write_template(tmp_path, PROFILE)
    assert exc.value.paths == [tmp_path / TABLE_NAME]
    assert (tmp_path / TABLE_NAME).read_bytes() == b"mine"
    assert not (tmp_path / SUMMARY_NAME).exists()  # nothing at all was written
    assert sorted(p.name for p in tmp_path.iterdir()) == [TABLE_NAME]


def test_template_twice(tmp_path: Path) -> None:
    first = write_template(tmp_path, PROFILE)
    before = [p.read_bytes() for p in first]
    with pytest.raises(TemplateExists) as exc:
        write_template(tmp_path, PROFILE)
    assert len(exc.value.paths) == 3
    assert [p.read_bytes() for p in first] == before


def test_template_follows_the_profile(tmp_path: Path) -> None:
    custom = tmp_path / "mine.yaml"
    custom.write_text(
        "extends: shanghai-2024\nrules:\n  T-LENGTH: {expected: 1500}\n  P-COUNT: {expected: 8}\n",
        encoding="utf-8",
    )
    written = write_template(tmp_path / "out", load_profile(str(custom)))
    assert "1500 字以内" in read_docx_text(written[1])[0]
    assert "8 张以上照片" in read_docx_text(written[2])[0]


# ------------------------------------------------------------------ merged


UNITS = [
    ("长寿路街道", {**mt.GOOD}),
    ("曹杨新村街道", {**mt.GOOD, "total_committees": 21, "covered_committees": 20}),
    ("桃浦镇", {**mt.GOOD, "readers": 1234, "attendance_online": 0}),
]


def test_merged_table_totals(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    probed = []
    for name, row in UNITS:
        facts = table.probe(mt.make_table(tmp_path / f"{name}.xlsx", rows=(row,), unit=name))
        probed.append((name, facts.values))
    out = tmp_path / "汇总" / "普陀区统计表.xlsx"
    out.parent.mkdir()
    totals = write_merged_table(out, LAYOUT, probed, district="普陀区教育局", date="2024-12-20")
    expected = {k: sum(row[k] for _n, row in UNITS) for k in COLUMN_KEYS}
    assert totals == expected
    assert totals["total_committees"] == 30 + 21 + 30 and totals["readers"] == 600 + 600 + 1234

    ws = load_workbook(out).active
    assert ws["A3"].value == "单位" and ws["B4"].value == "辖区内居村委总数"
    assert [ws.cell(r, 1).value for r in (5, 6, 7, 8)] == [*(n for n, _ in UNITS), "合计"]
    total_row = [ws.cell(8, c) for c in range(2, 13)]
    assert [c.value for c in total_row] == [expected[k] for k in COLUMN_KEYS]
    assert all(c.data_type == "n" for c in total_row)  # values, not formulas

    merged = table.probe(out)  # and mediacheck reads it back: three unit rows, then 合计
    assert merged.error is None
    assert merged.values["table.columns_missing"].value == 0
    assert merged.values["table.data_rows"].value == 3
    assert merged.values["table.unit"].value == "普陀区教育局"


def test_a_gap_leaves_the_total_empty() -> None:
    assert sum_column([{"readers": 1}, {"readers": 2}], "readers") == 3
    assert sum_column([{"readers": 1}, {}], "readers") is None
    assert sum_column([], "readers") is None


def test_merged_table_is_written_atomically(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"old")
    from mediacheck import atomic

    calls = []
    real = atomic.write_bytes
    monkeypatch.setattr(atomic, "write_bytes", lambda p, d: (calls.append(p), real(p, d)))
    write_merged_table(out, LAYOUT, [("甲", {"table.readers": 1})])
    assert calls == [out] and out.read_bytes()[:2] == b"PK"
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]  # no temp file left
