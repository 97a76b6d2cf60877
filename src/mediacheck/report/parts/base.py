"""What every part of the HTML report shares: the render environment and escaping."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from mediacheck.model import RunResult
from mediacheck.profile import Profile, Rule
from mediacheck.report.common import KIND_NAMES, rel_path
from mediacheck.report.parts.thumbs import Frames
from mediacheck.words.html import say
from mediacheck.words.lang import tr, visible

MARK = {"pass": "✓", "info": "i", "warn": "!", "fail": "✗"}


@dataclass
class Previews:
    """Thumbnails made before rendering (in parallel), looked up by path."""

    photos: dict[Path, str | None] = field(default_factory=dict)
    videos: dict[Path, Frames] = field(default_factory=dict)
    texts: dict[Path, dict | None] = field(default_factory=dict)
    groups: dict[Path, object] = field(default_factory=dict)  # case path -> CaseGroups


@dataclass
class Env:
    lang: str
    root: Path
    profile: Profile | None
    run: RunResult
    previews: Previews
    rules: dict[str, Rule] = field(default_factory=dict)

    def name(self, path: Path) -> str:
        return display_name(path, self.root, self.lang)

    def say(self, key: str, **params: object) -> str:
        return say(key, self.lang, **params)

    def kind(self, kind: str) -> str:
        return tr(KIND_NAMES.get(kind, {"zh": kind, "en": kind}), self.lang)


def display_name(path: Path, root: Path, lang: str) -> str:
    """A path as the report shows it: relative to the root, on one line; the root itself
    (a case made of the files chosen, with no folder of their own) by a word."""
    rel = rel_path(path, root)
    return say("root_name", lang) if rel == "." else shown(rel)


def esc(value: object) -> str:
    """Text for HTML content and attribute values alike (quotes escaped too)."""
    return escape(str(value), quote=True)


def shown(name: str) -> str:
    """One name, one line: control characters (a newline in a file name) made visible."""
    return visible(name)


def status_html(status: str, lang: str, badge: bool = False) -> str:
    word = esc(say("status." + status, lang))
    mark = f'<span aria-hidden="true">{MARK[status]}</span> '
    if badge:
        return f'<span class="badge {status}">{mark}{word}</span>'
    return f'<span class="st {status}">{mark}{word}</span>'


def file_size(path: Path) -> int | None:
    try:
        return os.stat(path).st_size if os.path.isfile(path) else None
    except OSError:
        return None


def result_id(index: int) -> str:
    """Element ids come from positions, never from file names."""
    return f"s{index + 1}"
