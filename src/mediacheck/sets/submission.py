"""`mediacheck submission PATH`: one unit's whole submission (SUB-COMPLETE, T-SUMMARY).

PATH is the unit's folder or a .zip of it (unpacked by `discover/archive.py` into a
temporary folder, removed afterwards). Its files are sorted into parts:

- **case folders**: direct subfolders declared by the config (``cases:``), named with a
  case word (案例), or holding photos; each is checked by the case rules (`app`);
- **statistics tables**: spreadsheets in which the table kind finds the header; a
  signed PDF/OFD is the table's sealed copy (checked for its seal, not a second table);
- **work summaries** and **case texts**: texts told apart by `sets/roles.py`; a summary's
  own text rules cite the summary clause (one 字数 limit, T-LENGTH, serves both texts);
- everything else (course lists, loose photos, other files) is listed.

The unit is a subject of its own (kind ``submission``) after the subjects of its parts.
Names in a zip are shown as ``街道.zip!/案例/1.jpg``; lists in messages are relative to
the unit's root, so a folder and its zip read the same.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mediacheck import probe as probes
from mediacheck.app import check_case_facts
from mediacheck.discover.config import Config, relative_to_root
from mediacheck.discover.sniff import family, sniff
from mediacheck.discover.walk import kind_or_other, skipped, walk
from mediacheck.evaluate import evaluate
from mediacheck.model import FAIL, INFO, MEASURED, PASS, Facts, FileResult, ProbeError, ProbeOptions
from mediacheck.profile import Profile
from mediacheck.sets.case import format_profile, usable
from mediacheck.sets.photo_groups import PhotoKey, keys_from_facts
from mediacheck.sets.roles import (
    BY_CONFIG,
    BY_CONTENT,
    BY_FOLDER,
    BY_NAME,
    CASE,
    SUMMARY,
    Role,
    Words,
    content_digest,
    folder_role,
    text_role,
)
from mediacheck.words.catalogue import say
from mediacheck.words.lang import LANGS, tr
from mediacheck.words.submission import OTHER_WHAT, ROLE_HOW

KIND = "submission"
SEALED_FORMATS = ("pdf", "ofd")  # a sealed copy of the table (probe/seal.py)
NO_HEADER = "table_not_found"  # the table kind's error for a sheet without the header
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
class UnitCheck:
    """One unit's results, and what the district compares across units."""

    path: Path  # as given
    name: str  # its table's 单位, else the folder's (or zip's) name
    results: list[FileResult]
    table: dict[str, Any] | None = None  # the one statistics table's fact values
    photos: list[PhotoKey] = field(default_factory=list)  # usable case photos, as shown
    texts: list[tuple[Path, str]] = field(default_factory=list)  # (as shown, content digest)

    @property
    def result(self) -> FileResult:
        """The unit's own subject (the last result)."""
        return self.results[-1]


@dataclass
class _Parts:
    cases: dict[Path, Role] = field(default_factory=dict)  # folder -> how it was told
    summary_dirs: dict[Path, Role] = field(default_factory=dict)
    tables: list[Path] = field(default_factory=list)  # spreadsheets to probe
    sealed: list[Path] = field(default_factory=list)  # PDF/OFD to probe for a seal
    summaries: list[tuple[Path, Role]] = field(default_factory=list)
    case_texts: list[tuple[Path, Role]] = field(default_factory=list)  # outside a case folder
    untold: list[Path] = field(default_factory=list)
    others: list[tuple[Path, str]] = field(default_factory=list)  # (file, OTHER_WHAT key)
    files: int = 0


# ------------------------------------------------------------------ opening PATH


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


def sort_files(tree: Tree, root: Path, words: Words, config: Config) -> _Parts:
    parts = _Parts()
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


# ------------------------------------------------------------------ checking


def check_submission(path: Path, profile: Profile, config: Config | None = None,
                     jobs: int | None = None) -> UnitCheck:  # fmt: skip
    """Check one unit's folder or zip; never raises for a bad submission."""
    config = config or Config()
    with opened(Path(path), config) as tree:
        return _check_tree(tree, profile, config, jobs)


def check_units(paths: Sequence[Path], profile: Profile, config: Config | None = None,
                jobs: int | None = None, on_start: Callable[[int], None] | None = None,
                on_unit: Callable[[], None] | None = None) -> list[UnitCheck]:  # fmt: skip
    """Several units, in the order given: one unit a process (a unit's few photos do not
    repay a pool of their own; a district's dozen units do). `on_start(units)` and
    `on_unit()` drive a progress bar."""
    workers = min(jobs or os.cpu_count() or 1, len(paths))
    started = on_start or (lambda n: None)
    done = on_unit or (lambda: None)
    if workers <= 1:
        if (jobs or os.cpu_count() or 1) <= 1:  # else one unit's photos may fork a pool
            started(len(paths))
        out = []
        for p in paths:
            out.append(check_submission(p, profile, config, jobs))
            done()
        return out
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(check_submission, p, profile, config, 1) for p in paths]
        # only now may a progress bar start its thread: forking a process that runs
        # threads can deadlock the child (runner.py does the same)
        started(len(paths))
        for _ in as_completed(futures):
            done()
        return [f.result() for f in futures]


