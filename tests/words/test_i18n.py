from mediacheck.words.lang import pick_lang


def test_option_wins_then_env_then_locale():
    assert pick_lang("en", {"MEDIACHECK_LANG": "zh"}) == "en"
    assert pick_lang(None, {"MEDIACHECK_LANG": "zh", "LANG": "en_US.UTF-8"}) == "zh"
    assert pick_lang(None, {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert pick_lang(None, {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}) == "en"
    assert pick_lang(None, {}) == "en"
