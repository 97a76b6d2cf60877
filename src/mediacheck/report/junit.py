"""JUnit XML: one testsuite per file, one testcase per file × rule (Jenkins, GitLab).

A failed rule is a `<failure>`. A warning is *not* a failure unless the run is strict
(warnings do not fail the build, and a CI that shows a red test for a passing build
teaches people to ignore red): it passes, with the warning in `<system-out>` (Jenkins
shows it) and its word in the testcase's name — GitLab hides the output of passing cases,
so the name is where a warning stays visible there. Files the run only listed are
`<skipped>` testcases. Valid against Jenkins' junit-10.xsd (no `file` on testcases, no
`skipped` on `<testsuites>`; tests/report check it).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from mediacheck.model import FAIL, PASS, RunResult
from mediacheck.report import ReportContext
from mediacheck.report.common import LEVEL_WORDS, detail, is_failure, listed_reason
from mediacheck.report.common import rel_path as _rel
from mediacheck.words.lang import tr

# XML 1.0 cannot carry these even as character references; a file name or a tool's
# complaint may contain them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def render(run: RunResult, ctx: ReportContext) -> str:
    lang, root, listed, strict = ctx.lang, ctx.root, ctx.listed, ctx.strict
    suites = ET.Element("testsuites", name="mediacheck")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for result in run.files:
        rel = _clean(_rel(result.path, root))
        suite = ET.SubElement(suites, "testsuite", name=rel)
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for finding in result.findings:
            counts["tests"] += 1
            name = f"{finding.rule_id}: {tr(finding.title, lang)}"
            if finding.status not in (PASS, FAIL) and not is_failure(finding, strict):
                name += f" [{tr(LEVEL_WORDS[finding.status], lang)}]"  # visible in GitLab too
            case = ET.SubElement(suite, "testcase", name=_clean(name), classname=rel)
            text = _clean(detail(finding, lang))
            if is_failure(finding, strict):
                counts["failures"] += 1
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=_clean(tr(finding.message, lang) or tr(finding.title, lang)),
                    type=finding.rule_id,
                )
                failure.text = text
            elif finding.status != PASS:
                out = ET.SubElement(case, "system-out")
                word = tr(LEVEL_WORDS[finding.status], lang)
                out.text = f"{word}: {text}"
        _finish(suite, counts, totals)
    if listed:
        suite = ET.SubElement(suites, "testsuite", name="mediacheck: listed, not checked")
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for item in listed:
            rel = _clean(_rel(item.path, root))
            case = ET.SubElement(suite, "testcase", name=rel, classname=rel)
            ET.SubElement(case, "skipped", message=_clean(listed_reason(item, lang)))
            counts["tests"] += 1
            counts["skipped"] += 1
        _finish(suite, counts, totals)
    for key in ("tests", "failures"):  # junit-10.xsd: no "skipped" up here
        suites.set(key, str(totals[key]))
    suites.set("errors", "0")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")


def _finish(suite: ET.Element, counts: dict[str, int], totals: dict[str, int]) -> None:
    for key, value in counts.items():
        suite.set(key, str(value))
        totals[key] += value
    suite.set("errors", "0")
