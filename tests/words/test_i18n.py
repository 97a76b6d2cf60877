from mediacheck.words.lang import pick_lang


def test_option_wins_then_env_then_locale():
    assert pick_lang("en", {"MEDIACHECK_LANG": "zh"}) == "en"
    assert pick_lang(None, {"MEDIACHECK_LANG": "zh", "LANG": "en_US.UTF-8"}) == "zh"
    assert pick_lang(None, {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert pick_lang(None, {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}) == "en"
    assert pick_lang(None, {}) == "en"


def test_probe_errors_leak_no_internals_and_no_empty_brackets():
    from mediacheck.words.catalogue import probe_error_text

    leaked = probe_error_text("corrupt_image", "en", {
        "detail": "UnidentifiedImageError: cannot identify image file "
                  "<_io.BytesIO object at 0x7f3a2b1c0d90>"})  # fmt: skip
    assert "0x7f" not in leaked and "BytesIO" not in leaked and "the file" in leaked
    for lang in ("zh", "en"):
        empty = probe_error_text("docx_invalid", lang, {})
        assert "()" not in empty and "（）" not in empty
    escaped = probe_error_text("unreadable", "en", {"detail": "bad\x1b[31mname"})
    assert "\x1b" not in escaped
