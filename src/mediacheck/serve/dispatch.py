"""What to check in an uploaded folder, and how: kind by content, then the app's flows.

One small function on purpose (`check_folder`): when the kind registry lands, this is
the one place to replace. An upload that is a unit's submission (the folder, or the one
.zip dropped) is checked as one (`sets/submission.py` decides, `holds_unit`: the unit's
subject after its parts'). Otherwise a folder that directly holds photos and a text is
a case (checked as one, with its set rules); other photos are checked as one set;
videos, texts and tables file by file; anything else is listed, not checked.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from mediacheck import app
from mediacheck.discover.archive import is_zip
from mediacheck.discover.sniff import kind_of
from mediacheck.discover.walk import discover, walk
from mediacheck.model import FileResult, RunResult
from mediacheck.profile import Profile
from mediacheck.report.common import Listed
from mediacheck.sets.submission import check_if_unit

Progress = Callable[[int, int], None]  # (files done, files to check)


class Cancelled(BaseException):
    """The job was cancelled (its page closed); raised from inside a progress callback.
    A BaseException, as asyncio's CancelledError: a check's own `except Exception` (a
    unit's crash is its finding) must not turn a cancel into a crash."""


FILE_KINDS = ("video", "text", "table")  # checked file by file


def plan(folder: Path) -> tuple[dict[str, list[Path]], list[Path], list[Listed]]:
    """(files by kind outside cases, case folders, listed) for an uploaded folder."""
    kinds = {p: kind_of(p) for p in discover([folder])}
    per_dir: dict[Path, set[str]] = defaultdict(set)
    for path, kind in kinds.items():
        per_dir[path.parent].add(kind)
    cases = sorted(d for d, ks in per_dir.items() if {"photo", "text"} <= ks)
    # the outermost case folder wins: a case's subfolders belong to it
    cases = [c for c in cases if not any(o in c.parents for o in cases)]
    loose: dict[str, list[Path]] = defaultdict(list)
    listed = []
    for path, kind in kinds.items():
        if any(c in path.parents for c in cases):
            continue
        if kind in (*FILE_KINDS, "photo"):
            loose[kind].append(path)
        else:
            listed.append(Listed(path, kind, "no_checks"))
    return loose, cases, listed


def unit_candidate(folder: Path) -> Path:
    """What may be a unit's submission: the one .zip dropped alone, the one folder
    dropped (so the unit is named as the clerk's folder, not as the job's), else the
    upload's folder."""
    files = list(walk(folder))
    if len(files) == 1 and is_zip(files[0]):
        return files[0]
    tops = {Path(os.path.relpath(f, folder)).parts[0] for f in files}
    if len(tops) == 1 and (only := folder / tops.pop()).is_dir():
        return only
    return folder


def check_unit(
    folder: Path, profile: Profile, progress: Progress, cancelled: Callable[[], bool]
) -> RunResult | None:
    """The upload checked as a unit's submission, or None when it is not one."""

    def tick(done: int, total: int) -> None:
        if cancelled():
            raise Cancelled
        progress(done, total)

    unit = check_if_unit(unit_candidate(folder), profile, tick=tick)
    if unit is None:
        return None
    return RunResult(profile=profile.name, files=tuple(unit.results))


def check_folder(
    folder: Path, profile: Profile, progress: Progress, cancelled: Callable[[], bool]
) -> tuple[RunResult, list[Listed]]:
    unit = check_unit(folder, profile, progress, cancelled)
    if unit is not None:  # its other files are listed in the unit's own findings
        return unit, []
    loose, cases, listed = plan(folder)
    in_cases = sum(
        1 for c in cases for p in discover([c], {"photo", "text"})
    )  # what the case flow will check
    total = sum(len(v) for v in loose.values()) + in_cases
    done = 0

    def step(result: FileResult) -> None:
        nonlocal done
        if cancelled():
            raise Cancelled
        if result.kind != "case":
            done += 1
            progress(done, total)

    def tick(base: int) -> Callable[[int, int], None]:
        def on_tick(n: int, _of: int) -> None:
            if cancelled():
                raise Cancelled
            progress(min(total, base + n), total)

        return on_tick

    progress(0, total)
    results: list[FileResult] = []
    for kind in FILE_KINDS:
        if loose[kind]:
            results.extend(app.check_files(loose[kind], profile, kind, on_result=step).files)
    if loose["photo"]:
        photos = app.check_photos(loose["photo"], profile, tick=tick(done))
        done += len(loose["photo"])
        results.extend(photos.files)
    for case in cases:
        found = app.check_cases([case], profile, tick=tick(done))
        done += sum(1 for r in found.files if r.kind != "case")
        results.extend(found.files)
        if cancelled():
            raise Cancelled
    progress(total, total)
    return RunResult(profile=profile.name, files=tuple(results)), listed
