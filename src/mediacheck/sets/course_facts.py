"""Facts about one course (kind "course") and about the list (kind "course_list"), computed
from the list's declarations and the episodes' own facts. Pure: no I/O beyond what the
caller hands in (the episodes' Facts and FileResults, where each episode file is).

The spec values read here come from the profile's `courses:` section (category lists,
the interactive form, duration classes); rules compare the facts with their `expected`.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mediacheck.model import FAIL, MEASURED, Facts, FileResult
from mediacheck.sets.courses import Course, CourseList, Episode
from mediacheck.words.units import format_value

DECLARED = "declared"  # a fact's source: what the list says, not what was measured

# properties the episodes of one series must share (C-SERIES), with their units
AGREE = (("video.display_size", "px"), ("video.fps", "fps"), ("audio.channels", ""),
         ("audio.sample_rate", "Hz"))  # fmt: skip
# what the file rules read: nothing to say for a course without episodes
FILE_FACTS = ("course.episodes", "course.numbering_errors", "course.missing_files",
              "course.not_video", "course.escaping_paths", "course.repeated_files",
              "course.episodes_failing", "course.episodes_disagree",
              "course.length_fit")  # fmt: skip
_PHONE_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_PHONE_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")
_PHONE_NOISE = re.compile(r"[\s\-()（）]")
_PHONE_EXT = re.compile(r"(转|ext\.?|#|x)\s*\d{1,6}$", re.I)


@dataclass(frozen=True)
class Placed:
    """Where one declared episode is: its file, or why it has none."""

    episode: Episode
    path: Path | None  # the file (absolute), when it lies inside the list's folder
    problem: str | None  # "no_file", "escapes", "missing", or None


def place(folder: Path, episode: Episode) -> Placed:
    """An episode's file, relative to the list's folder; `\\` works as on Windows. A path
    that leaves the folder (absolute, `..`, or a link pointing outside) is never opened."""
    if not episode.file:
        return Placed(episode, None, "no_file")
    text = episode.file.replace("\\", "/")
    base = os.path.abspath(folder)
    if text.startswith("/") or re.match(r"^[A-Za-z]:", text):
        return Placed(episode, None, "escapes")
    joined = os.path.normpath(os.path.join(base, text))
    real_base = os.path.realpath(base)
    inside = os.path.commonpath([base, joined]) == base
    if not inside or os.path.commonpath([real_base, os.path.realpath(joined)]) != real_base:
        return Placed(episode, None, "escapes")
    if not os.path.isfile(joined):
        return Placed(episode, Path(joined), "missing")
    return Placed(episode, Path(joined), None)


def phone_ok(phone: str) -> bool:
    """A mainland mobile (1[3-9] + 9 digits) or landline (0 + area code + 7–8 digits)
    number; spaces, hyphens, brackets, +86 and an extension (转 123) are allowed."""
    text = _PHONE_EXT.sub("", _PHONE_NOISE.sub("", phone))
    text = re.sub(r"^(\+86|0086)", "", text)
    return bool(_PHONE_MOBILE.match(text) or _PHONE_LANDLINE.match(text))


def _masked(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if len(digits) >= 7:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    return "*" * len(digits)


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s"


def form_range(band: dict[str, float]) -> str:
    low, high = band.get("min"), band.get("max")
    if low and high is not None:
        return f"{_minutes(low)} – {_minutes(high)}"
    if high is not None:
        return f"≤ {_minutes(high)}"
    return f"> {_minutes(low or 0)}"


def _rel(path: Path, folder: Path) -> str:
    try:
        return Path(os.path.relpath(path, os.path.abspath(folder))).as_posix()
    except ValueError:
        return str(path)


def _numbering(episodes: Sequence[Episode]) -> tuple[int, str]:
    nos = [e.no for e in episodes]
    if len(nos) == 1 and nos[0] is None:
        return 0, "1"  # a single lesson needs no number
    given = [n for n in nos if n is not None]
    counts = Counter(given)
    repeats = sum(c - 1 for c in counts.values())
    gaps = sum(1 for n in range(1, len(nos) + 1) if n not in counts)
    errors = max(repeats + gaps, nos.count(None))
    shown = ", ".join("?" if n is None else str(n) for n in nos)
    return errors, f"{shown} (1…{len(nos)})" if errors else shown


def _value(facts: Facts | None, name: str) -> Any:
    fact = facts.get(name) if facts else None
    return fact.value if fact else None


def _agreement(videos: Sequence[Facts]) -> tuple[int, str]:
    differing, parts = 0, []
    for name, unit in AGREE:
        values = Counter(
            format_value(v, unit) for f in videos if (v := _value(f, name)) is not None
        )
        if len(values) > 1:
            differing += 1
            parts.append(f"{name}: " + ", ".join(f"{k} ×{n}" for k, n in values.most_common()))
    return differing, "; ".join(parts) or "—"


def _set(facts: Facts, name: str, value: Any, unit: str = "", source: str = DECLARED) -> None:
    if value is None:
        facts.absent(name, "not_declared")
    else:
        facts.set(name, value, unit, source)


def course_facts(
    subject: Path,
    course: Course,
    clist: CourseList,
    placed: Sequence[Placed],
    videos: dict[Path, Facts],
    results: dict[Path, FileResult],
    uses: dict[Path, list[str]],
    section: dict[str, Any],
) -> Facts:
    """`videos`/`results`: each probed episode file's facts and verdict; `uses`: for each
    file, every "ID/no" that declares it (over the whole list); `section`: the profile's
    `courses:` data."""
    facts = Facts(path=subject, kind="course")
    for name in ("id", "title", "level", "topic", "form", "unit", "url"):
        _set(facts, f"course.{name}", getattr(course, name))
    _set(facts, "course.series", course.series.name if course.series else None)
    facts.set("course.needs_support", bool(course.needs_support), source=DECLARED)
    interactive = course.form is not None and course.form == section.get("interactive_form")
    facts.set("course.interactive", interactive, source=DECLARED)
    _topic(facts, course, section.get("categories", {}))

    episodes = course.episodes
    if not episodes:  # a simulation needs no video; file rules have nothing to say
        if not interactive:
            facts.set("course.episodes", 0, "", DECLARED)
        for name in FILE_FACTS:
            facts.absent(name, "not_requested")
        _support(facts, course, interactive)
        return facts
    facts.set("course.episodes", len(episodes), "", DECLARED)
    errors, text = _numbering(episodes)
    facts.set("course.numbering_errors", errors, "", DECLARED)
    facts.set("course.numbering_text", text or "—", source=DECLARED)

    def listing(items: list[str]) -> str:
        return "; ".join(items) or "—"

    missing = [f"{p.episode.no or '?'}: {p.episode.file or '—'}" for p in placed
               if p.problem in ("missing", "no_file")]  # fmt: skip
    escaping = [
        f"{p.episode.no or '?'}: {p.episode.file}" for p in placed if p.problem == "escapes"
    ]
    present = [p for p in placed if p.problem is None and p.path is not None]
    not_video = [p for p in present if (v := videos.get(p.path)) is not None and v.error
                 is not None and v.error.code in ("not_video", "empty")]  # fmt: skip
    repeated = [f"{_rel(p.path, clist.folder)} = {', '.join(uses[p.path])}" for p in present
                if len(uses.get(p.path, ())) > 1]  # fmt: skip
    for name, items in (("missing_files", missing), ("escaping_paths", escaping),
                        ("repeated_files", list(dict.fromkeys(repeated)))):  # fmt: skip
        facts.set(f"course.{name}", len(items), "", MEASURED)
    facts.set("course.missing_list", listing(missing), source=MEASURED)
    facts.set("course.escaping_list", listing(escaping), source=MEASURED)
    facts.set("course.repeated_list", listing(list(dict.fromkeys(repeated))), source=MEASURED)
    facts.set("course.not_video", len(not_video), "", MEASURED)
    shown = listing([_rel(p.path, clist.folder) for p in not_video if p.path])
    facts.set("course.not_video_list", shown, source=MEASURED)

    readable = [p for p in present if p not in not_video and p.path in results]
    failing = []
    for p in readable:
        bad = [f.rule_id for f in results[p.path].findings if f.status == FAIL]
        if bad:
            failing.append(f"{_rel(p.path, clist.folder)} ({', '.join(bad)})")
    facts.set("course.episodes_failing", len(failing), "", MEASURED)
    facts.set("course.episodes_failing_list", listing(failing), source=MEASURED)
    probed = [videos[p.path] for p in readable if videos[p.path].error is None]
    if len(probed) >= 2:
        differing, text = _agreement(probed)
        facts.set("course.episodes_disagree", differing, "", MEASURED)
        facts.set("course.disagreement_text", text, source=MEASURED)
    else:
        facts.absent("course.episodes_disagree", "not_requested")
    _length(facts, course, probed, section.get("durations", {}))
    _support(facts, course, interactive)
    return facts


def _topic(facts: Facts, course: Course, categories: dict[str, list[str]]) -> None:
    if course.topic is None:
        facts.absent("course.topic_fit", "not_declared")
    elif not any(course.topic in topics for topics in categories.values()):
        facts.set("course.topic_fit", "topic:unlisted", source=DECLARED)
    elif course.level not in categories:
        facts.absent("course.topic_fit", "not_requested")  # a listed topic; the level fails
    elif course.topic in categories[course.level]:
        facts.set("course.topic_fit", "topic:listed", source=DECLARED)
    else:
        facts.set("course.topic_fit", "topic:other_level", source=DECLARED)


def _length(facts: Facts, course: Course, probed: Sequence[Facts],
            durations: dict[str, dict[str, float]]) -> None:  # fmt: skip
    lengths = [d for f in probed if isinstance(d := _value(f, "video.duration"), (int, float))]
    if lengths:
        facts.set("course.episode_duration_min", min(lengths), "s", MEASURED)
        facts.set("course.episode_duration_max", max(lengths), "s", MEASURED)
    band = durations.get(course.form or "")
    if band is None or not lengths:
        facts.absent("course.length_fit", "not_requested")
        return
    facts.set("course.form_range", form_range(band), source=DECLARED)
    if "max" in band and max(lengths) > band["max"]:
        fit = "length:too_long"
    elif "min" in band and min(lengths) <= band["min"] and band["min"] > 0:
        fit = "length:too_short"
    else:
        fit = "length:fits"
    facts.set("course.length_fit", fit, source=MEASURED)


def _support(facts: Facts, course: Course, interactive: bool) -> None:
    if interactive:
        declared = bool(course.url) or course.needs_support is True
        facts.set("course.access_declared", declared, source=DECLARED)
    else:
        facts.absent("course.access_declared", "not_requested")
    if course.needs_support is not True:
        facts.absent("course.contact_fit", "not_requested")
        return
    contact = course.contact
    if contact is None or (not contact.name and not contact.phone):
        fit = "contact:missing"
    elif not contact.name:
        fit = "contact:no_name"
    elif not contact.phone:
        fit = "contact:no_phone"
    elif not phone_ok(contact.phone):
        fit = "contact:bad_phone"
    else:
        fit = "contact:ok"
    facts.set("course.contact_fit", fit, source=DECLARED)
    if contact is not None:
        phone = _masked(contact.phone) if contact.phone and fit == "contact:ok" else contact.phone
        facts.set("course.contact_text", f"{contact.name or '—'} {phone or '—'}", source=DECLARED)


def list_facts(clist: CourseList, unlisted: Sequence[Path]) -> Facts:
    facts = Facts(path=clist.path, kind="course_list")
    facts.set("courses.count", len(clist.entries), "", DECLARED)
    ids = Counter(e.id for e in clist.entries if e.id)
    twice = sorted(i for i, n in ids.items() if n > 1)
    facts.set("courses.duplicate_ids", sum(ids[i] - 1 for i in twice), "", DECLARED)
    facts.set("courses.duplicate_ids_list", ", ".join(twice) or "—", source=DECLARED)
    names = [_rel(p, clist.folder) for p in unlisted]
    facts.set("courses.unlisted_videos", len(names), "", MEASURED)
    shown = "; ".join(names[:20]) + (f"; … (+{len(names) - 20})" if len(names) > 20 else "")
    facts.set("courses.unlisted_list", shown or "—", source=MEASURED)
    return facts
