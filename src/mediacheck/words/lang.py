"""Pick the user's language: --lang, else MEDIACHECK_LANG, else the locale, else English."""

from __future__ import annotations

import os

LANGS = ("zh", "en")


def pick_lang(option: str | None = None, environ: dict[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    for candidate in (option, env.get("MEDIACHECK_LANG")):
        if candidate:
            lang = candidate.lower()[:2]
            if lang in LANGS:
                return lang
    # Same order as gettext: LANGUAGE (a list, zh_CN:en) first, then the locale.
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def tr(text: dict[str, str] | str, lang: str) -> str:
    """One language out of a {zh, en} pair; a plain string is language-neutral."""
    if isinstance(text, str):
        return text
    return text.get(lang) or text.get("en") or next(iter(text.values()), "")
