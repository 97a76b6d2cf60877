"""How values look to people: 3.52 Mbit/s, 48 kHz, 1920×1080, 2.0 MiB.

Language-neutral on purpose: units and numbers read the same in Chinese and English.
"""

from __future__ import annotations

from typing import Any


def _num(x: float, digits: int = 3) -> str:
    text = f"{x:.{digits}g}" if abs(x) < 10**digits else f"{x:.0f}"
    return text


# Unit words that differ between the languages; every other unit reads the same.
UNIT_WORDS: dict[str, dict[str, str]] = {
    "bytes": {"zh": "字节", "en": "bytes"},
    "chars": {"zh": "字符", "en": "chars"},
    "words": {"zh": "词", "en": "words"},
    "count": {"zh": "", "en": ""},
    "bits": {"zh": "位", "en": "bits"},
    "hex": {"zh": "", "en": ""},
    "bool": {"zh": "", "en": ""},
}


def _mib(value: float) -> str:
    """MiB to 3 places, cut rather than rounded: 2,094,842 bytes must not read as the
    2.00 MiB it falls short of."""
    whole = value / 1048576
    if whole == int(whole):
        return f"{int(whole)}"
    return f"{int(whole * 1000) / 1000:.3f}"


def format_value(value: Any, unit: str = "", lang: str = "en") -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        if unit == "px" and len(value) == 2:
            return f"{value[0]}×{value[1]}"
        return ", ".join(format_value(v, unit, lang) for v in value)
    word = UNIT_WORDS.get(unit, {}).get(lang, unit)
    if isinstance(value, (int, float)):
        if unit == "bit/s":
            if abs(value) >= 1_000_000:
                return f"{value / 1_000_000:.2f} Mbit/s"
            return f"{value / 1000:.1f} kbit/s"
        if unit == "Hz":
            return f"{value / 1000:g} kHz" if value >= 1000 else f"{value:g} Hz"
        if unit == "bytes":
            if value >= 1024 * 1024:
                return f"{_mib(value)} MiB ({int(value):,} {word})"
            return f"{int(value):,} {word}"
        if unit == "fps":
            return f"{value:.3f}".rstrip("0").rstrip(".") + " fps"
        if unit == "s":
            return f"{value:.2f} s"
        if unit == "%":
            return f"{value:.0f} %"
        text = f"{value:g}" if isinstance(value, float) else str(value)
        return f"{text} {word}".strip()
    return f"{value} {word}".strip() if word and unit not in ("px",) else str(value)
