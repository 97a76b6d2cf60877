"""Which photos count for P-COUNT / P-UNIQUE is the profile's word (its rules on
photo.format), not a list in Python (issue #9). Real photos from fixtures/make_photos.py."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from click.testing import CliRunner

from mediacheck.app import check_photos
from mediacheck.cli import cli
from mediacheck.probe.pixels import probe_photo
from mediacheck.profile import load_profile
from mediacheck.sets.case import case_facts, format_profile, usable

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fixtures"))
import make_photos  # noqa: E402


def profile(tmp_path: Path, rules: str):
    path = tmp_path / "mine.yaml"
    path.write_text(f"extends: shanghai-2024\nrules:\n{rules}", encoding="utf-8")
    return load_profile(str(path))


def folder_of(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "case"
    folder.mkdir()
    for name in names:
        src = make_photos.get(name)
        shutil.copyfile(src, folder / f"{name}{src.suffix}")
    return folder


def case_values(run) -> dict[str, object]:
    return {f.rule_id: f.measured.value for f in run.files[-1].findings if f.measured}


def test_a_webp_photo_counts_when_the_profile_accepts_webp(tmp_path):
    folder = folder_of(tmp_path, ["photo_a", "photo_b", "webp"])
    shipped = check_photos([folder], load_profile(), jobs=1)
    assert case_values(shipped)["P-COUNT"] == 2  # WebP is not accepted: not usable
    webp = profile(tmp_path, "  P-FORMAT: {expected: [jpeg, png, gif, bmp, webp]}\n")
    allowed = check_photos([folder], webp, jobs=1)
    assert case_values(allowed)["P-COUNT"] == 3


def test_the_same_picture_in_two_accepted_formats_is_one_photo(tmp_path):
    # webp and tiff fixtures hold one picture: once both count, they repeat each other
    folder = folder_of(tmp_path, ["photo_a", "webp", "tiff"])
    both = profile(tmp_path, "  P-FORMAT: {expected: [jpeg, webp, tiff]}\n")
    values = case_values(check_photos([folder], both, jobs=1))
    assert (values["P-COUNT"], values["P-UNIQUE"]) == (2, 1)


def test_usable_follows_every_rule_on_the_format(tmp_path):
    photo_a, webp = probe_photo(make_photos.get("photo_a")), probe_photo(make_photos.get("webp"))
    shipped = format_profile(load_profile())
    assert [r.id for r in shipped.rules] == ["P-FORMAT"]
    assert usable(photo_a, shipped) and not usable(webp, shipped)
    # a warning-level rule on the format does not make a photo unusable; an error does
    warn = profile(
        tmp_path,
        "  P-FORMAT: {expected: [jpeg, webp]}\n"
        "  P-JPEG-BEST: {spec: P-FORMAT, applies_to: photo, fact: photo.format, check: equals,"
        " expected: jpeg, severity: warning, title: {zh: 最好是 JPEG, en: JPEG is best},"
        " message: {zh: a, en: b}, hint: {zh: a, en: b}}\n",
    )
    assert usable(webp, format_profile(warn))
    # no rule on the format at all: every photo that decodes counts
    free = profile(tmp_path, "  P-FORMAT: disable\n")
    assert format_profile(free).rules == ()
    assert usable(webp, format_profile(free))
    # a damaged photo never counts, whatever the profile accepts
    truncated = probe_photo(make_photos.get("truncated_jpg"))
    assert not usable(truncated, format_profile(free))


def test_case_facts_takes_the_hash_limits_from_the_profile(tmp_path):
    photos = [probe_photo(make_photos.get(n)) for n in ("photo_a", "resized_a")]
    shipped = case_facts(tmp_path, photos, None, load_profile())
    assert shipped.get("case.photos_distinct").value == 1
    path = tmp_path / "strict.yaml"
    path.write_text(
        "extends: shanghai-2024\nphoto_hashes:\n  duplicate: {phash: 0, dhash: 0}\n"
        "  similar: {phash: 0, dhash: 0}\n",
        encoding="utf-8",
    )
    strict = load_profile(str(path))
    assert case_facts(tmp_path, photos, None, strict).get("case.photos_distinct").value == 2


def test_cli_case_under_a_webp_profile(tmp_path):
    folder = folder_of(tmp_path, ["photo_a", "webp"])
    prof = tmp_path / "webp.yaml"
    prof.write_text(
        "extends: shanghai-2024\nrules:\n  P-FORMAT: {expected: [jpeg, webp]}\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        cli, ["photos", "--lang", "en", "--format", "json", "--profile", str(prof), str(folder)]
    )
    report = json.loads(result.output)
    by_path = {Path(f["path"]).name: f for f in report["files"]}
    webp = {f["rule"]: f["status"] for f in by_path["webp.webp"]["findings"]}
    assert webp["P-FORMAT"] == webp["P-DECODES"] == "pass"
    case = {f["rule"]: f for f in report["files"][-1]["findings"]}
    assert case["P-COUNT"]["measured"]["value"] == 2
