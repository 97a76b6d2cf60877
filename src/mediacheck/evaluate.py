"""facts + profile -> findings. Pure: no I/O, no subprocess, no click, no rich.

The checks come from `checks.CHECKS`; every word from `words/catalogue.py` (values are
rendered by its one `value_text`, templates filled by its one `fill`).
"""

from __future__ import annotations

from typing import Any

from mediacheck.checks import CHECKS, MISS, NEAR_MISS, OK, share_within, steady_outcome, windows
from mediacheck.model import FAIL, INFO, PASS, WARN, Fact, Facts, FileResult, Finding
from mediacheck.profile import Profile, Rule
from mediacheck.words import catalogue as words
from mediacheck.words.lang import LANGS

Text = dict[str, str]
SEVERITY_STATUS = {"error": FAIL, "warning": WARN, "info": INFO}


def _each(render: Any) -> Text:
    return {lang: render(lang) for lang in LANGS}


def _cited(facts: Facts) -> dict[str, Text | str]:
    """The facts a message may cite, dots as underscores: {video_fps_min}; a cited fact
    that is missing reads as why ("not given")."""
    values: dict[str, Text | str] = {
        name.replace(".", "_"): _each(lambda lang, f=f, n=name: words.value_text(
            f.value, f.unit, lang, n))
        for name, f in facts.values.items()
        if not isinstance(f.value, list) or len(f.value) <= 2
    }  # fmt: skip
    for name, reason in facts.missing.items():
        values.setdefault(name.replace(".", "_"), _each(
            lambda lang, r=reason: words.missing_text(r, lang)))  # fmt: skip
    return values


def _finding(facts: Facts, rule: Rule, status: str, fact: Fact | None, measured_text: Text,
             expected_text: Text, expected: Any,
             message: Text | None = None, hint: Text | None = None) -> Finding:  # fmt: skip
    failed = status != PASS
    message_text: Text = {}
    hint_text: Text = {}
    if failed:
        values = _cited(facts)
        values |= {**_rule_params(rule), "measured": measured_text, "expected": expected_text}
        if rule.expected_fact is not None and expected is not None:
            # compared with another fact: {target} is that fact's value ("30"), as
            # {expected} reads the requirement ("≤ 30")
            values["target"] = _each(lambda lang: words.value_text(expected, rule.unit, lang))
        message_text = message or _each(lambda lang: words.fill(rule.message, lang, values))
        hint_text = (
            hint if hint is not None else _each(lambda lang: words.fill(rule.hint, lang, values))
        )
    return Finding(
        path=facts.path,
        rule_id=rule.id,
        spec=rule.spec,
        severity=rule.severity,
        status=status,
        title=rule.title,
        measured=fact,
        measured_text=measured_text,
        expected=expected,
        expected_text=expected_text,
        check=rule.check,
        pass_band=rule.pass_band,
        message=message_text,
        hint=hint_text,
    )


def requirement_text(rule: Rule) -> Text:
    """How the rule's requirement reads, per language (the rule alone, no facts)."""
    check = CHECKS[rule.check]
    if rule.expected is None:
        return _each(lambda lang: "—")

    def describe(lang: str) -> str:
        return check.describe(rule.expected, rule.unit, rule,
                              lambda v, u: words.value_text(v, u, lang, rule.fact))  # fmt: skip

    return _each(describe)


def _rule_params(rule: Rule) -> dict[str, Text | str]:
    """The rule's own values a text may cite besides {expected} ("25 fps ±0.2 %"):
    {target} the bare value ("25 fps", for a hint saying what to set), {pass_band}
    "±15 %", {warn_band}, {warn_limit} (in the fact's unit), {window} (seconds)."""
    params: dict[str, Text | str] = {"window": str(rule.window)}
    if rule.expected is not None:
        target = CHECKS[rule.check].target(rule.expected)
        params["target"] = _each(lambda lang: words.value_text(target, rule.unit, lang, rule.fact))
    for key in ("pass_band", "warn_band"):
        band = getattr(rule, key)
        if band is not None:
            params[key] = f"±{band * 100:g} %"
    if rule.warn_limit is not None:
        limit = rule.warn_limit
        params["warn_limit"] = _each(lambda lang: words.value_text(limit, rule.unit, lang))
    return params


def rule_text(rule: Rule, template: Text) -> Text:
    """A rule's own hint or doc outside a finding (SARIF's rule help, docs): its values
    from the rule, anything measured as "—"."""
    if not template:
        return {}
    values = {**_rule_params(rule), "expected": requirement_text(rule)}
    return _each(lambda lang: words.fill(template, lang, values))


