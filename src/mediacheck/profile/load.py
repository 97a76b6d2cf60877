"""Reading a profile: YAML, `extends:` merged, every rule validated by one generic loop
over its check's entry in CHECKS. `load_profile` (profile/__init__.py) calls `build`
when no stored profile answers."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mediacheck import yamlfile
from mediacheck.checks import CHECKS, PARAM_TYPES
from mediacheck.probe import KINDS
from mediacheck.profile import Profile, ProfileError, Rule, facts_of, locate
from mediacheck.sets import SETS
from mediacheck.words.errors import TYPES

SEVERITIES = ("error", "warning", "info")
# Keys every rule may carry, whatever its check; the check's own keys come from CHECKS.
COMMON_KEYS = {"spec", "applies_to", "fact", "check", "severity", "title", "message", "hint",
               "enabled", "doc", "expected", "expected_fact", "only_if_passed"}  # fmt: skip
TOP_KEYS = {"schema", "name", "title", "description", "extends", "rules", "photo_hashes",
            "clauses", "courses", "links", "tables", "submission"}  # fmt: skip
LANG_KEYS = {"zh", "en"}


@dataclass(frozen=True)
class Source:
    """One file a profile was read from: how it was found, and the bytes parsed."""

    path: str  # as located: an entry of Profile.sources
    ref: str | None  # the `extends:` value that named it; None for the profile itself
    beside: str | None  # the file whose `extends:` that was
    data: bytes


def _names(keys: object) -> str:
    return ", ".join(sorted(map(str, keys)))  # type: ignore[call-overload]


def _os_detail(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or type(exc).__name__


def _read(path: Path, read: list[Source], ref: str | None = None,
          beside: Path | None = None) -> dict[str, Any]:  # fmt: skip
    try:
        # regular, small, UTF-8, few references: the one policy of yamlfile.py
        raw = yamlfile.read_bytes(path)
        data = yamlfile.parse(yamlfile.decode(raw))
    except yamlfile.YamlFileError as exc:
        code, params = yamlfile.as_error(exc, "profile")
        raise ProfileError(path, code, **params) from None
    if not isinstance(data, dict):
        raise ProfileError(path, "profile.not_mapping")
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise ProfileError(path, "profile.unknown_keys", keys=_names(unknown))
    if not isinstance(data.get("rules", {}), dict):
        raise ProfileError(path, "profile.rules_mapping")
    read.append(Source(str(path), ref, None if beside is None else str(beside), raw))
    return data


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _load_raw(path: Path, seen: tuple[Path, ...], read: list[Source], ref: str | None = None,
              beside: Path | None = None) -> tuple[dict[str, Any], tuple[str, ...]]:  # fmt: skip
    if path.resolve() in seen:
        raise ProfileError(path, "profile.extends_loop")
    data = _read(path, read, ref, beside)
    sources: tuple[str, ...] = ()
    rules: dict[str, Any] = {}
    if "extends" in data:
        base_ref = str(data["extends"])
        base_path = locate(base_ref, path)
        base, sources = _load_raw(base_path, (*seen, path.resolve()), read, base_ref, path)
        rules = base.get("rules", {})
        own = {k: v for k, v in data.items() if k != "rules"}
        sections = ("clauses", "photo_hashes", "courses", "links", "tables", "submission")
        for key in sections:  # like rules
            if isinstance(own.get(key), dict) and isinstance(base.get(key), dict):
                own[key] = _merge(base[key], own[key])
        over = data.get("rules", {}) or {}
        data = {**base, "name": path.stem, **own}
        data["rules"] = rules
        for rule_id, body in over.items():
            if body is False or body == "disable":
                body = {"enabled": False}
            if rule_id in rules and isinstance(body, dict):
                rules[rule_id] = _merge(rules[rule_id], body)
            else:
                rules[rule_id] = copy.deepcopy(body)
    return data, (*sources, str(path))


def _bilingual(where: str, key: str, value: Any, required: bool = True) -> dict[str, str]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict) or set(value) != LANG_KEYS:
        raise ProfileError(where, "profile.bilingual", key=key)
    if not all(isinstance(v, str) and v.strip() for v in value.values()):
        raise ProfileError(where, "profile.empty_text", key=key)
    return dict(value)


def _rule(where: str, rule_id: str, body: Any, clauses: dict[str, Any]) -> Rule | None:
    """One rule, validated by one generic loop over its check's entry in CHECKS."""
    if not isinstance(body, dict):
        raise ProfileError(where, "profile.rule_mapping")
    params = {key for c in CHECKS.values() for key in c.params}
    unknown = set(body) - COMMON_KEYS - params
    if unknown:
        raise ProfileError(where, "profile.unknown_keys", keys=_names(unknown))
    if body.get("enabled", True) is False:
        return None
    for key in ("spec", "applies_to", "check", "severity"):
        if key not in body:
            raise ProfileError(where, "profile.missing_key", key=key)
    check_name = body["check"]
    check = CHECKS.get(check_name) if isinstance(check_name, str) else None
    if check is None:
        raise ProfileError(
            where, "profile.unknown_check", check=check_name, known=", ".join(CHECKS)
        )
    for key in sorted(set(body) & params - set(check.params)):
        takers = [name for name, c in CHECKS.items() if key in c.params]
        raise ProfileError(where, "profile.key_of_other_check", key=key, checks=", ".join(takers))
    if body["spec"] not in clauses:
        raise ProfileError(
            where, "profile.unknown_clause", clause=body["spec"], known=", ".join(clauses)
        )
    subjects = {*KINDS, *SETS}
    if body["applies_to"] not in subjects:
        raise ProfileError(where, "profile.applies_to", known=_names(subjects))
    known = facts_of(body["applies_to"])
    if body["severity"] not in SEVERITIES:
        raise ProfileError(where, "profile.severity", known=", ".join(SEVERITIES))
    fact = body.get("fact")
    if check.expected is not None:
        if fact not in known:
            raise ProfileError(where, "profile.unknown_fact", fact=fact, kind=body["applies_to"])
        _expected(where, check_name, check, body, known)
    for key, param in check.params.items():
        if key not in body:
            if param.required:
                raise ProfileError(where, "profile.check_needs", check=check_name, key=key)
            continue
        if not PARAM_TYPES[param.type](body[key]):
            raise ProfileError(where, "profile.key_type", key=key, type=TYPES[param.type])
    problem = check.validate(body)
    if problem:
        raise ProfileError(where, problem)
    return Rule(
        id=rule_id,
        spec=body["spec"],
        applies_to=body["applies_to"],
        check=check_name,
        severity=body["severity"],
        fact=fact,
        expected=body.get("expected"),
        expected_fact=body.get("expected_fact"),
        only_if_passed=body.get("only_if_passed"),
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
            raise ProfileError(where, "profile.no_expected_fact", check=name)
        if "expected" in body:
            raise ProfileError(where, "profile.expected_twice")
        if body["expected_fact"] not in known:
            raise ProfileError(
                where, "profile.unknown_fact", fact=body["expected_fact"], kind=body["applies_to"]
            )
        return
    if "expected" not in body:
        raise ProfileError(where, "profile.check_needs", check=name, key="expected")
    if not PARAM_TYPES[check.expected](body["expected"]):
        raise ProfileError(where, "profile.expected_type", check=name, type=TYPES[check.expected])


def _clauses(where: str, value: Any) -> dict[str, dict[str, str]]:
    if not isinstance(value, dict) or not value:
        raise ProfileError(where, "profile.clauses")
    out = {}
    for clause, body in value.items():
        if not isinstance(body, dict) or set(body) - {"title", "source"}:
            raise ProfileError(f"{where} [{clause}]", "profile.clause_keys")
        out[str(clause)] = _bilingual(f"{where} [{clause}]", "title", body.get("title"))
    return out


def build(path: Path) -> tuple[Profile, list[Source]]:
    """The profile file at `path` (with what it extends), read and validated; and the
    files it was read from, as read (for profile/stored.py)."""
    read: list[Source] = []
    data, sources = _load_raw(path, (), read)
    if data.get("schema", 1) != 1:
        raise ProfileError(path, "profile.schema", schema=data.get("schema"))
    clauses = _clauses(str(path), data.get("clauses"))
    rules = []
    disabled = {}
    for rule_id, body in (data.get("rules") or {}).items():
        rule = _rule(f"{path} [{rule_id}]", str(rule_id), body, clauses)
        if rule is not None:
            rules.append(rule)
        elif isinstance(body.get("fact"), str):
            disabled[str(rule_id)] = body["fact"]
    needs_hashes = any(r.applies_to == "case" for r in rules)
    for i, rule in enumerate(rules):
        before = {r.id for r in rules[:i] if r.applies_to == rule.applies_to}
        if rule.only_if_passed is not None and rule.only_if_passed not in before:
            raise ProfileError(f"{path} [{rule.id}]", "profile.only_if_passed",
                               rule=rule.only_if_passed)  # fmt: skip
    title = data.get("title") or {"zh": data.get("name", path.stem), "en": path.stem}
    profile = Profile(
        name=str(data.get("name", path.stem)),
        title=_bilingual(str(path), "title", title),
        rules=tuple(rules),
        sources=sources,
        clauses=clauses,
        photo_hashes=_photo_hashes(str(path), data.get("photo_hashes"), needs_hashes),
        disabled=disabled,
        **_sections(path, data),
    )
    return profile, read


def _sections(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    """`courses:`, `links:` and `tables:`, validated by their owners (profile/courses.py,
    probe/table_layout.py)."""
    from mediacheck.probe.table_layout import tables_from
    from mediacheck.profile import courses
    from mediacheck.sets.roles import section_from

    try:
        return {"courses": courses.courses_section(str(path), data.get("courses")),
                "links": courses.links_section(str(path), data.get("links")),
                "tables": tables_from(data.get("tables"), str(path)),
                "submission": section_from(data.get("submission"), str(path),
                                           data.get("clauses"))}  # fmt: skip
    except ValueError as exc:  # SectionError is one
        raise ProfileError(path, "profile.section", detail=str(exc).split(": ", 1)[-1]) from exc


def _photo_hashes(where: str, value: Any, required: bool) -> dict[str, dict[str, int]]:
    """P-UNIQUE: the largest Hamming distance (of 256-bit hashes) for two photos to be one
    photo ("duplicate") or the same scene ("similar")."""
    if value is None and not required:
        return {}
    if not isinstance(value, dict) or set(value) != {"duplicate", "similar"}:
        raise ProfileError(where, "profile.photo_hashes")
    for band, limits in value.items():
        if not isinstance(limits, dict) or set(limits) != {"phash", "dhash"}:
            raise ProfileError(where, "profile.photo_hashes_band", band=band)
        for name, limit in limits.items():
            if not (isinstance(limit, int) and not isinstance(limit, bool) and 0 <= limit <= 256):
                raise ProfileError(where, "profile.photo_hashes_bits", band=band, name=name)
    if any(value["duplicate"][k] > value["similar"][k] for k in ("phash", "dhash")):
        raise ProfileError(where, "profile.photo_hashes_order")
    return {band: dict(limits) for band, limits in value.items()}
