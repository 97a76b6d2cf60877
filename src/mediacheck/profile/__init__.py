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

from mediacheck.model import KNOWN_FACTS
from mediacheck.probe.table import FACTS as TABLE_FACTS  # table kind (#10)
from mediacheck.probe.table_layout import Layout, tables_from  # table kind (#10)

DEFAULT_PROFILE = "shanghai-2024"

# Clause IDs of ../shared/SPEC.md; every rule cites one.
SPEC_CLAUSES = {
    "V-CONTAINER", "V-CODEC", "V-RES", "V-BITRATE", "V-FPS",
    "A-RATE", "A-BITRATE", "A-CHANNELS",
    "PLAYABILITY",  # SPEC.md "the notice is silent on things that still decide…" warnings
    "I-LINK", "C-FORMS", "C-CATEGORY", "C-COUNT",
    "P-FORMAT", "P-SIZE", "P-COUNT", "P-UNIQUE", "T-CASE", "T-SUMMARY", "S-TABLE",
    "S-CONSISTENT", "S-SEAL",  # table kind (#10)
}  # fmt: skip

KINDS = {"video", "photo", "text", "case", "table"}
SEVERITIES = ("error", "warning", "info")
# check name -> does it need `expected`?
CHECKS = {
    "equals": True,
    "one_of": True,
    "at_least": True,
    "at_most": True,
    "between": True,
    "near": True,
    "readable": False,  # the file could be probed at all
    "steady": True,  # every window of a per-second series near expected
}
RULE_KEYS = {
    "spec", "applies_to", "fact", "check", "expected", "pass_band", "warn_band",
    "severity", "title", "message", "hint", "enabled", "doc", "window", "min_share",
    "warn_limit",
    "expected_fact",  # table kind (#10): main's two-fact comparison
}  # fmt: skip
TOP_KEYS = {"schema", "name", "title", "description", "extends", "rules", "photo_hashes",
            "tables"}  # fmt: skip
# P-UNIQUE: largest Hamming distance (of 256-bit hashes) for two photos to be one photo
# ("duplicate") or the same scene ("similar"); calibrated in tests/test_photo_groups.py.
DEFAULT_PHOTO_HASHES = {"duplicate": {"phash": 20, "dhash": 20},
                        "similar": {"phash": 88, "dhash": 88}}  # fmt: skip
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
    doc: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Profile:
    name: str
    title: dict[str, str]
    rules: tuple[Rule, ...]
    sources: tuple[str, ...]  # files read, base first
    photo_hashes: dict[str, dict[str, int]] = field(
        default_factory=lambda: copy.deepcopy(DEFAULT_PHOTO_HASHES)
    )
    tables: dict[str, Layout] = field(default_factory=dict)  # table kind (#10)

    def for_kind(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.applies_to == kind]


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
        data = {**base, "name": path.stem, **{k: v for k, v in data.items() if k != "rules"}}
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


