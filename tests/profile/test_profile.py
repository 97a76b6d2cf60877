"""Profiles: the shipped one loads and cites SPEC clauses; user profiles extend it; every
mistake is an error naming the file and the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from mediacheck.profile import SPEC_CLAUSES, ProfileError, load_profile, shipped_dir

VIDEO_CLAUSES = {"V-CONTAINER", "V-CODEC", "V-RES", "V-BITRATE", "V-FPS",
                 "A-RATE", "A-BITRATE", "A-CHANNELS"}  # fmt: skip


def write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_default_profile_covers_every_video_clause():
    profile = load_profile()
    assert profile.name == "shanghai-2024"
    cited = {r.spec for r in profile.rules if r.applies_to == "video"}
    assert cited >= VIDEO_CLAUSES
    assert all(r.spec in SPEC_CLAUSES for r in profile.rules)
    for rule in profile.rules:
        assert rule.title["zh"] and rule.title["en"]
        assert rule.message["zh"] and rule.hint["en"]


def test_shipped_profiles_are_found():
    assert (shipped_dir() / "shanghai-2024.yaml").is_file()


def test_extends_overrides_one_value_and_disables_a_rule(tmp_path):
    path = write(
        tmp_path,
        "extends: shanghai-2024\nrules:\n"
        "  V-BITRATE: {pass_band: 0.25}\n  PLAY-FASTSTART: disable\n",
    )
    profile = load_profile(str(path))
    rules = {r.id: r for r in profile.rules}
    assert rules["V-BITRATE"].pass_band == 0.25
    assert rules["V-BITRATE"].expected == 3500000  # the rest is inherited
    assert "PLAY-FASTSTART" not in rules
    assert profile.name == "p"


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ("  V-RES: {colour: red}\n", "unknown key(s) colour"),
        ("  V-RES: {fact: video.colour}\n", "unknown fact 'video.colour'"),
        ("  V-RES: {check: roughly}\n", "unknown check 'roughly'"),
        ("  V-RES: {spec: X-NOPE}\n", "unknown spec clause 'X-NOPE'"),
        ("  V-RES: {severity: fatal}\n", "severity must be one of"),
        ("  V-BITRATE: {pass_band: 0.5, warn_band: 0.1}\n", "warn_band must be at least"),
        (
            "  X-NEW: {spec: V-RES, applies_to: video, fact: video.fps, check: at_least,"
            " expected: 1, severity: info, title: {zh: 新}, message: {zh: a, en: b},"
            " hint: {zh: a, en: b}}\n",
            "'title' needs both 'zh' and 'en'",
        ),
    ],
)
def test_mistakes_name_the_file_and_rule(tmp_path, body, complaint):
    path = write(tmp_path, "extends: shanghai-2024\nrules:\n" + body)
    with pytest.raises(ProfileError) as err:
        load_profile(str(path))
    text = str(err.value)
    assert complaint in text
    assert str(path) in text
    rule_id = body.split(":")[0].strip()
    assert f"rule {rule_id}" in text


def test_unknown_top_level_key(tmp_path):
    path = write(tmp_path, "extend: shanghai-2024\n")
    with pytest.raises(ProfileError, match="unknown key"):
        load_profile(str(path))


def test_invalid_yaml_and_missing_profile(tmp_path):
    with pytest.raises(ProfileError, match="not valid YAML"):
        load_profile(str(write(tmp_path, "rules: [\n")))
    with pytest.raises(ProfileError, match="not found"):
        load_profile("no-such-profile")


def test_extends_loop(tmp_path):
    write(tmp_path, "extends: b.yaml\n", "a.yaml")
    write(tmp_path, "extends: a.yaml\n", "b.yaml")
    with pytest.raises(ProfileError, match="loops"):
        load_profile(str(tmp_path / "a.yaml"))
