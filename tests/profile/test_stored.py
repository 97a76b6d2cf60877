"""The validated profile kept in the cache folder (profile/stored.py): read back equal to
a fresh load, never used once the YAML (or a file it extends) changed, never trusted
when damaged, and never in the way when the folder cannot be written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mediacheck.profile import ProfileError, load_profile
from mediacheck.profile import stored as stored_mod
from mediacheck.profile.stored import decode, encode, load_stored

SRC = Path(__file__).resolve().parents[2] / "src"


def entries(folder: Path) -> list[Path]:
    return sorted((folder / "profiles").glob("*.json"))


def test_the_shipped_profile_reads_back_equal(tmp_path):
    first = load_stored(None, tmp_path)
    assert first == load_profile()
    (entry,) = entries(tmp_path)
    again = load_stored(None, tmp_path)
    assert again == first and again is not first
    assert entries(tmp_path) == [entry]  # one entry, reused
    assert decode(json.loads(json.dumps(encode(first)))) == first


def test_a_run_reads_no_yaml_once_the_profile_is_stored(tmp_path):
    """The point of it: a stored profile costs no `import yaml` and no parse."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from mediacheck.profile.stored import load_stored\n"
        "load_stored(None, Path(sys.argv[1]))\n"
        "print('yaml' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, str(tmp_path)],
            env=env,
            text=True,
            capture_output=True,
            check=True,
        ).stdout.strip()  # fmt: skip
        for _ in range(2)
    ]
    assert runs == ["True", "False"]


def test_an_edited_profile_or_base_is_loaded_afresh(tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text("extends: shanghai-2024\nrules:\n  V-BITRATE: {pass_band: 0.25}\n")
    child = tmp_path / "child.yaml"
    child.write_text("extends: base.yaml\nrules:\n  PLAY-FASTSTART: disable\n")
    cache = tmp_path / "cache"

    def rules() -> dict:
        return {r.id: r for r in load_stored(str(child), cache).rules}

    assert rules()["V-BITRATE"].pass_band == 0.25 and "PLAY-FASTSTART" not in rules()
    base.write_text("extends: shanghai-2024\nrules:\n  V-BITRATE: {pass_band: 0.3}\n")
    assert rules()["V-BITRATE"].pass_band == 0.3  # the base changed: not the old entry
    child.write_text("extends: base.yaml\nrules: {}\n")
    assert "PLAY-FASTSTART" in rules()
    assert load_stored(str(child), cache) == load_profile(str(child))


def test_changed_code_does_not_reuse_an_entry(tmp_path, monkeypatch):
    load_stored(None, tmp_path)
    monkeypatch.setattr(stored_mod, "code_fingerprint", lambda: "other code")
    load_stored(None, tmp_path)
    assert len(entries(tmp_path)) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # torn
        lambda text: "[" * 100_000 + "]" * 100_000,  # deeply nested
        lambda text: text.replace('"record": "Rule"', '"record": "Popen"'),  # foreign type
        lambda text: text.replace('"window"', '"windoe"'),  # a field the record lacks
        lambda text: json.dumps({"ref": None, "sources": [], "profile": 1}),
    ],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(tmp_path, damage):
    good = load_stored(None, tmp_path)
    (entry,) = entries(tmp_path)
    entry.write_text(damage(entry.read_text(encoding="utf-8")), encoding="utf-8")
    assert load_stored(None, tmp_path) == good
    assert load_stored(None, tmp_path) == good  # and stored again
    assert json.loads(entry.read_text(encoding="utf-8"))["ref"] is None


def test_an_unwritable_folder_only_means_loading_as_before(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert load_stored(None, blocker) == load_profile()


def test_errors_are_raised_and_never_stored(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("extends: shanghai-2024\nrules:\n  V-RES: {colour: red}\n")
    cache = tmp_path / "cache"
    for _ in range(2):
        with pytest.raises(ProfileError, match="colour"):
            load_stored(str(bad), cache)
    assert not entries(cache)
