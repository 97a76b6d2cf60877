"""字数 of case texts and work summaries (T-CASE, T-SUMMARY: at most 2000 字数).

Counting follows Microsoft Word's Chinese 字数统计, whose figures reviewers see:

- **字数** (``text.chars_zishu``) = East Asian characters + non-Chinese words, where
- an **East Asian character** (``text.east_asian_chars``, Word's 中文字符和朝鲜语单词)
  is any wide or full-width character, each counting 1: CJK ideographs (all
  extensions), CJK punctuation (、。《》「」), full-width forms (！，（）：；Ａ１),
  kana, Hangul syllables, emoji; plus the ambiguous-width marks Chinese text uses as
  punctuation: “ ” ‘ ’ — ― … · ※ — except ‘ ’ between two letters/digits, where
  they are an apostrophe inside an English word (don’t);
- a **non-Chinese word** (``text.non_chinese_words``, Word's 非中文单词) is a maximal
  run of any other non-space characters, broken by whitespace or by an East Asian
  character; each run counts 1. So letters with digits and the half-width
  punctuation attached to them are one word: ``3.12``, ``e-mail``, ``don't``,
  ``1,000``, ``Python,`` and ``U.S.A.`` each count 1; a half-width mark standing
  alone (``A - B``, the ``,`` in ``你好,世界``) is a run of its own and counts 1,
  as in Word.
- Whitespace (including the ideographic space U+3000) never counts. Invisible format
  characters (zero-width space, BOM, soft hyphen: Unicode Cf), other control
  characters and combining marks are ignored: they neither count nor split a word.

Worked examples (each checked in tests/test_textcount.py):

=============================  =========================================  ====
text                           tokens                                     字数
=============================  =========================================  ====
``我爱Python 3.12！``          我 爱 Python 3.12 ！                        5
``e-mail和don’t``              e-mail 和 don’t                             3
``2024年10月28日``             2024 年 10 月 28 日                         6
``你好, world!``               你 好 , world!                              4
``（一）“智能出行”``          （ 一 ） “ 智 能 出 行 ”                     9
``A - B``                      A - B                                       3
=============================  =========================================  ====

Also measured: ``text.chars_no_spaces`` = 字符数(不计空格), every character except
whitespace and ignored ones; ``text.chars_with_spaces`` = 字符数(计空格), the same
plus spaces and tabs (line and paragraph breaks excluded); ``text.paragraphs`` =
non-blank paragraphs/lines.

Known differences from Word: Korean is counted per syllable, not per word; in a
.docx, footnotes, endnotes, headers and footers are not read (body paragraphs,
tables at any depth and text boxes are); the half-width/full-width choice follows
the character, not the font Word happened to apply.

Facts set by `probe_text` (name — unit — source):

``file.size``                bytes   filesystem
``text.format``              —       header      ``plain`` or ``docx`` (by content)
``text.encoding``            —       measured    plain text only: ``utf-8``,
                                                 ``utf-8-sig`` (UTF-8 with BOM),
                                                 ``utf-16-le``/``-be``,
                                                 ``utf-32-le``/``-be`` (with BOM),
                                                 ``gbk``, ``gb18030`` (GBK superset),
                                                 ``unknown`` (nothing fitted; decoded
                                                 as UTF-8 with replacements)
``text.decode_errors``       count   measured    characters replaced (0 normally)
``text.chars_zishu``         字      measured    字数 as above
``text.east_asian_chars``    字      measured
``text.non_chinese_words``   words   measured
``text.chars_no_spaces``     chars   measured
``text.chars_with_spaces``   chars   measured
``text.paragraphs``          count   measured
``text.tables``              count   measured    .docx only
``text.empty``               bool    measured    no countable character (字数 is 0)
``text.id_numbers``          count   measured    ID-card numbers with a valid check digit
``text.id_number_list``      —       measured    them masked, with their paragraph/line
``text.mobile_numbers``      count   measured    mainland mobile numbers
``text.mobile_number_list``  —       measured    them masked, with their paragraph/line
                                                 (`text_private.py`, PRIV-TEXT)

`FACTS` maps each of these names to its unit.

ProbeError codes (``Facts.error``):

``unreadable``      missing or unreadable (params: ``detail``)
``text_too_large``  plain text above `MAX_TEXT_BYTES` (params: ``limit_bytes``)
``docx_not_zip``    named .docx but not a zip (often plain text or an old .doc renamed)
``docx_too_large``  ``word/document.xml`` above `MAX_DOCX_XML_BYTES`, any part above
                    its limit, or all parts together above `MAX_DOCX_TOTAL_BYTES`
                    (`zipguard.DOCX`): by the sizes the zip directory declares, then
                    by the bytes each part really inflates to, counted in bounded
                    steps before python-docx reads anything (a zip bomb, also one
                    whose directory understates its sizes); params: ``part``,
                    ``document_xml_bytes`` (what that part inflates to),
                    ``total_bytes``, ``limit_bytes``
``docx_invalid``    a zip, but not a Word document python-docx can open (params: none;
                    ``detail`` has the reason)
``doc_legacy``      an old binary Word 97-2003 .doc: save it as .docx
``not_text``        content is another kind of file, or no text encoding fits
                    (params: ``what`` = `sniff.family` of the content, ``format``)
"""

