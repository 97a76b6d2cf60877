"""T-SUMMARY: which of a unit's files is the work summary, which the case, which the table.

Pure decisions plus the little reading they need (a document's first line). A text's role
is decided, in this order, by

1. a **declared** role: the `.mediacheck.yaml` config (``summaries:`` / ``cases:`` globs),
   else the folder it stands in (a case folder, a folder named like the summary);
2. its **name**: one of the profile's summary words (工作总结 / 总结报告 / 总结) and no case
   word, or the other way round;
3. its **title** (the first non-blank paragraph or line), by the same words.

A text none of these decides is "untold" and listed. Every decision keeps how it was made
(`Role.how`), so a finding can say "工作总结.docx (by name)".

The words are the profile's (`submission:` section, validated by `section_from`); this
module holds none.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any, NamedTuple

SUMMARY, CASE = "summary", "case"
# How a role was decided (words/submission.py ROLE_HOW words each).
BY_CONFIG, BY_FOLDER, BY_NAME, BY_TITLE, BY_CONTENT = "config", "folder", "name", "title", "content"
SECTION_KEYS = {"summary_words", "case_words", "summary_clause", "case_clause"}
TITLE_BYTES = 256 * 1024  # a plain text's first line is in its first bytes


class Words(NamedTuple):
    """The profile's ``submission:`` section."""

    summary: tuple[str, ...]  # a name or title with one of these is the work summary
    case: tuple[str, ...]  # …the case
    summary_clause: str  # the clause a text's own rules cite on the summary
    case_clause: str  # the clause they cite as written (T-LENGTH serves both texts)


class Role(NamedTuple):
    role: str  # SUMMARY or CASE
    how: str  # BY_CONFIG, BY_FOLDER, BY_NAME, BY_TITLE


def section_from(value: Any, where: str, clauses: Any = None) -> Words | None:
    """The ``submission:`` section, validated; None when the profile has none."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValueError(f"{where}: 'submission' must be a mapping")
    unknown = set(value) - SECTION_KEYS
    missing = SECTION_KEYS - set(value)
    if unknown or missing:
        raise ValueError(f"{where}: submission: needs exactly {', '.join(sorted(SECTION_KEYS))}")
    lists = {}
    for key in ("summary_words", "case_words"):
        items = value[key]
        if not (isinstance(items, list) and items
                and all(isinstance(v, str) and v.strip() for v in items)):  # fmt: skip
            raise ValueError(f"{where}: submission.{key} must be a list of non-empty texts")
        lists[key] = tuple(normal(v) for v in items)
    for key in ("summary_clause", "case_clause"):
        if not isinstance(value[key], str) or (clauses is not None and value[key] not in clauses):
            raise ValueError(f"{where}: submission.{key} must name a clause of the profile")
    return Words(lists["summary_words"], lists["case_words"], value["summary_clause"],
                 value["case_clause"])  # fmt: skip


def normal(text: str) -> str:
    """Names and titles compared as people read them: full-width folded (NFKC), no case."""
    return unicodedata.normalize("NFKC", text).casefold()


def by_words(text: str, words: Words) -> str | None:
    """SUMMARY or CASE when `text` holds words of one role only; else None."""
    text = normal(text)
    summary = any(w in text for w in words.summary)
    case = any(w in text for w in words.case)
    if summary != case:
        return SUMMARY if summary else CASE
    return None


def text_role(path: Path, words: Words, declared: Role | None = None) -> Role | None:
    """The role of one text outside any case folder: declared, else by name, else by title."""
    if declared is not None:
        return declared
    role = by_words(path.stem, words)
    if role is not None:
        return Role(role, BY_NAME)
    title = first_line(path)
    role = by_words(title, words) if title else None
    return Role(role, BY_TITLE) if role is not None else None


def read_text(path: Path, limit: int | None = None) -> str | None:
    """The text of a .docx (one line per paragraph) or a plain text (its first `limit`
    bytes); None when it cannot be read (its own text findings say why)."""
    from mediacheck.discover.sniff import sniff
    from mediacheck.probe.text import MAX_TEXT_BYTES, ProbeFailure, decode_text, read_docx_text

    try:
        fmt = sniff(path)
        if fmt in ("docx", "ooxml") or path.suffix.lower() == ".docx":
            return read_docx_text(path)[0]
        with open(path, "rb") as fh:
            return decode_text(fh.read(limit or MAX_TEXT_BYTES))[0]
    except (OSError, ProbeFailure, ValueError):
        return None


def first_line(path: Path) -> str | None:
    """The title: the first non-blank paragraph of a .docx, or line of a plain text."""
    text = read_text(path, TITLE_BYTES)
    return next((line.strip() for line in (text or "").splitlines() if line.strip()), None)


def content_digest(path: Path) -> str | None:
    """A text's content, normalised (full-width folded, no case, no spaces, punctuation
    or symbols) and hashed: the same text in another unit, whatever its name or format.
    None for a text that cannot be read or holds nothing."""
    import hashlib

    text = read_text(path)
    if not text:
        return None
    kept = "".join(ch for ch in normal(text)
                   if not ch.isspace() and unicodedata.category(ch)[0] not in "PSCZ")  # fmt: skip
    return hashlib.sha256(kept.encode("utf-8")).hexdigest() if kept else None


def folder_role(name: str, words: Words) -> str | None:
    """What a folder's name says it holds: SUMMARY, CASE or None."""
    return by_words(name, words)
