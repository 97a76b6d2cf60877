"""A unit's files, wherever they are (#10): a folder as it is, a .zip unpacked into a
temporary folder (`discover/archive.py`), named in reports as the zip shows them
(``街道.zip!/案例/1.jpg``); and sorted into the parts of a submission (sets/submission.py
checks them): case folders, statistics tables and their sealed copies, work summaries
and case texts (told apart by `sets/roles.py`), and the files that are none of these.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mediacheck.discover.config import Config, relative_to_root
from mediacheck.discover.sniff import family, sniff
from mediacheck.discover.walk import kind_or_other, skipped, walk
from mediacheck.model import FileResult, ProbeError
from mediacheck.sets.roles import (
    BY_CONFIG,
    BY_CONTENT,
    BY_FOLDER,
    BY_NAME,
    CASE,
    SUMMARY,
    Role,
    Words,
    folder_role,
    text_role,
)
from mediacheck.words.lang import LANGS

SEALED_FORMATS = ("pdf", "ofd")  # a sealed copy of the table (probe/seal.py)
MAX_UNWRAP = 3  # folders holding one folder only, stepped into (a zip of the folder)
Text = dict[str, str]


def course_list_names() -> frozenset[str]:
    """The course list's names (`mediacheck template` writes them): the district's list."""
    from mediacheck.sets.course_template import XLSX_NAME, YAML_NAME

    return frozenset({YAML_NAME, XLSX_NAME, "courses.yml"})


@dataclass(frozen=True)
class Tree:
    """A unit's files on disk, and how each is named in reports and for the config."""

    given: Path  # PATH as the user gave it
    root: Path  # the folder holding the files (a temporary one for a zip)
    # a path below `root` as the user knows it, relative to `root` ("案例/1.jpg"): the
    # zip's own member names, which the folder on disk may have had to make portable
    member: Callable[[Path], str] | None = None
    rel_base: str | None = None  # `given` relative to the config's folder (a zip's globs)
    problems: tuple[tuple[str, Text], ...] = ()  # (member, text per language): a zip's
    error: ProbeError | None = None  # the submission cannot be read at all

    @property
    def is_zip(self) -> bool:
        return self.member is not None

    def name(self, path: Path) -> str:
        if self.member is not None:
            return self.member(Path(path))
        rel = os.path.relpath(path, self.root)
        return "" if rel == os.curdir else rel.replace(os.sep, "/")

    def show(self, path: Path) -> Path:
        """A path as reports name it: the zip's ``街道.zip!/案例/1.jpg``."""
        if self.member is None:
            return Path(path)
        name = self.name(path)
        return Path(f"{self.given}!/{name}") if name else self.given

    def rel(self, path: Path, config: Config) -> str | None:
        """For the config's globs: relative to the config's folder (a zip's members below
        the zip's own path)."""
        if self.member is None:
            return relative_to_root(path, config.root)
        if self.rel_base is None:
            return None
        name = self.name(path)
        return f"{self.rel_base}/{name}" if name else self.rel_base


@dataclass
class Parts:
    cases: dict[Path, Role] = field(default_factory=dict)  # folder -> how it was told
    summary_dirs: dict[Path, Role] = field(default_factory=dict)
    tables: list[Path] = field(default_factory=list)  # spreadsheets to probe
    sealed: list[Path] = field(default_factory=list)  # PDF/OFD to probe for a seal
    summaries: list[tuple[Path, Role]] = field(default_factory=list)
    case_texts: list[tuple[Path, Role]] = field(default_factory=list)  # outside a case folder
    untold: list[Path] = field(default_factory=list)
    others: list[tuple[Path, str]] = field(default_factory=list)  # (file, OTHER_WHAT key)
    files: int = 0


@contextmanager
def opened(path: Path, config: Config) -> Iterator[Tree]:
    """The unit's files: a folder as it is, a zip unpacked for the time of the block."""
    path = Path(path)
    if path.is_dir():
        yield Tree(path, path)
        return
    if not is_zip(path):
        try:
            what = family(sniff(path))
        except OSError as exc:
            detail = exc.strerror or str(exc)
            yield Tree(path, path, error=ProbeError("unreadable", detail, {"detail": detail}))
            return
        yield Tree(path, path, error=ProbeError("not_submission", what, {"what": what}))
        return
    from mediacheck.discover import archive  # zip reading only for zips

    with archive.unpacked(path) as u:
        yield _zip_tree(path, u, config)


def is_zip(path: Path) -> bool:
    from mediacheck.discover.archive import is_zip as plain_zip

    return plain_zip(path)


def _zip_tree(path: Path, u: Any, config: Config) -> Tree:
    folder = Path(u.folder)

    def member(p: Path) -> str:
        return "" if p == folder else str(u.shown(p)).strip("/")

    problems = tuple((p.member or path.name, {lang: p.text(lang) for lang in LANGS})
                     for p in u.problems)  # fmt: skip
    tree = Tree(path, folder, member=member, rel_base=relative_to_root(path, config.root),
                problems=problems)  # fmt: skip
    whole = [p for p in u.problems if p.member is None]
    if whole and not any(Path(k).is_file() for k in u.names):
        # nothing could be unpacked (damaged, encrypted, empty…): one clear finding
        texts = {f"text_{lang}": " ".join(p.text(lang) for p in whole) for lang in LANGS}
        return dataclasses.replace(tree, error=ProbeError("archive_failed", whole[0].code, texts))
    return tree


