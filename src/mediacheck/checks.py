"""CHECKS: the one table of the checks a rule can name in a profile.

Each entry says which keys a rule with that check takes (and their types), how it
decides (`run`: measured value, expected value, rule -> outcome), how the requirement
reads (`describe`), and what value `fix` aims at (`target`). Profile validation,
evaluate and fix all read this table, so a new check is one entry here.

Pure functions only: no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from operator import and_, le, sub, truediv
from typing import Any, NamedTuple, Protocol

from mediacheck.words.units import format_value

# Outcomes of a check, mapped to a finding status by evaluate.
OK, NEAR_MISS, MISS = "ok", "near_miss", "miss"

Fmt = Callable[[Any, str], str]  # renders one value with its unit, in the reader's language


class RuleLike(Protocol):
    """What a check reads of a rule (profile.Rule has all of it)."""

    pass_band: float | None
    warn_band: float | None
    window: int
    min_share: float
    warn_limit: float | None


# ---------------------------------------------------------------- parameter types


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _is_value(v: Any) -> bool:
    """A scalar (text, number, yes/no) or a list of numbers (a size: [1920, 1080])."""
    if isinstance(v, list):
        return bool(v) and all(_is_number(x) for x in v)
    return isinstance(v, (str, bool)) or _is_number(v)


# type -> test (how each reads in an error message: words/errors.py TYPES)
PARAM_TYPES: dict[str, Callable[[Any], bool]] = {
    "number": _is_number,
    "value": _is_value,
    "list": lambda v: isinstance(v, list) and bool(v) and all(map(_is_value, v)),
    "pair": lambda v: (isinstance(v, list) and len(v) == 2 and all(map(_is_number, v))
                       and v[0] <= v[1]),
    "fraction": lambda v: _is_number(v) and v >= 0,
    "share": lambda v: _is_number(v) and 0 < v <= 1,
    "seconds": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
    "fact": lambda v: isinstance(v, str) and bool(v),
}  # fmt: skip


class Param(NamedTuple):
    type: str
    required: bool = False


@dataclass(frozen=True)
class Check:
    expected: str | None  # type of `expected`; None: the check takes none
    run: Callable[[Any, Any, RuleLike], str]
    describe: Callable[[Any, str, RuleLike, Fmt], str]  # expected, unit, rule, fmt
    params: dict[str, Param] = field(default_factory=dict)  # the other keys it takes
    # `expected_fact: NAME` may stand for `expected`: the value of another fact of the
    # same subject (covered committees ≤ the committees in the area).
    compares_facts: bool = False
    target: Callable[[Any], Any] = lambda expected: expected  # what fix aims at
    # cross-key limits: None, or the code of the error in words/errors.py
    validate: Callable[[Mapping[str, Any]], str | None] = lambda body: None


# ---------------------------------------------------------------- the checks


def _norm(x: Any) -> Any:
    return x.lower() if isinstance(x, str) else x


def _elementwise(value: Any, expected: Any, op: Callable[[Any, Any], bool]) -> bool:
    if isinstance(expected, list):
        if not isinstance(value, (list, tuple)) or len(value) != len(expected):
            return False
        return all(op(v, e) for v, e in zip(value, expected, strict=True))
    if isinstance(value, (list, tuple)):
        return False
    return op(value, expected)


def _bound(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any, RuleLike], str]:
    def run(value: Any, expected: Any, rule: RuleLike) -> str:
        # Between expected and warn_limit only warns: P-SIZE's "2M" read as 2 000 000.
        if _elementwise(value, expected, op):
            return OK
        if rule.warn_limit is not None and _elementwise(value, rule.warn_limit, op):
            return NEAR_MISS
        return MISS

    return run


def _ge(v: Any, e: Any) -> bool:
    return v >= e


def _le(v: Any, e: Any) -> bool:
    return v <= e


def _near(value: Any, expected: Any, rule: RuleLike) -> str:
    # Bands are fractions of the expected value: 0.15 means ±15 %.
    deviation = abs(value - expected) / abs(expected) if expected else abs(value)
    if deviation <= (rule.pass_band or 0) + 1e-12:
        return OK
    if rule.warn_band is not None and deviation <= rule.warn_band + 1e-12:
        return NEAR_MISS
    return MISS


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


def steady_outcome(means: list[float], expected: Any, rule: RuleLike,
                   share: float | None = None) -> str:  # fmt: skip
    """The `steady` check on window means already computed (`share`: their share within
    the pass band, when known). Every `window`-second mean (at least `min_share` of
    them) within the band: what "constant bitrate" means when measured rather than read
    from a header."""
    if not means:
        return MISS
    if share is None:
        share = share_within(means, expected, rule.pass_band or 0)
    if share >= rule.min_share - 1e-9:
        return OK
    if (
        rule.warn_band is not None
        and share_within(means, expected, rule.warn_band) >= rule.min_share - 1e-9
    ):
        return NEAR_MISS
    return MISS  # fmt: skip


def _steady(value: Any, expected: Any, rule: RuleLike) -> str:
    return steady_outcome(windows(list(value), rule.window), expected, rule)


def _bands_ordered(body: Mapping[str, Any]) -> str | None:
    if "warn_band" in body and body["warn_band"] < body.get("pass_band", 0):
        return "profile.band_order"
    return None


def _warn_limit_side(op: Callable[[Any, Any], bool]) -> Callable[[Mapping[str, Any]], str | None]:
    def validate(body: Mapping[str, Any]) -> str | None:
        limit, expected = body.get("warn_limit"), body.get("expected")
        if limit is None or expected is None:
            return None
        if not _is_number(expected):
            return "profile.warn_limit_number"
        if op(limit, expected) and limit != expected:
            return "profile.warn_limit_side"
        return None

    return validate


def _percent(band: float | None) -> str:
    return f"±{(band or 0) * 100:g} %"


def _describe_steady(expected: Any, unit: str, rule: RuleLike, fmt: Fmt) -> str:
    share = "" if rule.min_share >= 1 else f", ≥ {rule.min_share * 100:g} %"
    return f"{fmt(expected, unit)} {_percent(rule.pass_band)} ({rule.window} s{share})"


_WARN_LIMIT = {"warn_limit": Param("number")}
_BANDS = {"pass_band": Param("fraction", required=True), "warn_band": Param("fraction")}

CHECKS: dict[str, Check] = {
    "readable": Check(  # the file could be probed at all
        expected=None,
        run=lambda value, expected, rule: OK,
        describe=lambda expected, unit, rule, fmt: "—",
    ),
    "equals": Check(
        expected="value",
        run=lambda value, expected, rule: OK if _norm(value) == _norm(expected) else MISS,
        describe=lambda expected, unit, rule, fmt: fmt(expected, unit),
        compares_facts=True,
    ),
    "one_of": Check(
        expected="list",
        run=lambda value, expected, rule: (
            OK if _norm(value) in {_norm(e) for e in expected} else MISS
        ),
        describe=lambda expected, unit, rule, fmt: " / ".join(fmt(e, unit) for e in expected),
        target=lambda expected: expected[0],
    ),
    "at_least": Check(
        expected="value",
        run=_bound(_ge),
        describe=lambda expected, unit, rule, fmt: "≥ " + fmt(expected, unit),
        params=_WARN_LIMIT,
        compares_facts=True,
        validate=_warn_limit_side(_ge),
    ),
    "at_most": Check(
        expected="value",
        run=_bound(_le),
        describe=lambda expected, unit, rule, fmt: "≤ " + fmt(expected, unit),
        params=_WARN_LIMIT,
        compares_facts=True,
        validate=_warn_limit_side(_le),
    ),
    "between": Check(
        expected="pair",
        run=lambda value, expected, rule: OK if expected[0] <= value <= expected[1] else MISS,
        describe=lambda expected, unit, rule, fmt: (
            f"{fmt(expected[0], unit)} – {fmt(expected[1], unit)}"
        ),
        target=lambda expected: (expected[0] + expected[1]) / 2,
    ),
    "near": Check(
        expected="number",
        run=_near,
        describe=lambda expected, unit, rule, fmt: (
            fmt(expected, unit) + (f" {_percent(rule.pass_band)}" if rule.pass_band else "")
        ),
        params=_BANDS,
        validate=_bands_ordered,
    ),
    "steady": Check(  # every window of a per-second series near expected
        expected="number",
        run=_steady,
        describe=_describe_steady,
        params={**_BANDS, "window": Param("seconds"), "min_share": Param("share")},
        validate=_bands_ordered,
    ),
}


class _Defaults(NamedTuple):
    """A rule with no extra keys, for calling a check outside a profile (tests)."""

    pass_band: float | None = None
    warn_band: float | None = None
    window: int = 1
    min_share: float = 1.0
    warn_limit: float | None = None


def run_check(check: str, value: Any, expected: Any, rule: RuleLike | None = None) -> str:
    return CHECKS[check].run(value, expected, rule or _Defaults())


def describe_expected(check: str, expected: Any, unit: str, rule: RuleLike | None = None,
                      fmt: Fmt = format_value) -> str:  # fmt: skip
    """How the requirement reads; `fmt` renders one value (in the reader's language)."""
    return CHECKS[check].describe(expected, unit, rule or _Defaults(), fmt)


def defaults(**keys: Any) -> RuleLike:
    """Check parameters for a call outside a profile: `run_check(..., defaults(pass_band=…))`."""
    return _Defaults(**keys)
