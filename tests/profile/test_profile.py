"""Profiles: the shipped one loads and cites SPEC clauses; user profiles extend it; every
mistake is an error naming the file and the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from mediacheck.profile import ProfileError, load_profile, shipped_dir

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
    assert all(r.spec in profile.clauses for r in profile.rules)
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
        # negative bands, NaN and infinite tolerances are not tolerances
        ("  V-BITRATE: {pass_band: -0.5, warn_band: -0.2}\n", "'pass_band' must be a fraction"),
        ("  V-BITRATE: {pass_band: .nan}\n", "'pass_band' must be a fraction"),
        ("  V-BITRATE: {warn_band: .inf}\n", "'warn_band' must be a fraction"),
        ("  V-BITRATE-STEADY: {min_share: 0}\n", "'min_share' must be a fraction in (0, 1]"),
        ("  V-BITRATE-STEADY: {window: 2.5}\n", "'window' must be a whole number"),
        ("  V-RES: {pass_band: 0.1}\n", "'pass_band' only goes with check(s) near, steady"),
        ("  V-FPS: {expected: fast}\n", "check 'near' needs a number as 'expected'"),
        (
            "  V-RES: {expected_fact: video.fps, expected: null}\n",
            "give 'expected' or 'expected_fact', not both",
        ),
        ("  V-FPS: {expected_fact: video.fps_max}\n", "check 'near' cannot take 'expected_fact'"),
        ("  P-SIZE: {warn_limit: 3000000}\n", "'warn_limit' must lie on the failing side"),
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
    assert f"[{rule_id}]" in text


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


def test_expected_fact_compares_two_facts(tmp_path):
    from mediacheck.evaluate import evaluate
    from mediacheck.model import Facts

    path = write(
        tmp_path,
        "extends: shanghai-2024\nrules:\n"
        "  X-SYNC: {spec: PLAYABILITY, applies_to: video, fact: audio.duration,"
        " check: at_most, expected_fact: video.duration, severity: warning,"
        " title: {zh: 音频不长于视频, en: Audio not longer}, message: {zh: '{measured}',"
        " en: '{measured} > {expected}'}, hint: {zh: 无, en: none}}\n",
    )
    profile = load_profile(str(path))
    facts = Facts(Path("x.mp4"), "video")
    facts.set("audio.duration", 12.0, "s")
    facts.set("video.duration", 10.0, "s")
    finding = next(f for f in evaluate(facts, profile).findings if f.rule_id == "X-SYNC")
    assert finding.status == "warn" and finding.expected == 10.0
    assert finding.message["en"] == "12.00 s > ≤ 10.00 s"
    facts.set("video.duration", 13.0, "s")
    finding = next(f for f in evaluate(facts, profile).findings if f.rule_id == "X-SYNC")
    assert finding.status == "pass"
    del facts.values["video.duration"]
    facts.absent("video.duration", "no_video")
    finding = next(f for f in evaluate(facts, profile).findings if f.rule_id == "X-SYNC")
    assert finding.status == "warn" and finding.measured is None  # not measured, not passed


def test_clauses_and_photo_hashes_live_in_the_profile():
    profile = load_profile()
    assert profile.clauses["V-RES"]["zh"] and profile.clauses["P-UNIQUE"]["en"]
    assert profile.photo_hashes == {"duplicate": {"phash": 20, "dhash": 20},
                                    "similar": {"phash": 88, "dhash": 88}}  # fmt: skip


def test_a_rule_citing_a_clause_the_profile_lacks(tmp_path):
    path = write(tmp_path, "extends: shanghai-2024\nclauses: {X-ONLY: {title: {zh: 甲, en: A}}}\n"
                 "rules:\n  V-RES: {spec: X-NONE}\n")  # fmt: skip
    with pytest.raises(ProfileError, match="unknown spec clause 'X-NONE'"):
        load_profile(str(path))
