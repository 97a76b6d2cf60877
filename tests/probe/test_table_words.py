"""Every word of the table kind exists in zh and en, and every probe error it raises
has its words."""

from __future__ import annotations

import ast
from pathlib import Path

from mediacheck.words import catalogue
from mediacheck.words import table as words

SRC = Path(__file__).resolve().parents[2] / "src" / "mediacheck" / "probe"


def test_every_text_has_both_languages() -> None:
    for table in (words.PROBE_ERRORS, words.CONTENT_NAMES, words.VALUE_NAMES, words.UI,
                  words.KIND_NAMES):  # fmt: skip
        for key, text in table.items():
            assert set(text) == {"zh", "en"}, key
            assert all(v.strip() for v in text.values()), key


def test_every_error_code_raised_has_words() -> None:
    known = set(words.PROBE_ERRORS) | set(catalogue.PROBE_ERRORS)
    raised = set()
    for name in ("table.py", "table_files.py"):
        tree = ast.parse((SRC / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in (
                "ProbeError",
                "_fail",
            ):
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    raised.add(first.value)
    assert raised and raised <= known, raised - known
