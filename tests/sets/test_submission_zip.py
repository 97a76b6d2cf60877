"""A unit's submission sent as a .zip (#10): the same verdict as its folder, names as the
zip shows them, the zip's own problems as findings, nothing left behind."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import make_archives as ma
import pytest
from units_helpers import PROFILE, findings, make_unit, small_photo

from mediacheck.discover.config import load_config
from mediacheck.model import FAIL, PASS
from mediacheck.sets.district import check_district
from mediacheck.sets.submission import check_submission


def check(path: Path, **kw):
    return check_submission(path, PROFILE, jobs=1, **kw)


def _verdicts(unit, prefix: str) -> list[tuple[str, str, str, tuple]]:
    """Each subject relative to the unit, with its findings' statuses and measured texts."""
    out = []
    for r in unit.results:
        name = str(r.path).removeprefix(prefix).strip("/")
        out.append((name, r.kind, r.status, tuple((f.rule_id, f.status, f.measured_text["en"])
                                                  for f in r.findings)))  # fmt: skip
    return out


@pytest.mark.parametrize("big", [True, False])
def test_a_folder_and_its_gbk_zip_give_the_same_verdict(tmp_path: Path, big: bool) -> None:
    folder = make_unit(tmp_path / "长寿路街道", big=big, summary=big)  # small: it fails
    zipped = ma.windows_zip(folder, tmp_path / "长寿路街道.zip")
    assert "长寿路街道/工作总结.docx".encode("gbk") in zipped.read_bytes() or not big
    from_folder, from_zip = check(folder), check(zipped)
    assert from_zip.result.path == zipped and from_zip.name == from_folder.name
    shown = f"{zipped}!/长寿路街道"  # the zip's own names, its top folder included
    assert _verdicts(from_zip, shown)[:-1] == _verdicts(from_folder, str(folder))[:-1]
    unit_zip, unit_folder = _verdicts(from_zip, shown)[-1], _verdicts(from_folder, str(folder))[-1]
    archive = tuple(f for f in unit_zip[3] if f[0] == "SUB-ARCHIVE")
    assert archive == (("SUB-ARCHIVE", PASS, "0"),)  # a zip says it unpacked cleanly
    assert unit_zip[1:3] == ("submission", unit_folder[2])
    assert tuple(f for f in unit_zip[3] if f[0] != "SUB-ARCHIVE") == unit_folder[3]
    assert from_zip.result.status == (PASS if big else FAIL)


def test_names_are_the_zip_s_and_the_temporary_folder_is_gone(tmp_path: Path) -> None:
    folder = make_unit(tmp_path / "u" / "宜川路街道")
    zipped = ma.windows_zip(folder, tmp_path / "宜川路街道.zip")
    before = set(os.listdir(tempfile.gettempdir()))
    unit = check(zipped)
    left = {n for n in set(os.listdir(tempfile.gettempdir())) - before if "zip" in n}
    assert not left
    paths = [str(r.path) for r in unit.results]
    assert f"{zipped}!/宜川路街道/案例/活动照片1.jpg" in paths
    assert f"{zipped}!/宜川路街道/案例" in paths
    texts = " ".join(str(v) for r in unit.results for f in r.findings
                     for v in (*f.message.values(), *f.measured_text.values()))  # fmt: skip
    assert "mediacheck-zip-" not in texts and "mediacheck-zip-" not in " ".join(paths)
    assert all(str(k.path).startswith(f"{zipped}!/") for k in unit.photos)


def test_the_zip_s_problems_are_findings(tmp_path: Path) -> None:
    folder = make_unit(tmp_path / "u" / "长寿路街道")
    inner = ma.make_zip(tmp_path / "inner.zip", [ma.Member("a.txt", b"x")])
    members = [ma.Member(p.relative_to(folder.parent).as_posix(), p.read_bytes(), encoding="gbk",
                         flag=False) for p in sorted(folder.rglob("*")) if p.is_file()]  # fmt: skip
    members += [ma.Member("长寿路街道/案例/旧材料.zip", inner.read_bytes()),
                ma.Member("../逃出.txt", b"x")]  # fmt: skip
    with_more = ma.make_zip(tmp_path / "more.zip", members)
    got = findings(check(with_more).result)
    archive = got["SUB-ARCHIVE"]
    assert archive.status == FAIL and archive.measured.value == 2
    assert "旧材料.zip" in archive.message["zh"] and "逃出.txt" in archive.message["en"]
    assert "旧材料.zip" in archive.measured_text["zh"]  # the zip's own sentence, in zh
    assert got["SUB-TABLE"].status == PASS  # the rest was unpacked and checked


@pytest.mark.parametrize("kind", ["encrypted", "empty", "damaged"])
def test_a_zip_that_cannot_be_unpacked_is_one_clear_finding(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "单位.zip"
    if kind == "encrypted":
        ma.make_zip(path, [ma.Member("单位/统计表.xlsx", b"x" * 100, flag_bits=0x1)])
    elif kind == "empty":
        ma.make_zip(path, [])
    else:
        ma.truncate(ma.make_zip(path, [ma.Member("单位/说明.txt", os.urandom(4000))]), 0.3)
    result = check(path).result
    (finding,) = result.findings
    assert finding.rule_id == "SUB-READABLE" and finding.status == FAIL
    assert finding.message["zh"] and finding.message["en"] != finding.message["zh"]
    assert "{" not in finding.message["en"]


def test_a_zip_s_members_follow_the_config(tmp_path: Path) -> None:
    folder = make_unit(tmp_path / "u" / "长寿路街道", summary=False)
    (folder / "说明.txt").write_text("本年度情况如下。", encoding="utf-8")
    zipped = ma.windows_zip(folder, tmp_path / "长寿路街道.zip")
    config_file = tmp_path / ".mediacheck.yaml"
    config_file.write_text("summaries: [说明.txt]\n", encoding="utf-8")
    got = findings(check(zipped, config=load_config(config_file)).result)
    assert got["T-SUMMARY-FOUND"].measured_text["en"] == "1 — 说明.txt (by the config)"


def test_a_district_of_folders_and_zips(tmp_path: Path) -> None:
    a = make_unit(tmp_path / "长寿路街道", seed=1)
    b = make_unit(tmp_path / "staging" / "宜川路街道", "宜川路街道", seed=2)
    shutil.copyfile(a / "案例" / "活动照片3.jpg", b / "案例" / "借用.jpg")
    ma.windows_zip(b, tmp_path / "宜川路街道.zip")
    shutil.rmtree(tmp_path / "staging")
    small_photo(tmp_path / "封面.jpg", 7)  # not a unit
    (tmp_path / "units.yaml").write_text("units: [长寿路街道, 宜川路街道]\n", encoding="utf-8")
    checked = check_district(tmp_path, PROFILE, jobs=1)
    got = findings(checked.results[-1])
    assert got["DISTRICT-MISSING"].status == PASS and got["DISTRICT-UNITS"].measured.value == 2
    photos = got["DISTRICT-PHOTOS"]
    assert photos.status == FAIL
    pair = "宜川路街道.zip!/宜川路街道/案例/借用.jpg = 长寿路街道/案例/活动照片3.jpg"
    assert pair in photos.message["en"]
    assert "封面.jpg" in got["DISTRICT-OTHER"].message["en"]
