"""Facts about a set of photos and texts taken together: one case folder.

Pure: per-file Facts in, one Facts (kind "case") out, for the set rules P-COUNT and
P-UNIQUE. Everything that is a spec value comes from the profile: which formats are
accepted (its rules on ``photo.format``, P-FORMAT) and the hash limits (`photo_hashes`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from mediacheck.evaluate import evaluate
from mediacheck.model import FAIL, MEASURED, Facts
from mediacheck.profile import Profile
from mediacheck.sets.photo_groups import (
    Group,
    Grouping,
    Thresholds,
    group_photos,
    keys_from_facts,
)
from mediacheck.words.lang import visible

NAME = "case"
# name -> unit, computed from the members' facts.
FACTS: dict[str, str] = {
    "case.photos": "",  # photo files in the folder (system junk not counted)
    "case.photos_distinct": "",  # usable photos, duplicates counted once
    "case.duplicate_photos": "",  # photos that repeat another (byte copies, resized, re-saved)
    "case.duplicate_groups": "",  # text: "a.jpg = b.jpg; …"
    "case.similar_photos": "",
    "case.similar_groups": "",
    "case.texts": "",  # readable text documents in the folder
}


def _value(facts: Facts, name: str) -> object:
    fact = facts.get(name)
    return fact.value if fact else None


FORMAT_FACT = "photo.format"


def format_profile(profile: Profile) -> Profile:
    """The profile cut down to its rules on a photo's format (P-FORMAT and any a user adds)."""
    rules = tuple(r for r in profile.for_kind("photo") if r.fact == FORMAT_FACT)
    return dataclasses.replace(profile, rules=rules)


def format_accepted(photo: Facts, formats: Profile) -> bool:
    """No rule on the photo's format fails (`formats` from `format_profile`): the same
    verdict `evaluate` gives the photo, so a profile allowing WebP counts WebP photos."""
    return all(f.status != FAIL for f in evaluate(photo, formats).findings)


def usable(photo: Facts, formats: Profile) -> bool:
    """A photo the platform would take: it was read, it decodes, and the profile accepts
    its format (`formats` from `format_profile`)."""
    return (
        photo.error is None
        and _value(photo, "photo.decodes") is True
        and format_accepted(photo, formats)
    )


def _groups_text(groups: Sequence[Group], base: Path) -> str:
    def name(p: Path) -> str:  # inside a message: on one line, every byte shown
        try:
            return visible(Path(p).relative_to(base))
        except ValueError:
            return visible(Path(p).name)

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
    profile: Profile,
) -> Facts:
    """`texts` None means only photos were asked about: text rules then say nothing."""
    facts = Facts(path=folder, kind="case")
    formats = format_profile(profile)
    good = [p for p in photos if usable(p, formats)]
    grouping, repeats = repeat_groups(good, profile.photo_hashes)
    # for reports (FileResult.evidence): the very groups counted, and the case's photos
    facts.series["case.repeat_groups"] = [[str(p) for p in g.paths] for g in repeats]
    facts.series["case.similar_group_paths"] = [[str(p) for p in g.paths]
                                                for g in grouping.similar]  # fmt: skip
    facts.series["case.photo_paths"] = [str(p.path) for p in photos]
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
