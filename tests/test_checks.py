from __future__ import annotations

import pytest

from mediacheck.checks import MISS, NEAR_MISS, OK, describe_expected, run_check


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
    assert run_check("near", 3.9e6, 3.5e6, 0.15, 0.30) == OK
    assert run_check("near", 4.3e6, 3.5e6, 0.15, 0.30) == NEAR_MISS
    assert run_check("near", 8e6, 3.5e6, 0.15, 0.30) == MISS
    assert run_check("near", 29.97, 25, 0.002) == MISS


def test_describe_expected():
    assert describe_expected("at_least", [1920, 1080], "px") == "≥ 1920×1080"
    assert describe_expected("near", 3500000, "bit/s", 0.15) == "3.50 Mbit/s ±15 %"
    assert describe_expected("equals", 48000, "Hz") == "48 kHz"
