"""A per-second series (bitrate) as an inline SVG chart, with its pass band drawn.

No script, no external font: axes, tick values and units are SVG text, so the chart
prints and reads without anything but the file. A long series is drawn from the lowest
and the highest value of each bucket (an hour is 3600 values; at most `MAX_POINTS` are
drawn), so a dip or a spike of one second is never averaged away.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from mediacheck.checks import windows
from mediacheck.words.html import say
from mediacheck.words.units import format_value

MAX_POINTS = 600
W, H = 760, 230
LEFT, RIGHT, TOP, BOTTOM = 70, 14, 12, 40
NICE_SECONDS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200)


@dataclass(frozen=True)
class Chart:
    svg: str
    summary: str  # the chart in one sentence, also its <desc> (for screen readers)
    caption: str  # how to read it


def downsample(
    values: Sequence[float], limit: int = MAX_POINTS
) -> tuple[list[tuple[float, float]], int]:
    """(x, y) points, at most `limit`, and the bucket size: per bucket its minimum and
    its maximum, in time order, so dips and spikes both survive."""
    n = len(values)
    if n <= limit:
        return [(i + 0.5, float(v)) for i, v in enumerate(values)], 1
    step = math.ceil(n / (limit // 2))
    points: list[tuple[float, float]] = []
    for start in range(0, n, step):
        chunk = values[start : start + step]
        lo = min(range(len(chunk)), key=chunk.__getitem__)
        hi = max(range(len(chunk)), key=chunk.__getitem__)
        for i in sorted({lo, hi}):
            points.append((start + i + 0.5, float(chunk[i])))
    return points, step


def nice_step(span: float, ticks: int = 5) -> float:
    """A round tick step (1, 2 or 5 × 10^k) giving about `ticks` intervals over `span`."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * power >= raw:
            return m * power
    return 10 * power


def clock(seconds: float, hours: bool = False) -> str:
    """m:ss, or h:mm:ss when `hours` (one form along a whole axis) or past an hour."""
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h or hours else f"{m}:{sec:02d}"


