"""Issue #4 verdicts beyond one rule's status (those are rule cases: tests/rules/cases/):
measured values, messages, skipped junk, the commands. Photos, texts and case folders
through the profile, on fixtures made by fixtures/make_photos.py, with the real Pillow."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mediacheck.app import check_case, check_files, check_photos
from mediacheck.cli import cli
from mediacheck.model import FAIL, PASS
from mediacheck.profile import load_profile

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fixtures"))
import make_photos  # noqa: E402

PROFILE = load_profile()


def text_result(name: str):
    (result,) = check_files([make_photos.get(name)], PROFILE, "text").files
    return result


@pytest.mark.parametrize("name", ["empty_jpg", "text_as_png", "bomb_png"])
def test_unreadable_photos_are_one_clear_row(name):
    (result,) = check_files([make_photos.get(name)], PROFILE, "photo").files
    assert [f.rule_id for f in result.findings] == ["P-READABLE"]
    message = result.findings[0].message
    assert message["zh"] and message["en"] and "{" not in message["en"]


def test_duplicates_of_each_kind_are_one_photo(tmp_path):
    names = ["photo_a", "copy_a", "resized_a", "recompressed_a_q60", "resaved_a_png",
             "rotated_a", "photo_b", "photo_c"]  # fmt: skip
    for name in names:
        src = make_photos.get(name)
        shutil.copyfile(src, tmp_path / f"{name}{src.suffix}")
    run = check_photos([tmp_path], PROFILE)
    case = run.files[-1]
    got = {f.rule_id: f for f in case.findings}
    assert got["P-UNIQUE"].status == FAIL and got["P-UNIQUE"].measured.value == 5
    assert "photo_a.jpg = " in got["P-UNIQUE"].message["en"]
    assert got["P-COUNT"].measured.value == 3  # photo_a and its 5 copies count once
    assert got["P-COUNT"].status == FAIL


def test_case_with_four_photos_and_a_copy_fails_count():
    results = check_case(make_photos.get("case"), PROFILE)
    case = results[-1]
    assert case.kind == "case"
    got = {f.rule_id: f for f in case.findings}
    assert got["P-COUNT"].status == FAIL and got["P-COUNT"].measured.value == 4
    assert got["P-UNIQUE"].status == FAIL
    assert got["T-CASE-TEXT"].status == PASS
    assert not any("Thumbs" in str(r.path) for r in results)  # junk is skipped, not counted


def test_over_the_limit_says_by_how_much():
    over = text_result("over_2000_txt")
    got = {f.rule_id: f for f in over.findings}
    assert got["T-LENGTH"].status == FAIL and got["T-LENGTH"].measured.value == 2001
    assert "2001" in got["T-LENGTH"].message["zh"]


@pytest.mark.parametrize("name", ["not_zip_docx", "zipbomb_docx", "legacy_doc"])
def test_bad_documents_are_clear_findings(name):
    result = text_result(name)
    assert result.status == FAIL
    assert [f.rule_id for f in result.findings] == ["T-READABLE"]
    assert "{" not in result.findings[0].message["zh"]


def test_cli_photos_text_case_commands():
    runner = CliRunner()
    out = runner.invoke(cli, ["case", "--lang", "en", "--format", "json",
                              str(make_photos.get("case"))])  # fmt: skip
    assert out.exit_code == 1
    report = json.loads(out.output)
    assert report["files"][-1]["kind"] == "case"
    ok = runner.invoke(cli, ["text", "--lang", "zh", str(make_photos.get("case_docx"))])
    assert ok.exit_code == 0 and "字数" in ok.output
    bad = runner.invoke(cli, ["photos", "--lang", "zh", str(make_photos.get("small"))])
    assert bad.exit_code == 1 and "照片大小" in bad.output


def test_a_bad_photo_does_not_stop_the_others(tmp_path):
    for name in ("empty_jpg", "photo_a", "truncated_jpg", "photo_b"):
        src = make_photos.get(name)
        shutil.copyfile(src, tmp_path / f"{name}{src.suffix}")
    run = check_photos(sorted(tmp_path.iterdir()), PROFILE)
    statuses = {r.path.name: r.status for r in run.files[:-1]}
    assert statuses == {"empty_jpg.jpg": FAIL, "photo_a.jpg": PASS,
                        "truncated_jpg.jpg": FAIL, "photo_b.jpg": PASS}  # fmt: skip
