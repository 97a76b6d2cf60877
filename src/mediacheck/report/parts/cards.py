"""One verdict card per subject: the verdict, the problems first, the kind's section,
then the checks that passed, in one line."""

from __future__ import annotations

from mediacheck.model import ORDER, PASS, FileResult, Finding
from mediacheck.report.parts.base import Env, esc, file_size, result_id, status_html
from mediacheck.report.parts.kinds import SECTIONS, no_preview
from mediacheck.words.lang import tr
from mediacheck.words.units import format_value


def verdict_key(status: str) -> str:
    return "verdict." + (PASS if status == "info" else status)


def problems(findings: list[Finding], env: Env) -> str:
    """The findings that did not pass, worst first: a row with the values, a row with
    what it means and what to do."""
    lang = env.lang
    head = "".join(
        f'<th scope="col">{esc(env.say(k))}</th>'
        for k in ("col.result", "col.rule", "col.check", "col.measured", "col.expected")
    )
    bodies = []
    for f in findings:
        source = ""
        if f.measured is not None and f.measured.source:
            source = (
                f' <span class="meta">({esc(env.say("source", source=f.measured.source))})</span>'
            )
        clause = ""
        if f.spec and f.spec != f.rule_id:
            clause = f'<br><span class="meta">{esc(env.say("clause_of", spec=f.spec))}</span>'
        advice = ""
        if f.message or f.hint:
            message = f"<p>{esc(tr(f.message, lang))}</p>" if f.message else ""
            hint = f'<p class="hint">{esc(tr(f.hint, lang))}</p>' if f.hint else ""
            advice = f'<tr class="advice"><td></td><td colspan="4">{message}{hint}</td></tr>'
        bodies.append(
            f"<tbody><tr><td>{status_html(f.status, lang)}</td>"
            f'<th scope="row">{esc(f.rule_id)}{clause}</th>'
            f"<td>{esc(tr(f.title, lang))}</td>"
            f"<td>{esc(f.measured_text.get(lang, '—'))}{source}</td>"
            f"<td>{esc(f.expected_text.get(lang, '—'))}</td></tr>{advice}</tbody>"
        )
    return (
        f"<h4>{esc(env.say('problems'))}</h4>"
        f'<table class="problems"><thead><tr>{head}</tr></thead>{"".join(bodies)}</table>'
    )


def passed_line(findings: list[Finding], env: Env) -> str:
    if not findings:
        return ""
    items = " · ".join(f"{esc(f.rule_id)} {esc(tr(f.title, env.lang))}" for f in findings)
    label = esc(env.say("passed_list", n=len(findings)))
    return f'<p class="passed"><span aria-hidden="true">✓</span> {label} {items}</p>'


def card(result: FileResult, env: Env, index: int) -> str:
    rid = result_id(index)
    status = result.status
    bad = sorted((f for f in result.findings if f.status != PASS),
                 key=lambda f: -ORDER[f.status])  # fmt: skip
    good = [f for f in result.findings if f.status == PASS]
    meta = [env.kind(result.kind), env.say(verdict_key(status))]
    size = file_size(result.path)
    if size is not None:
        meta.append(env.say("file_size", size=format_value(size, "bytes")))
    parts = [
        f'<section class="card {status}" id="{rid}" aria-labelledby="{rid}-h">',
        f'<h3 id="{rid}-h">{status_html(status, env.lang, badge=True)} '
        f'<span class="name">{esc(env.name(result.path))}</span></h3>',
        f'<p class="meta">{" · ".join(esc(m) for m in meta)}</p>',
    ]
    section = SECTIONS.get(result.kind)
    extra = section(result, env, index) if section else ""
    if result.kind == "photo":  # the photo floats beside its findings
        parts.append(extra)
        extra = ""
    if bad:
        parts.append(problems(bad, env))
    elif not result.findings:
        parts.append(f'<p class="note">{esc(env.say("no_checks_ran"))}</p>')
    else:
        parts.append(f"<p>{esc(env.say('all_passed', n=len(good)))}</p>")
    parts.append(extra)
    parts.append(passed_line(good, env))
    parts.append('<div class="clear"></div>')
    parts.append(f'<p class="top"><a href="#top">{esc(env.say("back_to_top"))}</a></p></section>')
    return "".join(parts)


def tile(result: FileResult, env: Env, index: int) -> str:
    """A photo that passed everything: a preview and its name, not a whole card (a case
    of 500 photos stays a page of pictures, not 500 boxes)."""
    rid = result_id(index)
    uri = env.previews.photos.get(result.path)
    name = env.name(result.path)
    img = (
        f'<img src="{uri}" alt="{esc(env.say("photo.thumb", name=name))}">'
        if uri else no_preview(result.path, env)
    )  # fmt: skip
    size = file_size(result.path)
    # the short form ("2.80 MiB"): a tile is narrow
    size_text = f"<br>{esc(format_value(size, 'bytes').split(' (')[0])}" if size is not None else ""
    return (
        f'<figure class="tile" id="{rid}">{img}<figcaption>'
        f'{status_html(result.status, env.lang)} <span class="name">{esc(name)}</span>'
        f"{size_text}<br>{esc(env.say('all_passed', n=len(result.findings)))}"
        "</figcaption></figure>"
    )
