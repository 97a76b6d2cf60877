"""How values look to people: 3.52 Mbit/s, 48 kHz, 1920×1080, 2.0 MiB.

Language-neutral on purpose: units and numbers read the same in Chinese and English.
"""

from __future__ import annotations

from typing import Any


def _num(x: float, digits: int = 3) -> str:
    text = f"{x:.{digits}g}" if abs(x) < 10**digits else f"{x:.0f}"
    return text


def format_value(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        if unit == "px" and len(value) == 2:
            return f"{value[0]}×{value[1]}"
        return ", ".join(format_value(v, unit) for v in value)
    if isinstance(value, (int, float)):
        if unit == "bit/s":
            if abs(value) >= 1_000_000:
                return f"{value / 1_000_000:.2f} Mbit/s"
            return f"{value / 1000:.1f} kbit/s"
        if unit == "Hz":
            return f"{value / 1000:g} kHz" if value >= 1000 else f"{value:g} Hz"
        if unit == "bytes":
            if value >= 1024 * 1024:
                return f"{value / 1048576:.2f} MiB ({int(value):,} bytes)"
            return f"{int(value):,} bytes"
        if unit == "fps":
            return f"{value:.3f}".rstrip("0").rstrip(".") + " fps"
        if unit == "s":
            return f"{value:.2f} s"
        if unit == "%":
            return f"{value:.0f} %"
        text = f"{value:g}" if isinstance(value, float) else str(value)
        return f"{text} {unit}".strip()
    return f"{value} {unit}".strip() if unit and unit not in ("px",) else str(value)
