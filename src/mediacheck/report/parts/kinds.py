"""What a kind adds to its verdict card: the hook `SECTIONS`, kind -> renderer.

A renderer takes (result, env, index) and returns HTML (or ""). A kind with no entry
(a table, a link, anything new) still gets its card with every finding; a new kind adds
one function and one line here.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from mediacheck.model import FileResult, Finding
from mediacheck.report.parts.base import Env, esc, result_id
from mediacheck.report.parts.chart import bitrate_chart, clock
from mediacheck.report.parts.evidence import TEXT_BREAKDOWN, CaseGroups
from mediacheck.words.lang import tr
from mediacheck.words.units import format_value

Section = Callable[[FileResult, Env, int], str]

# Per-second facts drawn as charts; the rule's fact (from the profile) names them.
SERIES_FACTS = ("video.bitrate_per_second", "audio.bitrate_per_second")


def series_findings(result: FileResult, env: Env) -> list[Finding]:
    """Findings whose measured value is a per-second series: by the rule's fact when the
    profile is known, else any `steady` check over a list."""
    found = []
    for f in result.findings:
        if f.measured is None or not isinstance(f.measured.value, (list, tuple)):
            continue
        rule = env.rules.get(f.rule_id)
        if (rule is not None and rule.fact in SERIES_FACTS) or (
            rule is None and f.check == "steady"
        ):
            found.append(f)
    return found


def duration_of(result: FileResult) -> float | None:
    """The video's length for placing preview frames: its per-second series' length."""
    for f in result.findings:
        if f.check == "steady" and f.measured is not None and isinstance(f.measured.value, list):
            return float(len(f.measured.value)) or None
    return None


def video_section(result: FileResult, env: Env, index: int) -> str:
    out = []
    for k, f in enumerate(series_findings(result, env)):
        rule = env.rules.get(f.rule_id)
        window = rule.window if rule is not None else 1
        title = f"{f.rule_id} · {tr(f.title, env.lang)}"
        chart = bitrate_chart(
            [float(v) for v in f.measured.value], float(f.expected), f.pass_band or 0.0, window,
            f.measured.unit or "bit/s", env.lang, f"{result_id(index)}-c{k}", title,
        )  # fmt: skip
        if chart is None:
            continue
        out.append(
            f'<figure class="chart-box"><h4>{esc(env.say("video.chart"))}: {esc(title)}</h4>'
            f"{chart.svg}<figcaption><p>{esc(chart.summary)}</p><p>{esc(chart.caption)}</p>"
            "</figcaption></figure>"
        )
    frames = env.previews.videos.get(result.path)
    if frames is not None:
        out.append(f"<h4>{esc(env.say('video.thumbs'))}</h4>")
        if frames.frames:
            figs = "".join(
                f'<figure><img src="{fr.uri}" alt="{esc(env.say("thumbs.at", time=clock(fr.at)))}"'
                f' width="240"><figcaption>{esc(clock(fr.at))}</figcaption></figure>'
                for fr in frames.frames
            )
            out.append(f'<div class="frames">{figs}</div>')
        else:
            out.append(f'<p class="note">{esc(env.say(frames.note or "thumbs.none_read"))}</p>')
    return "".join(out)


def no_preview(path: object, env: Env) -> str:
    """Why a photo shows no preview: it cannot be drawn, or it is not there any more (a
    photo checked inside a unit's zip, unpacked only for the check)."""
    note = "photo.no_preview" if os.path.lexists(str(path)) else "thumbs.none_file"
    return f'<p class="note">{esc(env.say(note))}</p>'


def photo_section(result: FileResult, env: Env, index: int) -> str:
    if result.path not in env.previews.photos:
        return ""
    uri = env.previews.photos[result.path]
    if uri is None:
        return no_preview(result.path, env)
    alt = env.say("photo.thumb", name=env.name(result.path))
    return f'<figure class="photo"><img src="{uri}" alt="{esc(alt)}"></figure>'


def text_section(result: FileResult, env: Env, index: int) -> str:
    if result.path not in env.previews.texts:
        return ""
    counts = env.previews.texts[result.path]
    if counts is None:
        return f'<p class="note">{esc(env.say("text.unavailable"))}</p>'
    rows = []
    for fact, key in TEXT_BREAKDOWN:
        value = counts.get(fact)
        if value is None:
            continue
        shown = value.value if isinstance(value.value, str) else format_value(value.value)
        cls = ' class="num"' if not isinstance(value.value, str) else ""
        strong = ("<strong>", "</strong>") if fact == "text.chars_zishu" else ("", "")
        rows.append(
            f'<tr><th scope="row">{strong[0]}{esc(env.say(key))}{strong[1]}</th>'
            f"<td{cls}>{strong[0]}{esc(shown)}{strong[1]}</td></tr>"
        )
    if not rows:
        return ""
    return (
        f'<h4>{esc(env.say("text.count"))}</h4><table class="counts"><tbody>{"".join(rows)}'
        f'</tbody></table><p class="meta">{esc(env.say("text.formula"))}</p>'
    )


def _gallery(paths: tuple, env: Env) -> str:
    figs = []
    for p in paths:
        name = env.name(p)
        uri = env.previews.photos.get(p)
        img = (
            f'<img src="{uri}" alt="{esc(env.say("photo.thumb", name=name))}">'
            if uri else no_preview(p, env)
        )  # fmt: skip
        figs.append(f'<figure>{img}<figcaption class="name">{esc(name)}</figcaption></figure>')
    return f'<div class="gallery">{"".join(figs)}</div>'


def case_section(result: FileResult, env: Env, index: int) -> str:
    groups = env.previews.groups.get(result.path)
    if not isinstance(groups, CaseGroups):
        return ""
    if groups.error:
        return f'<p class="note">{esc(env.say("case.groups_unavailable", detail=groups.error))}</p>'
    out = []
    for key, note, sets in (
        ("case.duplicates", "case.groups_note", groups.repeats),
        ("case.similar", "case.similar_note", groups.similar),
    ):
        if not sets:
            continue
        out.append(f'<h4>{esc(env.say(key))}</h4><p class="meta">{esc(env.say(note))}</p>')
        for n, paths in enumerate(sets, start=1):
            label = env.say("case.group", n=n, count=len(paths))
            out.append(
                f'<div class="group" role="group" aria-label="{esc(label)}">'
                f'<p class="meta">{esc(label)}</p>{_gallery(paths, env)}</div>'
            )
    return "".join(out)


SECTIONS: dict[str, Section] = {
    "video": video_section,
    "photo": photo_section,
    "text": text_section,
    "case": case_section,
}