def _stretches(values: Sequence[float], lo: float, hi: float) -> list[tuple[int, int]]:
    """[start, end) index runs of values outside [lo, hi]."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, v in enumerate(values):
        out = not lo <= v <= hi
        if out and start is None:
            start = i
        elif not out and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(values)))
    return runs


def _path(points: Sequence[tuple[float, float]], x, y) -> str:
    return "M" + " L".join(f"{x(px):.1f},{y(py):.1f}" for px, py in points)


def bitrate_chart(
    series: Sequence[float],
    expected: float,
    band: float,
    window: int,
    unit: str,
    lang: str,
    chart_id: str,
    title: str,
) -> Chart | None:
    """The SVG for one per-second series against expected ±band, judged over `window` s."""
    if not series:
        return None
    n = len(series)
    lo_band, hi_band = expected * (1 - band), expected * (1 + band)
    judged = windows(list(series), window) if window > 1 else list(series)
    top = max(max(series), hi_band) * 1.08 or 1.0
    scale, scale_unit = (1e6, "Mbit/s") if expected >= 1e6 else (1e3, "kbit/s")
    if unit != "bit/s":
        scale, scale_unit = 1.0, unit
    y_step = nice_step(top / scale) * scale
    top = math.ceil(top / y_step) * y_step
    x_step = next(
        (s for s in NICE_SECONDS if n / s <= 8), NICE_SECONDS[-1] * math.ceil(n / 8 / 7200)
    )
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM

    def x(sec: float) -> float:
        return LEFT + pw * sec / n

    def y(val: float) -> float:
        return TOP + ph * (1 - min(max(val, 0.0), top) / top)

    out = [
        f'<svg class="chart" viewBox="0 0 {W} {H}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
    ]
    low_i = min(range(n), key=series.__getitem__)
    summary = say(
        "chart.summary", lang, seconds=n, low=format_value(series[low_i], unit),
        at_low=clock(low_i, n >= 3600), high=format_value(max(series), unit),
        outside=len(_stretches(judged, lo_band, hi_band)),
    )  # fmt: skip
    out.append(f'<title id="{chart_id}-t">{escape(title)}</title>')
    out.append(f'<desc id="{chart_id}-d">{escape(summary)}</desc>')
    # the band, the target line
    out.append(
        f'<rect class="band" x="{LEFT}" y="{y(hi_band):.1f}" width="{pw}" '
        f'height="{y(lo_band) - y(hi_band):.1f}"/>'
    )
    out.append(
        f'<line class="target" x1="{LEFT}" x2="{LEFT + pw}" y1="{y(expected):.1f}" '
        f'y2="{y(expected):.1f}"/>'
    )
    # y axis: ticks, values, unit
    tick = 0.0
    while tick <= top + y_step / 1000:
        ty = y(tick)
        out.append(f'<line class="grid" x1="{LEFT}" x2="{LEFT + pw}" y1="{ty:.1f}" y2="{ty:.1f}"/>')
        out.append(
            f'<text class="tick" x="{LEFT - 6}" y="{ty + 4:.1f}" text-anchor="end">'
            f"{tick / scale:g}</text>"
        )
        tick += y_step
    out.append(
        f'<text class="unit" x="14" y="{TOP + ph / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {TOP + ph / 2:.1f})">{escape(scale_unit)}</text>'
    )
    # x axis: ticks at round times, the unit
    sec = 0
    while sec <= n:
        tx = x(sec)
        out.append(
            f'<line class="axis" x1="{tx:.1f}" x2="{tx:.1f}" y1="{TOP + ph}" y2="{TOP + ph + 5}"/>'
        )
        out.append(
            f'<text class="tick" x="{tx:.1f}" y="{TOP + ph + 18}" text-anchor="middle">'
            f"{clock(sec, n >= 3600)}</text>"
        )
        sec += x_step
    out.append(
        f'<text class="unit" x="{LEFT + pw / 2:.1f}" y="{H - 4}" text-anchor="middle">'
        f"{escape(say('chart.axis_time', lang))} ({'h:mm:ss' if n >= 3600 else 'm:ss'})</text>"
    )
    out.append(f'<rect class="frame" x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}"/>')
    # the series: per second (grey), then the window means the rule judges (blue)
    points, step = downsample(series)
    out.append(f'<path class="series" d="{_path(points, x, y)}"/>')
    span = min(window, n) if window > 1 else 1  # seconds one judged value covers
    drawn_means = window > 1 and len(judged) > 1
    if drawn_means:
        mean_points, _ = downsample(judged)
        centred = [(px + span / 2 - 0.5, py) for px, py in mean_points]
        out.append(f'<path class="means" d="{_path(centred, x, y)}"/>')
    # outside the band: red ticks under the plot over the seconds each stretch covers,
    # merged where they touch (an hour of dips stays a few hundred rectangles at most)
    marks: list[tuple[float, float]] = []
    for start, end in _stretches(judged, lo_band, hi_band):
        x0 = x(start)
        x1 = max(x(min(n, end - 1 + span)), x0 + 1.5)
        if marks and x0 - marks[-1][1] < 1.0:
            marks[-1] = (marks[-1][0], max(x1, marks[-1][1]))
        else:
            marks.append((x0, x1))
    for x0, x1 in marks:
        out.append(
            f'<rect class="out" x="{x0:.1f}" y="{TOP + ph - 6}" width="{x1 - x0:.1f}" height="6"/>'
        )
    out.append("</svg>")
    band_text = say(
        "chart.band", lang, low=format_value(lo_band, unit), high=format_value(hi_band, unit)
    )
    window_line = say("chart.window_line", lang, window=window) if drawn_means else ""
    caption = say("chart.caption", lang, window_line=window_line, band=band_text)
    if step > 1:
        caption += say("chart.downsampled", lang, step=step)
    return Chart(svg="".join(out), summary=summary, caption=caption)
