"""Validated profiles kept in the cache folder: read back only while every file they came
from is unchanged; anything odd is a miss, never a wrong profile or a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mediacheck import caching
from mediacheck.profile import Profile, load, load_profile, stored


@pytest.fixture
def builds(monkeypatch):
    """Count the times the YAML is read and validated."""
    calls: list[Path] = []
    real = load.build

    def counting(path: Path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(load, "build", counting)
    return calls


def entries(cache: Path) -> list[Path]:
    return sorted((cache / stored.FOLDER).glob("*.json"))


def test_second_load_is_read_back_equal(tmp_path, builds):
    first = load_profile(cache_dir=tmp_path)
    again = load_profile(cache_dir=tmp_path)
    assert len(builds) == 1 and len(entries(tmp_path)) == 1
    assert again == first and again is not first
    assert again.digest == first.digest
    assert again.tables["statistics"].columns == first.tables["statistics"].columns
    assert type(again.rules) is tuple and type(again.sources) is tuple


def test_without_a_cache_folder_nothing_is_kept(tmp_path, builds):
    load_profile()
    load_profile()
    assert len(builds) == 2


def test_an_edited_profile_or_base_is_read_again(tmp_path, builds):
    base = tmp_path / "base.yaml"
    base.write_text("extends: shanghai-2024\nrules:\n  V-RES: {expected: [1280, 720]}\n")
    mine = tmp_path / "mine.yaml"
    mine.write_text("extends: base.yaml\n")
    cache = tmp_path / "cache"
    assert load_profile(str(mine), cache_dir=cache).for_kind("video")
    load_profile(str(mine), cache_dir=cache)
    assert len(builds) == 1
    base.write_text("extends: shanghai-2024\nrules:\n  V-RES: {expected: [640, 480]}\n")
    edited = load_profile(str(mine), cache_dir=cache)
    assert len(builds) == 2
    assert next(r for r in edited.rules if r.id == "V-RES").expected == [640, 480]
    mine.write_text("extends: base.yaml\nrules:\n  V-RES: {expected: [320, 240]}\n")
    assert next(r for r in load_profile(str(mine), cache_dir=cache).rules
                if r.id == "V-RES").expected == [320, 240]  # fmt: skip
    assert len(builds) == 3


def test_a_base_found_elsewhere_is_read_again(tmp_path, monkeypatch, builds):
    """`extends: base.yaml` looks beside the file, then in the current folder: a base
    that appears beside it later takes over, as a fresh read would decide."""
    (tmp_path / "cwd").mkdir()
    (tmp_path / "cwd" / "base.yaml").write_text("extends: shanghai-2024\nname: from-cwd\n")
    (tmp_path / "p").mkdir()
    mine = tmp_path / "p" / "mine.yaml"
    mine.write_text("extends: base.yaml\n")
    monkeypatch.chdir(tmp_path / "cwd")
    cache = tmp_path / "cache"
    load_profile(str(mine), cache_dir=cache)
    beside = "extends: shanghai-2024\ntitle: {zh: 旁边, en: beside}\n"
    (tmp_path / "p" / "base.yaml").write_text(beside, encoding="utf-8")
    assert load_profile(str(mine), cache_dir=cache).title["en"] == "beside"
    assert len(builds) == 2


NOT_OURS = [
    b"",
    b"{not json",
    b"[1]",
    b'{"bases": [], "digest": "x"}',
    b'{"bases": [], "digest": "x", "profile": {"record": "system", "fields": {}}}',
    b'{"bases": [], "digest": "x", "profile": {"record": "Rule", "fields": {"id": 1}}}',
    b'{"bases": [], "digest": "x", "profile": {"dict": {}}}',
]


@pytest.mark.parametrize("garbage", NOT_OURS)
def test_a_bad_entry_is_a_miss_and_is_rewritten(tmp_path, builds, garbage):
    good = load_profile(cache_dir=tmp_path)
    (entry,) = entries(tmp_path)
    entry.write_bytes(garbage)
    assert load_profile(cache_dir=tmp_path) == good
    assert len(builds) == 2
    assert json.loads(entry.read_bytes())["digest"] == good.digest
    load_profile(cache_dir=tmp_path)
    assert len(builds) == 2


def test_other_code_makes_other_entries(tmp_path, monkeypatch, builds):
    load_profile(cache_dir=tmp_path)
    monkeypatch.setattr(stored, "code_stamp", lambda: "99.0")
    load_profile(cache_dir=tmp_path)
    assert len(builds) == 2 and len(entries(tmp_path)) == 2


def test_an_unwritable_cache_only_costs_time(tmp_path, builds):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be")
    assert load_profile(cache_dir=blocker / "c").rules
    assert load_profile(cache_dir=blocker / "c").rules
    assert len(builds) == 2


def test_what_json_cannot_say_exactly_is_not_stored(tmp_path):
    profile, read = load.build(load.locate("shanghai-2024", None))
    odd = Profile(**{**profile.__dict__, "courses": {"categories": {1: ["int key"]}}})
    stored.put(tmp_path, Path(read[0].path), odd, read)
    assert not entries(tmp_path)


def test_a_checkout_stamps_its_code(tmp_path, monkeypatch):
    pkg = tmp_path / "mediacheck"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "a.py").write_text("x = 1\n")
    (pkg / "sub" / "b.py").write_text("y = 2\n")
    monkeypatch.setattr(caching, "PACKAGE", str(pkg))
    caching.code_stamp.cache_clear()
    try:
        before = caching.code_stamp()
        (pkg / "sub" / "b.py").write_text("y = 22\n")
        caching.code_stamp.cache_clear()
        assert caching.code_stamp() != before
        (pkg / "rules").mkdir()  # a wheel: the version alone
        caching.code_stamp.cache_clear()
        assert caching.code_stamp() == caching.__version__
    finally:
        caching.code_stamp.cache_clear()
