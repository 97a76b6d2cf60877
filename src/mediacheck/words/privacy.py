"""Words of the personal-information facts (PRIV-PHOTO, PRIV-TEXT), zh and en, shaped
like `words/catalogue.py`'s dicts, which folds them in."""

from __future__ import annotations

Text = dict[str, str]

# Fact values that are codes, as words: a photo's location or serial that is not there.
VALUE_NAMES: dict[str, Text] = {
    "none": {"zh": "无", "en": "none"},
}

# Why a fact has no value.
MISSING: dict[str, Text] = {
    "exif_unreadable": {"zh": "EXIF 信息已损坏，无法读取", "en": "the EXIF block is damaged"},
}
