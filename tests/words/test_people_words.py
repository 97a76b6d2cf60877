"""The words of the HTML report, the sheets and `serve`: every sentence in zh and en,
with the same placeholders in both."""

from __future__ import annotations

import string

import pytest

from mediacheck.words import html as words_html
from mediacheck.words import serve as words_serve


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize(
    "table", [words_html.WORDS, words_serve.PAGE, words_serve.ERRORS, words_serve.CONSOLE]
)
def test_every_sentence_in_both_languages_with_the_same_placeholders(table):
    for key, text in table.items():
        assert set(text) == {"zh", "en"}, key
        assert text["zh"].strip() and text["en"].strip(), key
        assert fields(text["zh"]) == fields(text["en"]), key


def test_status_words_are_the_catalogues():
    assert words_html.say("status.fail", "zh") == "不合格"
    assert words_html.say("status.pass", "en") == "pass"
