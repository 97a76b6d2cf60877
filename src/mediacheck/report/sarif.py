"""SARIF 2.1.0 (GitHub code scanning, Azure DevOps, IDE viewers).

`tool.driver.rules` lists every rule of the profile (with its help text), or, without the
profile, every rule the run reported. Results are the findings that did not pass; each is
located at its file, relative to the repository root (`%SRCROOT%`), on line 1: media have
no lines, but GitHub only places results that have a `region.startLine`.
`partialFingerprints` carry a stable hash of path + rule, since GitHub cannot compute one
from the content of a binary file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mediacheck import __version__
from mediacheck.evaluate import rule_text
from mediacheck.model import FAIL, INFO, WARN, Finding, RunResult
from mediacheck.profile import Profile, Rule
from mediacheck.report import ReportContext
from mediacheck.report.common import LABELS, all_findings, detail, fingerprint, rel_path
from mediacheck.words.lang import tr

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {FAIL: "error", WARN: "warning", INFO: "note"}
SEVERITY_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SRCROOT = "%SRCROOT%"


def _uri(rel: str) -> str:
    # A relative reference: percent-encode what a URI cannot hold (spaces, '#', '?',
    # newlines, non-ASCII); an absolute path (a file outside the repository) gets file://.
    encoded = quote(rel, safe="/")
    return "file://" + encoded if rel.startswith("/") else encoded


def _camel(rule_id: str) -> str:
    return "".join(part.capitalize() for part in rule_id.replace("_", "-").split("-"))


def _rule_from_profile(rule: Rule, lang: str) -> dict[str, Any]:
    clause = f"{tr(LABELS['clause'], lang)} {rule.spec}"
    # hints and docs cite {expected}: rendered from the rule, as in a finding
    full = tr(rule_text(rule, rule.doc), lang) if rule.doc else f"{tr(rule.title, lang)} ({clause})"
    return {
        "id": rule.id,
        "name": _camel(rule.id),
        "shortDescription": {"text": tr(rule.title, lang)},
        "fullDescription": {"text": full},
        "help": {"text": f"{tr(rule_text(rule, rule.hint), lang)}\n({clause})"},
        "defaultConfiguration": {"level": SEVERITY_LEVEL[rule.severity]},
        "properties": {"spec": rule.spec, "appliesTo": rule.applies_to},
    }


def _rule_from_finding(f: Finding, lang: str) -> dict[str, Any]:
    clause = f"{tr(LABELS['clause'], lang)} {f.spec}"
    hint = tr(f.hint, lang) if f.hint else tr(f.title, lang)
    return {
        "id": f.rule_id,
        "name": _camel(f.rule_id),
        "shortDescription": {"text": tr(f.title, lang)},
        "fullDescription": {"text": f"{tr(f.title, lang)} ({clause})"},
        "help": {"text": f"{hint}\n({clause})"},
        "defaultConfiguration": {"level": SEVERITY_LEVEL.get(f.severity, "warning")},
        "properties": {"spec": f.spec},
    }


def sarif_dict(run: RunResult, lang: str, *, root: Path, profile: Profile | None = None,
               shard: tuple[int, int] | None = None,
               ) -> dict[str, Any]:  # fmt: skip
    rules: dict[str, dict[str, Any]] = {}
    if profile is not None:
        for rule in profile.rules:
            rules[rule.id] = _rule_from_profile(rule, lang)
    found = list(all_findings(run))
    for _, f in found:
        if f.rule_id not in rules:
            rules[f.rule_id] = _rule_from_finding(f, lang)
    index = {rule_id: i for i, rule_id in enumerate(rules)}
    results = []
    for result, f in found:
        rel = rel_path(result.path, root)
        location: dict[str, Any] = {"uri": _uri(rel)}
        if not rel.startswith("/"):
            location["uriBaseId"] = SRCROOT
        results.append(
            {
                "ruleId": f.rule_id,
                "ruleIndex": index[f.rule_id],
                "level": LEVEL[f.status],
                "message": {"text": detail(f, lang)},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": location,
                            "region": {"startLine": 1},
                        }
                    }
                ],
                "partialFingerprints": {"mediacheck/v1": fingerprint(rel, f.rule_id)},
                "properties": {
                    "spec": f.spec,
                    "measured": f.measured_text.get(lang, ""),
                    "expected": f.expected_text.get(lang, ""),
                },
            }
        )
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mediacheck",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": list(rules.values()),
                    }
                },
                "originalUriBaseIds": {
                    SRCROOT: {"uri": Path(root).absolute().as_uri().rstrip("/") + "/"}
                },
                "results": results,
                # Each shard is its own run for code scanning: with one category for all,
                # every shard's upload would replace the one before.
                "automationDetails": {
                    "id": f"mediacheck/{run.profile}/"
                    + (f"shard-{shard[0]}-of-{shard[1]}" if shard else "all")
                },
                "properties": {"profile": run.profile},
            }
        ],
    }


def render(run: RunResult, ctx: ReportContext) -> str:
    lang, root, profile = ctx.lang, ctx.root, ctx.profile
    return json.dumps(sarif_dict(run, lang, root=root, profile=profile, shard=ctx.shard),
                      ensure_ascii=False,
                      indent=2) + "\n"  # fmt: skip
