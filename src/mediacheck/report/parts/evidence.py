"""What the HTML report shows beyond the findings, read again from the files.

A `RunResult` carries findings, not facts: a text's 字数 breakdown and a case's
duplicate groups are facts no rule's `measured` holds. Until results carry such
evidence themselves, the report asks the same probers and the same grouping code the
verdict used (`sets.case.repeat_groups`, the profile's hash limits), so what it shows
is what was judged. Cheap for texts; for photos it is one more hashing pass, made only
for a case whose repeat rules did not pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mediacheck.model import PASS, Fact, Facts, FileResult
from mediacheck.profile import Profile

TEXT_BREAKDOWN = (
    ("text.chars_zishu", "text.zishu"),
    ("text.east_asian_chars", "text.east_asian"),
    ("text.non_chinese_words", "text.words"),
    ("text.chars_no_spaces", "text.no_spaces"),
    ("text.chars_with_spaces", "text.with_spaces"),
    ("text.paragraphs", "text.paragraphs"),
    ("text.encoding", "text.encoding"),
)

# The case facts whose rules, when not passed, are worth showing as photo groups.
GROUP_FACTS = ("case.duplicate_photos", "case.similar_photos")


@dataclass(frozen=True)
class CaseGroups:
    repeats: tuple[tuple[Path, ...], ...] = ()
    similar: tuple[tuple[Path, ...], ...] = ()
    error: str | None = None
    photos: tuple[Path, ...] = field(default=())


def text_counts(path: Path, result: FileResult | None = None) -> dict[str, Fact] | None:
    """The text facts of the breakdown, or None when the text cannot be read now. From the
    result's evidence when it has them (no second read), else the text is read again."""
    from mediacheck.probe.text import FACTS, probe_text  # the prober the verdict used

    if result is not None and all(name in result.evidence for name, _ in TEXT_BREAKDOWN):
        return {name: Fact(result.evidence[name], FACTS.get(name, "")) for name, _ in
                TEXT_BREAKDOWN}  # fmt: skip
    try:
        facts = probe_text(path)
    except Exception:  # the file changed or vanished since the run: no breakdown
        return None
    if facts.error is not None:
        return None
    return {name: fact for name, _ in TEXT_BREAKDOWN if (fact := facts.get(name))}


def wants_groups(result: FileResult, profile: Profile | None) -> bool:
    """Is this a case whose repeat rules did not pass? (Without a profile: any problem.)"""
    if result.kind != "case":
        return False
    facts = {r.id: r.fact for r in profile.rules} if profile else {}
    for f in result.findings:
        if f.status == PASS:
            continue
        if not profile or facts.get(f.rule_id) in GROUP_FACTS:
            return True
    return False


def members(case: Path, photos: Sequence[Path]) -> tuple[Path, ...]:
    """The photos of the run that lie in the case folder (or are the case's set)."""
    base = Path(case).absolute()
    inside = []
    for p in photos:
        absolute = Path(p).absolute()
        if absolute == base or base in absolute.parents:
            inside.append(Path(p))
    return tuple(inside)


def _probe_photos(paths: list[Path]) -> list[Facts]:
    from mediacheck.app import _probe_photos as probe  # the verdict's own hashing pass

    return probe(paths, None)


def case_groups(case: Path, photos: Sequence[Path], profile: Profile | None,
                result: FileResult | None = None) -> CaseGroups:  # fmt: skip
    """The groups the verdict counted: from the case result's evidence (no second read),
    else (a result without it) by hashing the photos again with the verdict's own code."""
    from mediacheck.sets.case import format_profile, repeat_groups, usable

    kept = result.evidence if result is not None else {}
    if "case.repeat_groups" in kept:

        def paths_of(groups: Any) -> tuple[tuple[Path, ...], ...]:
            return tuple(tuple(Path(p) for p in g) for g in groups)

        members_kept = tuple(Path(p) for p in kept.get("case.photo_paths", []))
        return CaseGroups(repeats=paths_of(kept["case.repeat_groups"]),
                          similar=paths_of(kept.get("case.similar_group_paths", [])),
                          photos=members_kept)  # fmt: skip
    from mediacheck.sets.photo_groups import DEFAULT_DUPLICATE, DEFAULT_SIMILAR

    paths = list(members(case, photos))
    if not paths:
        return CaseGroups()
    hashes = profile.photo_hashes if profile else {
        "duplicate": DEFAULT_DUPLICATE, "similar": DEFAULT_SIMILAR,
    }  # fmt: skip
    try:
        facts = _probe_photos(paths)
    except Exception as exc:  # a vanished folder, a broken pool: say so, show the rest
        return CaseGroups(error=str(exc) or type(exc).__name__)
    formats = format_profile(profile) if profile else None
    good = [f for f in facts if formats is None or usable(f, formats)]
    grouping, repeats = repeat_groups(good, hashes)
    return CaseGroups(
        repeats=tuple(tuple(Path(p) for p in g.paths) for g in repeats),
        similar=tuple(tuple(Path(p) for p in g.paths) for g in grouping.similar),
        photos=tuple(paths),
    )
