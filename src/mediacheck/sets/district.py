"""`mediacheck district DIR`: every unit's submission, and the district as a whole
(SUB-DISTRICT).

DIR holds one folder or .zip per unit, the district's course list (courses.yaml or
课程清单.xlsx) and, optionally, `units.yaml` naming the units expected. Subjects, in
order: each unit's (its parts, then the unit: sets/submission.py), the course list's
(sets/course_run.py), then the district (kind ``district``): who is missing, photos and
texts found in two units' cases, tables that cannot be totalled or contradict one
another, and C-COUNT over the district — the course-list rule itself, on the district's
count (without a course list: not checked, never a pass).

A folder holding a file the course list declares is the courses' folder, not a unit.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mediacheck.discover.config import Config
from mediacheck.discover.walk import skipped
from mediacheck.evaluate import evaluate
from mediacheck.model import FAIL, MEASURED, Facts, FileResult, Finding
from mediacheck.probe.table_layout import Layout
from mediacheck.profile import Profile
from mediacheck.sets.photo_groups import Thresholds, group_photos
from mediacheck.sets.roles import normal
from mediacheck.sets.submission import UnitCheck, check_units
from mediacheck.sets.unit_files import course_list_names, is_zip
from mediacheck.sets.units_list import NAMES as UNITS_NAMES
from mediacheck.sets.units_list import UnitsList, find_units, load_units

KIND = "district"
COUNT_FACT = "courses.count"  # the course-list fact C-COUNT reads


@dataclass
class DistrictCheck:
    results: list[FileResult]
    units: list[tuple[str, UnitCheck]]  # (name in the merged table, the unit), in order
    district: str  # the district's name (units.yaml, the course list, else DIR's)
    rows: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # merged table


@dataclass(frozen=True)
class Entries:
    """DIR's entries, sorted into their parts."""

    units: list[Path]
    lists: list[Path]  # course lists
    others: list[Path]
    units_file: Path | None


def sort_entries(folder: Path) -> Entries:
    names = course_list_names()
    units, lists, others = [], [], []
    units_file = find_units(folder)
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        path = Path(entry.path)
        if skipped(entry.name) or entry.name in UNITS_NAMES:
            continue
        if entry.is_dir(follow_symlinks=False):
            units.append(path)
        elif entry.name in names:
            lists.append(path)
        elif entry.is_file() and is_zip(path):
            units.append(path)
        else:
            others.append(path)
    return Entries(units, lists, others, units_file)


def unit_name(path: Path) -> str:
    return path.stem if path.suffix.lower() == ".zip" and path.is_file() else path.name


def check_district(folder: Path, profile: Profile, config: Config | None = None,
                   jobs: int | None = None, links: Any = None,
                   on_start: Callable[[int], None] | None = None,
                   on_unit: Callable[[], None] | None = None) -> DistrictCheck:  # fmt: skip
    """Check every unit's submission in `folder`, its course list, and the district.
    A bad units.yaml raises `UnitsError` before anything is read. `on_start(units)` and
    `on_unit()` drive a progress bar."""
    folder = Path(folder)
    entries = sort_entries(folder)
    expected = load_units(entries.units_file) if entries.units_file else None
    results: list[FileResult] = []

    course_results, course_ids, list_district, course_dirs = _courses(entries.lists, folder,
                                                                      profile, links)  # fmt: skip
    unit_paths = [p for p in entries.units if p not in course_dirs]
    units = check_units(unit_paths, profile, config, jobs, on_start, on_unit)
    for unit in units:
        results += unit.results
    results += course_results

    matched, missing, unexpected = match_units(units, expected)
    named = _named_units(units, matched, expected)
    district = (expected.district if expected and expected.district else None) or list_district
    facts = _district_facts(
        folder,
        named,
        [unit_name(units[i].path) for i in unexpected],
        missing,
        expected,
        entries.others,
        profile,
    )
    result = evaluate(facts, profile)
    count = _course_count(folder, profile, course_ids, bool(entries.lists))
    result = dataclasses.replace(result, findings=result.findings + count)
    results.append(result)
    rows = [(name, unit.table or {}) for name, unit in named]
    return DistrictCheck(results, named, district or folder.resolve().name, rows)


