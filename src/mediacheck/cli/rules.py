"""`mediacheck rules`: a profile's rules with the clause each enforces, on the terminal or
as the README's Markdown tables."""

from __future__ import annotations

import click

from mediacheck.cli.run import remember_lang
from mediacheck.profile import load_profile
from mediacheck.profile.docs import markdown, requirement
from mediacheck.words.catalogue import say
from mediacheck.words.lang import pick_lang, tr


def show_rules(profile_ref: str | None, lang: str | None, fmt: str) -> None:
    lang = pick_lang(lang)
    remember_lang(lang)
    profile = load_profile(profile_ref)
    if fmt == "markdown":
        click.echo(markdown(profile, lang), nl=False)
        return
    from mediacheck.cli.options import console

    out = console(highlight=False)
    out.print(f"{tr(profile.title, lang)}  ({profile.name})", style="bold", markup=False)
    for rule in profile.rules:
        clause = (
            tr(profile.clauses.get(rule.spec, {}), lang) if rule.spec in profile.clauses else ""
        )
        line = f"{rule.id}  [{rule.spec} {clause}]  {say('severity.' + rule.severity, lang)}"
        out.print(line, style="bold", markup=False)
        out.print(f"    {tr(rule.title, lang)}: {requirement(rule, lang)}", markup=False)
