"""The CI formats, on a hand-made run (no probing): each output parsed and its required
fields checked. SARIF is checked field by field against what SARIF 2.1.0 and GitHub code
scanning require (the OASIS schema is not available offline here)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from mediacheck.model import FAIL, INFO, PASS, WARN, Fact, FileResult, Finding, RunResult
from mediacheck.profile import load_profile
from mediacheck.report import ReportContext, reporter
from mediacheck.report import github as report_github
from mediacheck.report import gitlab as report_gitlab
from mediacheck.report import junit as report_junit
from mediacheck.report import sarif as report_sarif
from mediacheck.report.common import Listed

ROOT = Path("/repo")
AWKWARD = ROOT / "课程/bad, one\nline%.mp4"


def finding(path: Path, rule: str, status: str, severity: str = "error") -> Finding:
    failed = status != PASS
    return Finding(
        path=path,
        rule_id=rule,
        spec=rule.split("-CBR")[0],
        severity=severity,
        status=status,
        title={"zh": "分辨率", "en": "Resolution"},
        measured=Fact([1280, 720], "px", "ffprobe"),
        measured_text={"zh": "1280×720", "en": "1280×720"},
        expected=[1920, 1080],
        expected_text={"zh": "≥ 1920×1080", "en": "≥ 1920×1080"},
        check="at_least",
        message={"zh": "分辨率太低。", "en": "Too small: 50%, really."} if failed else {},
        hint={"zh": "重新导出。", "en": "Export again."} if failed else {},
    )


def sample_run() -> RunResult:
    good = ROOT / "lessons/good.mp4"
    warned = ROOT / "lessons/warned.mp4"
    return RunResult(
        profile="shanghai-2024",
        files=(
            FileResult(
                AWKWARD,
                "video",
                (finding(AWKWARD, "V-RES", FAIL), finding(AWKWARD, "V-CODEC", PASS)),
            ),  # fmt: skip
            FileResult(good, "video", (finding(good, "V-RES", PASS),)),
            FileResult(warned, "video", (finding(warned, "PLAY-FASTSTART", WARN, "warning"),)),
        ),
    )


def ctx(lang: str, **kw) -> ReportContext:
    return ReportContext(lang=lang, root=ROOT, **kw)


LISTED = (Listed(ROOT / "notes.xyz", "other", "no_checks"),)


def test_junit_one_testcase_per_file_and_rule():
    xml = report_junit.render(sample_run(), ctx("en", listed=LISTED))
    suites = ET.fromstring(xml)
    assert suites.tag == "testsuites"
    assert suites.get("tests") == "5" and suites.get("failures") == "1"
    assert suites.get("skipped") is None  # junit-10.xsd allows it on testsuite only
    assert sum(int(s.get("skipped")) for s in suites) == 1
    cases = suites.findall("testsuite/testcase")
    assert len(cases) == 5
    failures = suites.findall(".//failure")
    assert len(failures) == 1 and failures[0].get("type") == "V-RES"
    assert "measured: 1280×720" in failures[0].text
    bad_suite = suites.find("testsuite")
    assert bad_suite.get("name") == "课程/bad, one\nline%.mp4"  # escaped, and read back whole
    # A warning passes (the build passes), and says so in system-out.
    warn_case = next(c for c in cases if "PLAY-FASTSTART" in c.get("name"))
    assert warn_case.find("failure") is None
    assert warn_case.find("system-out").text.startswith("warning:")
    assert suites.find(".//skipped").get("message").startswith("no checks")


def test_junit_strict_makes_warnings_failures():
    suites = ET.fromstring(report_junit.render(sample_run(), ctx("en", strict=True)))
    assert suites.get("failures") == "2"


def test_junit_strips_characters_xml_cannot_hold():
    path = ROOT / "a\x01b.mp4"
    run = RunResult("p", (FileResult(path, "video", (finding(path, "V-RES", FAIL),)),))
    suites = ET.fromstring(report_junit.render(run, ctx("zh")))
    assert suites.find("testsuite").get("name") == "a\\x01b.mp4"
    assert suites.find(".//failure").get("message") == "分辨率太低。"


def test_github_annotations_escape_data_and_properties():
    out = report_github.render(sample_run(), ctx("en", listed=LISTED))
    lines = out.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert len(errors) == 1 and len(warnings) == 1
    m = re.fullmatch(r"::error file=([^,:]*),title=([^,:]*)::(.*)", errors[0])
    assert m, errors[0]
    file, title, message = m.groups()
    assert file == "课程/bad%2C one%0Aline%25.mp4"
    assert title == "V-RES%3A Resolution"
    assert message.startswith("Too small: 50%25, really.%0Ameasured: 1280×720")
    # The summary follows the annotations (GitHub shows only 10 of each), one line a file.
    assert "Checked 3 file(s): 1 passed, 1 with warnings, 1 failed." in lines
    assert "  [FAIL] 课程/bad, one\\nline%.mp4: V-RES" in lines
    assert any("notes.xyz" in line for line in lines)
    # No line of the output starts a command except the annotations and the markers
    # around the plain text: between them the runner runs no command at all.
    commands = [x for x in lines if x.startswith("::")]
    assert commands[:2] == errors + warnings
    stop, resume = commands[2:]
    token = stop.removeprefix("::stop-commands::")
    assert len(token) == 32 and resume == f"::{token}::"
    plain = lines[lines.index(stop) + 1 : lines.index(resume)]
    assert "Checked 3 file(s): 1 passed, 1 with warnings, 1 failed." in plain


def test_github_names_cannot_inject_workflow_commands():
    evil = ROOT / "x\n::error::owned ##[stop-commands]abc ::add-mask::x.mp4"
    run = RunResult(profile="p", files=(FileResult(evil, "video", sample_run().files[0].findings),))
    out = report_github.render(run, ctx("en")).splitlines()
    stop = next(i for i, x in enumerate(out) if x.startswith("::stop-commands::"))
    # the annotation carries the name escaped (%0A), so no line starts a command of its own
    assert not any(x.startswith(("::error::", "##[", "::add-mask")) for x in out)
    # the plain listing shows the name only inside the stop-commands block
    assert all(i > stop for i, x in enumerate(out) if "owned" in x and not x.startswith("::"))


def test_github_strict_reports_warnings_as_errors():
    out = report_github.render(sample_run(), ctx("en", strict=True))
    assert sum(line.startswith("::error ") for line in out.splitlines()) == 2


def test_github_step_summary_is_a_markdown_table():
    md = report_github.step_summary(sample_run(), ctx("zh", listed=LISTED))
    assert md.startswith("### mediacheck 检查结果")
    rows = [line for line in md.splitlines() if line.startswith("| `")]
    assert len(rows) == 2
    assert "\n" not in rows[0] and "bad, one line%.mp4" in rows[0]


def test_sarif_required_fields():
    profile = load_profile()
    data = json.loads(report_sarif.render(sample_run(), ctx("en", profile=profile)))
    assert data["version"] == "2.1.0" and data["$schema"].endswith("sarif-2.1.0.json")
    (run,) = data["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "mediacheck" and driver["version"]
    ids = [r["id"] for r in driver["rules"]]
    assert len(ids) == len(set(ids)) and {"V-RES", "PLAY-FASTSTART"} <= set(ids)
    for rule in driver["rules"]:
        for key in ("shortDescription", "fullDescription", "help"):
            assert rule[key]["text"].strip(), (rule["id"], key)
        assert "helpUri" not in rule
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///repo/"
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["V-RES", "PLAY-FASTSTART"]
    assert [r["level"] for r in results] == ["error", "warning"]
    for r in results:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["message"]["text"]
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert loc["region"]["startLine"] == 1
        assert set(r["partialFingerprints"]) == {"mediacheck/v1"}
    uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    # Relative to the repository, and a valid URI reference: no raw space, comma is fine.
    assert uri == "%E8%AF%BE%E7%A8%8B/bad%2C%20one%0Aline%25.mp4"


def test_sarif_without_profile_lists_reported_rules():
    data = json.loads(report_sarif.render(sample_run(), ctx("zh")))
    rules = data["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["V-RES", "PLAY-FASTSTART"]
    assert rules[0]["help"]["text"].startswith("重新导出。")


def test_sarif_file_outside_the_repository_is_an_absolute_uri():
    path = Path("/elsewhere/x.mp4")
    run = RunResult("p", (FileResult(path, "video", (finding(path, "V-RES", FAIL),)),))
    data = json.loads(report_sarif.render(run, ctx("en")))
    location = data["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "file:///elsewhere/x.mp4"}


def test_gitlab_code_quality_fields_and_stable_fingerprints():
    issues = json.loads(report_gitlab.render(sample_run(), ctx("en")))
    assert len(issues) == 2
    for issue in issues:
        assert issue["description"] and "\n" not in issue["description"]
        assert issue["check_name"] in ("V-RES", "PLAY-FASTSTART")
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["location"]["lines"] == {"begin": 1}
    assert issues[0]["location"]["path"] == "课程/bad, one\nline%.mp4"
    assert [i["severity"] for i in issues] == ["major", "minor"]
    again = json.loads(report_gitlab.render(sample_run(), ctx("zh")))
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in issues]
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_json_and_table_include_listed_files(fmt):
    text = reporter(fmt).render(sample_run(), ctx("en", listed=LISTED, profile=load_profile()))
    assert "notes.xyz" in text
    if fmt == "json":
        data = json.loads(text)
        schema_file = resources.files("mediacheck") / "schemas" / "report-v1.json"
        jsonschema.validate(data, json.loads(schema_file.read_text(encoding="utf-8")))
        assert data["listed"][0]["reason"] == "no_checks"
        assert data["summary"] == {"files": 3, "passed": 1, "warned": 1, "failed": 1}


def test_junit_is_valid_against_jenkins_xsd():
    lxml_etree = pytest.importorskip("lxml.etree")  # python-docx's dependency
    xsd = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "jenkins-junit-10.xsd"
    if not xsd.is_file():
        pytest.skip(f"Jenkins' XSD is not at {xsd}")
    schema = lxml_etree.XMLSchema(lxml_etree.parse(str(xsd)))
    for strict in (False, True):
        xml = report_junit.render(sample_run(), ctx("en", listed=LISTED, strict=strict))
        doc = lxml_etree.fromstring(xml.encode("utf-8"))
        assert schema.validate(doc), schema.error_log
    names = [c.get("name") for c in ET.fromstring(xml).iter("testcase")]
    assert not any(n.endswith("[warning]") for n in names)  # strict: warnings fail
    lenient = ET.fromstring(report_junit.render(sample_run(), ctx("en")))
    assert any(c.get("name").endswith("[warning]") for c in lenient.iter("testcase"))


def test_table_of_many_files_draws_tables_only_where_something_is_to_be_done():
    """`check` (every_file off): a passing file and one whose only remark is a note are
    one line each (the note under it); a warned or failed file gets its table. A kind
    command (`video`, every_file on) draws every table."""
    noted = ROOT / "lessons/short.mp4"
    run = RunResult(
        profile="shanghai-2024",
        files=(
            FileResult(noted, "video", (finding(noted, "V-RES", PASS),
                                        finding(noted, "V-BITRATE-STEADY", INFO, "warning"))),
            *sample_run().files,
        ),
    )  # fmt: skip
    compact = reporter("table").render(run, ctx("en", every_file=False))
    lines = compact.splitlines()
    short = next(i for i, line in enumerate(lines) if "short.mp4" in line)
    assert "meets the requirements" in lines[short] and "info" in lines[short]
    assert "V-BITRATE-STEADY" in lines[short + 1]  # its note, right under it
    assert compact.count("Measured") == 2  # the tables of the failed and the warned file
    full = reporter("table").render(run, ctx("en", every_file=True))
    assert full.count("Measured") == 4
