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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mediacheck import probe as probes
from mediacheck.app import check_case_facts
from mediacheck.discover.config import Config
from mediacheck.discover.walk import walk
from mediacheck.discover.worklist import problem
from mediacheck.errors import MediacheckError
from mediacheck.evaluate import evaluate
from mediacheck.model import FAIL, INFO, MEASURED, PASS, Facts, FileResult, ProbeOptions
from mediacheck.profile import Profile
from mediacheck.sets.case import format_profile, usable
from mediacheck.sets.photo_groups import PhotoKey, keys_from_facts
from mediacheck.sets.roles import BY_CONTENT, Words, content_digest
from mediacheck.sets.unit_files import (
    Parts,
    Tree,
    opened,
    relative,
    renamed,
    sort_files,
    unit_root,
)
from mediacheck.tools import ToolMissing
from mediacheck.words.catalogue import say
from mediacheck.words.lang import LANGS, tr
from mediacheck.words.submission import OTHER_WHAT, ROLE_HOW

KIND = "submission"
NO_HEADER = "table_not_found"  # the table kind's error for a sheet without the header
Text = dict[str, str]


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


# ------------------------------------------------------------------ checking


def check_submission(path: Path, profile: Profile, config: Config | None = None,
                     jobs: int | None = None) -> UnitCheck:  # fmt: skip
    """Check one unit's folder or zip; never raises for a bad submission (a crash of
    mediacheck's own is that unit's finding: the district's other units are still
    checked). A profile without a ``submission:`` section is a `MediacheckError`."""
    if profile.submission is None:
        raise MediacheckError("submission.no_section", profile=profile.name)
    path = Path(path)
    config = config or Config()
    try:
        with opened(path, config) as tree:
            return _check_tree(tree, profile, config, jobs)
    except (MediacheckError, ToolMissing):
        raise
    except Exception as exc:
        detail = f"{type(exc).__name__}: {exc}"
        crashed = problem(path, "CHECK-CRASHED", "crashed", kind=KIND, detail=detail)
        return UnitCheck(path, path.stem if path.suffix.lower() == ".zip" else path.name,
                         [crashed])  # fmt: skip


def check_units(paths: Sequence[Path], profile: Profile, config: Config | None = None,
                jobs: int | None = None, on_start: Callable[[int], None] | None = None,
                on_unit: Callable[[], None] | None = None) -> list[UnitCheck]:  # fmt: skip
    """Several units, in the order given: one unit a process (a unit's few photos do not
    repay a pool of their own; a district's dozen units do). `on_start(units)` and
    `on_unit()` drive a progress bar."""
    if profile.submission is None:  # said here, not from inside a worker process
        raise MediacheckError("submission.no_section", profile=profile.name)
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
    root = unit_root(tree.root, words)
    parts = sort_files(tree, root, words, config)
    unit = UnitCheck(tree.given, name, [])
    rel = relative(tree, root)
    tables, sealed = _check_tables(parts, profile, rel, unit)
    for p, _role in parts.summaries:  # the text rules, cited under the summary clause
        unit.results.append(_recited(evaluate(probes.kind("text").probe(p), profile), words))
        _keep_digest(unit, p)
    cases = _check_cases(parts, profile, jobs, unit)

    facts = _unit_facts(tree, root, parts, tables, sealed, cases, unit.name)
    failing = [rel(r.path) for r in unit.results if r.status == FAIL]
    facts.set("submission.parts_failing", len(failing), source=MEASURED)
    facts.set("submission.parts_failing_list", "; ".join(failing) or "—", source=MEASURED)
    result = evaluate(facts, profile)
    result = _named(result, profile, _names(parts, tables, sealed, cases, rel, tree))
    unit.results.append(result)
    if tree.is_zip:  # named as the zip shows its members
        unit.results = [renamed(r, tree) for r in unit.results]
        unit.photos = [k._replace(path=tree.show(Path(k.path))) for k in unit.photos]
        unit.texts = [(tree.show(p), d) for p, d in unit.texts]
    return unit


def _check_tables(parts: Parts, profile: Profile, rel: Callable[[Path], str],
                  unit: UnitCheck) -> tuple[list[Path], list[Path]]:  # fmt: skip
    """The statistics tables (spreadsheets whose header was found, or that cannot be read)
    and the signed copies; their results go to `unit`, the others to `parts.others`."""
    options = ProbeOptions(profile=profile)
    table_facts = {p: probes.kind("table").probe(p, options) for p in parts.tables}
    tables = [p for p, f in table_facts.items() if f.error is None or f.error.code != NO_HEADER]
    headless = [p for p in parts.tables if p not in tables]
    sealed_facts = {p: probes.kind("table").probe(p, options) for p in parts.sealed}
    sealed = [p for p, f in sealed_facts.items() if _value(f, "seal.signed") is True]
    parts.others += [(p, "unsigned_copy") for p in parts.sealed if p not in sealed]
    if tables:
        parts.others += [(p, "no_header") for p in headless]
    for p in tables or headless:  # with no table, say why each sheet is none
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
    return tables, sealed


def _check_cases(parts: Parts, profile: Profile, jobs: int | None,
                 unit: UnitCheck) -> list[Path]:  # fmt: skip
    """Each case folder by the case rules; a case text standing beside the one case
    folder belongs to it. The usable photos and the texts are kept for the district."""
    cases = list(parts.cases)
    beside = [p for p, _r in parts.case_texts] if len(cases) == 1 else []
    if not beside:
        parts.others += [(p, "loose_case_text") for p, _r in parts.case_texts]
    formats = format_profile(profile)
    for folder in cases:
        check = check_case_facts(folder, profile, jobs, members=[*walk(folder), *beside])
        unit.results += check.results
        unit.photos += keys_from_facts([ph for ph in check.photos if usable(ph, formats)])
        for text in check.texts:
            if text.error is None:
                _keep_digest(unit, text.path)
    return cases


def _keep_digest(unit: UnitCheck, path: Path) -> None:
    digest = content_digest(path)
    if digest:
        unit.texts.append((path, digest))


def _value(facts: Facts, name: str) -> Any:
    fact = facts.get(name)
    return fact.value if fact else None


def _unit_facts(tree: Tree, root: Path, parts: Parts, tables: list[Path], sealed: list[Path],
                cases: list[Path], name: str) -> Facts:  # fmt: skip
    rel = relative(tree, root)
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


def _names(parts: Parts, tables: list[Path], sealed: list[Path], cases: list[Path],
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