# ------------------------------------------------------------------ the course list


def _courses(lists: list[Path], folder: Path, profile: Profile, links: Any,
             ) -> tuple[list[FileResult], list[str] | None, str | None, set[Path]]:  # fmt: skip
    """The lists' results (their C-COUNT left to the district's), the courses' ids over
    all lists (None when no list could be read), the district named in a list, and the
    folders holding declared files."""
    from mediacheck.sets.course_run import check_courses
    from mediacheck.sets.courses import load_list

    results: list[FileResult] = []
    ids: list[str] | None = None
    district = None
    dirs: set[Path] = set()
    count_rules = {r.id for r in profile.for_kind("course_list") if r.fact == COUNT_FACT}
    for path in lists:
        clist = load_list(path)
        run = check_courses(path, profile, links=links).run
        for r in run.files:
            kept = tuple(f for f in r.findings if f.rule_id not in count_rules)
            results.append(dataclasses.replace(r, findings=kept))
        if clist.error is not None:
            continue
        ids = ids or []
        district = district or clist.district
        for entry in clist.entries:
            ids.append(entry.id or f"{path.name}#{entry.index}")
            for episode in entry.course.episodes if entry.course else ():
                if episode.file:
                    top = Path(episode.file).parts[:1]
                    if top and (folder / top[0]).is_dir():
                        dirs.add(folder / top[0])
    return results, ids, district, dirs


def _course_count(folder: Path, profile: Profile, ids: list[str] | None,
                  had_list: bool) -> tuple[Finding, ...]:  # fmt: skip
    """C-COUNT over the district: the course list's own rule, on the district's count (a
    course listed in both courses.yaml and 课程清单.xlsx counts once)."""
    from mediacheck.sets.courses import LIST_FACTS

    facts = Facts(path=folder, kind="course_list")
    facts.absent_all([n for n in LIST_FACTS if n != COUNT_FACT], "not_requested")
    if ids is not None:
        facts.set(COUNT_FACT, len(dict.fromkeys(ids)), source=MEASURED)
    else:
        facts.absent(COUNT_FACT, "course_list_unreadable" if had_list else "no_course_list")
    only = dataclasses.replace(profile, rules=tuple(
        r for r in profile.for_kind("course_list") if r.fact == COUNT_FACT))  # fmt: skip
    return evaluate(facts, only).findings


# ------------------------------------------------------------------ units


def match_units(units: Sequence[UnitCheck], expected: UnitsList | None,
                ) -> tuple[dict[int, str], list[str], list[int]]:  # fmt: skip
    """Which unit (by index) is which expected name; the names missing; the units not on
    the list. A folder named as the unit (or its `folder:`), else one whose name holds the
    unit's name, else one whose table names it."""
    if expected is None:
        return {}, [], []
    matched: dict[int, str] = {}
    keys = [normal(unit_name(u.path)) for u in units]
    tables = [normal(u.name) for u in units]
    for tell in (
        lambda e, i: keys[i] == normal(e.folder or e.name),
        lambda e, i: normal(e.name) in keys[i],
        lambda e, i: normal(e.name) in tables[i],
    ):  # fmt: skip
        for e in expected.units:
            if e.name in matched.values():
                continue
            found = [i for i in range(len(units)) if i not in matched and tell(e, i)]
            if len(found) == 1:
                matched[found[0]] = e.name
    missing = [e.name for e in expected.units if e.name not in matched.values()]
    unexpected = [i for i in range(len(units)) if i not in matched]
    return matched, missing, unexpected