def _check_tree(tree: Tree, profile: Profile, config: Config, jobs: int | None) -> UnitCheck:
    name = tree.given.stem if tree.given.suffix.lower() == ".zip" else tree.given.name
    if tree.error is not None:
        facts = Facts(path=tree.given, kind=KIND, error=tree.error)
        return UnitCheck(tree.given, name, [evaluate(facts, profile)])
    words = profile.submission
    if words is None:
        raise ValueError("the profile has no 'submission:' section")
    root = unit_root(tree.root, words)
    parts = sort_files(tree, root, words, config)
    options = ProbeOptions(profile=profile)
    unit = UnitCheck(tree.given, name, [])
    rel = _relative(tree, root)

    # statistics tables: the spreadsheets whose header was found (or that cannot be read)
    table_facts = {p: probes.kind("table").probe(p, options) for p in parts.tables}
    tables = [p for p, f in table_facts.items() if f.error is None or f.error.code != NO_HEADER]
    headless = [p for p in parts.tables if p not in tables]
    sealed_facts = {p: probes.kind("table").probe(p, options) for p in parts.sealed}
    sealed = [p for p, f in sealed_facts.items() if _value(f, "seal.signed") is True]
    parts.others += [(p, "unsigned_copy") for p in parts.sealed if p not in sealed]
    shown_tables = tables or headless  # with no table, say why each sheet is none
    if tables:
        parts.others += [(p, "no_header") for p in headless]
    for p in shown_tables:
        result = evaluate(table_facts[p], profile)
        if sealed:
            result = _seal_in_copy(result, profile, [rel(s) for s in sealed])
        unit.results.append(result)
    unit.results += [evaluate(sealed_facts[p], profile) for p in sealed]
    if len(tables) == 1 and table_facts[tables[0]].error is None:
        facts = table_facts[tables[0]]
        unit.table = {n: f.value for n, f in facts.values.items()}
        if _value(facts, "table.unit_filled") is True:
            unit.name = str(_value(facts, "table.unit"))

    # work summaries: the text rules, cited under the summary clause
    for p, _role in parts.summaries:
        result = evaluate(probes.kind("text").probe(p), profile)
        unit.results.append(_recited(result, words))
        digest = content_digest(p)
        if digest:
            unit.texts.append((p, digest))

    # cases: a case text standing beside the one case folder belongs to it
    cases = list(parts.cases)
    beside = [p for p, _r in parts.case_texts] if len(cases) == 1 else []
    if not beside:
        parts.others += [(p, "loose_case_text") for p, _r in parts.case_texts]
    formats = format_profile(profile)
    for folder in cases:
        members = [f for f in walk(folder)] + beside
        check = check_case_facts(folder, profile, jobs, members=members)
        unit.results += check.results
        good = [ph for ph in check.photos if usable(ph, formats)]
        unit.photos += keys_from_facts(good)
        for text in check.texts:
            digest = content_digest(text.path) if text.error is None else None
            if digest:
                unit.texts.append((text.path, digest))

    facts = _unit_facts(tree, root, parts, tables, sealed, cases, unit.name)
    failing = [rel(r.path) for r in unit.results if r.status == FAIL]
    facts.set("submission.parts_failing", len(failing), source=MEASURED)
    facts.set("submission.parts_failing_list", "; ".join(failing) or "—", source=MEASURED)
    result = evaluate(facts, profile)
    result = _named(result, profile, _names(parts, tables, sealed, cases, rel, tree))
    unit.results.append(result)
    if tree.is_zip:  # named as the zip shows its members
        unit.results = [_renamed(r, tree) for r in unit.results]
        unit.photos = [k._replace(path=tree.show(Path(k.path))) for k in unit.photos]
        unit.texts = [(tree.show(p), d) for p, d in unit.texts]
    return unit


def _value(facts: Facts, name: str) -> Any:
    fact = facts.get(name)
    return fact.value if fact else None


def _relative(tree: Tree, root: Path) -> Callable[[Path], str]:
    """A path as the user knows it, relative to the unit's root ("案例/1.jpg"; a folder
    ends in "/"): a folder and its zip read the same."""
    base = tree.name(root)

    def rel(p: Path) -> str:
        name = tree.name(p)
        if base and name.startswith(base + "/"):
            name = name[len(base) + 1 :]
        return name + "/" if Path(p).is_dir() else name

    return rel


