"""Every rule case of cases/*.yaml: build the input, check it with the real tools as the
command would, and compare the rule's status. Plus the meta-test: every rule of the
shipped profile has a passing case and a failing one."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import rulecases
from rulecases import ABSENT, Case, Expectation, Workbench

from mediacheck.model import PASS
from mediacheck.profile import load_profile

CASES = rulecases.load_cases()
EXPECTATIONS = rulecases.expectations(CASES)


@pytest.fixture(scope="session")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Workbench:
    return Workbench(tmp_path_factory.mktemp("rule-cases"))


def _table(findings) -> str:
    return "\n".join(
        f"  {f.rule_id:18} {f.status:5} measured {f.measured_text.get('en', '')!r}"
        for f in findings
    )


@pytest.mark.parametrize("exp", EXPECTATIONS, ids=[e.id for e in EXPECTATIONS])
def test_rule_case(bench: Workbench, exp: Expectation) -> None:
    result = bench.result(exp.case)
    found = [f for f in result.findings if f.rule_id == exp.rule]
    where = f"{exp.case.source}: {exp.case.name}"
    if exp.status == ABSENT:
        assert not found, f"{where}: {exp.rule} should say nothing\n{_table(result.findings)}"
        return
    assert len(found) == 1, f"{where}: {exp.rule} reported {len(found)} times\n" + _table(
        result.findings
    )
    (finding,) = found
    assert finding.status == exp.status, (
        f"{where}: {exp.rule} is {finding.status}, want {exp.status}\n{_table(result.findings)}"
    )
    if exp.status != PASS:
        # what a user reads: measured, expected, why and what to do, in both languages
        for lang in ("zh", "en"):
            for part in ("measured_text", "expected_text", "message", "hint"):
                assert getattr(finding, part).get(lang), f"{where}: no {lang} {part}"
            # every {placeholder} filled in
            assert "{" not in finding.message[lang] + finding.hint[lang], finding.message


# Kinds whose inputs this driver cannot build yet (a course list with its lessons and a
# web server, a statistics table): their rules' passing and failing cases are data
# tables in these modules, each with its own every-rule test.
CASES_ELSEWHERE = {
    "course": "tests/sets/test_course_rules.py",
    "course_list": "tests/sets/test_course_rules.py",
    "link": "tests/sets/test_course_rules.py",
    "table": "tests/probe/test_table.py",
    "submission": "tests/sets/test_submission_rules.py",  # units and their zips (#10)
    "district": "tests/sets/test_submission_rules.py",
}


def test_every_rule_has_a_passing_and_a_failing_case() -> None:
    profile = load_profile()
    root = Path(__file__).resolve().parents[2]
    for module in set(CASES_ELSEWHERE.values()):
        assert "def test_every_" in (root / module).read_text(encoding="utf-8"), module
    here = [r for r in profile.rules if r.applies_to not in CASES_ELSEWHERE]
    missing = rulecases.missing_cases(CASES, replace(profile, rules=tuple(here)))
    assert not missing, "rules without cases (add them to tests/rules/cases/):\n" + "\n".join(
        missing
    )


# ---------------------------------------------------------------- the loader itself


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("cases: {a: {input: compliant, rule: V-RES, status: fail}}", "'kind:'"),
        ("kind: video\ncases: {a: {input: compliant, rule: V-RES}}", "go together"),
        ("kind: video\ncases: {a: {input: compliant, rule: V-RES, status: ok}}", "not one of"),
        ("kind: video\ncases: {a: {input: compliant, rule: V-NOPE, status: fail}}",
         "not in the profile"),
        ("kind: video\ncases: {a: {input: compliant, rule: P-SIZE, status: fail}}",
         "applies to photo"),
        ("kind: video\ncases: {a: {input: nope, rule: V-RES, status: fail}}", "no fixture"),
        ("kind: video\ncases: {a: {input: compliant, rul: V-RES}}", "unknown key"),
        ("kind: video\ncases: {a: {input: compliant}}", "say what to expect"),
        ("kind: text\ncases: {a: {input: {text: x, colour: red}, others: pass}}", "unknown key"),
        ("kind: case\ncases: {a: {input: {text: x}, others: pass}}", "needs a folder"),
        ("kind: text\ncases: {a: {input: utf8_txt, deep: true, others: pass}}", "videos only"),
        ("kind: text\ncases: {a: {input: {text: x, encoding: klingon}, others: pass}}",
         "unknown encoding"),
        ("kind: text\ncases: {a: {input: {text: x, append_hex: zz}, others: pass}}", "hex"),
        ("kind: video\ncases: {a: {input: compliant, rule: V-RES, status: fail,\n"
         "  profile: {rules: {V-RES: {check: nope}}}}}", "unknown check"),
    ],
)  # fmt: skip
def test_a_bad_case_is_a_clear_error(tmp_path: Path, body: str, error: str) -> None:
    with pytest.raises(rulecases.CaseError, match=error):
        rulecases.load_file(_write(tmp_path, body))


def test_a_redefined_rule_does_not_count_as_its_evidence(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "kind: video\ncases:\n"
        "  a: {input: audio_44k, rule: A-RATE, status: pass,\n"
        "      profile: {rules: {A-RATE: {expected: 44100}}}}\n"
        "  b: {input: audio_44k, rule: V-RES, status: pass}\n",
    )
    missing = rulecases.missing_cases(rulecases.load_file(path), load_profile())
    assert any(line.startswith("A-RATE ") and "'pass'" in line for line in missing)
    assert any(line.startswith("V-RES ") and "'fail'" in line for line in missing)
    assert not any(line.startswith("V-RES ") and "'pass'" in line for line in missing)


def test_others_covers_the_kinds_other_rules() -> None:
    case = Case("text", "t", "x.yaml", "utf8_txt", {"T-LENGTH": ABSENT}, others=PASS)
    got = {e.rule: e.status for e in rulecases.expectations([case])}
    rules = {r.id for r in load_profile().for_kind("text")}
    assert set(got) == rules and got.pop("T-LENGTH") == ABSENT
    assert set(got.values()) == {PASS}