from __future__ import annotations

import os
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from mediacheck.discover.sniff import family, sniff
from mediacheck.model import FILESYSTEM, HEADER, MEASURED, Facts, ProbeError, ProbeOptions
from mediacheck.probe import text_private, zipguard
from mediacheck.probe.text_facts import FACTS  # noqa: F401  (the kind's declaration)

NAME = "text"
FORMATS = frozenset({"utf-8-bom", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "text",
                     "ooxml"})  # fmt: skip

MAX_TEXT_BYTES = 20 * 1024 * 1024  # a 2000-字 text is ~6 KB; 20 MB is no case text
MAX_DOCX_XML_BYTES = zipguard.DOCX.of("word/document.xml")
MAX_DOCX_TOTAL_BYTES = zipguard.DOCX.total  # python-docx loads every part (photos too)

# Ambiguous-width marks that Chinese text uses as full-width punctuation.
_CJK_PUNCT_AMBIGUOUS = frozenset("“”‘’—―…·※")
_APOSTROPHES = frozenset("‘’")
_MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
# Sniffed documents that are not texts (see discover/sniff.py).
_OTHER_DOCUMENTS = frozenset({"xlsx", "xlsb", "xls", "csv", "pptx", "ppt", "ofd",
                              "ooxml-encrypted"})  # fmt: skip


@dataclass(frozen=True)
class Count:
    zishu: int  # 字数
    east_asian: int  # 中文字符和朝鲜语单词
    words: int  # 非中文单词
    no_spaces: int  # 字符数(不计空格)
    with_spaces: int  # 字符数(计空格)
    paragraphs: int


