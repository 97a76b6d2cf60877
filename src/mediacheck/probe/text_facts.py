"""The text kind's facts (name -> unit): a leaf module, read by profile validation
without importing the text prober."""

from __future__ import annotations

FACTS: dict[str, str] = {
    "file.size": "bytes",
    "text.format": "",
    "text.encoding": "",
    "text.decode_errors": "count",
    "text.chars_zishu": "字",
    "text.east_asian_chars": "字",
    "text.non_chinese_words": "words",
    "text.chars_no_spaces": "chars",
    "text.chars_with_spaces": "chars",
    "text.paragraphs": "count",
    "text.tables": "count",
    "text.empty": "bool",
    # PRIV-TEXT (probe/text_private.py): how many, and where (masked)
    "text.id_numbers": "count",
    "text.id_number_list": "",
    "text.mobile_numbers": "count",
    "text.mobile_number_list": "",
}
