"""Profiles: the spec as YAML rules, loaded, merged (`extends:`) and validated strictly.

A profile is validated completely before any file is probed, so a typo never costs a
long run. Errors name the file and the rule. Reading and validating (profile/load.py)
takes longer than most checks, so a run given a cache folder keeps the validated
profile there (profile/stored.py) and reads it back when the files are unchanged.

This module holds only the records and `load_profile`: a run whose profile is stored
imports neither YAML nor the validator.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from mediacheck.errors import MediacheckError

DEFAULT_PROFILE = "shanghai-2024"


class ProfileError(MediacheckError):
    """A profile that cannot be used; the message names the file and the rule."""

    def __init__(self, where: object, code: str, **params: Any) -> None:
        super().__init__(code, where=str(where), **params)

    def text(self, lang: str) -> str:
        return f"{self.params['where']}: {super().text(lang)}"


@dataclass(frozen=True)
class Rule:
    id: str
    spec: str
    applies_to: str
    check: str
    severity: str
    title: dict[str, str]
    message: dict[str, str]
    hint: dict[str, str]
    fact: str | None = None
    expected: Any = None
    pass_band: float | None = None
    warn_band: float | None = None
    window: int = 1  # steady: seconds per window
    min_share: float = 1.0  # steady: share of windows that must be in the band
    warn_limit: float | None = None  # at_least/at_most: between it and expected only warns
    expected_fact: str | None = None  # the expected value is this fact's (same subject)
    only_if_passed: str | None = None  # speaks only when this earlier rule passed
    doc: dict[str, str] = field(default_factory=dict)
    unit: str = ""  # of the fact, from its kind's FACTS


@dataclass(frozen=True)
class Profile:
    name: str
    title: dict[str, str]
    rules: tuple[Rule, ...]
    sources: tuple[str, ...]  # files read, base first
    clauses: dict[str, dict[str, str]]  # clause id -> title {zh, en}
    photo_hashes: dict[str, dict[str, int]] = field(default_factory=dict)
    # rule id -> the fact of each rule the profile switched off (fix names them)
    disabled: dict[str, str] = field(default_factory=dict)
    courses: dict[str, Any] = field(default_factory=dict)  # categories, forms, durations
    links: dict[str, Any] = field(default_factory=dict)  # what marks a login wall
    tables: dict[str, Any] = field(default_factory=dict)  # name -> table_layout.Layout
    submission: Any = None  # sets/roles.Words: how a unit's files are told apart (#10)

    def for_kind(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.applies_to == kind]

    @cached_property
    def digest(self) -> str:
        """A hash of the resolved rules (not of the file: an edited profile must not reuse
        old verdicts, a new comment need not lose them); the result cache's key. Computed
        once per profile, and kept with a stored one (profile/stored.py)."""
        import dataclasses
        import hashlib
        import json

        rules = [dataclasses.asdict(r) for r in self.rules]
        blob = json.dumps([self.name, rules], sort_keys=True, ensure_ascii=False, default=repr)
        return hashlib.sha256(blob.encode()).hexdigest()


def facts_of(subject: str) -> dict[str, str]:
    """The facts (name -> unit) of a kind (probe/) or a set (sets/)."""
    from mediacheck.probe import KINDS
    from mediacheck.probe import facts as kind_facts
    from mediacheck.sets import facts as set_facts

    return kind_facts(subject) if subject in KINDS else set_facts(subject)


def shipped_dir() -> Path:
    """The shipped profiles: inside the installed package, or rules/ in a checkout."""
    packaged = Path(__file__).parents[1] / "rules"  # where the wheel puts them
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules"


def shipped_names() -> list[str]:
    return sorted(p.stem for p in shipped_dir().glob("*.yaml"))


def locate(ref: str, relative_to: Path | None) -> Path:
    """The file a profile reference names: a path (beside `relative_to`, the file that
    extends it, first), else a shipped profile's name."""
    candidate = Path(ref)
    if relative_to is not None and not candidate.is_absolute():
        beside = relative_to.parent / candidate
        if beside.is_file():
            return beside
    if os.path.lexists(candidate) and not candidate.is_dir():
        return candidate  # a FIFO or a broken link too: reading it then says what it is
    shipped = shipped_dir() / f"{ref}.yaml"
    if "/" not in ref and "\\" not in ref and shipped.is_file():
        return shipped
    raise ProfileError(ref, "profile.not_found", shipped=", ".join(shipped_names()))


def load_profile(ref: str | None = None, *, cache_dir: Path | None = None) -> Profile:
    """Load a shipped profile by name, or a YAML file by path; validate every rule.

    With `cache_dir`, the validated profile is kept there and read back while its files'
    bytes and mediacheck's version are unchanged (a bad or foreign entry is a miss)."""
    path = locate(ref or DEFAULT_PROFILE, None)
    if cache_dir is not None:
        from mediacheck.profile import stored

        profile = stored.get(cache_dir, path)
        if profile is not None:
            return profile
    from mediacheck.profile.load import build

    profile, read = build(path)
    if cache_dir is not None:
        stored.put(cache_dir, path, profile, read)
    return profile
