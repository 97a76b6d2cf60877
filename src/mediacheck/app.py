"""The one flow: paths -> discover -> probe -> facts -> evaluate(profile) -> findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from mediacheck import tools
from mediacheck.discover import discover
from mediacheck.evaluate import evaluate
from mediacheck.facts import Facts
from mediacheck.findings import FileResult, RunResult
from mediacheck.probe_video import probe_video
from mediacheck.profile import Profile

# kind -> prober. Each returns Facts (with .error set for a file it cannot read).
PROBERS: dict[str, Callable[[Path], Facts]] = {"video": probe_video}


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
    if kind == "video":
        facts = probe_video(path, deep=deep, on_progress=on_progress)
    else:
        facts = PROBERS[kind](path)
    return evaluate(facts, profile)


def check_files(
    paths: Iterable[Path],
    profile: Profile,
    kind: str,
    on_result: Callable[[FileResult], None] | None = None,
    deep: bool = False,
    on_progress: Callable[[Path, float], None] | None = None,
) -> RunResult:
    """Check every file as `kind`; one file's failure never stops the others."""
    results = []
    if kind == "video":
        # MP4s are read without ffprobe, but other containers need it: say so up front
        # rather than after the first .mov.
        tools.find("ffprobe")
    for path in discover(paths, {kind}):
        progress = (lambda t, p=path: on_progress(p, t)) if on_progress else None
        result = check_one(path, profile, kind, deep=deep, on_progress=progress)
        results.append(result)
        if on_result:
            on_result(result)
    return RunResult(profile=profile.name, files=tuple(results))
