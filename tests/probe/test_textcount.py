"""字数 counting and text probing. Every expected count is worked out by hand here."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediacheck.probe import text as textcount
from mediacheck.probe.text import count_text, decode_text, probe_text, zishu
from mediacheck.words.catalogue import probe_error_text

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fixtures"))  # not a package
import make_photos  # noqa: E402


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The docstring's worked examples.
        ("我爱Python 3.12！", 5),  # 我 爱 Python 3.12 ！
        ("e-mail和don’t", 3),  # e-mail 和 don’t (’ between letters is an apostrophe)
        ("2024年10月28日", 6),  # 2024 年 10 月 28 日
        ("你好, world!", 4),  # 你 好 , world!  (a lone half-width mark is a run)
        ("（一）“智能出行”", 9),  # （ 一 ） “ 智 能 出 行 ”
        ("A - B", 3),  # A - B
        # More.
        ("", 0),
        (" \t\u3000\r\n", 0),  # spaces, ideographic space, line breaks
        ("老年数字教育", 6),
        ("Hello, world.", 2),  # Hello,  world.
        ("U.S.A.", 1),
        ("1,000元", 2),  # 1,000 元
        ("don't stop", 2),
        ("‘引用’", 4),  # ‘ 引 用 ’ : quotes next to ideographs are Chinese punctuation
        ("ＡＢＣ１２３", 6),  # full-width letters and digits: one each
        ("微信😀", 3),  # 微 信 😀
        ("零\u200b宽", 2),  # zero-width space: not counted
        ("a\u200bb", 1),  # …and it does not split a word
        ("cafe\u0301", 1),  # combining accent belongs to its letter
        ("𠀀𠀁", 2),  # CJK extension B (outside the BMP): one each
        ("中文，English，中文", 7),  # 中 文 ， English ， 中 文
        ("第1名", 3),  # 第 1 名
        ("Wi-Fi密码：abc123", 5),  # Wi-Fi 密 码 ： abc123
    ],
)
def test_zishu(text: str, expected: int) -> None:
    assert zishu(text) == expected


def test_character_counts() -> None:
    c = count_text("我爱Python 3.12！\n第二段")
    # 我 爱 P y t h o n 3 . 1 2 ！ 第 二 段 = 16 non-space characters; + 1 space.
    assert c.no_spaces == 16
    assert c.with_spaces == 17  # the line break is not a character
    assert c.east_asian == 3 + 3  # 我 爱 ！ + 第 二 段
    assert c.words == 2  # Python, 3.12
    assert c.zishu == 8
    assert c.paragraphs == 2


# SAMPLE_TEXT, by hand:
#   line 1 "2024年普陀区“老年数字教育进社区”行动："
#     words: 2024                                                    = 1
#     East Asian: 年普陀区 4 + “ 1 + 老年数字教育进社区 9 + ” 1 + 行动 2 + ： 1 = 18
#     characters: 4 + 4 + 1 + 9 + 1 + 2 + 1                         = 22
#   line 2 "共开展Python入门、e-mail收发等课程12场，覆盖3,500人次！"
#     words: Python, e-mail, 12, 3,500                               = 4
#     East Asian: 共开展 3 + 入门 2 + 、1 + 收发等课程 5 + 场 1 + ，1
#                 + 覆盖 2 + 人次 2 + ！1                             = 18
#     characters: 3 + 6 + 2 + 1 + 6 + 5 + 2 + 1 + 1 + 2 + 5 + 2 + 1   = 37
SAMPLE = {
    "text.chars_zishu": 1 + 18 + 4 + 18,
    "text.east_asian_chars": 36,
    "text.non_chinese_words": 5,
    "text.chars_no_spaces": 22 + 37,
    "text.chars_with_spaces": 59,  # no spaces; line breaks do not count
    "text.paragraphs": 2,
    "text.empty": False,
}


def facts_values(facts, names) -> dict:
    return {n: facts.get(n).value for n in names if facts.get(n) is not None}


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("utf8_txt", "utf-8"),
        ("utf8_md", "utf-8"),
        ("utf8_bom_txt", "utf-8-sig"),
        ("gbk_txt", "gbk"),
        ("utf16_txt", "utf-16-le"),
    ],
)
def test_sample_text_in_every_encoding(name: str, encoding: str) -> None:
    f = probe_text(make_photos.get(name))
    assert f.error is None
    assert f.kind == "text"
    assert f.get("text.encoding").value == encoding
    assert f.get("text.format").value == "plain"
    assert f.get("text.decode_errors").value == 0
    assert facts_values(f, SAMPLE) == SAMPLE
    assert f.get("text.chars_zishu").unit == "字"


def test_facts_table_lists_every_fact_set() -> None:
    seen: dict[str, str] = {}
    for name in ["utf8_txt", "case_docx"]:
        for fact_name, fact in probe_text(make_photos.get(name)).values.items():
            seen[fact_name] = fact.unit
    assert set(seen) == set(textcount.FACTS)
    assert all(textcount.FACTS[n] == unit for n, unit in seen.items())


def test_gb18030_beyond_gbk(tmp_path: Path) -> None:
    path = tmp_path / "ext_b.txt"
    path.write_bytes("𠀀字".encode("gb18030"))  # 𠀀 needs GB18030's four-byte form
    f = probe_text(path)
    assert f.get("text.encoding").value == "gb18030"
    assert f.get("text.chars_zishu").value == 2


def test_undecodable_bytes_are_counted_with_replacements(tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"
    path.write_bytes(b"abc \x80\xff def")  # invalid in UTF-8, GBK and GB18030
    f = probe_text(path)
    assert f.error is None
    assert f.get("text.encoding").value == "unknown"
    assert f.get("text.decode_errors").value == 2


def test_decode_text_boms() -> None:
    assert decode_text("字".encode("utf-8-sig")) == ("字", "utf-8-sig", 0)
    assert decode_text(b"\xfe\xff" + "字".encode("utf-16-be")) == ("字", "utf-16-be", 0)
    assert decode_text(b"\xff\xfe\x00\x00" + "字".encode("utf-32-le"))[1] == "utf-32-le"
    assert decode_text(b"plain ascii")[1] == "utf-8"


def test_case_docx_paragraphs_and_table() -> None:
    f = probe_text(make_photos.get("case_docx"))
    assert f.error is None
    assert f.get("text.format").value == "docx"
    assert f.get("text.encoding").value == "utf-8"  # XML inside the zip
    assert f.get("text.tables").value == 1
    # "社区案例：智能手机课堂": 社区案例 4 + ： 1 + 智能手机课堂 6          = 11
    # "学员学会了用WeChat视频通话。": 学员学会了用 6 + WeChat 1 + 视频通话 4 + 。1 = 12
    # table: 课程 2 + 人数 2 + 手机入门 4 + 30 (one word) 1                   = 9
    assert f.get("text.chars_zishu").value == 11 + 12 + 9
    assert f.get("text.non_chinese_words").value == 2  # WeChat, 30
    assert f.get("text.paragraphs").value == 2 + 4  # two body paragraphs, four cells


def test_merged_cells_count_once() -> None:
    f = probe_text(make_photos.get("merged_docx"))
    assert f.get("text.chars_zishu").value == 5 + 1 + 1  # 合并单元格, 左, 右


def test_text_boxes_count_once_and_deleted_text_not_at_all(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    wps = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
    v = "urn:schemas-microsoft-com:vml"
    box = "<w:txbxContent><w:p><w:r><w:t>文本框里的字</w:t></w:r></w:p></w:txbxContent>"
    xml = (
        f'<w:p xmlns:w="{w}" xmlns:mc="{mc}" xmlns:wps="{wps}" xmlns:v="{v}">'
        "<w:r><w:t>正文</w:t></w:r>"
        '<w:ins w:id="1" w:author="a"><w:r><w:t>插入</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>'
        "<w:r><mc:AlternateContent>"
        f'<mc:Choice Requires="wps"><w:drawing><wps:txbx>{box}</wps:txbx></w:drawing></mc:Choice>'
        f"<mc:Fallback><w:pict><v:textbox>{box}</v:textbox></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
    )
    doc = docx.Document()
    doc.add_paragraph("开头")._p.addnext(parse_xml(xml))
    path = tmp_path / "box.docx"
    doc.save(path)
    f = probe_text(path)
    # 开头 2 + 正文 2 + 插入 2 (tracked insertion) + 文本框里的字 6 (once, not twice)
    assert f.get("text.chars_zishu").value == 2 + 2 + 2 + 6


def test_empty_text() -> None:
    f = probe_text(make_photos.get("empty_txt"))
    assert f.error is None
    assert f.get("text.chars_zishu").value == 0
    assert f.get("text.empty").value is True


def test_2000_limit_fixtures() -> None:
    assert probe_text(make_photos.get("limit_2000_txt")).get("text.chars_zishu").value == 2000
    assert probe_text(make_photos.get("over_2000_txt")).get("text.chars_zishu").value == 2001


def test_docx_that_is_not_a_zip() -> None:
    f = probe_text(make_photos.get("not_zip_docx"))
    assert f.error is not None and f.error.code == "docx_not_zip"
    assert f.missing["text.chars_zishu"] == "docx_not_zip"


def test_zip_bomb_docx_is_refused_before_inflating(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parsing(*args, **kwargs):
        raise AssertionError("python-docx must not be reached")

    import docx

    monkeypatch.setattr(docx, "Document", no_parsing)
    f = probe_text(make_photos.get("zipbomb_docx"))
    assert f.error is not None and f.error.code == "docx_too_large"
    assert f.error.params["document_xml_bytes"] == 4_000_000_000
    assert f.error.params["limit_bytes"] == textcount.MAX_DOCX_XML_BYTES


def test_a_docx_whose_directory_understates_a_part_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # word/document.xml declares its true size and CRC but inflates on to 256 MiB:
    # python-docx would read it whole, zipfile inflating all of it before cutting it.
    def no_parsing(*args, **kwargs):
        raise AssertionError("python-docx must not be reached")

    import docx

    monkeypatch.setattr(docx, "Document", no_parsing)
    f = probe_text(make_photos.get("zipbomb_lying_docx"))
    assert f.error is not None and f.error.code == "docx_too_large"
    assert f.error.params["part"] == "word/document.xml"
    assert f.error.params["document_xml_bytes"] <= 2 << 20  # counting stopped at once
    assert "too much data" in probe_error_text("docx_too_large", "en", f.error.params)


def test_zip_without_word_document(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    f = probe_text(path)
    assert f.error is not None and f.error.code == "docx_invalid"


def test_legacy_doc(tmp_path: Path) -> None:
    f = probe_text(make_photos.get("legacy_doc"))
    assert f.error is not None and f.error.code == "doc_legacy"
    renamed = tmp_path / "案例.docx"  # an old .doc renamed: say what it really is
    renamed.write_bytes(make_photos.get("legacy_doc").read_bytes())
    assert probe_text(renamed).error.code == "doc_legacy"


def test_photo_named_txt_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(make_photos.get("small").read_bytes())
    f = probe_text(path)
    assert f.error is not None and f.error.code == "not_text"
    assert f.error.params["what"] == "jpeg"


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    f = probe_text(tmp_path / "nope.txt")
    assert f.error is not None and f.error.code == "unreadable"


def test_oversized_plain_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textcount, "MAX_TEXT_BYTES", 10)
    path = tmp_path / "long.txt"
    path.write_text("一二三四五六七八九十", encoding="utf-8")
    f = probe_text(path)
    assert f.error is not None and f.error.code == "text_too_large"


# ------------------------------------------------------------------------ properties

TEXTS = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    max_size=60,
)


@given(TEXTS)
def test_zishu_is_east_asian_plus_words(text: str) -> None:
    c = count_text(text)
    assert c.zishu == c.east_asian + c.words
    assert c.no_spaces <= c.with_spaces <= len(text)
    assert c.zishu <= c.no_spaces


@given(TEXTS, TEXTS)
def test_a_space_between_texts_adds_their_counts(a: str, b: str) -> None:
    assert zishu(a + " " + b) == zishu(a) + zishu(b)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("我爱Python 3.12！", 5),
        ("2024年10月28日", 6),
        ("e-mail 地址", 3),
        ("老年人学习智能手机。", 10),
    ],
)
def test_readme_examples(text: str, count: int) -> None:
    """The worked examples in README.md's 字数 table."""
    assert zishu(text) == count
