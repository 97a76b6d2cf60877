"""`--format csv` and `--format xlsx` on a real run: Chinese headers, one row per subject
and rule not passed, a row for what passed and for what was not checked, and no cell a
spreadsheet would run as a formula. The XLSX is read back with openpyxl."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
from people_helpers import Ctx

from mediacheck.model import FAIL, Fact, FileResult, Finding, RunResult
from mediacheck.report import csv as report_csv
from mediacheck.report import xlsx as report_xlsx

ZH_HEADER = ["文件/对象", "类型", "结果", "规则", "条款", "实测", "要求", "说明", "建议"]


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_csv_is_utf8_bom_crlf_with_chinese_headers(people_run):
    text = report_csv.render(people_run.run, people_run.ctx("zh"))
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    body = text[1:]
    assert body.count("\r\n") >= len(body.splitlines()) - 2  # CRLF ends (a quoted \n aside)
    rows = read_csv(text)
    assert rows[0] == ZH_HEADER
    en = read_csv(report_csv.render(people_run.run, people_run.ctx("en")))
    assert en[0][:3] == ["File / subject", "Kind", "Result"]


def test_csv_one_row_per_rule_not_passed_and_one_for_a_pass(people_run):
    rows = read_csv(report_csv.render(people_run.run, people_run.ctx("zh")))[1:]
    res = [r for r in rows if r[0].startswith("res_720p")]
    assert [r[3] for r in res] == ["V-RES"]
    assert res[0][1:3] == ["视频", "不合格"] and "1280×720" in res[0][5]
    assert "1920×1080" in res[0][6] and res[0][7] and res[0][8]
    silent = [r[3] for r in rows if r[0].startswith("audio_silence_gated")]
    assert {"A-BITRATE", "A-BITRATE-CBR"} <= set(silent)
    good = [r for r in rows if r[0].startswith("compliant")]
    assert len(good) == 1 and good[0][2] == "通过" and good[0][3] == ""
    assert "全部" in good[0][7]
    case = [r[3] for r in rows if r[0] == "案例"]
    assert "P-UNIQUE" in case and "P-COUNT" in case
    listed = [r for r in rows if r[0] == "notes.xyz"]
    assert listed and listed[0][2] == "未检查"  # not checked is never a pass


def formula_run(tmp_path: Path) -> RunResult:
    path = tmp_path / '=HYPERLINK("x","y").mp4'
    finding = Finding(
        path, "V-RES", "V-RES", "error", FAIL, {"en": "Resolution"}, Fact(1, "", "measured"),
        {"en": "-1"}, 2, {"en": "@SUM(A1)"}, "at_least", message={"en": "+cmd|' /C calc'!A0"},
        hint={"en": "\tsee"},
    )  # fmt: skip
    return RunResult("p", (FileResult(path, "video", (finding,)),))


def test_csv_guards_against_formula_injection(tmp_path):
    rows = read_csv(report_csv.render(formula_run(tmp_path), Ctx("en", tmp_path)))
    row = rows[1]
    assert row[0] == "'" + '=HYPERLINK("x","y").mp4'
    assert row[5] == "'-1" and row[6] == "'@SUM(A1)" and row[7].startswith("'+cmd")
    assert row[8] == "'\tsee"
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_xlsx_reads_back_with_header_filter_frozen_row_and_text_cells(people_run, tmp_path):
    data = report_xlsx.render(people_run.run, people_run.ctx("zh"))
    assert report_xlsx.BINARY is True and isinstance(data, bytes)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == ZH_HEADER
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:I{sheet.max_row}"
    assert sheet.column_dimensions["A"].width > 10
    csv_rows = read_csv(report_csv.render(people_run.run, people_run.ctx("zh")))
    assert sheet.max_row == len(csv_rows)
    # formulas stay text in XLSX, exactly as written (no apostrophe needed there)
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx.render(formula_run(tmp_path),
                                                                Ctx("en", tmp_path))))  # fmt: skip
    cell = book.active["A2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("x","y").mp4'
    assert book.active["G2"].value == "@SUM(A1)"
