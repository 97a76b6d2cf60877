"""The profile as documentation: the README's rule tables are this output (a test keeps
them equal), so what the README says is checked is what the rules check."""

from __future__ import annotations

from mediacheck.checks import CHECKS
from mediacheck.evaluate import rule_text
from mediacheck.profile import Profile, Rule
from mediacheck.words.catalogue import say, value_text
from mediacheck.words.lang import tr

# The order and headings of the kinds and sets in the document.
SECTIONS = ("video", "photo", "text", "case", "table", "course_list", "course", "link")


def requirement(rule: Rule, lang: str) -> str:
    """How the rule's requirement reads, as a report shows it."""
    check = CHECKS[rule.check]
    if check.expected is None:
        return ""
    if rule.expected_fact is not None:
        return check.describe(f"`{rule.expected_fact}`", "", rule, lambda v, u: str(v))
    return check.describe(
        rule.expected, rule.unit, rule, lambda v, u: value_text(v, u, lang, rule.fact)
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def markdown(profile: Profile, lang: str) -> str:
    """One table per kind: rule, clause, severity, requirement, and how it is decided."""
    out: list[str] = []
    kinds = [k for k in SECTIONS if profile.for_kind(k)]
    kinds += sorted({r.applies_to for r in profile.rules} - set(kinds))
    for kind in kinds:
        out += [f"#### {say('kind.' + kind, lang)} (`{kind}`)", ""]
        out += [f"| {say('doc.rule', lang)} | {say('doc.clause', lang)} | "
                f"{say('doc.severity', lang)} | {say('doc.requirement', lang)} | "
                f"{say('doc.how', lang)} |", "|---|---|---|---|---|"]  # fmt: skip
        for rule in profile.for_kind(kind):
            clause = profile.clauses.get(rule.spec, {})
            how = tr(rule_text(rule, rule.doc), lang) if rule.doc else ""
            wanted = requirement(rule, lang)
            out.append(
                f"| {rule.id} | {rule.spec} {_cell(tr(clause, lang)) if clause else ''} | "
                f"{say('severity.' + rule.severity, lang)} | "
                f"{_cell(tr(rule.title, lang))}{': ' + _cell(wanted) if wanted else ''} | "
                f"{_cell(how)} |"
            )
        out.append("")
    return "\n".join(out)
