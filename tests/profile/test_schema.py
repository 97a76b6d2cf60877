"""The shipped JSON Schema of profiles: made from CHECKS and the kinds' facts, and the
shipped profiles follow it."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from mediacheck.profile import shipped_dir
from mediacheck.profile.schema import profile_schema, schema_text

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "src/mediacheck/schemas/profile-v1.json"


def test_the_shipped_schema_is_the_generated_one():
    # Regenerate with: python -m mediacheck.profile.schema > src/mediacheck/schemas/profile-v1.json
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text()
    jsonschema.Draft202012Validator.check_schema(profile_schema())


@pytest.mark.parametrize("path", sorted(shipped_dir().glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_profiles_follow_the_schema(path: Path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text())).validate(data)


@pytest.mark.parametrize(
    "rules",
    [
        {"V-BITRATE": {"pass_band": -0.5}},  # an override: typed by load_profile, not here
        {"V-X": {"check": "near", "expected": 1, "pass_band": -0.1}},
        {"V-X": {"check": "near", "expected": "fast", "pass_band": 0.1}},
        {"V-X": {"check": "steady", "expected": 1, "pass_band": 0.1, "window": 0}},
        {"V-X": {"colour": "red"}},
    ],
)
def test_the_schema_catches_what_an_editor_can(rules):
    validator = jsonschema.Draft202012Validator(profile_schema())
    errors = list(validator.iter_errors({"extends": "shanghai-2024", "rules": rules}))
    if "V-BITRATE" in rules:
        # an override carries no check, so its keys are typed only by load_profile
        assert not errors
    else:
        assert errors
