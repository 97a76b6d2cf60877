"""The HTML report: one self-contained file for people (a clerk, a reviewer, a printer).

No network, ever: styles inline, previews as `data:` URIs, no script, and a Content
Security Policy that forbids loading anything, so the file opens the same from a USB
stick, a chat attachment or `mediacheck serve`. Per subject a verdict card (problems
first, with measured, required, what it means and what to do), and what its kind adds
(`parts.kinds.SECTIONS`): bitrate charts and frames for a video, a preview for a photo,
the duplicate groups side by side for a case, the 字数 breakdown for a text.

Like every reporter it decides nothing. It does read the files again, for previews and
for the evidence a finding does not carry (`parts.evidence`); a file that is gone or
unreadable by then only loses its preview.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from mediacheck import __version__
from mediacheck.model import FAIL, ORDER, PASS, WARN, FileResult, RunResult
from mediacheck.profile import Profile
from mediacheck.report.common import Listed, listed_reason
from mediacheck.report.parts import evidence, thumbs
from mediacheck.report.parts.base import Env, Previews, esc, result_id, status_html
from mediacheck.report.parts.cards import card, tile
from mediacheck.report.parts.kinds import duration_of
from mediacheck.report.parts.style import CSS
from mediacheck.words.html import say
from mediacheck.words.lang import tr

# Nothing may be fetched: not an image, a font, a style sheet or a frame.
CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'"
)
HTML_LANG = {"zh": "zh-CN", "en": "en"}


class Stopped(Exception):
    """`gather` was asked to stop (the job it works for was cancelled)."""


def gather(run: RunResult, profile: Any, workers: int | None = None,
           stop: Callable[[], bool] | None = None) -> Previews:  # fmt: skip
    """Every preview and piece of evidence the cards need, made in parallel threads
    (ffmpeg runs in its own process; Pillow and the text counter release the GIL).
    `stop()` true makes the remaining work be skipped and `Stopped` raised."""
    previews = Previews()

    def guarded(fn: Callable[..., Any], *args: Any) -> Any:
        if stop is not None and stop():
            raise Stopped
        return fn(*args)

    photos = [r.path for r in run.files if r.kind == "photo"]
    for r in run.files:
        if evidence.wants_groups(r, profile):
            previews.groups[r.path] = guarded(evidence.case_groups, r.path, photos, profile, r)
    grouped = {p for g in previews.groups.values() for s in (*g.repeats, *g.similar) for p in s}
    photo_paths = list(dict.fromkeys([*photos, *sorted(grouped - set(photos))]))
    workers = workers or min(8, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        videos = {r.path: pool.submit(guarded, thumbs.video_frames, r.path,
                                      duration_of(r) or r.evidence.get("video.duration"))
                  for r in run.files if r.kind == "video"}  # fmt: skip
        texts = {r.path: pool.submit(guarded, evidence.text_counts, r.path, r)
                 for r in run.files if r.kind == "text"}  # fmt: skip
        shots = {p: pool.submit(guarded, thumbs.photo_thumb, p) for p in photo_paths}
        try:
            previews.photos.update({p: f.result() for p, f in shots.items()})
            previews.videos.update({p: f.result() for p, f in videos.items()})
            previews.texts.update({p: f.result() for p, f in texts.items()})
        except Stopped:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return previews


def _overview(order: list[tuple[int, FileResult]], env: Env) -> str:
    head = "".join(
        f'<th scope="col">{esc(env.say(k))}</th>'
        for k in ("col.subject", "col.kind", "col.result", "col.problems")
    )
    rows = []
    for index, r in order:
        rules = ", ".join(dict.fromkeys(f.rule_id for f in r.findings if f.status != PASS))
        rows.append(
            f'<tr><th scope="row"><a class="name" href="#{result_id(index)}">'
            f'{esc(env.name(r.path))}</a></th><td class="nw">{esc(env.kind(r.kind))}</td>'
            f'<td class="nw">{status_html(r.status, env.lang)}</td>'
            f"<td>{esc(rules) or '—'}</td></tr>"
        )
    body = "".join(rows)
    return f'<table class="overview"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _listed(listed: Sequence[Listed], env: Env) -> str:
    if not listed:
        return ""
    rows = "".join(
        f'<tr><th scope="row" class="name">{esc(env.name(item.path))}</th>'
        f"<td>{esc(env.kind(item.kind))}</td><td>{esc(listed_reason(item, env.lang))}</td></tr>"
        for item in listed
    )
    head = "".join(
        f'<th scope="col">{esc(env.say(k))}</th>'
        for k in ("col.subject", "col.kind", "col.message")
    )
    return (
        f'<section aria-labelledby="listed"><h2 id="listed">{esc(env.say("listed"))}</h2>'
        f'<p class="note">{esc(env.say("listed_note"))}</p>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></section>"
    )


def summary(run: RunResult, lang: str) -> str:
    if not run.files:
        return say("nothing", lang)
    failed, warned = run.count(FAIL), run.count(WARN)
    return say("summary", lang, files=len(run.files), passed=len(run.files) - failed - warned,
               warned=warned, failed=failed)  # fmt: skip


def _section(key: str, anchor: str, content: str, lang: str) -> str:
    return (
        f'<section aria-labelledby="{anchor}"><h2 id="{anchor}">{esc(say(key, lang))}</h2>'
        f"{content}</section>"
    )


def _header(run: RunResult, profile: Profile | None, lang: str, strict: bool) -> str:
    profile_title = f"{tr(profile.title, lang)} ({profile.name})" if profile else run.profile
    when = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    made = say("generated", lang, when=when, version=__version__, profile=profile_title)
    worst = max((r.status for r in run.files), key=ORDER.__getitem__, default=PASS)
    strict_note = f'<p class="meta">{esc(say("strict", lang))}</p>' if strict else ""
    return (
        f'<header id="top"><h1>{esc(say("title", lang))}</h1><p class="meta">{esc(made)}</p>'
        f'<p class="summary">{status_html(worst, lang, badge=True)} {esc(summary(run, lang))}'
        f"</p>{strict_note}</header>"
    )


def _results(order: list[tuple[int, FileResult]], env: Env) -> str:
    """Cards for everything, except photos that passed: those are tiles in one grid."""
    tiles = [(i, r) for i, r in order if r.kind == "photo" and r.status == PASS]
    tiled = {i for i, _ in tiles}
    out = "".join(card(r, env, i) for i, r in order if i not in tiled)
    if tiles:
        out += (
            f'<h3 class="tiles-h">{esc(env.say("passed_photos", n=len(tiles)))}</h3>'
            f'<div class="tiles">{"".join(tile(r, env, i) for i, r in tiles)}</div>'
        )
    return out


def render(run: RunResult, ctx: Any, previews: Previews | None = None) -> str:
    """`ctx`: lang, root, profile (or None), strict, listed (see report.ReportContext).
    `previews` (made by `gather`) lets a caller time or reuse them; made here if None."""
    lang = ctx.lang
    profile = getattr(ctx, "profile", None)
    env = Env(lang=lang, root=Path(ctx.root), profile=profile, run=run,
              previews=previews if previews is not None else gather(run, profile),
              rules={r.id: r for r in profile.rules} if profile else {})  # fmt: skip
    # Worst first, so the problems are at the top; the run's order within a status.
    ranked = sorted(run.files, key=lambda r: -ORDER[r.status])  # sorted() is stable
    order = list(enumerate(ranked))
    body = (
        _header(run, profile, lang, bool(getattr(ctx, "strict", False)))
        + _section("overview", "ov", _overview(order, env), lang)
        + _section("subjects", "res", _results(order, env), lang)
        + _listed(getattr(ctx, "listed", ()) or (), env)
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{HTML_LANG.get(lang, lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f'<meta name="generator" content="mediacheck {esc(__version__)}">'
        f"<title>{esc(say('title', lang))}</title><style>{CSS}</style></head>"
        f"<body><main>{body}</main></body></html>\n"
    )
