"""Rule cases as data: load `cases/*.yaml`, build each input once, check it once.

The format is described in cases/README.md. Everything here is plain functions over
plain data so that the driver (test_rule_cases.py) stays a few lines: `load_cases()`
gives one `Expectation` per (case, rule), and a `Workbench` builds inputs and runs
mediacheck on them, each input and each (input, profile) run once per session.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from mediacheck.app import check_cases, check_files
from mediacheck.model import FAIL, INFO, PASS, WARN, FileResult
from mediacheck.profile import DEFAULT_PROFILE, Profile, ProfileError, load_profile

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE / "cases"
sys.path.insert(0, str(HERE.parents[1] / "fixtures"))  # fixtures/ is not a package
import make_fixtures  # noqa: E402
import make_photos  # noqa: E402

ABSENT = "absent"  # the rule must not report anything (e.g. PLAY-DECODE without --deep)
STATUSES = (PASS, WARN, FAIL, INFO, ABSENT)
CASE_KEYS = {"why", "input", "rule", "status", "expect", "others", "profile", "deep"}
FILE_KEYS = {"kind", "cases"}
# kinds whose input is a folder checked as a whole (`mediacheck case`); every other kind
# is one file checked with `mediacheck <kind>` (check_files), so a new per-file kind
# (table, course, link) needs no change here.
SET_KINDS = {"case"}


class CaseError(Exception):
    """A case file that cannot be used; the message names the file and the case."""


@dataclass(frozen=True)
class Case:
    kind: str
    name: str
    source: str  # file name, for messages
    input: Any  # a recipe (see RECIPE_KEYS); its canonical JSON is its identity
    expect: dict[str, str]  # rule id -> status
    profile: dict[str, Any] | None = None  # a profile file's content, or None: shipped
    deep: bool = False
    why: str = ""
    others: str | None = None  # status for every other rule of the kind

    @property
    def overridden(self) -> set[str]:
        """Rules whose definition this case's profile changes (not evidence for them)."""
        rules = (self.profile or {}).get("rules") or {}
        return set(rules)


@dataclass(frozen=True)
class Expectation:
    case: Case
    rule: str
    status: str

    @property
    def id(self) -> str:
        return f"{self.case.kind}/{self.case.name}/{self.rule}"


# ------------------------------------------------------------------------ loading


def _fail(where: str, text: str) -> CaseError:
    return CaseError(f"{where}: {text}")


_PROFILES: dict[str, Profile] = {}
_SCRATCH: list[Path] = []


def profile_for(body: dict[str, Any] | None) -> Profile:
    """The shipped profile, or `body` written to a file and loaded as a user's would be
    (so `extends:` and validation are the real ones); each loaded once."""
    key = _key(body)
    if key not in _PROFILES:
        if body is None:
            _PROFILES[key] = load_profile()
        else:
            text = yaml.safe_dump(body, allow_unicode=True, sort_keys=True)
            path = _scratch() / f"case-{hashlib.sha256(text.encode()).hexdigest()[:10]}.yaml"
            path.write_text(text, encoding="utf-8")
            _PROFILES[key] = load_profile(str(path))
    return _PROFILES[key]


def _scratch() -> Path:
    if not _SCRATCH:
        _SCRATCH.append(Path(tempfile.mkdtemp(prefix="mediacheck-case-profiles-")))
        atexit.register(shutil.rmtree, _SCRATCH[0], True)
    return _SCRATCH[0]


