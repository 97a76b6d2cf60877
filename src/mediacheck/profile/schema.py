"""A JSON Schema of profiles, made from the same tables the validator reads (CHECKS, the
kinds' FACTS), so it cannot drift from them. `schemas/profile-v1.json` is this output;
a test keeps the file and the function equal and validates the shipped profiles with it.

The schema checks the shape an editor can check (keys, types, enums); `load_profile`
adds what needs the whole profile (clauses cited, `extends`, cross-key limits).
"""

from __future__ import annotations

import json
from typing import Any

from mediacheck.checks import CHECKS
from mediacheck.probe import KINDS
from mediacheck.sets import SETS

SCHEMA_ID = "https://mediacheck.invalid/schemas/profile-v1.json"

_TYPES: dict[str, dict[str, Any]] = {
    "number": {"type": "number"},
    "value": {"anyOf": [{"type": ["string", "number", "boolean"]},
                        {"type": "array", "items": {"type": "number"}, "minItems": 1}]},
    "list": {"type": "array", "minItems": 1},
    "pair": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
    "fraction": {"type": "number", "minimum": 0},
    "share": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
    "seconds": {"type": "integer", "minimum": 1},
    "fact": {"type": "string"},
}  # fmt: skip
_TEXT = {
    "type": "object",
    "properties": {
        "zh": {"type": "string", "minLength": 1},
        "en": {"type": "string", "minLength": 1},
    },
    "required": ["zh", "en"],
    "additionalProperties": False,
}


def _facts() -> list[str]:
    from mediacheck.profile import facts_of

    return sorted({name for subject in (*KINDS, *SETS) for name in facts_of(subject)})


def _rule() -> dict[str, Any]:
    common: dict[str, Any] = {
        "spec": {"type": "string"},
        "applies_to": {"enum": sorted({*KINDS, *SETS})},
        "fact": {"enum": _facts()},
        "check": {"enum": list(CHECKS)},
        "severity": {"enum": ["error", "warning", "info"]},
        "title": {"$ref": "#/$defs/text"},
        "message": {"$ref": "#/$defs/text"},
        "hint": {"$ref": "#/$defs/text"},
        "doc": {"$ref": "#/$defs/text"},
        "enabled": {"type": "boolean"},
        "expected": {},
        "expected_fact": {"enum": _facts()},
        "only_if_passed": {"type": "string"},
    }
    per_check = []
    for name, check in CHECKS.items():
        props: dict[str, Any] = {key: _TYPES[p.type] for key, p in check.params.items()}
        if check.expected is not None:
            props["expected"] = _TYPES[check.expected]
        required = [key for key, p in check.params.items() if p.required]
        then: dict[str, Any] = {"properties": props}
        if required:
            then["required"] = required
        per_check.append({"if": {"properties": {"check": {"const": name}}, "required": ["check"]},
                          "then": then})  # fmt: skip
    every_param = {key for c in CHECKS.values() for key in c.params}
    return {
        "oneOf": [
            {"enum": ["disable", False]},
            {
                "type": "object",
                "properties": {**common, **{k: {} for k in sorted(every_param)}},
                "additionalProperties": False,
                "allOf": per_check,
            },
        ]
    }


def profile_schema() -> dict[str, Any]:
    limits = {"type": "object", "properties": {"phash": {"type": "integer", "minimum": 0,
              "maximum": 256}, "dhash": {"type": "integer", "minimum": 0, "maximum": 256}},
              "required": ["phash", "dhash"], "additionalProperties": False}  # fmt: skip
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "mediacheck profile, schema 1",
        "type": "object",
        "properties": {
            "schema": {"const": 1},
            "name": {"type": "string"},
            "title": {"$ref": "#/$defs/text"},
            "description": {"type": "string"},
            "extends": {"type": "string"},
            "clauses": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "properties": {"title": {"$ref": "#/$defs/text"}, "source": {"type": "string"}},
                    "required": ["title"],
                    "additionalProperties": False,
                },
            },
            "photo_hashes": {
                "type": "object",
                "properties": {"duplicate": limits, "similar": limits},
                "additionalProperties": False,
            },
            "rules": {"type": "object", "additionalProperties": {"$ref": "#/$defs/rule"}},
            # data sections whose owners validate them in full (profile/courses.py, the
            # table layout, sets/roles.py): only their shape here
            "courses": {"type": "object"},
            "links": {"type": "object"},
            "tables": {"type": "object"},
            "submission": {"type": "object"},
        },
        "additionalProperties": False,
        "$defs": {"text": _TEXT, "rule": _rule()},
    }


def schema_text() -> str:
    return json.dumps(profile_schema(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # python -m mediacheck.profile.schema > schemas/profile-v1.json
    print(schema_text(), end="")
