"""The one flow: paths -> discover -> probe -> facts -> evaluate(profile) -> findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from mediacheck.discover import discover
from mediacheck.evaluate import evaluate
from mediacheck.facts import Facts
from mediacheck.findings import FileResult, RunResult
from mediacheck.probe_video import probe_video
from mediacheck.profile import Profile

# kind -> prober. Each returns Facts (with .error set for a file it cannot read).
PROBERS: dict[str, Callable[[Path], Facts]] = {"video": probe_video}


def check_one(path: Path, profile: Profile, kind: str) -> FileResult:
    """Probe and evaluate one file. Top-level and picklable, so worker processes can run it."""
    return evaluate(PROBERS[kind](path), profile)


def check_files(
    paths: Iterable[Path],
    profile: Profile,
    kind: str,
    on_result: Callable[[FileResult], None] | None = None,
) -> RunResult:
    """Check every file as `kind`; one file's failure never stops the others."""
    results = []
    for path in discover(paths, {kind}):
        result = check_one(path, profile, kind)
        results.append(result)
        if on_result:
            on_result(result)
    return RunResult(profile=profile.name, files=tuple(results))
