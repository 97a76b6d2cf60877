"""Every rule of a unit's submission (kind ``submission``) and of the district (kind
``district``) passing and failing, on generated units (units_helpers.py) checked as the
commands check them. Each input is built once; the cases are data (CASES)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import make_archives as ma
import make_tables as mt
import pytest
from units_helpers import PROFILE, docx_bytes, make_unit, small_photo, statuses

from mediacheck.model import FAIL, INFO, PASS, WARN
from mediacheck.sets.district import check_district
from mediacheck.sets.submission import check_submission

# ---- units


def _good(d: Path) -> Path:
    return make_unit(d / "长寿路街道")  # small photos: its case fails P-SIZE


def _big(d: Path) -> Path:
    return make_unit(d / "长寿路街道", big=True)  # passes every rule


def _empty(d: Path) -> Path:
    (d / "空").mkdir()
    return d / "空"


def _not_a_folder(d: Path) -> Path:
    return small_photo(d / "单位.jpg", 1)


def _crowded(d: Path) -> Path:
    """Everything twice, and a text nobody can place."""
    unit = make_unit(d / "u")
    mt.make_table(unit / "统计表（旧）.xlsx")
    (unit / "总结报告.txt").write_text("第二份总结。", encoding="utf-8")
    (unit / "案例二").mkdir()
    (unit / "案例二" / "案例.docx").write_bytes(docx_bytes("案例二", "内容。"))
    (unit / "说明.txt").write_text("请查收。", encoding="utf-8")
    return unit


def _bare(d: Path) -> Path:
    """Only a video-like file: no table, no summary, no case."""
    (d / "u").mkdir()
    (d / "u" / "录像.bin").write_bytes(b"\x00" * 64)
    return d / "u"


def _zip(d: Path) -> Path:
    return ma.windows_zip(make_unit(d / "u" / "长寿路街道"), d / "长寿路街道.zip")


def _zip_with_a_zip(d: Path) -> Path:
    folder = make_unit(d / "u" / "长寿路街道")
    ma.make_zip(folder / "案例" / "旧材料.zip", [ma.Member("a.txt", b"x")])
    return ma.windows_zip(folder, d / "长寿路街道.zip")


UNITS: dict[str, Callable[[Path], Path]] = {
    "good": _good, "big": _big, "empty": _empty, "file": _not_a_folder, "crowded": _crowded,
    "bare": _bare, "zip": _zip, "zip_in_zip": _zip_with_a_zip,
}  # fmt: skip

# ---- districts


def _district_good(d: Path) -> Path:
    make_unit(d / "长寿路街道", seed=1, big=True)
    make_unit(d / "宜川路街道", "宜川路街道", seed=2, big=True)  # five 2 MiB photos of its own
    (d / "units.yaml").write_text("units: [长寿路街道, 宜川路街道]\n", encoding="utf-8")
    return d


def _district_bad(d: Path) -> Path:
    a = make_unit(d / "长寿路街道", seed=1)
    b = make_unit(d / "宜川路街道", "长寿路街道", seed=2, numbers=mt.GOOD)  # its table says 长寿路
    make_unit(d / "甘泉路街道", "甘泉路街道", seed=3, table=False)
    make_unit(d / "曹杨新村街道", "曹杨新村街道", seed=4, numbers=mt.GOOD)
    shutil.copyfile(a / "案例" / "活动照片1.jpg", b / "案例" / "活动照片9.jpg")
    shutil.copyfile(a / "案例" / "案例.docx", b / "案例" / "案例.docx")
    (d / "units.yaml").write_text("units: [长寿路街道, 宜川路街道, 曹杨新村街道, 石泉路街道]\n",
                                  encoding="utf-8")  # fmt: skip
    (d / "说明.txt").write_text("各单位材料。", encoding="utf-8")
    return d


def _district_empty(d: Path) -> Path:
    return d


def _district_unlisted(d: Path) -> Path:
    make_unit(d / "长寿路街道", seed=1)
    return d


DISTRICTS: dict[str, Callable[[Path], Path]] = {
    "good": _district_good, "bad": _district_bad, "empty": _district_empty,
    "unlisted": _district_unlisted,
}  # fmt: skip

CASES: list[tuple[str, str, str]] = [  # (rule, status, input)
    ("SUB-READABLE", PASS, "unit:good"), ("SUB-READABLE", FAIL, "unit:file"),
    ("SUB-NOT-EMPTY", PASS, "unit:good"), ("SUB-NOT-EMPTY", FAIL, "unit:empty"),
    ("SUB-TABLE", PASS, "unit:good"), ("SUB-TABLE", FAIL, "unit:bare"),
    ("SUB-TABLE-ONCE", PASS, "unit:good"), ("SUB-TABLE-ONCE", FAIL, "unit:crowded"),
    ("T-SUMMARY-FOUND", PASS, "unit:good"), ("T-SUMMARY-FOUND", FAIL, "unit:bare"),
    ("T-SUMMARY-ONCE", PASS, "unit:good"), ("T-SUMMARY-ONCE", FAIL, "unit:crowded"),
    ("SUB-CASE", PASS, "unit:good"), ("SUB-CASE", FAIL, "unit:bare"),
    ("SUB-CASE-ONCE", PASS, "unit:good"), ("SUB-CASE-ONCE", FAIL, "unit:crowded"),
    ("SUB-UNTOLD", PASS, "unit:good"), ("SUB-UNTOLD", WARN, "unit:crowded"),
    ("SUB-OTHER", PASS, "unit:good"), ("SUB-OTHER", INFO, "unit:bare"),
    ("SUB-PARTS", PASS, "unit:big"), ("SUB-PARTS", FAIL, "unit:good"),  # small photos
    ("SUB-ARCHIVE", PASS, "unit:zip"), ("SUB-ARCHIVE", FAIL, "unit:zip_in_zip"),
    ("DISTRICT-UNITS", PASS, "district:good"), ("DISTRICT-UNITS", FAIL, "district:empty"),
    ("DISTRICT-MISSING", PASS, "district:good"), ("DISTRICT-MISSING", FAIL, "district:bad"),
    ("DISTRICT-MISSING", WARN, "district:unlisted"),  # no units.yaml: not checked
    ("DISTRICT-UNEXPECTED", PASS, "district:good"), ("DISTRICT-UNEXPECTED", WARN, "district:bad"),
    ("DISTRICT-COMPLETE", PASS, "district:good"), ("DISTRICT-COMPLETE", FAIL, "district:bad"),
    ("DISTRICT-PHOTOS", PASS, "district:good"), ("DISTRICT-PHOTOS", FAIL, "district:bad"),
    ("DISTRICT-TEXTS", PASS, "district:good"), ("DISTRICT-TEXTS", FAIL, "district:bad"),
    ("DISTRICT-TABLES", PASS, "district:good"), ("DISTRICT-TABLES", FAIL, "district:bad"),
    ("DISTRICT-TABLES-UNIT", PASS, "district:good"), ("DISTRICT-TABLES-UNIT", FAIL, "district:bad"),
    ("DISTRICT-TABLES-COPY", PASS, "district:good"), ("DISTRICT-TABLES-COPY", WARN, "district:bad"),
    ("DISTRICT-OTHER", PASS, "district:good"), ("DISTRICT-OTHER", INFO, "district:bad"),
]  # fmt: skip


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], dict[str, str]]:
    cache: dict[str, dict[str, str]] = {}

    def get(name: str) -> dict[str, str]:
        if name not in cache:
            kind, key = name.split(":")
            where = tmp_path_factory.mktemp(key)
            if kind == "unit":
                result = check_submission(UNITS[key](where), PROFILE, jobs=1).result
            else:
                result = check_district(DISTRICTS[key](where), PROFILE, jobs=2).results[-1]
            cache[name] = statuses(result)
        return cache[name]

    return get


@pytest.mark.parametrize(("rule", "status", "name"), CASES, ids=[f"{r}-{s}" for r, s, _ in CASES])
def test_rule(results: Callable[[str], dict[str, str]], rule: str, status: str, name: str) -> None:
    got = results(name)
    assert got.get(rule) == status, got


def test_every_submission_and_district_rule_has_a_passing_and_a_failing_case() -> None:
    want = {"error": FAIL, "warning": WARN, "info": INFO}
    for rule in (*PROFILE.for_kind("submission"), *PROFILE.for_kind("district")):
        seen = {s for r, s, _ in CASES if r == rule.id}
        assert {PASS, want[rule.severity]} <= seen, (rule.id, seen)
