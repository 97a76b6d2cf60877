"""facts + profile -> findings. Pure: no I/O, no subprocess, no click, no rich."""

from __future__ import annotations

from typing import Any

from mediacheck.checks import (
    MISS,
    NEAR_MISS,
    OK,
    describe_expected,
    run_check,
    share_within,
    steady_outcome,
    windows,
)
from mediacheck.model import FAIL, INFO, KNOWN_FACTS, PASS, WARN, Fact, Facts, FileResult, Finding
from mediacheck.profile import Profile, Rule
from mediacheck.words import catalogue as messages
from mediacheck.words.lang import LANGS, tr
from mediacheck.words.units import format_value

SEVERITY_STATUS = {"error": FAIL, "warning": WARN, "info": INFO}
BOOL_WORDS = {"zh": ("是", "否"), "en": ("yes", "no")}


def _value_text(value: Any, unit: str, lang: str) -> str:
    if isinstance(value, bool):
        return BOOL_WORDS[lang][0 if value else 1]
    if isinstance(value, str) and value in messages.VALUE_NAMES:
        return tr(messages.VALUE_NAMES[value], lang)
    return format_value(value, unit)


def _render(template: dict[str, str], **params: str | dict[str, str]) -> dict[str, str]:
    out = {}
    for lang in LANGS:
        values = {k: (v[lang] if isinstance(v, dict) else v) for k, v in params.items()}
        out[lang] = template[lang].format_map(_Default(values))
    return out


class _Default(dict):
    """str.format_map that leaves unknown {placeholders} visible instead of crashing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _finding(facts: Facts, rule: Rule, status: str, fact: Fact | None,
             measured_text: dict[str, str], expected_text: dict[str, str],
             message: dict[str, str] | None = None,
             context: Facts | None = None, template: dict[str, str] | None = None,
             hint: dict[str, str] | None = None) -> Finding:  # fmt: skip
    failed = status != PASS
    if failed and message is None:
        # Messages may cite any other fact, dots as underscores: {video_fps_min}.
        others = {
            name.replace(".", "_"): {lang: _value_text(f.value, f.unit, lang) for lang in LANGS}
            for name, f in (context.values.items() if context else ())
            if not isinstance(f.value, list) or len(f.value) <= 2
        }
        for name, reason in context.missing.items() if context else ():  # "not given"
            others[name.replace(".", "_")] = {g: messages.missing_text(reason, g) for g in LANGS}
        message = _render(template or rule.message, **others, measured=measured_text,
                          expected=expected_text)  # fmt: skip
    return Finding(
        path=facts.path,
        rule_id=rule.id,
        spec=rule.spec,
        severity=rule.severity,
        status=status,
        title=rule.title,
        measured=fact,
        measured_text=measured_text,
        expected=rule.expected,
        expected_text=expected_text,
        check=rule.check,
        pass_band=rule.pass_band,
        message=(message or {}) if failed else {},
        hint=(hint or rule.hint) if failed else {},
    )


def _check_rule(facts: Facts, rule: Rule) -> Finding | None:
    unit = KNOWN_FACTS.get(rule.fact or "", "")
    expected_text = {
        lang: describe_expected(
            rule.check,
            rule.expected,
            unit,
            rule.pass_band,
            lambda v, u, lang=lang: _value_text(v, u, lang),
            rule.window,
            rule.min_share,
        )
        for lang in LANGS
    }
    if rule.check == "readable":
        return _finding(facts, rule, PASS, None, {lang: "OK" for lang in LANGS}, expected_text)
    fact = facts.get(rule.fact or "")
    if fact is None and facts.missing.get(rule.fact or "") == "not_requested":
        return None  # e.g. decode errors without --deep: nothing to say
    if fact is None:
        reason = facts.missing.get(rule.fact or "", "unknown")
        measured_text = {lang: messages.missing_text(reason, lang) for lang in LANGS}
        note = messages.UNDECIDED.get(reason)
        if note is not None:  # not decided (a link not visited, "check by hand"): never a pass
            return _finding(facts, rule, WARN, None, measured_text, expected_text,
                            context=facts, template=note["message"], hint=note["hint"])  # fmt: skip
        return _finding(
            facts,
            rule,
            SEVERITY_STATUS[rule.severity],
            None,
            measured_text,
            expected_text,
            context=facts,
        )
    if rule.check == "steady":
        # the window means once, for the verdict and its text (an hour is 3600 of them)
        means = windows(list(fact.value), rule.window)
        share = share_within(means, rule.expected, rule.pass_band or 0) if means else None
        outcome = steady_outcome(means, rule.expected, rule.pass_band, rule.warn_band,
                                 rule.min_share, share)  # fmt: skip
    else:
        outcome = run_check(
            rule.check, fact.value, rule.expected, rule.pass_band, rule.warn_band,
            rule.window, rule.min_share, rule.warn_limit,
        )  # fmt: skip
    status = {
        OK: PASS,
        MISS: SEVERITY_STATUS[rule.severity],
        NEAR_MISS: WARN if rule.severity == "error" else SEVERITY_STATUS[rule.severity],
    }[outcome]
    if rule.check == "steady":
        measured_text = _steady_text(means, share, rule, fact.unit or unit)
    else:
        measured_text = {lang: _value_text(fact.value, fact.unit or unit, lang) for lang in LANGS}
    return _finding(facts, rule, status, fact, measured_text, expected_text, context=facts)


def _steady_text(means: list[float], share: float | None, rule: Rule,
                 unit: str) -> dict[str, str]:  # fmt: skip
    """A per-second series reads as the range of its window means and their share in
    the band."""
    if not means or share is None:
        return {lang: messages.missing_text("too_short", lang) for lang in LANGS}
    return {
        lang: messages.say(
            "steady.measured", lang, low=format_value(min(means), unit),
            high=format_value(max(means), unit), share=f"{share * 100:.0f}",
            window=rule.window, count=len(means),
        )
        for lang in LANGS
    }  # fmt: skip


def _unreadable(facts: Facts, rules: list[Rule]) -> list[Finding]:
    """A file that could not be probed gets one clear row, not one per rule."""
    err = facts.error
    assert err is not None
    text = {lang: messages.probe_error_text(err.code, lang, err.params) for lang in LANGS}
    what = err.params.get("what")
    measured = {
        lang: tr(messages.CONTENT_NAMES[what], lang).strip()
        if isinstance(what, str) and what in messages.CONTENT_NAMES
        else err.code
        for lang in LANGS
    }
    readable = [r for r in rules if r.check == "readable"]
    return [
        _finding(facts, rule, FAIL, None, measured, {lang: "—" for lang in LANGS}, message=text)
        for rule in readable
    ]


def evaluate(facts: Facts, profile: Profile) -> FileResult:
    rules = profile.for_kind(facts.kind)
    if facts.error is not None:
        findings = _unreadable(facts, rules)
    else:
        findings = [f for rule in rules if (f := _check_rule(facts, rule)) is not None]
    return FileResult(path=facts.path, kind=facts.kind, findings=tuple(findings))
