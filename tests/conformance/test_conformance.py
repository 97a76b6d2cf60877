"""Lessons written by other muxers (issue #13): every layout of conformance/layouts.yaml
gets the verdict the table gives it, its index the attributes listed there, and its
per-second byte sums of what plays equal ffprobe's packet sums.

A layout whose tool is not installed is skipped, with what to install; the files are
made on first use and cached (conformance/make_conformance.py).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "conformance"), str(ROOT / "tests" / "mp4")]

import make_conformance  # noqa: E402
from make_conformance import Missing, layouts  # noqa: E402
from mp4files import ffprobe_json  # noqa: E402
from mp4patch import patched, played_seconds, top_boxes  # noqa: E402

from mediacheck.app import check_one  # noqa: E402
from mediacheck.model import INFO, PASS  # noqa: E402
from mediacheck.mp4 import read_index  # noqa: E402
from mediacheck.profile import load_profile  # noqa: E402

PROFILE = load_profile()
LAYOUTS = layouts()


def made(name: str) -> Path:
    try:
        return make_conformance.get(name)
    except Missing as exc:
        pytest.skip(f"{name}: {exc}")


def ffprobe_seconds(path: Path, kind: str) -> list[int]:
    """Bytes of each second of the first `kind` stream's packets that play: ffprobe's,
    less those it flags discarded (outside the edit list) and those that end by time 0
    (a priming frame a fragmented file's edit list cuts, which ffmpeg leaves unflagged),
    bucketed from the first of them (from 0 when it starts before 0)."""
    entries = "packet=size,pts_time,duration_time,flags"
    packets = ffprobe_json(path, "-select_streams", f"{kind}:0", "-show_entries", entries)
    packets = packets["packets"]
    pts = [float(p["pts_time"]) for p in packets]

    def ends_by_0(i: int) -> bool:
        d = packets[i].get("duration_time", "N/A")
        end = pts[i] + float(d) if d != "N/A" else (pts[i + 1] if i + 1 < len(pts) else 1.0)
        return pts[i] < 0 and end <= 1e-9

    keep = [i for i, p in enumerate(packets) if "D" not in p["flags"] and not ends_by_0(i)]
    shown, times = [packets[i] for i in keep], [pts[i] for i in keep]
    origin = max(min(times), 0.0)
    out: dict[int, int] = {}
    for p, t in zip(shown, times, strict=True):
        k = max(math.floor(t - origin + 1e-9), 0)
        out[k] = out.get(k, 0) + int(p["size"])
    return [out.get(k, 0) for k in range(max(out) + 1)]


@pytest.mark.parametrize("name", LAYOUTS)
def test_verdict(name):
    lay = LAYOUTS[name]
    result = check_one(made(name), PROFILE, "video")
    got = {f.rule_id: f.status for f in result.findings if f.status not in (PASS, INFO)}
    assert (result.status, got) == (lay["expect"], lay["rules"])


@pytest.mark.parametrize("name", LAYOUTS)
def test_index(name):
    idx = read_index(made(name))
    want = LAYOUTS[name].get("index", {})
    assert {k: getattr(idx, k) for k in want} == want
    assert not idx.truncated


@pytest.mark.parametrize("name", LAYOUTS)
@pytest.mark.parametrize("kind", ["v", "a"])
def test_per_second_sums_equal_ffprobes_packets(name, kind):
    path = made(name)
    idx = read_index(path)
    if not (idx.video_tracks if kind == "v" else idx.audio_tracks):
        pytest.skip(f"{name} has no {'video' if kind == 'v' else 'audio'}")
    mine = played_seconds(path, kind)
    assert len(mine) >= 3 and mine == ffprobe_seconds(path, kind)[: len(mine)]


def test_fragmented_cut_at_a_fragment_boundary_is_truncated(tmp_path):
    """mp4mux writes a mehd: a copy cut before one of its fragments lasts shorter."""
    src = made("gst_frag")
    moofs = [at for typ, at, _ in top_boxes(src.read_bytes()) if typ == b"moof"]
    cut = patched(src, tmp_path, lambda d: d[: moofs[len(moofs) // 2]])
    idx = read_index(cut)
    assert idx.truncated and idx.issues == ["fragments_missing"]
    f = next(f for f in check_one(cut, PROFILE, "video").findings if f.rule_id == "V-COMPLETE")
    assert f.status == "fail"
