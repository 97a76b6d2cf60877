"""What `serve` checks in an upload, and how: by content, a folder of photos and a text
being a case (real files, the real flow)."""

from __future__ import annotations

import shutil
from pathlib import Path

import make_photos
import make_tables as mt

from mediacheck.demo.template import write_template
from mediacheck.model import FAIL, INFO, PASS, WARN
from mediacheck.profile import load_profile
from mediacheck.serve import dispatch
from mediacheck.sets.submission import check_submission

PROFILE = load_profile()


def test_a_mixed_upload(media, tmp_path):
    shutil.copytree(make_photos.get("case"), tmp_path / "案例")
    shutil.copy(media("res_720p"), tmp_path / "lesson.mp4")
    shutil.copy(make_photos.get("photo_a"), tmp_path / "loose.jpg")
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01binary")
    loose, cases, listed = dispatch.plan(tmp_path)
    assert cases == [tmp_path / "案例"]
    assert loose["video"] == [tmp_path / "lesson.mp4"]
    assert loose["photo"] == [tmp_path / "loose.jpg"]
    assert [i.path.name for i in listed] == ["notes.bin"]
    seen: list[tuple[int, int]] = []
    run, got = dispatch.check_folder(tmp_path, load_profile(), lambda d, t: seen.append((d, t)),
                                     lambda: False)  # fmt: skip
    kinds = [r.kind for r in run.files]
    assert kinds.count("case") == 2  # the case folder, and the loose photos as one set
    assert kinds.count("video") == 1 and kinds.count("photo") == 6 and kinds.count("text") == 1
    assert seen[-1][0] == seen[-1][1] == 8  # every file counted once
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_cancelled_between_files(media, tmp_path):
    for i in range(3):
        shutil.copy(media("compliant"), tmp_path / f"{i}.mp4")
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 1

    try:
        dispatch.check_folder(tmp_path, load_profile(), lambda d, t: None, cancelled)
    except dispatch.Cancelled:
        pass
    else:
        raise AssertionError("not cancelled")
    assert len(calls) == 2  # stopped at the second file, not at the end


# ---- tables, and a unit's submission (sets/submission.py decides what a unit holds)


def _unit(folder: Path) -> Path:
    """A unit's folder: the template's layout, and a case folder of real photos."""
    write_template(folder, PROFILE)
    shutil.copytree(make_photos.get("case"), folder / "案例", dirs_exist_ok=True)
    return folder


def _verdict(results, but: str = "") -> list[tuple[str, str, tuple[tuple[str, str], ...]]]:
    """Each subject's kind, status and findings (rule `but` left out), not its path."""
    return [(r.kind, r.status, tuple((f.rule_id, f.status) for f in r.findings
                                     if f.rule_id != but)) for r in results]  # fmt: skip


def _check(folder: Path) -> tuple[object, list, list[tuple[int, int]]]:
    seen: list[tuple[int, int]] = []
    run, listed = dispatch.check_folder(folder, PROFILE, lambda d, t: seen.append((d, t)),
                                        lambda: False)  # fmt: skip
    return run, listed, seen


def test_a_table_is_checked_file_by_file(tmp_path):
    mt.make_table(tmp_path / "统计表.xlsx")
    shutil.copy(make_photos.get("photo_a"), tmp_path / "loose.jpg")
    loose, cases, listed = dispatch.plan(tmp_path)
    assert loose["table"] == [tmp_path / "统计表.xlsx"] and not cases and not listed
    run, listed, seen = _check(tmp_path)  # one table is one part: not a unit
    (table,) = [r for r in run.files if r.kind == "table"]
    assert table.path == tmp_path / "统计表.xlsx"
    ids = {f.rule_id for f in table.findings}
    assert {r.id for r in PROFILE.for_kind("table")} & ids  # the table rules ran
    assert table.status in (PASS, WARN, INFO) and not listed
    assert "submission" not in [r.kind for r in run.files]
    assert seen[-1][0] == seen[-1][1] == 2


def test_a_unit_folder_is_checked_as_a_submission(tmp_path):
    unit = _unit(tmp_path / "up" / "长寿路街道")  # dropped as one folder
    run, listed, seen = _check(tmp_path / "up")
    assert not listed  # the unit's other files are its own finding (SUB-OTHER)
    sub = run.files[-1]
    assert sub.kind == "submission" and sub.path == unit
    kinds = [r.kind for r in run.files]
    assert kinds.count("table") == 1 and kinds.count("case") == 1 and kinds.count("photo") == 5
    # the real checks: what sets/submission.py says of the same folder
    assert _verdict(run.files) == _verdict(check_submission(unit, PROFILE).results)
    got = {f.rule_id: f for f in sub.findings}
    assert got["SUB-TABLE"].status == PASS and got["SUB-CASE"].status == PASS
    assert got["SUB-CASE"].measured_text["en"] == "1 — 案例/ (by name)"
    assert got["SUB-PARTS"].status == FAIL  # the template's table is empty
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert seen[-1][0] == seen[-1][1] > 5


def test_a_dropped_zip_of_a_unit_is_its_submission(tmp_path):
    folder = _unit(tmp_path / "长寿路街道")
    (tmp_path / "up").mkdir()
    zipped = Path(shutil.make_archive(str(tmp_path / "up" / "长寿路街道"), "zip", tmp_path,
                                      "长寿路街道"))  # fmt: skip
    from_zip, listed, seen = _check(tmp_path / "up")
    assert not listed and from_zip.files[-1].path == zipped
    assert str(from_zip.files[0].path).startswith(f"{zipped}!/")  # named as the zip shows it
    from_folder, _, _ = _check(folder)
    assert {f.rule_id: f.status for f in from_zip.files[-1].findings}["SUB-ARCHIVE"] == PASS
    # the same verdict as its folder, but the zip's own rule (a folder has no zip)
    assert _verdict(from_zip.files, "SUB-ARCHIVE") == _verdict(from_folder.files, "SUB-ARCHIVE")
    assert seen[-1][0] == seen[-1][1]


def test_a_zip_that_is_no_unit_is_listed_as_before(tmp_path):
    (tmp_path / "a").mkdir()
    shutil.copy(make_photos.get("photo_a"), tmp_path / "a" / "1.jpg")
    shutil.make_archive(str(tmp_path / "photos"), "zip", tmp_path / "a")
    shutil.rmtree(tmp_path / "a")
    run, listed, _ = _check(tmp_path)
    assert not run.files and [i.path.name for i in listed] == ["photos.zip"]


def test_a_unit_is_cancelled_inside_its_check(tmp_path):
    _unit(tmp_path / "u")
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2

    try:
        dispatch.check_folder(tmp_path, PROFILE, lambda d, t: None, cancelled)
    except dispatch.Cancelled:
        pass
    else:
        raise AssertionError("not cancelled")  # nor a crash finding of the unit
    assert len(calls) == 3
