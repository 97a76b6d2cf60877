"""The district's submissions (#10: SUB-DISTRICT) on generated units: who is missing,
photos and texts repeated between units, the tables' totals, C-COUNT over the district,
and units.yaml's own validation."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image
from units_helpers import PROFILE, docx_bytes, findings, make_unit

from mediacheck.model import FAIL, PASS, WARN
from mediacheck.sets.district import check_district
from mediacheck.sets.units_list import UnitsError, load_units


def district(folder: Path):
    return check_district(folder, PROFILE, jobs=1)


def test_units_yaml_names_who_is_missing(tmp_path: Path) -> None:
    make_unit(tmp_path / "长寿路街道", seed=1)
    make_unit(tmp_path / "宜川路街道材料", "宜川路街道", seed=2)  # the name holds the unit's
    make_unit(tmp_path / "03", "甘泉路街道", seed=3)  # told by its table's 单位
    (tmp_path / "units.yaml").write_text(
        "district: 普陀区\nunits:\n  - 长寿路街道\n  - 宜川路街道\n  - 甘泉路街道\n"
        "  - {name: 石泉路街道, folder: 石泉}\n",
        encoding="utf-8",
    )
    checked = district(tmp_path)
    got = findings(checked.results[-1])
    assert got["DISTRICT-MISSING"].status == FAIL
    assert got["DISTRICT-MISSING"].measured.value == 1
    assert "石泉路街道" in got["DISTRICT-MISSING"].message["zh"]
    assert got["DISTRICT-UNEXPECTED"].status == PASS
    assert [name for name, _u in checked.units] == ["长寿路街道", "宜川路街道", "甘泉路街道"]
    assert checked.district == "普陀区"


def test_without_units_yaml_who_is_missing_is_not_checked(tmp_path: Path) -> None:
    make_unit(tmp_path / "长寿路街道")
    finding = findings(district(tmp_path).results[-1])["DISTRICT-MISSING"]
    assert finding.status == WARN  # not checked, never a pass
    assert "units.yaml" in finding.message["zh"] and "not checked" in finding.message["en"]


def _resized(src: Path, dst: Path) -> None:
    im = Image.open(src)
    im = im.resize((im.width // 2, im.height // 2))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=80)
    dst.write_bytes(buf.getvalue())


def test_the_same_photo_in_two_units_fails_naming_both(tmp_path: Path) -> None:
    a = make_unit(tmp_path / "长寿路街道", seed=1)
    b = make_unit(tmp_path / "宜川路街道", "宜川路街道", seed=2)
    _resized(a / "案例" / "活动照片2.jpg", b / "案例" / "借用.jpg")  # by content, not bytes
    finding = findings(district(tmp_path).results[-1])["DISTRICT-PHOTOS"]
    assert finding.status == FAIL and finding.measured.value == 2
    assert "宜川路街道/案例/借用.jpg = 长寿路街道/案例/活动照片2.jpg" in finding.message["en"]


def test_the_same_text_in_two_units_fails_whatever_its_format(tmp_path: Path) -> None:
    make_unit(tmp_path / "长寿路街道", seed=1)
    b = make_unit(tmp_path / "宜川路街道", "宜川路街道", seed=2)
    (b / "案例" / "案例.docx").unlink()
    # the other unit's case text, typed again as a plain text, spaces and full-width aside
    (b / "案例" / "案例.txt").write_text(
        "长寿路街道优秀工作案例\n长寿路街道组织志愿者上门教学, 共 3 次.\n", encoding="gbk"
    )
    finding = findings(district(tmp_path).results[-1])["DISTRICT-TEXTS"]
    assert finding.status == FAIL, finding.measured_text
    assert "宜川路街道/案例/案例.txt = 长寿路街道/案例/案例.docx" in finding.message["en"]


def test_tables_that_cannot_be_totalled_or_name_one_unit(tmp_path: Path) -> None:
    make_unit(tmp_path / "长寿路街道", seed=1)
    make_unit(tmp_path / "宜川路街道", "长寿路街道", seed=2)  # a copy of the other's table
    make_unit(tmp_path / "甘泉路街道", "甘泉路街道", seed=3, table=False)
    got = findings(district(tmp_path).results[-1])
    assert got["DISTRICT-TABLES"].status == FAIL
    assert got["DISTRICT-TABLES"].message["en"].count("甘泉路街道") == 1
    assert got["DISTRICT-TABLES-UNIT"].status == FAIL
    assert "普陀区长寿路街道 = 普陀区长寿路街道" in got["DISTRICT-TABLES-UNIT"].message["zh"]


def _courses_yaml(path: Path, n: int, prefix: str = "PT") -> Path:
    lines = ["schema: 1", "district: 普陀区", "courses:"]
    for i in range(1, n + 1):
        lines += [f"  - id: {prefix}-{i:02d}", f"    title: 课程{i}", "    level: 基础类",
                  "    topic: 手机入门", "    form: 微课", "    unit: 区老年大学",
                  f"    episodes: [{{no: 1, file: lessons/{i}.mp4}}]"]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("courses", "status"), [(10, PASS), (11, FAIL)])
def test_c_count_over_the_district(tmp_path: Path, courses: int, status: str) -> None:
    make_unit(tmp_path / "长寿路街道")
    _courses_yaml(tmp_path / "courses.yaml", courses)
    (tmp_path / "lessons").mkdir()  # the courses' folder: declared files, not a unit
    (tmp_path / "lessons" / "1.mp4").write_bytes(b"")
    checked = district(tmp_path)
    (unit,) = checked.units
    assert [r.kind for r in checked.results].count("submission") == 1
    count = [(r.kind, f.status) for r in checked.results for f in r.findings
             if f.rule_id == "C-COUNT"]  # fmt: skip
    assert count == [("district", status)]  # the list's own C-COUNT left to the district's
    finding = findings(checked.results[-1])["C-COUNT"]
    assert finding.measured.value == courses and finding.path == tmp_path


def test_a_course_listed_in_both_lists_counts_once(tmp_path: Path) -> None:
    make_unit(tmp_path / "长寿路街道")
    _courses_yaml(tmp_path / "courses.yaml", 6)
    _courses_yaml(tmp_path / "courses.yml", 6)  # the same six again
    assert findings(district(tmp_path).results[-1])["C-COUNT"].measured.value == 6


def test_without_a_course_list_c_count_is_not_checked(tmp_path: Path) -> None:
    make_unit(tmp_path / "长寿路街道")
    finding = findings(district(tmp_path).results[-1])["C-COUNT"]
    assert finding.status == WARN and "courses.yaml" in finding.message["zh"]


def test_a_unit_s_own_course_list_is_listed_not_counted(tmp_path: Path) -> None:
    make_unit(tmp_path / "长寿路街道", courses=True)  # the template's lists, left in
    _courses_yaml(tmp_path / "courses.yaml", 3)
    checked = district(tmp_path)
    assert findings(checked.results[-1])["C-COUNT"].measured.value == 3
    unit = checked.units[0][1].result
    assert "courses.yaml (a course list" in findings(unit)["SUB-OTHER"].measured_text["en"]


def test_other_files_of_the_district_folder_are_listed(tmp_path: Path) -> None:
    make_unit(tmp_path / "长寿路街道")
    (tmp_path / "说明.docx").write_bytes(docx_bytes("说明"))
    finding = findings(district(tmp_path).results[-1])["DISTRICT-OTHER"]
    assert finding.status == "info" and "说明.docx" in finding.message["en"]


@pytest.mark.parametrize(
    ("body", "wanted"),
    [
        ("units: 长寿路街道\n", "units: ["),
        ("units: [长寿路街道, 长寿路街道]\n", "listed twice"),
        ("units: [{name: 长寿路街道, colour: red}]\n", "unit 1 of units.yaml"),
        ("unit: [长寿路街道]\n", "units: ["),
        ("units: [长寿路街道]\nregion: x\n", "unknown key"),
        ("units: [a\n", "not valid YAML"),
        ("units: [[]]\n", "unit 1"),
    ],
)  # fmt: skip
def test_a_bad_units_yaml_is_a_clear_error(tmp_path: Path, body: str, wanted: str) -> None:
    path = tmp_path / "units.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(UnitsError) as err:
        load_units(path)
    assert wanted in err.value.text("en") and str(path) in err.value.text("zh")
    assert err.value.text("zh") != err.value.text("en")


def test_a_bad_units_yaml_stops_before_anything_is_read(tmp_path: Path) -> None:
    (tmp_path / "units.yaml").write_text("units: 3\n", encoding="utf-8")
    shutil.copytree(make_unit(tmp_path / "x" / "u"), tmp_path / "u")
    with pytest.raises(UnitsError):
        district(tmp_path)


def test_a_crash_in_one_unit_is_its_finding_and_the_others_are_checked(tmp_path, monkeypatch):
    import mediacheck.sets.submission as submission

    make_unit(tmp_path / "长寿路街道", seed=1)
    make_unit(tmp_path / "宜川路街道", "宜川路街道", seed=2)
    real = submission.sort_files

    def sort_files(tree, *args):
        if tree.given.name == "宜川路街道":
            raise RuntimeError("a bug of ours")
        return real(tree, *args)

    monkeypatch.setattr(submission, "sort_files", sort_files)
    checked = district(tmp_path)
    crashed = [r for r in checked.results if r.path.name == "宜川路街道"]
    assert [f.rule_id for r in crashed for f in r.findings] == ["CHECK-CRASHED"]
    assert "a bug of ours" in crashed[0].findings[0].message["en"]
    assert any(r.kind == "case" for r in checked.results)  # the other unit was checked
    assert findings(checked.results[-1])["DISTRICT-COMPLETE"].status == FAIL


def test_a_profile_without_the_submission_section_is_a_clear_error(tmp_path: Path) -> None:
    import dataclasses

    from mediacheck.errors import MediacheckError

    bare = dataclasses.replace(PROFILE, submission=None)
    with pytest.raises(MediacheckError) as err:
        check_district(make_unit(tmp_path / "u").parent, bare, jobs=1)
    assert "submission:" in err.value.text("zh") and "extends" in err.value.text("en")
