"""Profiles: the spec as YAML rules, loaded, merged (`extends:`) and validated strictly.

A profile is validated completely before any file is probed, so a typo never costs a
long run. Errors name the file and the rule.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mediacheck.checks import CHECKS, PARAM_TYPES
from mediacheck.probe import KINDS
from mediacheck.probe import kind as kind_module
from mediacheck.sets import SETS
from mediacheck.sets import kind as set_module

DEFAULT_PROFILE = "shanghai-2024"

SEVERITIES = ("error", "warning", "info")
# Keys every rule may carry, whatever its check; the check's own keys come from CHECKS.
COMMON_KEYS = {"spec", "applies_to", "fact", "check", "severity", "title", "message", "hint",
               "enabled", "doc", "expected", "expected_fact"}  # fmt: skip
TOP_KEYS = {"schema", "name", "title", "description", "extends", "rules", "photo_hashes",
            "clauses"}  # fmt: skip
LANG_KEYS = {"zh", "en"}


class ProfileError(Exception):
    """A profile that cannot be used; the message names the file and the rule."""


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

    def for_kind(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.applies_to == kind]


def facts_of(subject: str) -> dict[str, str]:
    """The facts (name -> unit) of a kind (probe/) or a set (sets/)."""
    module = kind_module(subject) if subject in KINDS else set_module(subject)
    return module.FACTS


def shipped_dir() -> Path:
    """The shipped profiles: inside the installed package, or rules/ in a checkout."""
    packaged = Path(__file__).parents[1] / "rules"  # where the wheel puts them
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules"


def shipped_names() -> list[str]:
    return sorted(p.stem for p in shipped_dir().glob("*.yaml"))


def _locate(ref: str, relative_to: Path | None) -> Path:
    candidate = Path(ref)
    if relative_to is not None and not candidate.is_absolute():
        beside = relative_to.parent / candidate
        if beside.is_file():
            return beside
    if candidate.is_file():
        return candidate
    shipped = shipped_dir() / f"{ref}.yaml"
    if "/" not in ref and "\\" not in ref and shipped.is_file():
        return shipped
    raise ProfileError(
        f"profile '{ref}' not found (shipped profiles: {', '.join(shipped_names())})"
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        # libyaml's loader when present: the pure-Python one takes ~50 ms on our profile.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: a profile is a mapping with a 'rules:' key")
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise ProfileError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}")
    if not isinstance(data.get("rules", {}), dict):
        raise ProfileError(f"{path}: 'rules' must map rule ids to rules")
    return data


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _load_raw(path: Path, seen: tuple[Path, ...]) -> tuple[dict[str, Any], tuple[str, ...]]:
    if path.resolve() in seen:
        raise ProfileError(f"{path}: 'extends' loops back to itself")
    data = _read(path)
    sources: tuple[str, ...] = ()
    rules: dict[str, Any] = {}
    if "extends" in data:
        base_path = _locate(str(data["extends"]), path)
        base, sources = _load_raw(base_path, (*seen, path.resolve()))
        rules = base.get("rules", {})
        own = {k: v for k, v in data.items() if k != "rules"}
        for key in ("clauses", "photo_hashes"):  # merged key by key, like the rules
            if isinstance(own.get(key), dict) and isinstance(base.get(key), dict):
                own[key] = _merge(base[key], own[key])
        data = {**base, "name": path.stem, **own}
        data["rules"] = rules
        over = _read(path).get("rules", {}) or {}
        for rule_id, body in over.items():
            if body is False or body == "disable":
                body = {"enabled": False}
            if rule_id in rules and isinstance(body, dict):
                rules[rule_id] = _merge(rules[rule_id], body)
            else:
                rules[rule_id] = body
    return data, (*sources, str(path))


def _bilingual(where: str, key: str, value: Any, required: bool = True) -> dict[str, str]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict) or set(value) != LANG_KEYS:
        raise ProfileError(f"{where}: '{key}' needs both 'zh' and 'en' text")
    if not all(isinstance(v, str) and v.strip() for v in value.values()):
        raise ProfileError(f"{where}: '{key}' has an empty text")
    return dict(value)


def _rule(where: str, rule_id: str, body: Any, clauses: dict[str, Any]) -> Rule | None:
    """One rule, validated by one generic loop over its check's entry in CHECKS."""
    if not isinstance(body, dict):
        raise ProfileError(f"{where}: a rule is a mapping of keys")
    params = {key for c in CHECKS.values() for key in c.params}
    unknown = set(body) - COMMON_KEYS - params
    if unknown:
        raise ProfileError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    if body.get("enabled", True) is False:
        return None
    for key in ("spec", "applies_to", "check", "severity"):
        if key not in body:
            raise ProfileError(f"{where}: missing '{key}'")
    check_name = body["check"]
    check = CHECKS.get(check_name) if isinstance(check_name, str) else None
    if check is None:
        raise ProfileError(f"{where}: unknown check '{check_name}' (known: {', '.join(CHECKS)})")
    for key in sorted(set(body) & params - set(check.params)):
        takers = [name for name, c in CHECKS.items() if key in c.params]
        raise ProfileError(f"{where}: '{key}' only goes with check(s) {', '.join(takers)}")
    if body["spec"] not in clauses:
        raise ProfileError(f"{where}: unknown spec clause '{body['spec']}' "
                           f"(the profile's clauses: {', '.join(clauses)})")  # fmt: skip
    subjects = {*KINDS, *SETS}
    if body["applies_to"] not in subjects:
        raise ProfileError(f"{where}: applies_to must be one of {', '.join(sorted(subjects))}")
    known = facts_of(body["applies_to"])
    if body["severity"] not in SEVERITIES:
        raise ProfileError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
    fact = body.get("fact")
    if check.expected is not None:
        if fact not in known:
            raise ProfileError(f"{where}: unknown fact '{fact}' for {body['applies_to']}")
        _expected(where, check_name, check, body, known)
    for key, param in check.params.items():
        if key not in body:
            if param.required:
                raise ProfileError(f"{where}: check '{check_name}' needs '{key}'")
            continue
        test, reads = PARAM_TYPES[param.type]
        if not test(body[key]):
            raise ProfileError(f"{where}: '{key}' must be {reads}")
    problem = check.validate(body)
    if problem:
        raise ProfileError(f"{where}: {problem}")
    return Rule(
        id=rule_id,
        spec=body["spec"],
        applies_to=body["applies_to"],
        check=check_name,
        severity=body["severity"],
        fact=fact,
        expected=body.get("expected"),
        expected_fact=body.get("expected_fact"),
        pass_band=body.get("pass_band"),
        warn_band=body.get("warn_band"),
        window=body.get("window", 1),
        min_share=float(body.get("min_share", 1.0)),
        warn_limit=body.get("warn_limit"),
        title=_bilingual(where, "title", body.get("title")),
        message=_bilingual(where, "message", body.get("message")),
        hint=_bilingual(where, "hint", body.get("hint")),
        doc=_bilingual(where, "doc", body.get("doc"), required=False),
        unit=known.get(fact or "", ""),
    )


