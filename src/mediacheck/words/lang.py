"""Pick the user's language: --lang, else MEDIACHECK_LANG, else the locale, else English."""

from __future__ import annotations

import os
import re

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


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SURROGATE = re.compile("[\udc80-\udcff]")


def utf8_safe(text: str) -> str:
    """`text` with the bytes of a name that is not UTF-8 (Python holds them as lone
    surrogates, which UTF-8 cannot encode) written as \\xNN; nothing else changed. For
    documents (JSON, XML) that escape control characters in their own way."""
    return _SURROGATE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", text)


def visible(name: object) -> str:
    """A file name (or a tool's line) as one line of plain text: control characters shown
    as escapes (a newline or ESC in a name must not start a line or move the cursor), and
    the bytes of a name that is not UTF-8 as \\xNN (Python keeps them as lone surrogates,
    which no terminal can print)."""
    out = []
    for ch in os.fspath(name) if isinstance(name, os.PathLike) else str(name):
        if ch.isprintable() or ch == " ":
            out.append(ch)
        elif ch in _NAMED:
            out.append(_NAMED[ch])
        elif 0xDC80 <= ord(ch) <= 0xDCFF:
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        else:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
    return "".join(out)
