"""Facts about a set of photos and texts taken together: one case folder.

Pure: per-file Facts in, one Facts (kind "case") out, for the set rules P-COUNT and
P-UNIQUE. The hash limits come from the profile (`photo_hashes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mediacheck.model import MEASURED, Facts
from mediacheck.sets.photo_groups import (
    Group,
    Grouping,
    Thresholds,
    group_photos,
    keys_from_facts,
)


def _value(facts: Facts, name: str) -> object:
    fact = facts.get(name)
    return fact.value if fact else None


def usable(photo: Facts) -> bool:
    """A photo the platform would take: an allowed format that decodes."""
    return (
        photo.error is None
        and _value(photo, "photo.format_allowed") is True
        and _value(photo, "photo.decodes") is True
    )


def _groups_text(groups: Sequence[Group], base: Path) -> str:
    def name(p: Path) -> str:
        try:
            return str(Path(p).relative_to(base))
        except ValueError:
            return Path(p).name

    return "; ".join(" = ".join(name(p) for p in g.paths) for g in groups) or "—"


def repeat_groups(
    good: Sequence[Facts], photo_hashes: dict[str, dict[str, int]]
) -> tuple[Grouping, tuple[Group, ...]]:
    """The grouping of usable photos, and the groups P-UNIQUE counts as repeats. Public so
    a report can show the very groups the verdict counted (`report/parts/evidence.py`)."""
    thresholds = Thresholds(duplicate=photo_hashes["duplicate"], similar=photo_hashes["similar"])
    grouping = group_photos(keys_from_facts(good), thresholds)
    # Near groups already hold their byte-identical members; list each photo once.
    near_members = {p for g in grouping.near for p in g.paths}
    repeats = grouping.near + tuple(g for g in grouping.exact if not set(g.paths) <= near_members)
    return grouping, repeats


def case_facts(
    folder: Path,
    photos: Sequence[Facts],
    texts: Sequence[Facts] | None,
    photo_hashes: dict[str, dict[str, int]],
) -> Facts:
    """`texts` None means only photos were asked about: text rules then say nothing."""
    facts = Facts(path=folder, kind="case")
    good = [p for p in photos if usable(p)]
    grouping, repeats = repeat_groups(good, photo_hashes)
    facts.set("case.photos", len(photos), source=MEASURED)
    facts.set("case.photos_distinct", grouping.distinct, source=MEASURED)
    # Each exact/near group counts once among the distinct; every other member repeats it.
    facts.set("case.duplicate_photos", len(good) - grouping.distinct, source=MEASURED)
    facts.set("case.duplicate_groups", _groups_text(repeats, folder), source=MEASURED)
    facts.set("case.similar_photos", sum(len(g.paths) for g in grouping.similar), source=MEASURED)
    facts.set("case.similar_groups", _groups_text(grouping.similar, folder), source=MEASURED)
    if texts is None:
        facts.absent("case.texts", "not_requested")
    else:
        facts.set("case.texts", sum(1 for t in texts if t.error is None), source=MEASURED)
    return facts