def _expected(where: str, name: str, check: Any, body: dict[str, Any],
              known: dict[str, str]) -> None:  # fmt: skip
    """`expected` of the check's type, or (for checks comparing facts) `expected_fact`."""
    if "expected_fact" in body:
        if not check.compares_facts:
            raise ProfileError(f"{where}: check '{name}' cannot take 'expected_fact'")
        if "expected" in body:
            raise ProfileError(f"{where}: give 'expected' or 'expected_fact', not both")
        if body["expected_fact"] not in known:
            raise ProfileError(f"{where}: unknown fact '{body['expected_fact']}' "
                               "in 'expected_fact'")  # fmt: skip
        return
    if "expected" not in body:
        raise ProfileError(f"{where}: check '{name}' needs 'expected'")
    test, reads = PARAM_TYPES[check.expected]
    if not test(body["expected"]):
        raise ProfileError(f"{where}: check '{name}' needs {reads} as 'expected'")


def _clauses(where: str, value: Any) -> dict[str, dict[str, str]]:
    if not isinstance(value, dict) or not value:
        raise ProfileError(f"{where}: 'clauses' maps each clause id to its title (zh, en)")
    out = {}
    for clause, body in value.items():
        if not isinstance(body, dict) or set(body) - {"title", "source"}:
            raise ProfileError(f"{where}: clause {clause}: keys are 'title' and 'source'")
        out[str(clause)] = _bilingual(f"{where}: clause {clause}", "title", body.get("title"))
    return out


def load_profile(ref: str | None = None) -> Profile:
    """Load a shipped profile by name, or a YAML file by path; validate every rule."""
    path = _locate(ref or DEFAULT_PROFILE, None)
    data, sources = _load_raw(path, ())
    if data.get("schema", 1) != 1:
        raise ProfileError(f"{path}: schema {data.get('schema')} is not supported (want 1)")
    clauses = _clauses(str(path), data.get("clauses"))
    rules = []
    for rule_id, body in (data.get("rules") or {}).items():
        rule = _rule(f"{path}: rule {rule_id}", str(rule_id), body, clauses)
        if rule is not None:
            rules.append(rule)
    needs_hashes = any(r.applies_to == "case" for r in rules)
    title = data.get("title") or {"zh": data.get("name", path.stem), "en": path.stem}
    return Profile(
        name=str(data.get("name", path.stem)),
        title=_bilingual(str(path), "title", title),
        rules=tuple(rules),
        sources=sources,
        clauses=clauses,
        photo_hashes=_photo_hashes(str(path), data.get("photo_hashes"), needs_hashes),
    )


def _photo_hashes(where: str, value: Any, required: bool) -> dict[str, dict[str, int]]:
    """P-UNIQUE: the largest Hamming distance (of 256-bit hashes) for two photos to be one
    photo ("duplicate") or the same scene ("similar")."""
    if value is None and not required:
        return {}
    if not isinstance(value, dict) or set(value) != {"duplicate", "similar"}:
        raise ProfileError(f"{where}: photo_hashes sets 'duplicate' and 'similar' "
                           "(the case rules need them)")  # fmt: skip
    for band, limits in value.items():
        if not isinstance(limits, dict) or set(limits) != {"phash", "dhash"}:
            raise ProfileError(f"{where}: photo_hashes.{band} sets 'phash' and 'dhash'")
        for name, limit in limits.items():
            if not (isinstance(limit, int) and not isinstance(limit, bool) and 0 <= limit <= 256):
                raise ProfileError(f"{where}: photo_hashes.{band}.{name} is 0–256 bits")
    if any(value["duplicate"][k] > value["similar"][k] for k in ("phash", "dhash")):
        raise ProfileError(f"{where}: photo_hashes duplicate limits exceed similar ones")
    return {band: dict(limits) for band, limits in value.items()}
