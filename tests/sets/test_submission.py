"""A unit's submission (#10: SUB-COMPLETE, T-SUMMARY) on generated units: what the
template writes, filled in; parts missing or twice; how each role is told."""

from __future__ import annotations

from pathlib import Path

import make_tables as mt
import pytest
from units_helpers import (
    PROFILE,
    add_photos,
    docx_bytes,
    findings,
    make_unit,
    small_photo,
    statuses,
)

from mediacheck.demo.template import write_template
from mediacheck.discover.config import load_config
from mediacheck.model import FAIL, INFO, PASS, WARN
from mediacheck.sets.submission import check_submission

COUNTS = ("SUB-TABLE", "SUB-TABLE-ONCE", "T-SUMMARY-FOUND", "T-SUMMARY-ONCE", "SUB-CASE",
          "SUB-CASE-ONCE")  # fmt: skip


def unit_of(folder: Path, **kw):
    check = check_submission(folder, PROFILE, jobs=1, **kw)  # small photos: no pool
    assert check.result.kind == "submission" and check.result.path == folder
    return check


def test_what_the_template_writes_is_a_complete_layout(tmp_path: Path) -> None:
    write_template(tmp_path, PROFILE)
    from mediacheck.sets.course_template import write_templates

    write_templates(tmp_path, PROFILE)  # as `mediacheck template` does
    unit = unit_of(tmp_path).result
    assert statuses(unit, COUNTS) == dict.fromkeys(COUNTS, PASS)
    got = findings(unit)
    assert got["SUB-TABLE"].measured_text["en"] == "1 — 统计表.xlsx (by content)"
    assert got["T-SUMMARY-FOUND"].measured_text["zh"] == "1 — 工作总结.docx（按名称）"
    assert got["SUB-CASE"].measured_text["en"] == "1 — 案例/ (by name)"
    # the course list the template writes beside them is the district's: listed, not a table
    assert got["SUB-OTHER"].status == INFO
    assert "课程清单.xlsx (a course list" in got["SUB-OTHER"].measured_text["en"]
    # filled in, it passes (test_a_complete_unit_passes); empty, its parts say what to fill
    assert got["SUB-PARTS"].status == FAIL
    assert (
        got["SUB-PARTS"]
        .message["en"]
        .startswith("2 part(s) of the submission fail: 统计表.xlsx; 案例/")
    )


def test_a_complete_unit_passes(tmp_path: Path) -> None:
    unit = make_unit(tmp_path / "长寿路街道", big=True)
    check = unit_of(unit)
    failed = {(str(r.path), f.rule_id) for r in check.results for f in r.findings
              if f.status == FAIL}  # fmt: skip
    assert not failed
    assert check.result.status == PASS
    assert check.name == "普陀区长寿路街道"  # the table's 单位
    kinds = [r.kind for r in check.results]
    assert kinds == ["table", "text", "text", "photo", "photo", "photo", "photo", "photo",
                     "case", "submission"]  # fmt: skip
    assert len(check.photos) == 5 and len(check.texts) == 2
    assert check.table is not None and check.table["table.total_committees"] == 30


@pytest.mark.parametrize(("missing", "rule"), [("table", "SUB-TABLE"),
                                               ("summary", "T-SUMMARY-FOUND"),
                                               ("case", "SUB-CASE")])  # fmt: skip
def test_a_missing_part_fails_its_rule(tmp_path: Path, missing: str, rule: str) -> None:
    unit = make_unit(tmp_path / "u", **{missing: False})
    got = statuses(unit_of(unit).result, COUNTS)
    assert got.pop(rule) == FAIL
    assert set(got.values()) == {PASS}
    finding = findings(unit_of(unit).result)[rule]
    assert finding.message["zh"] and finding.message["en"] and finding.hint["zh"]


def test_an_empty_unit_folder_is_one_clear_finding(tmp_path: Path) -> None:
    (tmp_path / "空").mkdir()
    (tmp_path / "空" / "Thumbs.db").write_bytes(b"junk")  # system junk does not count
    check = unit_of(tmp_path / "空")
    got = statuses(check.result)
    assert got["SUB-NOT-EMPTY"] == FAIL
    # no table, summary or case: said once, not three more times
    assert not {"SUB-TABLE", "T-SUMMARY-FOUND", "SUB-CASE"} & set(got)
    assert check.results == [check.result]


