"""The checks a rule can name in a profile. Pure functions: value, rule -> outcome."""

from __future__ import annotations

from collections.abc import Callable
from itertools import accumulate, repeat
from operator import and_, le, sub, truediv
from typing import Any

from mediacheck.words.units import format_value

# Outcomes of a check, mapped to a finding status by evaluate.
OK, NEAR_MISS, MISS = "ok", "near_miss", "miss"


def _norm(x: Any) -> Any:
    return x.lower() if isinstance(x, str) else x


def _elementwise(value: Any, expected: Any, op) -> bool:
    if isinstance(expected, list):
        if not isinstance(value, (list, tuple)) or len(value) != len(expected):
            return False
        return all(op(v, e) for v, e in zip(value, expected, strict=True))
    return op(value, expected)


def windows(values: list[float], window: int) -> list[float]:
    """Sliding means of `window` consecutive values; one mean of all when fewer.

    A running total (total += new - old), each total / window; done by C iterators
    (an hour is 3600 values, and rules read them twice), in the same float operations
    in the same order as the plain loop, so the means are bit for bit the same.
    """
    if not values:
        return []
    if len(values) <= window:
        return [sum(values) / len(values)]
    totals = accumulate(map(sub, values[window:], values), initial=sum(values[:window]))
    return list(map(truediv, totals, repeat(window)))


def share_within(values: list[float], expected: float, band: float) -> float:
    if not values:
        return 0.0
    lo, hi = expected * (1 - band), expected * (1 + band)
    # lo <= v <= hi for each v, counted by C iterators
    inside = sum(map(and_, map(le, repeat(lo), values), map(le, values, repeat(hi))))
    return inside / len(values)


def run_check(
    check: str,
    value: Any,
    expected: Any,
    pass_band: float | None = None,
    warn_band: float | None = None,
    window: int = 1,
    min_share: float = 1.0,
    warn_limit: float | None = None,
) -> str:
    if check in ("at_least", "at_most") and warn_limit is not None:
        # Between expected and warn_limit only warns: e.g. P-SIZE's "2M" read as 2 000 000.
        op = (lambda v, e: v >= e) if check == "at_least" else (lambda v, e: v <= e)
        if _elementwise(value, expected, op):
            return OK
        return NEAR_MISS if _elementwise(value, warn_limit, op) else MISS
    if check == "equals":
        return OK if _norm(value) == _norm(expected) else MISS
    if check == "one_of":
        return OK if _norm(value) in {_norm(e) for e in expected} else MISS
    if check == "at_least":
        return OK if _elementwise(value, expected, lambda v, e: v >= e) else MISS
    if check == "at_most":
        return OK if _elementwise(value, expected, lambda v, e: v <= e) else MISS
    if check == "between":
        low, high = expected
        return OK if low <= value <= high else MISS
    if check == "near":
        # Bands are fractions of the expected value: 0.15 means ±15 %.
        deviation = abs(value - expected) / abs(expected) if expected else abs(value)
        if deviation <= pass_band + 1e-12:
            return OK
        if warn_band is not None and deviation <= warn_band + 1e-12:
            return NEAR_MISS
        return MISS
    if check == "steady":
        return steady_outcome(windows(list(value), window), expected, pass_band, warn_band,
                              min_share)  # fmt: skip
    raise ValueError(f"unknown check {check}")


def steady_outcome(means: list[float], expected: Any, pass_band: float | None,
                   warn_band: float | None, min_share: float,
                   share: float | None = None) -> str:  # fmt: skip
    """The `steady` check on window means already computed (`share`: their share
    within the pass band, when known). Every `window`-second mean (at least `min_share`
    of them) within the band: what "constant bitrate" means when measured rather than
    read from a header."""
    if not means:
        return MISS
    if share is None:
        share = share_within(means, expected, pass_band)
    if share >= min_share - 1e-9:
        return OK
    if warn_band is not None and share_within(means, expected, warn_band) >= min_share - 1e-9:
        return NEAR_MISS
    return MISS


def describe_expected(
    check: str,
    expected: Any,
    unit: str,
    pass_band=None,
    fmt: Callable[[Any, str], str] = format_value,
    window: int = 1,
    min_share: float = 1.0,
) -> str:
    """How the requirement reads; `fmt` renders one value (in the reader's language)."""
    if check == "readable":
        return "—"
    if check == "equals":
        return fmt(expected, unit)
    if check == "one_of":
        return " / ".join(fmt(e, unit) for e in expected)
    if check == "at_least":
        return "≥ " + fmt(expected, unit)
    if check == "at_most":
        return "≤ " + fmt(expected, unit)
    if check == "between":
        return f"{fmt(expected[0], unit)} – {fmt(expected[1], unit)}"
    if check == "near":
        band = f" ±{pass_band * 100:g} %" if pass_band else ""
        return fmt(expected, unit) + band
    if check == "steady":
        share = "" if min_share >= 1 else f", ≥ {min_share * 100:g} %"
        return f"{fmt(expected, unit)} ±{(pass_band or 0) * 100:g} % ({window} s{share})"
    return str(expected)
