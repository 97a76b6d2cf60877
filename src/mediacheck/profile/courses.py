"""The profile's data for the course list and the links (#11): kinds, clauses, facts, and
the two top-level sections `courses:` and `links:`, validated as strictly as rules.

`profile/__init__.py` reads these few names; everything about them lives here.

`courses:` (C-CATEGORY, C-FORMS)
    categories:        level -> the notice's example topics (the lists end in 等: open)
    interactive_form:  the form that needs a link (I-LINK, I-SUPPORT)
    durations:         form -> {min, max} seconds an episode usually lasts (assumptions)
`links:` (I-LINK) what marks a login wall: path words, host labels, return parameters,
    WeChat OAuth addresses, WeChat-only page words, login wording.
"""

from __future__ import annotations

import re
from typing import Any

COURSE_KEYS = {"categories", "interactive_form", "durations"}
LINK_KEYS = {"login_path_words", "login_host_labels", "return_params", "wechat_oauth_urls",
             "wechat_only_words", "login_words"}  # fmt: skip


class SectionError(ValueError):
    """A mistake in `courses:` or `links:`; profile/__init__ turns it into a ProfileError."""


def _texts(where: str, value: Any) -> list[str]:
    if not (isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)):
        raise SectionError(f"{where} must be a list of non-empty texts")
    return list(value)


def courses_section(where: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SectionError(f"{where}: 'courses' must be a mapping")
    unknown = set(value) - COURSE_KEYS
    if unknown:
        raise SectionError(f"{where}: courses: unknown key(s) {', '.join(sorted(unknown))}")
    out: dict[str, Any] = {}
    categories = value.get("categories", {})
    if not isinstance(categories, dict) or not all(isinstance(k, str) for k in categories):
        raise SectionError(f"{where}: courses.categories maps each level to its topics")
    out["categories"] = {
        level: _texts(f"{where}: courses.categories.{level}", topics)
        for level, topics in categories.items()
    }
    form = value.get("interactive_form")
    if form is not None and not (isinstance(form, str) and form.strip()):
        raise SectionError(f"{where}: courses.interactive_form must be a text")
    out["interactive_form"] = form
    durations = value.get("durations", {})
    if not isinstance(durations, dict):
        raise SectionError(f"{where}: courses.durations maps each form to {{min, max}} seconds")
    out["durations"] = {}
    for name, band in durations.items():
        at = f"{where}: courses.durations.{name}"
        if not isinstance(band, dict) or not band or set(band) - {"min", "max"}:
            raise SectionError(f"{at} must be {{min: s, max: s}} (either may be left out)")
        for key, seconds in band.items():
            if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
                raise SectionError(f"{at}.{key} must be a number of seconds ≥ 0")
        if band.get("min", 0) > band.get("max", float("inf")):
            raise SectionError(f"{at}: min is above max")
        out["durations"][str(name)] = dict(band)
    return out


def links_section(where: str, value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SectionError(f"{where}: 'links' must be a mapping")
    unknown = set(value) - LINK_KEYS
    if unknown:
        raise SectionError(f"{where}: links: unknown key(s) {', '.join(sorted(unknown))}")
    out = {key: _texts(f"{where}: links.{key}", items) for key, items in value.items()}
    for word in out.get("login_path_words", []) + out.get("login_host_labels", []):
        if re.search(r"[^a-z0-9\u4e00-\u9fff]", word.lower()):
            raise SectionError(f"{where}: links: '{word}' must be one word (letters, digits)")
    return out
