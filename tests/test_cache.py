"""The result cache: hits, misses, what its key covers, corrupted entries, atomic writes.

Probing is replaced by a counting fake (the cache never looks inside a result), so these
tests are fast; test_check_cmd.py runs the cache on real media once."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from mediacheck import app
from mediacheck.cache import (
    CACHE_FORMAT,
    ResultCache,
    decode_result,
    default_dir,
    encode_result,
)
from mediacheck.cli import cli
from mediacheck.model import FAIL, Fact, FileResult, Finding
from mediacheck.profile import load_profile

MP4_HEAD = b"\0\0\0\x18ftypisom" + bytes(20)


def result_for(path: Path) -> FileResult:
    finding = Finding(
        path=path, rule_id="V-RES", spec="V-RES", severity="error", status=FAIL,
        title={"zh": "分辨率", "en": "Resolution"},
        measured=Fact((1280, 720), "px", "ffprobe"),
        measured_text={"zh": "1280×720", "en": "1280×720"},
        expected=[1920, 1080], expected_text={"zh": "≥", "en": "≥"}, check="at_least",
        pass_band=0.15, message={"zh": "太小", "en": "too small"},
        hint={"zh": "重做", "en": "redo"},
    )  # fmt: skip
    return FileResult(path=path, kind="video", findings=(finding,))


@pytest.fixture
def probes(monkeypatch):
    """Replace probing with a fake that records the files it was asked about."""
    calls: list[Path] = []

    def fake(path: Path, profile, kind: str, *args, **kwargs) -> FileResult:
        calls.append(Path(path))
        return result_for(path)

    monkeypatch.setattr(app, "check_one", fake)
    return calls


def run(tmp_path: Path, *args: str):
    return CliRunner().invoke(
        cli, ["check", "--jobs", "1", "--cache-dir", str(tmp_path / "cache"),
              *([] if "--format" in args else ["--format", "json"]), *args],
        env={"COLUMNS": "200"},
    )  # fmt: skip


@pytest.fixture
def repo(tmp_path, monkeypatch):
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "a.mp4").write_bytes(MP4_HEAD + b"a")
    (folder / "b.mp4").write_bytes(MP4_HEAD + b"b")
    old = 1_600_000_000  # well in the past: not "racy"
    for name in ("a.mp4", "b.mp4"):
        os.utime(folder / name, (old, old))
    monkeypatch.chdir(folder)
    return folder


def test_round_trip_keeps_every_field():
    path = Path("x.mp4")
    original = result_for(path)
    again = decode_result(json.loads(json.dumps(encode_result(original))), path)
    assert again == original
    assert isinstance(again.findings[0].measured.value, tuple)


def test_a_finding_made_from_its_rule_is_stored_without_the_rules_texts():
    path = Path("x.mp4")
    original = result_for(path)
    f = original.findings[0]
    rules = {"V-RES": (f.spec, f.severity, f.title, f.check, f.pass_band)}
    encoded = json.loads(json.dumps(encode_result(original, rules)))
    assert len(encoded["findings"][0]) == 8 and "Resolution" not in json.dumps(encoded)
    assert decode_result(encoded, path, rules) == original
    with pytest.raises(KeyError):  # another profile: a miss, never a finding without texts
        decode_result(encoded, path, {})
    other = {"V-RES": (f.spec, f.severity, {"zh": "别的", "en": "other"}, f.check, None)}
    assert decode_result(json.loads(json.dumps(encode_result(original, other))), path,
                         other) == original  # fmt: skip


def test_second_run_comes_from_the_cache(tmp_path, repo, probes):
    first = run(tmp_path, ".")
    assert first.exit_code == 1 and len(probes) == 2
    second = run(tmp_path, ".")
    assert len(probes) == 2, "nothing probed again"
    assert json.loads(second.output) == json.loads(first.output)
    assert "2 result(s) from the cache" in run(tmp_path, "--format", "table", ".").output


def test_a_changed_file_is_probed_again(tmp_path, repo, probes):
    run(tmp_path, ".")
    (repo / "a.mp4").write_bytes(MP4_HEAD + b"changed")
    run(tmp_path, ".")
    assert probes[2:] == [Path("a.mp4")]


def test_same_content_new_mtime_and_inode_is_a_hit(tmp_path, repo, probes):
    # A fresh CI checkout: same bytes, new file. Found by content hash, not re-probed.
    run(tmp_path, ".")
    data = (repo / "a.mp4").read_bytes()
    (repo / "a.mp4").unlink()
    (repo / "a.mp4").write_bytes(data)
    run(tmp_path, ".")
    assert len(probes) == 2


def test_profile_and_version_are_part_of_the_key(tmp_path, repo):
    profile = load_profile()
    cache = ResultCache.open(tmp_path / "c", profile, repo)
    path = Path("a.mp4")
    _, ident = cache.get(path, "video")
    cache.put(path, "video", ident, result_for(path))
    assert cache.get_fast(path, "video") is not None
    other = ResultCache(cache.folder, "another-profile-hash", repo)
    assert other.get_fast(path, "video") is None and other.get(path, "video")[0] is None
    newer = ResultCache(cache.folder, cache.profile_hash, repo, version="99.0")
    assert newer.get(path, "video")[0] is None
    # An edited profile has another hash even under the same name.
    (tmp_path / "p.yaml").write_text(
        "extends: shanghai-2024\nrules:\n  V-RES: {expected: [1, 1]}\n"
    )
    edited = ResultCache.open(tmp_path / "c", load_profile(str(tmp_path / "p.yaml")), repo)
    assert edited.profile_hash != cache.profile_hash


@pytest.mark.parametrize(
    "garbage",
    [b"", b"{not json", b"[1, 2]", b'{"key": "wrong"}', "\u00ff".encode("latin-1")],
)
def test_corrupted_entry_is_ignored_and_rebuilt(tmp_path, repo, probes, garbage):
    run(tmp_path, "a.mp4")
    entries = list((tmp_path / "cache" / f"v{CACHE_FORMAT}").rglob("*.json"))
    assert len(entries) == 1
    entries[0].write_bytes(garbage)
    again = run(tmp_path, "a.mp4")
    assert again.exit_code == 1 and len(probes) == 2, "re-probed, not crashed"
    assert json.loads(entries[0].read_text())["result"]["kind"] == "video"  # rebuilt
    run(tmp_path, "a.mp4")
    assert len(probes) == 2


def test_entry_with_a_bad_field_is_a_miss(tmp_path, repo, probes):
    run(tmp_path, "a.mp4")
    (entry,) = (tmp_path / "cache" / f"v{CACHE_FORMAT}").rglob("*.json")
    data = json.loads(entry.read_text())
    data["result"]["findings"][0][1] = "exploded"  # the status
    entry.write_text(json.dumps(data))
    run(tmp_path, "a.mp4")
    assert len(probes) == 2


def test_no_cache_reads_and_writes_nothing(tmp_path, repo, probes):
    CliRunner().invoke(cli, ["check", "--jobs", "1", "--no-cache", "--cache-dir",
                             str(tmp_path / "cache"), "."])  # fmt: skip
    CliRunner().invoke(cli, ["check", "--jobs", "1", "--no-cache", "--cache-dir",
                             str(tmp_path / "cache"), "."])  # fmt: skip
    assert len(probes) == 4 and not (tmp_path / "cache").exists()


def test_writes_leave_no_temp_files(tmp_path, repo, probes):
    run(tmp_path, ".")
    names = [p.name for p in (tmp_path / "cache").rglob("*") if p.is_file()]  # 2 + the profile
    assert len(names) == 3 and all(n.endswith(".json") and not n.startswith(".") for n in names)


def test_default_location(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_dir() == tmp_path / "xdg" / "mediacheck"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_dir() == tmp_path / ".cache" / "mediacheck"


def test_unwritable_cache_only_costs_speed(tmp_path, repo, probes):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder of the cache should be")
    args = ["check", "--jobs", "1", "--format", "json", "--cache-dir", str(blocker / "c"), "."]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1 and len(json.loads(result.output)["files"]) == 2
