"""ID-card and mobile numbers in texts (probe/text_private.py, PRIV-TEXT): found, masked,
and never repeated in full by anything mediacheck writes."""

from __future__ import annotations

import datetime
import io
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediacheck.app import check_files
from mediacheck.probe.text import probe_text
from mediacheck.probe.text_private import id_check, listed, scan, valid_id
from mediacheck.profile import load_profile
from mediacheck.report import REPORTERS, ReportContext, reporter

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fixtures"))  # not a package
import make_photos  # noqa: E402

EXAMPLE = "11010519491231002X"  # GB 11643-1999's own example


def masked(text: str, by_paragraph: bool = False) -> tuple[list[str], list[str]]:
    ids, mobiles = scan(text, by_paragraph)
    return [f.masked for f in ids], [f.masked for f in mobiles]


def test_the_standards_example():
    assert id_check(EXAMPLE[:17]) == "X" and valid_id(EXAMPLE)
    assert masked(f"身份证号：{EXAMPLE}。") == (["1101**********002X"], [])


@given(
    st.sampled_from(["11", "31", "44", "65", "91"]),
    st.text("0123456789", min_size=4, max_size=4),
    st.dates(datetime.date(1900, 1, 1), datetime.date(2020, 12, 31)),
    st.text("0123456789", min_size=3, max_size=3),
)
def test_any_number_with_its_check_digit_is_found_and_one_digit_off_is_not(
    province, area, born, sequence
):
    first17 = province + area + born.strftime("%Y%m%d") + sequence
    number = first17 + id_check(first17)
    assert masked(f"号码{number}号")[0] == [number[:4] + "*" * 10 + number[-4:]]
    wrong = first17 + ("0" if id_check(first17) != "0" else "1")
    assert masked(f"号码{wrong}号")[0] == []


@pytest.mark.parametrize(
    "text",
    [
        "99010519491231002X",  # no such province (check digit recomputed below)
        "110105" + "20991231" + "001",  # born in the future
        "110105" + "18991231" + "001",  # before 1900
    ],
)
def test_implausible_numbers_are_not_ids(text):
    number = text[:17] + id_check(text[:17])
    assert not valid_id(number) and masked(number)[0] == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("电话 13812345678", ["138****5678"]),
        ("电话 138-1234-5678", ["138****5678"]),
        ("电话 138 1234 5678", ["138****5678"]),
        ("电话 +86 138 1234 5678", ["138****5678"]),
        ("电话 +86-13812345678", ["138****5678"]),
        ("电话 008613812345678", ["138****5678"]),
        ("电话 8613812345678", ["138****5678"]),
        ("电话１３８１２３４５６７８", ["138****5678"]),  # full-width digits
        ("电话 12812345678", []),  # 12x is no mobile prefix
        ("电话 138-1234 5678", []),  # mixed separators: not one number
        ("订单 213812345678901", []),  # inside a longer run of digits
        ("电话 1381234567", []),  # ten digits
        ("座机 021-64321234", []),
    ],
)
def test_mobile_numbers(text, found):
    assert masked(text)[1] == found


def test_an_id_number_is_not_also_a_mobile_number():
    ids, mobiles = masked("110105 19491231 002X 与 13912345678")
    assert ids == ["1101**********002X"] and mobiles == ["139****5678"]


def test_where_is_the_line_or_the_paragraph():
    text = "第一段\n\n学员 13812345678\n"
    assert [f.where for f in scan(text)[1]] == [3]  # plain text: the editor's line
    assert [f.where for f in scan(text, by_paragraph=True)[1]] == [2]  # Word: 2nd paragraph


def test_long_lists_are_cut():
    text = "\n".join(f"电话 1381234{n:04d}" for n in range(12))
    shown = listed(scan(text)[1])
    assert shown.count("****") == 10 and shown.endswith("…")
    assert listed([]) == "—"


def test_docx_facts():
    facts = probe_text(make_photos.get("private_docx"))
    values = {n: f.value for n, f in facts.values.items()}
    assert values["text.id_numbers"] == 1 and values["text.mobile_numbers"] == 1
    assert values["text.id_number_list"] == "1101**********002X (2)"
    assert values["text.mobile_number_list"] == "138****5678 (4)"  # a table cell


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_no_report_repeats_a_full_number(fmt, tmp_path):
    path = tmp_path / "案例.txt"
    path.write_text(f"王阿姨 {EXAMPLE}，手机 13812345678。\n", encoding="utf-8")
    profile = load_profile()
    run = check_files([path], profile, "text")
    (result,) = run.files
    assert {f.rule_id: f.status for f in result.findings}["T-PRIV-ID"] == "warn"
    module = reporter(fmt)
    for lang in ("zh", "en"):
        out = module.render(run, ReportContext(lang=lang, root=tmp_path, profile=profile))
        if getattr(module, "BINARY", False):  # the workbook: its cells
            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(out))
            out = " ".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row)
        assert "1101**********002X" in out, fmt  # said, masked
        assert EXAMPLE not in out and "13812345678" not in out, fmt
