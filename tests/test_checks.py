from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediacheck.checks import (
    MISS,
    NEAR_MISS,
    OK,
    defaults,
    describe_expected,
    run_check,
    share_within,
    steady_outcome,
    windows,
)


@pytest.mark.parametrize(
    ("check", "value", "expected", "outcome"),
    [
        ("equals", "H264", "h264", OK),
        ("equals", "hevc", "h264", MISS),
        ("equals", False, False, OK),
        ("one_of", "png", ["jpeg", "png"], OK),
        ("at_least", [1920, 1080], [1920, 1080], OK),
        ("at_least", [3840, 2160], [1920, 1080], OK),
        ("at_least", [1080, 1920], [1920, 1080], MISS),  # portrait fails on width
        ("at_least", 5, 5, OK),
        ("at_most", 2001, 2000, MISS),
        ("between", 3, [1, 5], OK),
    ],
)
def test_checks(check, value, expected, outcome):
    assert run_check(check, value, expected) == outcome


def test_near_bands():
    bands = defaults(pass_band=0.15, warn_band=0.30)
    assert run_check("near", 3.9e6, 3.5e6, bands) == OK
    assert run_check("near", 4.3e6, 3.5e6, bands) == NEAR_MISS
    assert run_check("near", 8e6, 3.5e6, bands) == MISS
    assert run_check("near", 29.97, 25, defaults(pass_band=0.002)) == MISS


def test_warn_limit_only_warns_between_it_and_expected():
    limit = defaults(warn_limit=2_000_000)
    assert run_check("at_least", 2_097_152, 2_097_152, limit) == OK
    assert run_check("at_least", 2_050_000, 2_097_152, limit) == NEAR_MISS
    assert run_check("at_least", 1_999_999, 2_097_152, limit) == MISS


def test_describe_expected():
    assert describe_expected("at_least", [1920, 1080], "px") == "≥ 1920×1080"
    assert describe_expected("near", 3500000, "bit/s", defaults(pass_band=0.15)) == (
        "3.50 Mbit/s ±15 %"
    )
    assert describe_expected("equals", 48000, "Hz") == "48 kHz"


def _windows_loop(values, window):
    """The running-total loop `windows` replaced, kept as its reference."""
    if not values:
        return []
    if len(values) <= window:
        return [sum(values) / len(values)]
    total = sum(values[:window])
    out = [total / window]
    for i in range(window, len(values)):
        total += values[i] - values[i - window]
        out.append(total / window)
    return out


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(0, 1e7, allow_nan=False),
            st.integers(0, 10**7).map(lambda b: b * 8.0),
            st.integers(0, 10**6),
        ),
        max_size=200,
    ),
    st.integers(1, 30),
    st.floats(0, 0.5),
)
def test_windows_and_share_are_bit_for_bit_the_loop(values, window, band):
    means = windows(values, window)
    reference = _windows_loop(values, window)
    assert [repr(m) for m in means] == [repr(r) for r in reference]
    lo, hi = 3.5e6 * (1 - band), 3.5e6 * (1 + band)
    expected = sum(1 for v in means if lo <= v <= hi) / len(means) if means else 0.0
    assert share_within(means, 3.5e6, band) == expected


def test_steady_outcome_matches_run_check():
    series = [128_000.0] * 50 + [2_000.0] * 5
    for window, share in ((1, 1.0), (1, 0.9), (10, 0.5)):
        rule = defaults(pass_band=0.05, warn_band=0.2, window=window, min_share=share)
        expected = run_check("steady", series, 128_000, rule)
        means = windows(series, window)
        assert steady_outcome(means, 128_000, rule) == expected
