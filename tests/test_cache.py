"""The result cache: hits, misses, what its key covers, corrupted entries, atomic writes.

Probing is replaced by a counting fake (the cache never looks inside a result), so these
tests are fast; test_check_cmd.py runs the cache on real media once."""

from __future__ import annotations

import json
import os
import stat
import threading
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


# ---------------------------------------------------------------- hostile entries (#13 item 15)


def _entry(tmp_path: Path, repo: Path) -> tuple[ResultCache, Path]:
    cache = ResultCache.open(tmp_path / "cache", load_profile(), repo)
    return cache, cache.entry_path(Path("a.mp4"), "video")


def _guarded(fn, fifo: Path, seconds: float = 60):
    """fn() in a thread; a hang on `fifo` is ended (a writer opens it) and fails the test."""
    out: list = []
    worker = threading.Thread(target=lambda: out.append(fn()), daemon=True)
    worker.start()
    worker.join(seconds)  # a guard against a hang, not a timed assertion
    if worker.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # let the reader go
        pytest.fail("reading the cache blocked on a FIFO")
    return out[0]


def test_a_fifo_entry_is_a_miss_and_is_replaced(tmp_path, repo):
    cache, entry = _entry(tmp_path, repo)
    entry.parent.mkdir(parents=True)
    os.mkfifo(entry)
    path = Path("a.mp4")
    assert _guarded(lambda: cache.get_fast(path, "video"), entry) is None
    hit, ident = _guarded(lambda: cache.get(path, "video"), entry)
    assert hit is None
    cache.put(path, "video", ident, result_for(path))
    assert stat.S_ISREG(entry.lstat().st_mode)  # replaced by a real entry, atomically
    assert cache.get_fast(path, "video") == result_for(path)


def _sparse(path: Path, size: int) -> None:
    with open(path, "wb") as fh:
        fh.truncate(size)  # 64 MB that read as zeros, taking no disk


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize(
    "make",
    [
        lambda e: e.write_bytes(_nested(1_000_000)),  # RecursionError in json.loads
        lambda e: e.write_bytes(b'{"key": ' + _nested(100_000) + b"}"),
        lambda e: e.symlink_to("/dev/zero"),
        lambda e: e.symlink_to(e),  # a loop
        lambda e: e.mkdir(),
        lambda e: _sparse(e, 64 << 20),
        lambda e: e.write_bytes(b"\0" * 1000),
    ],
    ids=["deep-json", "deep-key", "dev-zero", "loop", "folder", "huge", "nul"],
)
def test_hostile_entries_are_misses_never_crashes(tmp_path, repo, probes, make):
    cache, entry = _entry(tmp_path, repo)
    entry.parent.mkdir(parents=True)
    make(entry)
    for _ in range(2):  # and the run after it, too
        result = run(tmp_path, "a.mp4")
        assert result.exit_code == 1, result.output
        assert json.loads(result.output)["files"][0]["path"] == "a.mp4"
    if not entry.is_dir():  # a folder where an entry goes is left alone: never cached
        assert json.loads(entry.read_text())["result"]["kind"] == "video"
        assert len(probes) == 1, "rebuilt once, then a hit"


def test_a_result_nested_too_deep_to_decode_is_no_crash(tmp_path, repo, probes):
    run(tmp_path, "a.mp4")
    (entry,) = (tmp_path / "cache" / f"v{CACHE_FORMAT}").rglob("*.json")
    data = json.loads(entry.read_text())
    # a finding is a list; its third item the measured [value, unit, source]
    measured = next(f[2] for f in data["result"]["findings"] if f[2] is not None)
    measured[0] = "@"
    # json.loads copes with 700 nested lists; rebuilding them (a frame for _dec and one
    # for its comprehension, per level) may not
    entry.write_text(json.dumps(data).replace('"@"', "[" * 700 + "]" * 700))
    for _ in range(2):
        result = run(tmp_path, "a.mp4")
        assert result.exit_code == 1 and json.loads(result.output)["files"], result.output


def test_a_read_only_cache_folder_only_costs_speed(tmp_path, repo, probes):
    if os.geteuid() == 0:
        pytest.skip("running as root: a read-only folder is still writable")
    run(tmp_path, ".")
    for folder in [tmp_path / "cache", *(tmp_path / "cache").rglob("*")]:
        if folder.is_dir():
            folder.chmod(0o555)
    try:
        (repo / "a.mp4").write_bytes(MP4_HEAD + b"changed")
        result = run(tmp_path, ".")
        assert result.exit_code == 1 and len(json.loads(result.output)["files"]) == 2
    finally:
        for folder in [tmp_path / "cache", *(tmp_path / "cache").rglob("*")]:
            if folder.is_dir():
                folder.chmod(0o755)