def _ignored(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat in ("Cf", "Mn", "Me", "Mc") or (cat == "Cc" and not ch.isspace())


def _east_asian(text: str, i: int) -> bool:
    ch = text[i]
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return True
    if ch not in _CJK_PUNCT_AMBIGUOUS:
        return False
    # don’t: ‘ ’ between two letters/digits is an apostrophe inside an English word.
    return not (ch in _APOSTROPHES and _word_char(text, i - 1) and _word_char(text, i + 1))


def _word_char(text: str, i: int) -> bool:
    if not 0 <= i < len(text):
        return False
    ch = text[i]
    return ch.isalnum() and unicodedata.east_asian_width(ch) not in ("W", "F")


def count_text(text: str) -> Count:
    """字数 and character counts of `text` (rules in the module docstring)."""
    east_asian = words = no_spaces = with_spaces = 0
    in_word = False
    for i, ch in enumerate(text):
        if _ignored(ch):
            continue
        if ch.isspace():
            in_word = False
            if ch not in _LINE_BREAKS:
                with_spaces += 1
            continue
        no_spaces += 1
        with_spaces += 1
        if _east_asian(text, i):
            east_asian += 1
            in_word = False
        elif not in_word:
            words += 1
            in_word = True
    paragraphs = sum(1 for line in text.splitlines() if line.strip())
    return Count(east_asian + words, east_asian, words, no_spaces, with_spaces, paragraphs)


def zishu(text: str) -> int:
    """字数 of `text`: East Asian characters + non-Chinese words."""
    return count_text(text).zishu


# ------------------------------------------------------------------ reading


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),  # before UTF-16 LE, whose BOM it starts with
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decode_text(data: bytes) -> tuple[str, str, int]:
    """(text, encoding, replaced characters): BOM, else UTF-8, else GBK/GB18030."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            codec = "utf-8" if name == "utf-8-sig" else name
            try:
                return body.decode(codec), name, 0
            except UnicodeDecodeError:
                text = body.decode(codec, errors="replace")
                return text, name, text.count("\ufffd")
    for name in ("utf-8", "gbk", "gb18030"):  # GBK first: say "gbk" when that is all it is
        try:
            return data.decode(name), name, 0
        except UnicodeDecodeError:
            pass
    text = data.decode("utf-8", errors="replace")
    return text, "unknown", text.count("\ufffd")


def read_docx_text(path: str | os.PathLike[str]) -> tuple[str, int]:
    """Body text of a .docx, one line per paragraph, and its number of tables.

    Raises `ProbeFailure` for a file that is not a zip, too large, or not a Word file.
    `zipguard` checks it first: python-docx inflates every part into memory, whole.
    """
    try:
        zipguard.check(path, zipguard.DOCX)
    except zipguard.ZipDamaged as e:
        raise ProbeFailure(ProbeError("docx_not_zip", str(e))) from None
    except zipguard.ZipBomb as e:
        inflated = max(e.declared, e.inflated)  # a lying directory: what it really gave
        params = {"part": e.part, "document_xml_bytes": inflated, "total_bytes": inflated,
                  "limit_bytes": e.limit}  # fmt: skip
        raise ProbeFailure(ProbeError("docx_too_large", str(e), params)) from None
    try:
        with zipfile.ZipFile(path) as zf:
            zf.getinfo("word/document.xml")
    except zipfile.BadZipFile as e:
        raise ProbeFailure(ProbeError("docx_not_zip", str(e))) from None
    except KeyError:
        raise ProbeFailure(ProbeError("docx_invalid", "no word/document.xml in the zip")) from None
    import docx  # python-docx: slow to import, only needed here
    from docx.oxml.ns import qn

    try:
        body = docx.Document(os.fspath(path)).element.body
    except Exception as e:  # python-docx raises many types on malformed packages
        raise ProbeFailure(ProbeError("docx_invalid", f"{type(e).__name__}: {e}")) from None

    w_p, fallback = qn("w:p"), f"{{{_MC_NS}}}Fallback"
    # w:t text; w:tab/w:br/w:cr as whitespace (they separate words); deleted text
    # is w:delText and so is never collected.
    text_tags = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n"}
    text_tags[qn("w:noBreakHyphen")] = "-"

    def owner(el):  # nearest enclosing paragraph, or None inside an mc:Fallback copy
        el = el.getparent()
        while el is not None and el.tag != w_p:
            if el.tag == fallback:
                return None
            el = el.getparent()
        return el

    lines = []
    # Every paragraph in document order: body, table cells (nested, merged cells once),
    # text boxes (mc:Choice copy; the VML mc:Fallback duplicate is skipped).
    for p in body.iter(w_p):
        if any(a.tag == fallback for a in p.iterancestors()):
            continue
        parts = []
        for el in p.iter(*text_tags):
            if owner(el) is p:
                fixed = text_tags[el.tag]
                parts.append((el.text or "") if fixed is None else fixed)
        lines.append("".join(parts))
    tables = sum(1 for _ in body.iter(qn("w:tbl")))
    return "\n".join(lines), tables


def _unreadable(e: OSError) -> ProbeError:
    return ProbeError("unreadable", str(e), {"detail": e.strerror or str(e)})


class ProbeFailure(Exception):
    """Carries a `ProbeError` out of the readers; `probe_text` turns it into a result."""

    def __init__(self, error: ProbeError) -> None:
        super().__init__(error.code)
        self.error = error


def probe_text(path: str | os.PathLike[str]) -> Facts:
    """Facts about one case text or summary (.txt, .md, .docx); never raises for bad files."""
    path = Path(path)
    facts = Facts(path, "text")
    try:
        size = path.stat().st_size
        fmt = sniff(path)
    except OSError as e:
        facts.error = _unreadable(e)
        return facts
    facts.set("file.size", size, "bytes", FILESYSTEM)
    try:
        if fmt in ("ole2", "doc"):  # also an old .doc merely renamed .docx
            raise ProbeFailure(ProbeError("doc_legacy", "binary Word 97-2003 file"))
        if fmt in _OTHER_DOCUMENTS:  # a table or slides, even when named .docx
            params = {"what": family(fmt), "format": fmt}
            raise ProbeFailure(ProbeError("not_text", f"content is {fmt}", params))
        if path.suffix.lower() == ".docx" or fmt in ("ooxml", "zip", "docx"):
            facts.set("text.format", "docx", "", HEADER)
            text, tables = read_docx_text(path)
            facts.set("text.tables", tables, "count", MEASURED)
            # A .docx is XML in UTF-8, parsed strictly: nothing can have been replaced.
            facts.set("text.encoding", "utf-8", "", HEADER)
            facts.set("text.decode_errors", 0, "count", MEASURED)
        elif fmt in ("text", "empty", "unknown") or fmt.startswith("utf-"):
            if size > MAX_TEXT_BYTES:
                raise ProbeFailure(
                    ProbeError("text_too_large", f"{size} bytes", {"limit_bytes": MAX_TEXT_BYTES})
                )
            facts.set("text.format", "plain", "", HEADER)
            text, encoding, replaced = decode_text(path.read_bytes())
            if encoding == "unknown" and fmt == "unknown":
                params = {"what": "unknown", "format": fmt}
                raise ProbeFailure(ProbeError("not_text", "no text encoding fits", params))
            facts.set("text.encoding", encoding, "", MEASURED)
            facts.set("text.decode_errors", replaced, "count", MEASURED)
        else:
            raise ProbeFailure(
                ProbeError("not_text", f"content is {fmt}", {"what": family(fmt), "format": fmt})
            )
    except ProbeFailure as failure:
        facts.error = failure.error
        facts.absent("text.chars_zishu", failure.error.code)
        return facts
    except OSError as e:
        facts.error = _unreadable(e)
        return facts

    c = count_text(text)
    facts.set("text.chars_zishu", c.zishu, "字", MEASURED)
    facts.set("text.east_asian_chars", c.east_asian, "字", MEASURED)
    facts.set("text.non_chinese_words", c.words, "words", MEASURED)
    facts.set("text.chars_no_spaces", c.no_spaces, "chars", MEASURED)
    facts.set("text.chars_with_spaces", c.with_spaces, "chars", MEASURED)
    facts.set("text.paragraphs", c.paragraphs, "count", MEASURED)
    facts.set("text.empty", c.zishu == 0, "bool", MEASURED)
    docx = facts.values["text.format"].value == "docx"  # where = paragraph, else line
    ids, mobiles = text_private.scan(text, by_paragraph=docx)
    facts.set("text.id_numbers", len(ids), "count", MEASURED)
    facts.set("text.id_number_list", text_private.listed(ids), "", MEASURED)
    facts.set("text.mobile_numbers", len(mobiles), "count", MEASURED)
    facts.set("text.mobile_number_list", text_private.listed(mobiles), "", MEASURED)
    return facts


def probe(path: Path, options: ProbeOptions | None = None) -> Facts:
    """The kind's prober (see probe/__init__.py)."""
    return probe_text(path)