# ------------------------------------------------------------------ sorting files


def _children(folder: Path) -> tuple[list[Path], list[Path]]:
    """(files, folders) directly in `folder`, as the walker sees them."""
    files, dirs = [], []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return [], []
    for entry in entries:
        if skipped(entry.name):
            continue
        if entry.is_dir(follow_symlinks=False):
            dirs.append(Path(entry.path))
        elif not entry.is_symlink() or os.path.isfile(entry.path):
            files.append(Path(entry.path))
    return files, dirs


def unit_root(root: Path, words: Words) -> Path:
    """Step into a folder that holds nothing but one folder (a zip of the unit's folder
    holds the folder itself), unless that folder is a part (a case, a summary)."""
    for _ in range(MAX_UNWRAP):
        files, dirs = _children(root)
        if files or len(dirs) != 1 or folder_role(dirs[0].name, words) is not None:
            break
        root = dirs[0]
    return root


def _top(path: Path, root: Path) -> Path | None:
    """The direct subfolder of `root` that `path` lies in, or None at the top."""
    rel = Path(os.path.relpath(path, root))
    return root / rel.parts[0] if len(rel.parts) > 1 else None


def sort_files(tree: Tree, root: Path, words: Words, config: Config) -> Parts:
    parts = Parts()
    files = list(walk(root))
    parts.files = len(files)
    _files, dirs = _children(root)
    under: dict[Path, list[Path]] = {d: [] for d in dirs}
    for f in files:
        top = _top(f, root)
        if top in under:
            under[top].append(f)
    for d in dirs:
        rel = tree.rel(d, config)
        named = folder_role(d.name, words)
        if rel and config.is_case(rel):
            parts.cases[d] = Role(CASE, BY_CONFIG)
        elif rel and config.is_summary(rel, is_dir=True):
            parts.summary_dirs[d] = Role(SUMMARY, BY_CONFIG)
        elif named == CASE:
            parts.cases[d] = Role(CASE, BY_NAME)
        elif named == SUMMARY:
            parts.summary_dirs[d] = Role(SUMMARY, BY_NAME)
        elif any(kind_or_other(f) == "photo" for f in under[d]):
            parts.cases[d] = Role(CASE, BY_CONTENT)
    lists = course_list_names()
    for f in files:
        top = _top(f, root)
        if top in parts.cases:
            continue
        if f.name in lists:
            parts.others.append((f, "course_list"))
            continue
        kind = kind_or_other(f)
        if kind == "table":
            parts.tables.append(f)
        elif kind == "text":
            rel = tree.rel(f, config)
            declared = None
            if rel and config.is_summary(rel):
                declared = Role(SUMMARY, BY_CONFIG)
            elif top in parts.summary_dirs:
                how = parts.summary_dirs[top].how
                declared = Role(SUMMARY, BY_CONFIG if how == BY_CONFIG else BY_FOLDER)
            role = text_role(f, words, declared)
            if role is None:
                parts.untold.append(f)
            elif role.role == SUMMARY:
                parts.summaries.append((f, role))
            else:
                parts.case_texts.append((f, role))
        elif kind == "photo":
            parts.others.append((f, "loose_photo"))
        elif _sniffed(f) in SEALED_FORMATS:
            parts.sealed.append(f)
        else:
            parts.others.append((f, "other"))
    return parts


def _sniffed(path: Path) -> str:
    try:
        return sniff(path)
    except OSError:
        return "unknown"


def relative(tree: Tree, root: Path) -> Callable[[Path], str]:
    """A path as the user knows it, relative to the unit's root ("案例/1.jpg"; a folder
    ends in "/"): a folder and its zip read the same."""
    base = tree.name(root)

    def rel(p: Path) -> str:
        name = tree.name(p)
        if base and name.startswith(base + "/"):
            name = name[len(base) + 1 :]
        return name + "/" if Path(p).is_dir() else name

    return rel


def renamed(result: FileResult, tree: Tree) -> FileResult:
    """A result from a zip's temporary folder, named as the zip shows it."""
    root = str(tree.root)

    def name(p: Path) -> Path:
        return tree.show(Path(p)) if str(p).startswith(root) else Path(p)

    def text(t: Text) -> Text:
        return {k: v.replace(root, f"{tree.given}!") for k, v in t.items()}

    def series(v: Any) -> Any:
        if isinstance(v, list):
            return [series(x) for x in v]
        return str(name(Path(v))) if isinstance(v, str) and v.startswith(root) else v

    findings = tuple(dataclasses.replace(f, path=name(f.path), message=text(f.message),
                                         measured_text=text(f.measured_text))
                     for f in result.findings)  # fmt: skip
    evidence = {k: series(v) for k, v in result.evidence.items()}
    return dataclasses.replace(result, path=name(result.path), findings=findings,
                               evidence=evidence)  # fmt: skip