def _rule(where: str, rule_id: str, body: Any) -> Rule | None:
    if not isinstance(body, dict):
        raise ProfileError(f"{where}: a rule is a mapping of keys")
    unknown = set(body) - RULE_KEYS
    if unknown:
        raise ProfileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    if body.get("enabled", True) is False:
        return None
    for key in ("spec", "applies_to", "check", "severity"):
        if key not in body:
            raise ProfileError(f"{where}: missing '{key}'")
    if body["spec"] not in SPEC_CLAUSES:
        raise ProfileError(f"{where}: unknown spec clause '{body['spec']}'")
    if body["applies_to"] not in KINDS:
        raise ProfileError(f"{where}: applies_to must be one of {', '.join(sorted(KINDS))}")
    check = body["check"]
    if check not in CHECKS:
        raise ProfileError(f"{where}: unknown check '{check}' (known: {', '.join(sorted(CHECKS))})")
    if body["severity"] not in SEVERITIES:
        raise ProfileError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
    fact = body.get("fact")
    if check != "readable":
        if fact not in KNOWN_FACTS and fact not in TABLE_FACTS:
            raise ProfileError(f"{where}: unknown fact '{fact}'")
        # table kind (#10): until main's `expected_fact` check lands, such rules are
        # validated and skipped (their facts are tested in tests/probe/test_table*.py).
        if "expected_fact" in body:
            if body["expected_fact"] not in KNOWN_FACTS | TABLE_FACTS:
                raise ProfileError(f"{where}: unknown fact '{body['expected_fact']}'")
            return None
        if CHECKS[check] and "expected" not in body:
            raise ProfileError(f"{where}: check '{check}' needs 'expected'")
    expected = body.get("expected")
    if check == "one_of" and not isinstance(expected, list):
        raise ProfileError(f"{where}: one_of needs a list as 'expected'")
    if check == "between" and not (isinstance(expected, list) and len(expected) == 2):
        raise ProfileError(f"{where}: between needs [low, high] as 'expected'")
    if check in ("near", "steady"):
        if not isinstance(expected, (int, float)) or isinstance(expected, bool):
            raise ProfileError(f"{where}: {check} needs a number as 'expected'")
        if not isinstance(body.get("pass_band"), (int, float)):
            raise ProfileError(f"{where}: {check} needs 'pass_band' (a fraction, 0.1 = ±10 %)")
    for band in ("pass_band", "warn_band"):
        if band in body and check not in ("near", "steady"):
            raise ProfileError(f"{where}: '{band}' only goes with checks 'near' and 'steady'")
    if "warn_limit" in body:
        limit = body["warn_limit"]
        if check not in ("at_least", "at_most") or not isinstance(limit, (int, float)):
            raise ProfileError(f"{where}: 'warn_limit' is a number for at_least / at_most")
        if (check == "at_least" and limit > expected) or (check == "at_most" and limit < expected):
            raise ProfileError(f"{where}: 'warn_limit' must lie on the failing side of 'expected'")
    for key in ("window", "min_share"):
        if key in body and check != "steady":
            raise ProfileError(f"{where}: '{key}' only goes with check 'steady'")
    if not (isinstance(body.get("window", 1), int) and body.get("window", 1) >= 1):
        raise ProfileError(f"{where}: 'window' must be a whole number of seconds ≥ 1")
    share = body.get("min_share", 1.0)
    if not (isinstance(share, (int, float)) and 0 < share <= 1):
        raise ProfileError(f"{where}: 'min_share' must be a fraction in (0, 1]")
        if band in body and not (isinstance(body[band], (int, float)) and body[band] >= 0):
            raise ProfileError(f"{where}: '{band}' must be a number ≥ 0")
    if "warn_band" in body and body["warn_band"] < body["pass_band"]:
        raise ProfileError(f"{where}: warn_band must be at least pass_band")
    return Rule(
        id=rule_id,
        spec=body["spec"],
        applies_to=body["applies_to"],
        check=check,
        severity=body["severity"],
        fact=fact,
        expected=expected,
        pass_band=body.get("pass_band"),
        warn_band=body.get("warn_band"),
        window=body.get("window", 1),
        min_share=float(body.get("min_share", 1.0)),
        warn_limit=body.get("warn_limit"),
        title=_bilingual(where, "title", body.get("title")),
        message=_bilingual(where, "message", body.get("message")),
        hint=_bilingual(where, "hint", body.get("hint")),
        doc=_bilingual(where, "doc", body.get("doc"), required=False),
    )


def load_profile(ref: str | None = None) -> Profile:
    """Load a shipped profile by name, or a YAML file by path; validate every rule."""
    path = _locate(ref or DEFAULT_PROFILE, None)
    data, sources = _load_raw(path, ())
    if data.get("schema", 1) != 1:
        raise ProfileError(f"{path}: schema {data.get('schema')} is not supported (want 1)")
    rules = []
    for rule_id, body in (data.get("rules") or {}).items():
        rule = _rule(f"{path}: rule {rule_id}", str(rule_id), body)
        if rule is not None:
            rules.append(rule)
    title = data.get("title") or {"zh": data.get("name", path.stem), "en": path.stem}
    return Profile(
        name=str(data.get("name", path.stem)),
        title=_bilingual(str(path), "title", title),
        rules=tuple(rules),
        sources=sources,
        photo_hashes=_photo_hashes(str(path), data.get("photo_hashes")),
        tables=_tables(str(path), data.get("tables")),
    )


def _tables(where: str, value: Any) -> dict[str, Layout]:  # table kind (#10)
    try:
        return tables_from(value, where)
    except ValueError as exc:
        raise ProfileError(str(exc)) from None


def _photo_hashes(where: str, value: Any) -> dict[str, dict[str, int]]:
    merged = _merge(DEFAULT_PHOTO_HASHES, value or {})
    if set(merged) != {"duplicate", "similar"}:
        raise ProfileError(f"{where}: photo_hashes has 'duplicate' and 'similar' only")
    for band, limits in merged.items():
        if not isinstance(limits, dict) or set(limits) != {"phash", "dhash"}:
            raise ProfileError(f"{where}: photo_hashes.{band} sets 'phash' and 'dhash'")
        for name, limit in limits.items():
            if not (isinstance(limit, int) and 0 <= limit <= 256):
                raise ProfileError(f"{where}: photo_hashes.{band}.{name} is 0–256 bits")
        if any(merged["duplicate"][k] > merged["similar"].get(k, 256) for k in merged["duplicate"]):
            raise ProfileError(f"{where}: photo_hashes duplicate limits exceed similar ones")
    return merged
