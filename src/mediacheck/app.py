"""The one flow: paths -> discover -> probe -> facts -> evaluate(profile) -> findings.

Per-file kinds (video, photo, text) go through `check_one`; photos and texts checked
together also get the set rules (P-COUNT, P-UNIQUE) through `case.case_facts`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple

from mediacheck import probe as probes
from mediacheck.discover import sniff
from mediacheck.discover.walk import discover
from mediacheck.discover.worklist import case_members, os_problem
from mediacheck.evaluate import evaluate
from mediacheck.model import Facts, FileResult, ProbeOptions, RunResult
from mediacheck.profile import Profile

OnResult = Callable[[FileResult], None] | None


def check_one(
    path: Path,
    profile: Profile,
    kind: str,
    deep: bool = False,
    on_progress: Callable[[float], None] | None = None,
) -> FileResult:
    """Probe and evaluate one file. Top-level and picklable, so worker processes can run it.

    `deep` asks for a full decode of videos (slow); `on_progress` hears its position in s.
    """
    options = ProbeOptions(deep=deep, on_progress=on_progress, profile=profile)
    facts = probes.kind(kind).probe(path, options)
    return evaluate(facts, profile)


def check_files(
    paths: Iterable[Path],
    profile: Profile,
    kind: str,
    on_result: OnResult = None,
    deep: bool = False,
    on_progress: Callable[[Path, float], None] | None = None,
) -> RunResult:
    """Check every file as `kind`; one file's failure never stops the others."""
    results = []
    for path in discover(paths, {kind}):
        progress = (lambda t, p=path: on_progress(p, t)) if on_progress else None
        result = check_one(path, profile, kind, deep=deep, on_progress=progress)
        results.append(result)
        if on_result:
            on_result(result)
    return RunResult(profile=profile.name, files=tuple(results))


Tick = Callable[[int, int], None] | None  # (done, total) as photos finish


def _probe_photos(paths: list[Path], jobs: int | None, tick: Tick = None) -> list[Facts]:
    from mediacheck.probe.photo import probe_many

    order = {p: i for i, p in enumerate(paths)}
    found = []
    # Hashing is CPU-bound: worker processes, results put back in the given order.
    for facts in probe_many(paths, jobs):
        found.append(facts)
        if tick:
            tick(len(found), len(paths))
    return sorted(found, key=lambda f: order.get(f.path, len(order)))


def _set_result(folder: Path, photos: list[Facts], texts: list[Facts] | None,
                profile: Profile) -> FileResult:  # fmt: skip
    from mediacheck.sets.case import case_facts  # photo grouping: not needed to check a video

    return evaluate(case_facts(folder, photos, texts, profile), profile)


def _emit(results: list[FileResult], on_result: OnResult) -> None:
    if on_result:
        for result in results:
            on_result(result)


def check_photos(
    paths: Iterable[Path],
    profile: Profile,
    on_result: OnResult = None,
    jobs: int | None = None,
    tick: Tick = None,
) -> RunResult:
    """Each photo on its own, then the set rules over all of them (count, no repeats)."""
    paths = list(paths)
    files = discover(paths, {"photo"})
    facts = _probe_photos(files, jobs, tick)
    results = [evaluate(f, profile) for f in facts]
    if files:
        base = Path(os.path.commonpath([p.absolute() for p in paths]))
        label = paths[0] if len(paths) == 1 and paths[0].is_dir() else base
        results.append(_set_result(label, facts, None, profile))
    _emit(results, on_result)
    return RunResult(profile=profile.name, files=tuple(results))


def check_case(
    folder: Path,
    profile: Profile,
    jobs: int | None = None,
    tick: Tick = None,
    members: Iterable[Path] | None = None,
    texts: bool = True,
) -> list[FileResult]:
    """A set of files checked together: each photo and text file by file, then the set as
    a whole. `members` default to the case folder's files (the one walker); `texts`
    False is a bare set of photos (the text rules then say nothing)."""
    return check_case_facts(folder, profile, jobs, tick, members, texts).results


class CaseCheck(NamedTuple):
    """A case's results (each member, then the case), and its members' facts: a unit's
    submission and a district compare photos and texts across cases (sets/district.py)."""

    results: list[FileResult]
    photos: list[Facts]
    texts: list[Facts]


def check_case_facts(
    folder: Path,
    profile: Profile,
    jobs: int | None = None,
    tick: Tick = None,
    members: Iterable[Path] | None = None,
    texts: bool = True,
) -> CaseCheck:
    """`check_case`, keeping the members' facts."""
    files = list(members) if members is not None else case_members(folder)
    kinds: dict[Path, str] = {}
    unreadable: dict[Path, FileResult] = {}
    for p in files:
        try:
            sniff.regular(p)
            kinds[p] = sniff.kind_of(p)
        except OSError as exc:  # a FIFO, a dangling link, a loop: that member's finding
            unreadable[p] = os_problem(p, exc)
    photos = _probe_photos([p for p in files if kinds.get(p) == "photo"], jobs, tick)
    text_facts = [probes.kind("text").probe(p) for p in files if kinds.get(p) == "text"]
    by_path = {f.path: evaluate(f, profile) for f in (*photos, *text_facts)} | unreadable
    results = [by_path[p] for p in files if p in by_path]
    results.append(_set_result(folder, photos, text_facts if texts else None, profile))
    return CaseCheck(results, photos, text_facts)


def check_cases(
    folders: Iterable[Path],
    profile: Profile,
    on_result: OnResult = None,
    jobs: int | None = None,
    tick: Tick = None,
) -> RunResult:
    folders = list(folders)
    discover(folders)  # missing paths: exit 2 before anything is probed
    results: list[FileResult] = []
    for folder in folders:
        found = check_case(folder, profile, jobs, tick)
        _emit(found, on_result)
        results.extend(found)
    return RunResult(profile=profile.name, files=tuple(results))