def _check_rule(facts: Facts, rule: Rule) -> Finding | None:
    check = CHECKS[rule.check]
    expected = rule.expected
    if rule.expected_fact is not None:  # compared with another fact of the same subject
        other = facts.get(rule.expected_fact)
        expected = None if other is None else other.value

    def expected_in(lang: str) -> str:
        if expected is None:
            return "—"
        return check.describe(expected, rule.unit, rule,
                              lambda v, u: words.value_text(v, u, lang, rule.fact))  # fmt: skip

    expected_text = _each(expected_in)

    if rule.check == "readable":
        readable = _each(lambda lang: words.say("readable", lang))
        return _finding(facts, rule, PASS, None, readable, expected_text, expected)
    fact = facts.get(rule.fact or "")
    if fact is None and facts.missing.get(rule.fact or "") == "not_requested":
        return None  # e.g. decode errors without --deep: nothing to say
    if fact is None or expected is None:
        missing = rule.fact if fact is None else rule.expected_fact
        reason = facts.missing.get(missing or "", "unknown")
        measured_text = _each(lambda lang: words.missing_text(reason, lang))
        note = words.UNDECIDED.get(reason)
        if note is not None:  # not decided (a link not visited, "check by hand"): never a pass
            message = _each(lambda lang: words.fill(note["message"], lang, _cited(facts)))
            return _finding(facts, rule, WARN, None, measured_text, expected_text, expected,
                            message=message, hint=note["hint"])  # fmt: skip
        status = SEVERITY_STATUS[rule.severity]
        return _finding(facts, rule, status, None, measured_text, expected_text, expected)
    unit = fact.unit or rule.unit

    if rule.check == "steady":
        series = list(fact.value)
        if len(series) < rule.window:
            # Shorter than one window: steadiness cannot be judged (the average is
            # V-BITRATE's business). Said, as information, never passed.
            short = _each(lambda lang: words.say("steady.too_short", lang, seconds=len(series),
                                                 window=rule.window))  # fmt: skip
            hint = _each(lambda lang: words.say("steady.too_short_hint", lang, window=rule.window))
            return _finding(facts, rule, INFO, fact, short, expected_text, expected,
                            message=short, hint=hint)  # fmt: skip
        # the window means once, for the verdict and its text (an hour is 3600 of them)
        means = windows(series, rule.window)
        share = share_within(means, expected, rule.pass_band or 0)
        outcome = steady_outcome(means, expected, rule, share)
        measured_text = _each(lambda lang: words.say(
            "steady.measured", lang, low=words.value_text(min(means), unit, lang),
            high=words.value_text(max(means), unit, lang), share=f"{share * 100:.0f}",
            window=rule.window, count=len(means)))  # fmt: skip
    else:
        outcome = check.run(fact.value, expected, rule)
        measured_text = _each(lambda lang: words.value_text(fact.value, unit, lang, rule.fact))
    status = {
        OK: PASS,
        MISS: SEVERITY_STATUS[rule.severity],
        NEAR_MISS: WARN if rule.severity == "error" else SEVERITY_STATUS[rule.severity],
    }[outcome]
    return _finding(facts, rule, status, fact, measured_text, expected_text, expected)


def _unreadable(facts: Facts, rules: list[Rule]) -> list[Finding]:
    """A file that could not be probed gets one clear row, not one per rule."""
    err = facts.error
    assert err is not None
    text = _each(lambda lang: words.probe_error_text(err.code, lang, err.params))
    what = err.params.get("what")
    named = isinstance(what, str) and what in words.CONTENT_NAMES
    measured = _each(lambda lang: words.tr(words.CONTENT_NAMES[what], lang).strip()
                     if named else words.missing_text("unknown", lang))  # fmt: skip
    dash = _each(lambda lang: "—")
    return [
        _finding(facts, rule, FAIL, None, measured, dash, rule.expected, message=text)
        for rule in rules
        if rule.check == "readable"
    ]


def evaluate(facts: Facts, profile: Profile) -> FileResult:
    rules = profile.for_kind(facts.kind)
    if facts.error is not None:
        findings = _unreadable(facts, rules)
    else:
        found: dict[str, Finding] = {}
        for rule in rules:
            # A rule that only speaks once another has passed (T-LENGTH-NEAR after
            # T-LENGTH): a warning of "nearly too long" beside "too long" says nothing.
            if rule.only_if_passed and (
                rule.only_if_passed not in found or found[rule.only_if_passed].status != PASS
            ):
                continue
            finding = _check_rule(facts, rule)
            if finding is not None:
                found[rule.id] = finding
        findings = list(found.values())
    complete = facts.error is None or facts.error.code != "tool_missing"
    evidence = {n: f.value for n, f in facts.values.items() if not isinstance(f.value, list)}
    return FileResult(path=facts.path, kind=facts.kind, findings=tuple(findings),
                      complete=complete, evidence={**evidence, **facts.series})  # fmt: skip
