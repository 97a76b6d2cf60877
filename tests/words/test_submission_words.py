"""The words of a unit's and the district's submissions (words/submission.py): every
sentence in zh and en with the same placeholders, and folded into the catalogue."""

from __future__ import annotations

import string

import pytest

from mediacheck.words import catalogue, errors
from mediacheck.words import submission as words


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


# a whole zip that cannot be unpacked: the archive's own sentence in each language
PER_LANGUAGE = {"archive_failed"}


@pytest.mark.parametrize(
    "table",
    [words.ROLE_HOW, words.OTHER_WHAT, words.UI, words.KIND_NAMES, words.PROBE_ERRORS,
     words.MISSING, words.ERRORS,
     *[note for reason in words.UNDECIDED.values() for note in reason.values()]],
)  # fmt: skip
def test_every_sentence_in_both_languages_with_the_same_placeholders(table):
    texts = table.items() if all(isinstance(v, dict) for v in table.values()) else [("", table)]
    for key, text in texts:
        assert set(text) == {"zh", "en"}, key
        assert text["zh"].strip() and text["en"].strip(), key
        if key not in PER_LANGUAGE:
            assert fields(text["zh"]) == fields(text["en"]), key


def test_folded_into_the_catalogue():
    assert catalogue.KIND_NAMES["district"] == words.KIND_NAMES["district"]
    assert "no_units_list" in catalogue.UNDECIDED and "no_units_list" in catalogue.MISSING
    assert "units.twice" in errors.ERRORS
    text = catalogue.probe_error_text("archive_failed", "zh", {"text_zh": "坏了。", "text_en": "x"})
    assert text == "坏了。"
