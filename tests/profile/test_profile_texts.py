"""The shipped profile's sentences cite the rules' values instead of repeating them, and
every placeholder in them is one that evaluate fills (issue #9)."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from mediacheck.evaluate import evaluate, rule_text
from mediacheck.model import FAIL, RunResult
from mediacheck.probe.video import probe_video
from mediacheck.profile import Profile, Rule, facts_of, load_profile
from mediacheck.report.sarif import sarif_dict

PROFILE = load_profile()
RULE_PARAMS = {"measured", "expected", "target", "window"}


def texts(rule: Rule) -> dict[str, str]:
    out = {}
    for part in ("message", "hint", "doc"):
        for lang, value in getattr(rule, part).items():
            out[f"{part}.{lang}"] = value
    return out


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("rule", PROFILE.rules, ids=lambda r: r.id)
def test_every_placeholder_is_filled(rule: Rule):
    known = RULE_PARAMS | {name.replace(".", "_") for name in facts_of(rule.applies_to)}
    known |= {key for key in ("pass_band", "warn_band", "warn_limit") if getattr(rule, key)}
    if rule.expected is None and rule.expected_fact is None:
        known -= {"expected", "target"}
    for where, template in texts(rule).items():
        unknown = placeholders(template) - known
        assert not unknown, f"{rule.id} {where} cites {unknown}"


def _spellings(value: object) -> set[str]:
    """How a spec number tends to be repeated in prose: 48000, 48 (k), 3.5 (M), 2,097,152."""
    if isinstance(value, list):
        return set().union(*(_spellings(v) for v in value)) if value else set()
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 10:
        return set()
    out = {f"{value:g}", f"{value:,}"}
    for scale in (1000, 1_000_000):
        if value >= scale and value % (scale // 10) == 0:
            out.add(f"{value / scale:g}")
    return out


def test_no_sentence_repeats_a_spec_number():
    # every rule's own numbers, and the large numbers of every rule in every sentence
    everywhere = {s for r in PROFILE.rules for s in _spellings(r.expected) if len(s) >= 3}
    for rule in PROFILE.rules:
        forbidden = _spellings(rule.expected) | everywhere
        for where, template in texts(rule).items():
            for number in forbidden:
                hit = re.search(rf"(?<![\d.,]){re.escape(number)}(?![\d,]|\.\d)", template)
                assert hit is None, f"{rule.id} {where} repeats {number}: {template}"


def test_no_sentence_names_the_accepted_photo_formats():
    for rule in PROFILE.rules:
        for where, template in texts(rule).items():
            assert not re.search(r"jpg.{0,3}png.{0,3}gif", template, re.I), (rule.id, where)


def _with_rule(tmp_path: Path, body: str) -> Profile:
    path = tmp_path / "mine.yaml"
    path.write_text(f"extends: shanghai-2024\nrules:\n{body}", encoding="utf-8")
    return load_profile(str(path))


def test_hints_are_rendered_like_messages_and_a_missing_value_reads_dash(media, tmp_path):
    profile = _with_rule(
        tmp_path,
        "  V-FPS:\n    expected: 30\n"
        "    message: {zh: '实测 {measured}，要求 {expected}，{video_nope}', "
        "en: 'measured {measured}, wanted {expected}, {video_nope}'}\n"
        "    hint: {zh: '设为 {expected}（{video_codec}，{pass_band}）', "
        "en: 'set it to {expected} ({video_codec}, {pass_band}) {video_nope}'}\n",
    )
    result = evaluate(probe_video(media("compliant")), profile)
    (finding,) = [f for f in result.findings if f.rule_id == "V-FPS"]
    assert finding.status == FAIL
    assert finding.message["en"] == "measured 25 fps, wanted 30 fps ±0.2 %, —"
    assert finding.hint["en"] == "set it to 30 fps ±0.2 % (h264, ±0.2 %) —"
    assert finding.hint["zh"] == "设为 30 fps ±0.2 %（h264，±0.2 %）"


def test_shipped_findings_never_show_a_raw_placeholder(media):
    for name in ("fps_30", "audio_44k", "vfr", "no_audio", "bitrate_1m", "hevc"):
        for f in evaluate(probe_video(media(name)), PROFILE).findings:
            for part in (f.message, f.hint):
                for text in part.values():
                    assert not re.search(r"\{\w+\}", text), (name, f.rule_id, text)


def test_a_changed_value_changes_the_hint(media, tmp_path):
    profile = _with_rule(tmp_path, "  A-RATE: {expected: 44100}\n")
    (finding,) = [
        f for f in evaluate(probe_video(media("compliant")), profile).findings
        if f.rule_id == "A-RATE"
    ]  # fmt: skip
    assert "44.1 kHz" in finding.hint["en"] and "48" not in finding.hint["en"]


def test_rule_level_texts_render_the_rules_values():
    rules = {r.id: r for r in PROFILE.rules}
    assert rule_text(rules["V-BITRATE"], rules["V-BITRATE"].doc)["en"] == (
        'The notice says "about": within ±15 % passes, within ±30 % warns, beyond fails.'
    )
    hint = rule_text(rules["V-BITRATE"], rules["V-BITRATE"].hint)["en"]
    assert "Set the video bitrate to 3.50 Mbit/s with constant" in hint
    sarif = sarif_dict(RunResult(profile=PROFILE.name, files=()), "en", root=Path.cwd(),
                       profile=PROFILE)  # fmt: skip
    for rule in sarif["runs"][0]["tool"]["driver"]["rules"]:
        for key in ("fullDescription", "help"):
            assert not re.search(r"\{\w+\}", rule[key]["text"]), (rule["id"], rule[key])