def _case(kind: str, name: str, body: Any, source: str) -> Case:
    where = f"{source}: case {name}"
    if not isinstance(body, dict):
        raise _fail(where, "a case is a mapping (input, rule, status, ...)")
    unknown = set(body) - CASE_KEYS
    if unknown:
        raise _fail(where, f"unknown key(s) {', '.join(sorted(unknown))}")
    if "input" not in body:
        raise _fail(where, "missing 'input'")
    expect = dict(body.get("expect") or {})
    if ("rule" in body) != ("status" in body):
        raise _fail(where, "'rule' and 'status' go together")
    if "rule" in body:
        if body["rule"] in expect:
            raise _fail(where, f"{body['rule']} is both 'rule' and in 'expect'")
        expect[body["rule"]] = body["status"]
    if not expect and "others" not in body:
        raise _fail(where, "say what to expect: 'rule' + 'status', 'expect' or 'others'")
    for rule, status in [*expect.items(), *([("others", body["others"])] if "others" in body
                                            else [])]:  # fmt: skip
        if status not in STATUSES:
            raise _fail(where, f"{rule}: status {status!r} is not one of {', '.join(STATUSES)}")
    profile_body = body.get("profile")
    if profile_body is not None:
        if not isinstance(profile_body, dict):
            raise _fail(where, "'profile' is a profile (extends: ..., rules: ...)")
        profile_body = {"extends": DEFAULT_PROFILE, **profile_body}
    if body.get("deep") and kind != "video":
        raise _fail(where, "'deep' is for videos only")
    _check_recipe(body["input"], where, top=True, kind=kind)
    case = Case(
        kind=kind, name=str(name), source=source, input=body["input"], expect=expect,
        profile=profile_body, deep=bool(body.get("deep", False)),
        why=str(body.get("why", "")), others=body.get("others"),
    )  # fmt: skip
    try:
        rules = {r.id: r for r in profile_for(profile_body).rules}
    except ProfileError as exc:
        raise _fail(where, f"profile: {exc}") from exc
    for rule in expect:
        if rule not in rules:
            raise _fail(where, f"rule {rule} is not in the profile")
        if rules[rule].applies_to != kind:
            raise _fail(where, f"rule {rule} applies to {rules[rule].applies_to}, not {kind}")
    return case


def load_file(path: Path) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or set(data) - FILE_KEYS or "kind" not in data:
        raise _fail(path.name, "a case file has 'kind:' and 'cases:'")
    cases = data.get("cases") or {}
    if not isinstance(cases, dict):
        raise _fail(path.name, "'cases' maps case names to cases")
    return [_case(str(data["kind"]), name, body, path.name) for name, body in cases.items()]


def load_cases(folder: Path = CASES_DIR) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(folder.glob("*.yaml")):
        cases.extend(load_file(path))
    seen: set[tuple[str, str]] = set()
    for case in cases:
        key = (case.kind, case.name)
        if key in seen:
            raise _fail(case.source, f"case {case.name} is defined twice for {case.kind}")
        seen.add(key)
    return cases


def expectations(cases: list[Case]) -> list[Expectation]:
    """One per (case, rule); `others` spelled out over the kind's rules in the profile."""
    out = []
    for case in cases:
        out.extend(Expectation(case, r, s) for r, s in case.expect.items())
        if case.others is not None:
            profile = profile_for(case.profile)
            for rule in profile.for_kind(case.kind):
                if rule.id not in case.expect:
                    out.append(Expectation(case, rule.id, case.others))
    return out


# ----------------------------------------------------------------------- recipes
# An input is a fixture name (str), or a mapping with one recipe key:
#   {fixture: NAME}                       make_fixtures.py or make_photos.py
#   {text: STR, repeat: N, append: STR, encoding: E, append_hex: "ff", name: FILE}
#       a plain text: STR * N + append, encoded (utf-8 unless told), then raw bytes
#   {folder: {FILE: input, ...}}          a folder of inputs (copies), e.g. a case

RECIPE_KEYS = {
    "fixture": {"fixture"},
    "text": {"text", "repeat", "append", "encoding", "append_hex", "name"},
    "folder": {"folder"},
}


def _fixture_source(name: str) -> Callable[[str], Path] | None:
    video = name in make_fixtures.VARIANTS
    photo = name in make_photos.REGISTRY
    if video and photo:
        raise CaseError(f"fixture {name} is in both make_fixtures.py and make_photos.py")
    return make_fixtures.get if video else make_photos.get if photo else None


