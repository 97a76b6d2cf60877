"""Run a `WorkList`: cached results first, the rest in worker processes, output sorted.

Each file goes to `app.check_one(path, profile, kind)`; a case folder to
`app.check_case(folder, profile)` when the app has case rules. Workers are processes
(probing is subprocess- and CPU-bound, and Pillow/pymediainfo are not all thread-safe),
started only when there are at least two jobs to do. A file that crashes its check is a
failing result, never the end of the run; only a missing tool (`ToolMissing`) stops it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from mediacheck.discover.worklist import (
    CaseJob,
    FileJob,
    WorkList,
    case_members,
    os_problem,
    problem,
)
from mediacheck.errors import ToolMissing
from mediacheck.model import FileResult, ProbeOptions, RunResult
from mediacheck.profile import Profile
from mediacheck.report.common import Listed
from mediacheck.sets import SETS

if TYPE_CHECKING:
    from mediacheck.app import Tick
    from mediacheck.cache import ResultCache


class Outcome(NamedTuple):
    run: RunResult
    listed: tuple[Listed, ...]
    cached: int  # how many results came from the cache


def _crashed(path: Path, exc: BaseException, kind: str) -> FileResult:
    if isinstance(exc, OSError):
        return os_problem(path, exc)
    return problem(path, "CHECK-CRASHED", "crashed", kind=kind,
                   detail=f"{type(exc).__name__}: {exc}")  # fmt: skip


def check_file(path: Path, kind: str, profile: Profile, cache: ResultCache | None,
               options: ProbeOptions | None = None) -> tuple[FileResult, bool]:  # fmt: skip
    """One file, with the cache: (result, whether it came from the cache). Top level so
    worker processes can run it."""
    options = options or ProbeOptions()
    ident = None
    if cache is not None:
        hit, ident = cache.get(path, kind)
        if hit is not None:
            return hit, True
    from mediacheck import app  # the probers: not imported by a run the cache answers

    try:
        result = app.check_one(path, profile, kind, deep=options.deep,
                               on_progress=options.on_progress)  # fmt: skip
    except ToolMissing:
        raise
    except Exception as exc:  # one file's crash is that file's result, not the run's end
        return _crashed(path, exc, kind), False
    if cache is not None and os.path.lexists(path) and result.complete:
        cache.put(path, kind, ident, result)
    return result, False


def check_case(job: CaseJob, profile: Profile, jobs: int | None = None,
               tick: Tick = None) -> tuple[list[FileResult], bool]:  # fmt: skip
    from mediacheck import app

    try:
        return app.check_case(job.folder, profile, jobs, tick, job.members, job.texts), False
    except ToolMissing:
        raise
    except Exception as exc:
        return [_crashed(job.folder, exc, "case")], False


def _job_size(job: FileJob | CaseJob) -> int:
    if isinstance(job, CaseJob):
        return len(job.members) if job.members is not None else len(case_members(job.folder))
    return 1


def execute(
    work: WorkList,
    profile: Profile,
    *,
    jobs: int,
    cache: ResultCache | None = None,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[int], None] | None = None,
    options: ProbeOptions | None = None,
    progress: Callable[[Path, float], None] | None = None,
    keep_order: bool = False,
) -> Outcome:
    """Check everything in `work`. `on_start(total)` once the cached part is known and
    `on_done(n)` as results arrive drive a progress bar; results come back sorted by path
    whatever order the workers finish in. `options` go to every prober; `progress(path,
    seconds)` hears a --deep decode's position when files are checked in this process."""
    options = options or ProbeOptions()
    results: list[FileResult] = list(work.problems)
    todo: list[FileJob | CaseJob] = []
    cached = 0
    for job in work.jobs:
        hit = cache.get_fast(job.path, job.kind) if cache and isinstance(job, FileJob) else None
        if hit is not None:
            results.append(hit)
            cached += 1
        else:
            todo.append(job)

    def collect(got: tuple[FileResult | list[FileResult], bool]) -> None:
        nonlocal cached
        found, from_cache = got
        results.extend(found if isinstance(found, list) else [found])
        cached += from_cache
        if on_done:
            on_done(1)

    if jobs <= 1 or len(todo) <= 1:
        if on_start:
            on_start(len(todo))
        for job in todo:
            if isinstance(job, FileJob):
                here = options
                if progress is not None:
                    here = replace(options, on_progress=partial(progress, job.path))
                collect(check_file(job.path, job.kind, profile, cache, here))
            else:
                # one set in this process: its photos are hashed by `jobs` workers
                collect(check_case(job, profile, jobs))
    else:
        _run_pool(todo, profile, cache, min(jobs, len(todo)), collect, on_start, options)
    if keep_order:  # a kind command: the order of the work list (as the paths were given)
        rank = {_key_of(job): i for i, job in enumerate(work.jobs)}
        results.sort(key=lambda r: (rank.get(_owner(r, rank), -1), _order(r)))
    else:
        results.sort(key=_order)
    return Outcome(RunResult(profile=profile.name, files=tuple(results)), tuple(work.listed),
                   cached)  # fmt: skip


def _key_of(job: FileJob | CaseJob) -> str:
    return str(job.path if isinstance(job, FileJob) else job.folder)


def _owner(result: FileResult, rank: dict[str, int]) -> str:
    """The job a result came from: its own path, or the set (case) it is a member of."""
    shown = str(result.path)
    if shown in rank:
        return shown
    return next((k for k in rank if shown.startswith(k.rstrip(os.sep) + os.sep)), shown)


def _order(result: FileResult) -> tuple[str, str]:
    """By path, a set's own result after its members ("c1/a.jpg" before the case "c1")."""
    shown = str(result.path)
    return (shown + os.sep + "\U0010ffff" if result.kind in SETS else shown, result.kind)


def _run_pool(todo: list[FileJob | CaseJob], profile: Profile, cache: ResultCache | None,
              workers: int, collect: Callable[..., None],
              on_start: Callable[[int], None] | None, options: ProbeOptions) -> None:  # fmt: skip
    # Biggest first (case folders hold many files), so one does not finish alone at the end.
    ordered = sorted(todo, key=_job_size, reverse=True) if any(
        isinstance(j, CaseJob) for j in todo) else todo  # fmt: skip
    # Imported here: a run answered from the cache never starts a worker.
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: dict[Any, FileJob | CaseJob] = {}
        for job in ordered:
            if isinstance(job, FileJob):
                future = pool.submit(check_file, job.path, job.kind, profile, cache, options)
            else:
                future = pool.submit(check_case, job, profile)
            pending[future] = job
        # Only now may a progress bar start its refresh thread: with the fork start
        # method, the workers exist once the first job is submitted, and forking a
        # process that runs threads can deadlock the child.
        if on_start:
            on_start(len(todo))
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    del pending[future]
                    collect(future.result())
        except BaseException:
            for future in pending:
                future.cancel()
            raise