def test_two_case_folders(tmp_path: Path) -> None:
    unit = make_unit(tmp_path / "u")
    second = tmp_path / "u" / "案例二"
    second.mkdir()
    (second / "案例二.docx").write_bytes(docx_bytes("第二个案例", "另一次活动。"))
    add_photos(second, 5, seed=9)
    check = unit_of(unit)
    got = findings(check.result)
    assert got["SUB-CASE-ONCE"].status == FAIL
    assert "案例/; 案例二/" in got["SUB-CASE-ONCE"].message["en"]
    assert [r.kind for r in check.results].count("case") == 2  # both still checked


def test_a_case_folder_without_photos(tmp_path: Path) -> None:
    unit = make_unit(tmp_path / "u", photos=0)
    check = unit_of(unit)
    assert findings(check.result)["SUB-CASE"].status == PASS  # named 案例: the case
    (case,) = [r for r in check.results if r.kind == "case"]
    assert findings(case)["P-COUNT"].status == FAIL


def test_two_summaries(tmp_path: Path) -> None:
    unit = make_unit(tmp_path / "u")
    (unit / "总结报告.txt").write_text("长寿路街道总结报告（第二稿）。", encoding="utf-8")
    got = findings(unit_of(unit).result)
    assert got["T-SUMMARY-ONCE"].status == FAIL
    assert "工作总结.docx; 总结报告.txt" in got["T-SUMMARY-ONCE"].message["en"]
    assert "总结报告.txt (by name)" in got["T-SUMMARY-ONCE"].measured_text["en"]


def _roles(check) -> str:
    return findings(check.result)["T-SUMMARY-FOUND"].measured_text["en"]


def test_role_by_folder_name_title_and_config(tmp_path: Path) -> None:
    unit = make_unit(tmp_path / "u", summary=False)
    # by title: the name says nothing, the first paragraph does
    (unit / "材料一.docx").write_bytes(docx_bytes("2024 年度工作总结", "正文。"))
    assert _roles(unit_of(unit)) == "1 — 材料一.docx (by title)"
    # by folder: a text standing in a folder named like the summary
    (unit / "材料一.docx").unlink()
    (unit / "工作总结").mkdir()
    (unit / "工作总结" / "正文.txt").write_text("本年度情况如下。", encoding="utf-8")
    assert _roles(unit_of(unit)) == "1 — 工作总结/正文.txt (by its folder)"
    # by the config: declared, whatever its name or title says
    (unit / "工作总结" / "正文.txt").unlink()
    (unit / "说明.txt").write_text("本年度情况如下。", encoding="utf-8")
    config_file = tmp_path / ".mediacheck.yaml"
    config_file.write_text("summaries: [说明.txt]\n", encoding="utf-8")
    check = unit_of(unit, config=load_config(config_file))
    assert _roles(check) == "1 — 说明.txt (by the config)"
    # without it the text is untold: a warning, and the summary is missing
    check = unit_of(unit)
    got = findings(check.result)
    assert got["SUB-UNTOLD"].status == WARN and got["T-SUMMARY-FOUND"].status == FAIL
    assert "说明.txt" in got["T-SUMMARY-FOUND"].message["zh"]


def test_a_folder_of_photos_is_the_case_by_content(tmp_path: Path) -> None:
    unit = make_unit(tmp_path / "u", case=False)
    add_photos(unit / "活动照片", 5)
    (unit / "活动照片" / "说明.txt").write_text("社区课堂。", encoding="utf-8")
    got = findings(unit_of(unit).result)
    assert got["SUB-CASE"].measured_text["en"] == "1 — 活动照片/ (by content)"


def test_a_case_text_beside_the_case_folder_belongs_to_it(tmp_path: Path) -> None:
    unit = make_unit(tmp_path / "u", case=False)
    add_photos(unit / "照片", 5)
    (unit / "案例.docx").write_bytes(docx_bytes("优秀案例", "内容。"))
    check = unit_of(unit)
    (case,) = [r for r in check.results if r.kind == "case"]
    assert findings(case)["T-CASE-TEXT"].status == PASS
    assert findings(check.result)["SUB-OTHER"].status == PASS