def _named_units(units: Sequence[UnitCheck], matched: dict[int, str],
                 expected: UnitsList | None) -> list[tuple[str, UnitCheck]]:  # fmt: skip
    """The units in the merged table's order (units.yaml's, then the others), each with
    its name there: the listed name, else its table's 单位, else its folder's name."""
    order = {e.name: i for i, e in enumerate(expected.units)} if expected else {}
    named = [(matched.get(i, u.name), u) for i, u in enumerate(units)]
    return sorted(named, key=lambda nu: (order.get(nu[0], len(order)), unit_name(nu[1].path)))


def _district_facts(folder: Path, named: list[tuple[str, UnitCheck]], unexpected: list[str],
                    missing: list[str], expected: UnitsList | None, others: list[Path],
                    profile: Profile) -> Facts:  # fmt: skip
    facts = Facts(path=folder, kind=KIND)

    def rel(p: Path) -> str:
        r = os.path.relpath(p, folder)
        return Path(p).as_posix() if r.startswith(os.pardir) else r.replace(os.sep, "/")

    def counted(fact: str, count: int, items: Sequence[str]) -> None:
        facts.set(f"district.{fact}", count, source=MEASURED)
        facts.set(f"district.{fact}_list", "; ".join(items) or "—", source=MEASURED)

    units = [u for _n, u in named]
    counted("units", len(units), [unit_name(u.path) for u in units])
    if expected is None:
        facts.absent("district.units_missing", "no_units_list")
        facts.absent("district.units_unexpected", "not_requested")
    else:
        counted("units_missing", len(missing), missing)
        counted("units_unexpected", len(unexpected), unexpected)
    failing = [name for name, u in named if any(r.status == FAIL for r in u.results)]
    counted("units_failing", len(failing), failing)

    owner = {str(k.path): name for name, u in named for k in u.photos}
    thresholds = Thresholds(duplicate=profile.photo_hashes["duplicate"],
                            similar=profile.photo_hashes["similar"])  # fmt: skip
    grouping = group_photos([k for u in units for k in u.photos], thresholds)
    near = {p for g in grouping.near for p in g.paths}
    repeats = [*grouping.near, *(g for g in grouping.exact if not set(g.paths) <= near)]
    across = [g for g in repeats if len({owner[str(p)] for p in g.paths}) > 1]
    counted("duplicate_photos", sum(len(g.paths) for g in across),
            [" = ".join(rel(p) for p in g.paths) for g in across])  # fmt: skip

    by_digest: dict[str, list[tuple[str, Path]]] = {}
    for name, u in named:
        for path, digest in u.texts:
            by_digest.setdefault(digest, []).append((name, path))
    texts = [g for g in by_digest.values() if len({n for n, _p in g}) > 1]
    counted("duplicate_texts", sum(len(g) for g in texts),
            [" = ".join(rel(p) for _n, p in g) for g in texts])  # fmt: skip

    layout: Layout | None = profile.tables.get("statistics")
    keys = [f"table.{c.key}" for c in layout.columns] if layout else []
    unread = [
        name
        for name, u in named
        if u.table is None
        or not all(
            isinstance(u.table.get(k), int) and not isinstance(u.table.get(k), bool) for k in keys
        )
    ]
    counted("tables_unread", len(unread), unread)
    same: dict[str, list[str]] = {}
    copied: dict[tuple[Any, ...], list[str]] = {}
    for name, u in named:
        if u.table and u.table.get("table.unit_filled") is True:
            same.setdefault(normal(str(u.table.get("table.unit"))), []).append(name)
        if u.table and name not in unread:
            copied.setdefault(tuple(u.table[k] for k in keys), []).append(name)
    same_groups = [f"{' = '.join(names)}" for names in same.values() if len(names) > 1]
    counted("tables_same_unit", len(same_groups), same_groups)
    copies = [" = ".join(names) for names in copied.values() if len(names) > 1]
    counted("tables_copied", len(copies), copies)
    counted("others", len(others), [rel(p) for p in others])
    return facts


def merged_date(today: datetime.date | None = None) -> str:
    """The merged table's 日期: the day it is written, as the notice writes dates."""
    d = today or datetime.date.today()
    return f"{d.year}年{d.month}月{d.day}日"
