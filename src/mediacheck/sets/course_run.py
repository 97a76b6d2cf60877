"""The flow of `mediacheck courses FILE`: load the list, probe each declared episode once
(video rules), visit the links (only online), then evaluate every course and the list.

Subjects in the run, in order: the list (FILE: C-COUNT, unlisted videos, or why it cannot be
read), then each course (FILE#ID: C-*, I-LINK, I-SUPPORT) followed by its episodes
(FILE#ID/episode-file: the video rules). The links' own facts come back too, keyed by URL,
for a report that shows the screenshots.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mediacheck.discover.walk import discover
from mediacheck.evaluate import evaluate
from mediacheck.model import INFO, PASS, Facts, FileResult, Finding, RunResult
from mediacheck.probe.link import LinkOptions, probe_all
from mediacheck.probe.link_page import LinkPatterns
from mediacheck.probe.video import probe_video
from mediacheck.profile import Profile
from mediacheck.sets.course_facts import Placed, course_facts, list_facts, place
from mediacheck.sets.courses import CourseList, load_list
from mediacheck.words.lang import LANGS
from mediacheck.words.links import SUPPORT_NOTE

OnResult = Callable[[FileResult], None] | None


@dataclass(frozen=True)
class CourseRun:
    run: RunResult
    links: dict[str, Facts]  # URL -> the link's facts (link.screenshot: PNG bytes)


def check_courses(
    path: Path,
    profile: Profile,
    links: LinkOptions | None = None,
    deep: bool = False,
    on_result: OnResult = None,
) -> CourseRun:
    """`links`: how to visit links (online, allow_private, limits); its login patterns
    are taken from the profile. Never raises for a bad list, course, file or link."""
    path = Path(path)
    options = dataclasses.replace(
        links or LinkOptions(), patterns=LinkPatterns.from_section(profile.links)
    )
    results: list[FileResult] = []

    def emit(result: FileResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)

    clist = load_list(path)
    if clist.error is not None:
        emit(evaluate(Facts(path=path, kind="course_list", error=clist.error), profile))
        return CourseRun(RunResult(profile=profile.name, files=tuple(results)), {})

    # links first, in the background: they wait on the network while videos are probed
    urls = [c.url for c in clist.courses() if c.url]
    visited: dict[str, Facts] = {}
    visitor = threading.Thread(target=lambda: visited.update(probe_all(urls, options)),
                               daemon=True)  # fmt: skip
    visitor.start()

    placed = {e.index: [place(clist.folder, ep) for ep in e.course.episodes]
              for e in clist.entries if e.course is not None}  # fmt: skip
    uses: dict[Path, list[str]] = {}  # file -> every "ID/no" declaring it, over the list
    for entry in clist.entries:
        for p in placed.get(entry.index, ()):
            if p.path is not None and p.problem is None:
                uses.setdefault(p.path, []).append(f"{entry.id}/{p.episode.no or '?'}")
    videos = {file: probe_video(file, deep=deep) for file in uses}
    verdicts = {file: evaluate(facts, profile) for file, facts in videos.items()}
    emit(evaluate(list_facts(clist, _unlisted(clist, set(uses))), profile))

    visitor.join()
    for entry in clist.entries:
        subject = clist.subject(entry)
        if entry.course is None:
            emit(evaluate(Facts(path=subject, kind="course", error=entry.error), profile))
            continue
        course, spots = entry.course, placed[entry.index]
        facts = course_facts(subject, course, clist, spots, videos, verdicts, uses,
                             profile.courses)  # fmt: skip
        result = evaluate(facts, profile)
        findings = list(result.findings)
        if course.url and course.url.strip() in visited:
            supported = facts.get("course.contact_fit")
            waived = supported is not None and supported.value == "contact:ok"
            findings += _link_findings(subject, visited[course.url.strip()], profile, waived)
        emit(FileResult(path=subject, kind="course", findings=tuple(findings)))
        for spot in spots:
            if spot.path is not None and spot.path in verdicts:
                emit(_episode(subject, spot, clist, verdicts[spot.path]))
    return CourseRun(RunResult(profile=profile.name, files=tuple(results)), visited)


def _unlisted(clist: CourseList, declared: set[Path]) -> list[Path]:
    """Videos in the list's folder (walked as `mediacheck check` walks) no course declares."""
    found = discover([clist.folder], {"video"})
    keys = {p.resolve() for p in declared}
    return [p for p in found if p.resolve() not in keys and p.resolve() != clist.path.resolve()]


def _link_findings(subject: Path, link: Facts, profile: Profile, waived: bool) -> list[Finding]:
    """The link's rules (I-LINK) on the course's subject. A course that ticks 需技术支持
    with a valid contact passes I-SUPPORT whatever its page does: its link findings are
    then notes (info), with the measurement kept."""
    facts = Facts(path=subject, kind="link", values=dict(link.values), missing=dict(link.missing))
    facts.values.pop("link.screenshot", None)  # bytes: for a report, not for messages
    found = list(evaluate(facts, profile).findings)
    if not waived:
        return found
    return [
        f if f.status == PASS else dataclasses.replace(
            f, status=INFO, hint={},  # already ticked: no advice to tick it
            message={lang: f"{f.message.get(lang, '')}{SUPPORT_NOTE[lang]}" for lang in LANGS},
        )
        for f in found
    ]  # fmt: skip


def _episode(subject: Path, spot: Placed, clist: CourseList, result: FileResult) -> FileResult:
    name = Path(f"{subject}/{spot.episode.file}")
    findings = tuple(dataclasses.replace(f, path=name) for f in result.findings)
    return FileResult(path=name, kind=result.kind, findings=findings)