def test_loose_photos_are_no_case(tmp_path: Path) -> None:
    unit = make_unit(tmp_path / "u", case=False)
    add_photos(unit, 5)
    got = findings(unit_of(unit).result)
    assert got["SUB-CASE"].status == FAIL
    assert "活动照片1.jpg (a photo outside the case folder)" in got["SUB-OTHER"].measured_text["en"]


def test_the_summary_length_is_cited_under_t_summary(tmp_path: Path) -> None:
    unit = make_unit(tmp_path / "u")
    (unit / "工作总结.docx").write_bytes(docx_bytes("工作总结", "老年人学习智能手机。" * 201))
    (unit / "案例" / "案例.docx").write_bytes(docx_bytes("案例", "老年人学习智能手机。" * 201))
    check = unit_of(unit)
    by_path = {r.path.name: findings(r) for r in check.results}
    summary, case = by_path["工作总结.docx"]["T-LENGTH"], by_path["案例.docx"]["T-LENGTH"]
    assert summary.status == FAIL and summary.spec == "T-SUMMARY"
    assert summary.measured.value == 2014  # the text kind's 字数: 201 × 10 + the title (4)
    assert case.status == FAIL and case.spec == "T-CASE"
    # one limit in the profile, whatever the clause
    assert summary.expected == case.expected == PROFILE_RULES["T-LENGTH"].expected


PROFILE_RULES = {r.id: r for r in PROFILE.rules}


def test_a_sealed_copy_is_no_second_table(tmp_path: Path) -> None:
    unit = make_unit(tmp_path / "u")
    mt.make_signed_pdf(unit / "统计表（盖章）.pdf")
    check = unit_of(unit)
    got = findings(check.result)
    assert got["SUB-TABLE-ONCE"].status == PASS
    assert "sealed copy: 统计表（盖章）.pdf" in got["SUB-TABLE"].measured_text["en"]
    xlsx = next(r for r in check.results if r.path.suffix == ".xlsx")
    seal = findings(xlsx)["S-SEAL"]
    assert seal.status == INFO and "统计表（盖章）.pdf" in seal.message["zh"]
    pdf = next(r for r in check.results if r.path.suffix == ".pdf")
    assert findings(pdf)["S-SEAL"].status == PASS


def test_an_unsigned_pdf_and_other_sheets_are_listed(tmp_path: Path) -> None:
    unit = make_unit(tmp_path / "u")
    mt.make_unsigned_pdf(unit / "统计表.pdf")
    mt.make_unrelated_xlsx(unit / "签到表.xlsx")
    got = findings(unit_of(unit).result)
    assert got["SUB-TABLE-ONCE"].status == PASS
    other = got["SUB-OTHER"].measured_text["en"]
    assert "统计表.pdf (a PDF/OFD without an electronic seal)" in other
    assert "签到表.xlsx (a sheet without the statistics table's header)" in other


def test_a_sheet_without_the_header_says_why_when_it_is_the_only_one(tmp_path: Path) -> None:
    unit = make_unit(tmp_path / "u", table=False)
    mt.make_unrelated_xlsx(unit / "统计表.xlsx")
    check = unit_of(unit)
    assert findings(check.result)["SUB-TABLE"].status == FAIL
    sheet = next(r for r in check.results if r.kind == "table")
    assert findings(sheet)["S-TABLE-READABLE"].status == FAIL  # "no table header in it"


def test_two_tables(tmp_path: Path) -> None:
    unit = make_unit(tmp_path / "u")
    mt.make_table(unit / "统计表（旧）.xlsx")
    got = findings(unit_of(unit).result)
    assert got["SUB-TABLE-ONCE"].status == FAIL
    assert got["SUB-TABLE-ONCE"].measured.value == 2


def test_a_wrapper_folder_is_stepped_into(tmp_path: Path) -> None:
    inner = make_unit(tmp_path / "u" / "长寿路街道材料")
    flat = make_unit(tmp_path / "flat")
    wrapped = check_submission(inner.parent, PROFILE, jobs=1).result
    assert statuses(wrapped) == statuses(unit_of(flat).result)


def test_a_file_that_is_no_folder_or_zip(tmp_path: Path) -> None:
    path = small_photo(tmp_path / "单位.jpg", 1)
    result = check_submission(path, PROFILE, jobs=1).result
    (finding,) = result.findings
    assert finding.rule_id == "SUB-READABLE" and finding.status == FAIL
    assert "JPEG" in finding.message["en"] and "JPEG" in finding.message["zh"]