def _unit_facts(tree: Tree, root: Path, parts: _Parts, tables: list[Path], sealed: list[Path],
                cases: list[Path], name: str) -> Facts:  # fmt: skip
    rel = _relative(tree, root)
    facts = Facts(path=tree.given, kind=KIND)

    def counted(fact: str, paths: list[Path]) -> None:
        facts.set(f"submission.{fact}", len(paths), source=MEASURED)
        facts.set(f"submission.{fact}_list", "; ".join(rel(p) for p in paths) or "—",
                  source=MEASURED)  # fmt: skip

    facts.set("submission.unit", name, source=MEASURED)
    facts.set("submission.files", parts.files, source=MEASURED)
    facts.set("submission.sealed_copies", len(sealed), source=MEASURED)
    counted("tables", tables)
    counted("summaries", [p for p, _r in parts.summaries])
    counted("cases", cases)
    facts.set("submission.untold_texts", len(parts.untold), source=MEASURED)
    facts.set("submission.untold_list", "; ".join(rel(p) for p in parts.untold) or "—",
              source=MEASURED)  # fmt: skip
    facts.set("submission.others", len(parts.others), source=MEASURED)
    facts.set("submission.others_list", "; ".join(rel(p) for p, _w in parts.others) or "—",
              source=MEASURED)  # fmt: skip
    if not tree.is_zip:  # a folder: nothing was unpacked
        facts.absent("submission.archive_problems", "not_requested")
    else:
        facts.set("submission.archive_problems", len(tree.problems), source=MEASURED)
        facts.set("submission.archive_list", "; ".join(m for m, _t in tree.problems) or "—",
                  source=MEASURED)  # fmt: skip
    return facts


def _names(parts: _Parts, tables: list[Path], sealed: list[Path], cases: list[Path],
           rel: Callable[[Path], str], tree: Tree) -> dict[str, Text]:  # fmt: skip
    """Per language, what each count is made of and how each role was decided: the
    measured column of the counting rules ("1 — 工作总结.docx（按名称）")."""

    def how(items: list[tuple[Path, str]]) -> Text:
        return {lang: "; ".join(say("submission.how", lang, name=rel(p), how=tr(ROLE_HOW[h], lang))
                                for p, h in items) for lang in LANGS}  # fmt: skip

    def what(items: list[tuple[Path, str]]) -> Text:
        return {lang: "; ".join(say("submission.what", lang, name=rel(p),
                                    what=tr(OTHER_WHAT[w], lang)) for p, w in items)
                for lang in LANGS}  # fmt: skip

    table_text = how([(p, BY_CONTENT) for p in tables])
    for lang in LANGS:
        copies = [say("submission.sealed_copy", lang, name=rel(p)) for p in sealed]
        table_text[lang] = "; ".join(x for x in (table_text[lang], *copies) if x)
    return {
        "submission.tables": table_text,
        "submission.summaries": how([(p, r.how) for p, r in parts.summaries]),
        "submission.cases": how([(p, parts.cases[p].how) for p in cases]),
        "submission.untold_texts": how([]) if not parts.untold else {
            lang: "; ".join(rel(p) for p in parts.untold) for lang in LANGS},
        "submission.others": what(parts.others),
        "submission.archive_problems": {
            lang: "; ".join(say("submission.archive_problem", lang, member=m, text=t[lang])
                            for m, t in tree.problems) for lang in LANGS},
    }  # fmt: skip


def _named(result: FileResult, profile: Profile, names: dict[str, Text]) -> FileResult:
    """The counting findings' measured column: the count, then what it counts."""
    facts_of = {r.id: r.fact for r in profile.for_kind(KIND)}
    findings = []
    for f in result.findings:
        text = names.get(facts_of.get(f.rule_id) or "")
        if text and f.measured is not None and f.measured.value and all(text.values()):
            shown = {lang: f"{f.measured_text[lang]} — {text[lang]}" for lang in LANGS}
            f = dataclasses.replace(f, measured_text=shown)
        findings.append(f)
    return dataclasses.replace(result, findings=tuple(findings))


def _recited(result: FileResult, words: Words) -> FileResult:
    """A work summary's own text rules cite the summary clause: T-LENGTH serves both
    texts with one limit, and the role decides which clause it enforces here."""
    findings = tuple(
        dataclasses.replace(f, spec=words.summary_clause) if f.spec == words.case_clause else f
        for f in result.findings
    )
    return dataclasses.replace(result, findings=findings)


def _seal_in_copy(result: FileResult, profile: Profile, copies: list[str]) -> FileResult:
    """The spreadsheet itself is unsigned, but the submission holds its sealed copy: the
    seal rule's warning becomes a note naming the copy."""
    seal_rules = {r.id for r in profile.for_kind("table") if r.fact == "seal.signed"}
    names = ", ".join(copies)
    findings = tuple(
        dataclasses.replace(f, status=INFO, hint={}, message={
            lang: say("submission.seal_in_copy", lang, names=names) for lang in LANGS})
        if f.rule_id in seal_rules and f.status != PASS else f
        for f in result.findings
    )  # fmt: skip
    return dataclasses.replace(result, findings=findings)


def _renamed(result: FileResult, tree: Tree) -> FileResult:
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