def _check_recipe(recipe: Any, where: str, top: bool = False, kind: str = "") -> None:
    if isinstance(recipe, str):
        recipe = {"fixture": recipe}
    if not isinstance(recipe, dict):
        raise _fail(where, f"an input is a fixture name or a recipe, not {recipe!r}")
    found = [k for k in RECIPE_KEYS if k in recipe]
    if len(found) != 1:
        raise _fail(where, f"an input has one of {', '.join(RECIPE_KEYS)}: {recipe!r}")
    (key,) = found
    unknown = set(recipe) - RECIPE_KEYS[key]
    if unknown:
        raise _fail(where, f"{key} input: unknown key(s) {', '.join(sorted(unknown))}")
    if key == "fixture" and _fixture_source(str(recipe["fixture"])) is None:
        raise _fail(where, f"no fixture named {recipe['fixture']!r}")
    if key == "text":
        if not all(isinstance(recipe.get(k, ""), str) for k in ("text", "append")):
            raise _fail(where, "'text' and 'append' are strings")
        if not isinstance(recipe.get("repeat", 1), int):
            raise _fail(where, "'repeat' is a whole number")
        try:
            "".encode(str(recipe.get("encoding", "utf-8")))
            bytes.fromhex(str(recipe.get("append_hex", "")))
        except (LookupError, ValueError) as exc:
            raise _fail(where, f"text input: {exc}") from exc
    if key == "folder":
        members = recipe["folder"]
        if not isinstance(members, dict) or not members:
            raise _fail(where, "'folder' maps file names to inputs")
        for member in members.values():
            _check_recipe(member, where)
    if top and key != "fixture" and (key == "folder") != (kind in SET_KINDS):
        raise _fail(where, f"a {kind} case needs {'a folder' if kind in SET_KINDS else 'a file'}")


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


@dataclass
class Workbench:
    """Builds inputs under `tmp` and runs mediacheck on them, each once per session."""

    tmp: Path
    _inputs: dict[str, Path] = field(default_factory=dict)
    _results: dict[str, FileResult] = field(default_factory=dict)

    def build(self, recipe: Any) -> Path:
        if isinstance(recipe, str):
            recipe = {"fixture": recipe}
        key = _key(recipe)
        if key not in self._inputs:
            self._inputs[key] = self._make(recipe, len(self._inputs))
        return self._inputs[key]

    def _make(self, recipe: dict[str, Any], n: int) -> Path:
        if "fixture" in recipe:
            source = _fixture_source(recipe["fixture"])
            assert source is not None
            return source(recipe["fixture"])  # cached media, read in place
        folder = self.tmp / "inputs" / str(n)
        folder.mkdir(parents=True)
        if "text" in recipe:
            text = recipe["text"] * recipe.get("repeat", 1) + recipe.get("append", "")
            data = text.encode(recipe.get("encoding", "utf-8"))
            path = folder / recipe.get("name", "text.txt")
            path.write_bytes(data + bytes.fromhex(recipe.get("append_hex", "")))
            return path
        path = folder / "case"
        path.mkdir()
        for filename, member in recipe["folder"].items():
            src = self.build(member)
            (shutil.copytree if src.is_dir() else shutil.copyfile)(src, path / filename)
        return path

    def result(self, case: Case) -> FileResult:
        """The result mediacheck gives the case's input, as its command would."""
        key = _key([case.kind, case.input, case.profile, case.deep])
        if key not in self._results:
            path, profile = self.build(case.input), profile_for(case.profile)
            if case.kind in SET_KINDS:
                run = check_cases([path], profile)
                (found,) = [r for r in run.files if r.kind == case.kind]
            else:
                (found,) = check_files([path], profile, case.kind, deep=case.deep).files
            self._results[key] = found
        return self._results[key]


# ------------------------------------------------------------------------ coverage


def missing_cases(cases: list[Case], profile: Profile) -> list[str]:
    """Rules of `profile` without a passing case, or without a failing one (a warning
    for warning rules, info for info rules). A case whose profile redefines the rule
    does not count for it."""
    want_bad = {"error": FAIL, "warning": WARN, "info": INFO}
    seen: dict[str, set[str]] = {}
    for exp in expectations(cases):
        if exp.rule not in exp.case.overridden:
            seen.setdefault(exp.rule, set()).add(exp.status)
    lines = []
    for rule in profile.rules:
        got = seen.get(rule.id, set())
        lacks = [s for s in (PASS, want_bad[rule.severity]) if s not in got]
        if lacks:
            lines.append(f"{rule.id} ({rule.applies_to}, {rule.severity}): no "
                         + " and no ".join(f"'{s}' case" for s in lacks))  # fmt: skip
    return lines
