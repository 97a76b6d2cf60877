"""Measured rates for containers without MP4 sample tables: an ffprobe packet scan.

Reads the whole file (unlike mp4_facts), so it is the fallback, not the rule.
"""

from __future__ import annotations

import json
from pathlib import Path

from mediacheck import tools
from mediacheck.model import MEASURED, Facts
from mediacheck.probe import sampling

TIMESCALE = 1_000_000  # packet times in microseconds, as ints for sampling
TIMEOUT_S = 600.0


def scan_packets(path: Path, timeout: float = TIMEOUT_S) -> dict[str, dict[str, list[int]]]:
    """{"video": {...}, "audio": {...}} of the first stream of each, with sizes, pts and
    durations in microseconds."""
    exe = tools.which("ffprobe")
    if exe is None:  # no ffprobe: ffmpeg lists the same packets (ToolMissing if none)
        from mediacheck.probe.ffmpeg_probe import scan_packets as ffmpeg_scan

        return ffmpeg_scan(path, timeout)
    out: dict[str, dict[str, list[int]]] = {}
    for kind, selector in (("video", "v:0"), ("audio", "a:0")):
        proc = tools.run(
            [exe, "-v", "error", "-select_streams", selector, "-show_entries",
             "packet=size,pts_time,dts_time,duration_time", "-of", "json",
             tools.media_arg(path)],
            timeout,
        )  # fmt: skip
        if proc.returncode != 0:
            continue
        packets = json.loads(proc.stdout or b"{}").get("packets", [])
        sizes, times, durations = [], [], []
        for p in packets:
            t = p.get("pts_time", p.get("dts_time"))
            if t in (None, "N/A") or "size" not in p:
                continue
            sizes.append(int(p["size"]))
            times.append(round(float(t) * TIMESCALE))
            d = p.get("duration_time")
            durations.append(round(float(d) * TIMESCALE) if d not in (None, "N/A") else 0)
        if sizes:
            out[kind] = {"sizes": sizes, "times": times, "durations": durations}
    return out


def packet_facts(scan: dict[str, dict[str, list[int]]], facts: Facts) -> None:
    for kind, p in scan.items():
        times, sizes, durations = p["times"], p["sizes"], p["durations"]
        start = min(times)
        rel = [t - start for t in times]
        try:
            stats = sampling.bitrate_stats(sizes, rel, durations, TIMESCALE, windows=(1,))
            buckets = sampling.per_second_bytes(sizes, rel, TIMESCALE)
            end = sampling.stream_end_s(rel, durations, TIMESCALE)
        except ValueError:
            continue
        series = [b * 8.0 for b in buckets[: int(end)]]
        if f"{kind}.duration" not in facts.values:  # MKV, FLV, or no ffprobe: from packets
            facts.set(f"{kind}.duration", round(end, 3), "s", MEASURED)
        facts.set(f"{kind}.bitrate", stats.average_bps, "bit/s", MEASURED)
        facts.set(f"{kind}.bitrate_per_second", series, "bit/s", MEASURED)
        facts.series[f"{kind}.bitrate_per_second"] = series
        if kind == "video":
            ordered = sorted(rel)
            steps = [b - a for a, b in zip(ordered, ordered[1:], strict=False)]
            timing = sampling.frame_timing(steps, TIMESCALE) if steps else None
            if timing and timing.average_fps:
                facts.set("video.fps", round(len(sizes) / (end or 1), 3), "fps", MEASURED)
                # Timestamps are rounded to µs, so allow 1 µs of jitter before calling it VFR.
                spread = max(steps) - min(steps)
                facts.set("video.fps_mode", "CFR" if spread <= 2 else "VFR", source=MEASURED)
    vd, ad = facts.get("video.duration"), facts.get("audio.duration")
    if vd and ad and "av.duration_diff" not in facts.values:
        facts.set("av.duration_diff", round(abs(vd.value - ad.value), 3), "s", MEASURED)
