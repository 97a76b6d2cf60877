"""The README's rule tables are the shipped profile, generated: they cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from mediacheck.cli import cli
from mediacheck.profile import load_profile
from mediacheck.profile.docs import markdown

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_rule_tables_are_the_profile():
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- rules:begin[^\n]*-->\n(.*?)<!-- rules:end -->", text, re.S)
    assert block, "README.md has no <!-- rules:begin --> … <!-- rules:end --> block"
    # Regenerate with: mediacheck rules --format markdown --lang zh
    assert block.group(1) == markdown(load_profile(), "zh")


def test_every_rule_and_clause_is_in_the_document():
    profile = load_profile()
    for lang in ("zh", "en"):
        doc = markdown(profile, lang)
        assert all(f"| {r.id} |" in doc for r in profile.rules)
        assert "{" not in doc  # every placeholder of a doc filled from the rule


def test_no_readme_link_leaves_the_repository():
    text = README.read_text(encoding="utf-8")
    assert "../shared" not in text and "SPEC.md" not in text


def test_rules_command_prints_the_markdown():
    result = CliRunner().invoke(cli, ["rules", "--format", "markdown", "--lang", "en"])
    assert result.exit_code == 0
    assert result.output == markdown(load_profile(), "en")
