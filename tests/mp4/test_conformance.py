"""Lessons written by another muxer: GStreamer's mp4mux and qtmux (issue #13).

One encode (x264enc CBR 3.5 Mbit/s 1080p25, avenc_aac 128 kbit/s) is muxed four ways at
once: moov first, moov at the end, fragmented (with mehd, per-track fragments) and as
QuickTime. Each layout has its expected verdict, and its per-second sums equal ffprobe's
packet sums. Skipped where GStreamer's tools are not installed (Debian:
gstreamer1.0-tools, -plugins-good, -plugins-ugly, -libav); the files are cached beside
the other fixtures, keyed by the pipeline and GStreamer's version.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

import make_fixtures
import pytest
from mp4patch import ffprobe_seconds, patched, played_seconds, top_boxes

from mediacheck.app import check_one
from mediacheck.model import INFO, PASS
from mediacheck.mp4 import read_index
from mediacheck.profile import load_profile

GST = shutil.which("gst-launch-1.0")
INSPECT = shutil.which("gst-inspect-1.0")
ELEMENTS = ("mp4mux", "qtmux", "x264enc", "avenc_aac", "aacparse", "videotestsrc", "tee")

SOURCES = (
    "videotestsrc num-buffers=150 pattern=smpte"
    " ! video/x-raw,format=I420,width=1920,height=1080,framerate=25/1"
    " ! x264enc pass=cbr bitrate=3500 speed-preset=superfast key-int-max=50"
    ' vbv-buf-capacity=500 option-string="nal-hrd=cbr:vbv-init=0.5" threads=1 ! tee name=v'
    " audiotestsrc num-buffers=282 samplesperbuffer=1024 wave=pink-noise volume=0.25"
    " ! audio/x-raw,rate=48000,channels=2 ! audioconvert ! avenc_aac bitrate=128000"
    " ! aacparse ! tee name=a"
)
MUXERS = {
    "gst_fast": "mp4mux faststart=true",
    "gst_end": "mp4mux",
    "gst_frag": "mp4mux fragment-duration=1000",
    "gst_mov": "qtmux",
}
# Rules that do not pass on each, and why: MediaInfo labels GStreamer's AAC "VBR" (a
# header heuristic: A-BITRATE-LABEL warns); moov at the end warns PLAY-FASTSTART; qtmux
# writes QuickTime (brand "qt  "), which is not MP4.
EXPECTED = {
    "gst_fast": ("warn", {"A-BITRATE-LABEL": "warn"}),
    "gst_end": ("warn", {"A-BITRATE-LABEL": "warn", "PLAY-FASTSTART": "warn"}),
    "gst_frag": ("warn", {"A-BITRATE-LABEL": "warn"}),
    "gst_mov": ("fail", {"V-CONTAINER": "fail", "A-BITRATE-LABEL": "warn",
                         "PLAY-FASTSTART": "warn"}),
}  # fmt: skip


def _have_gstreamer() -> bool:
    if not (GST and INSPECT):
        return False
    return all(
        subprocess.run([INSPECT, e], capture_output=True, timeout=60).returncode == 0
        for e in ELEMENTS
    )


pytestmark = pytest.mark.skipif(not _have_gstreamer(), reason="needs GStreamer's mp4mux")


def _pipeline(folder: Path) -> str:
    sinks = " ".join(
        f'v. ! queue ! {mux} name={name} ! filesink location="{folder / name}.mp4"'
        f" a. ! queue ! {name}."
        for name, mux in MUXERS.items()
    )
    return f"{SOURCES} {sinks}"


@pytest.fixture(scope="session")
def gst() -> dict[str, Path]:
    assert GST
    version = subprocess.run([GST, "--version"], capture_output=True, text=True).stdout
    key = hashlib.sha256((_pipeline(Path("X")) + version).encode()).hexdigest()[:10]
    folder = make_fixtures.cache_dir() / f"gstreamer-{key}"
    if not folder.is_dir():
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-gst-", dir=folder.parent))
        try:
            subprocess.run(
                [GST, "-q", *shlex.split(_pipeline(tmp))],
                check=True, capture_output=True, timeout=600,
            )  # fmt: skip
            for p in tmp.iterdir():
                os.chmod(p, 0o644)
            os.chmod(tmp, 0o755)
            os.replace(tmp, folder)  # whole, or not at all
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return {name: folder / f"{name}.mp4" for name in MUXERS}


@pytest.mark.parametrize("name", MUXERS)
def test_verdict(gst, name):
    result = check_one(gst[name], load_profile(), "video")
    got = {f.rule_id: f.status for f in result.findings if f.status not in (PASS, INFO)}
    assert (result.status, got) == EXPECTED[name]


@pytest.mark.parametrize("name", MUXERS)
@pytest.mark.parametrize("kind", ["v", "a"])
def test_per_second_sums_equal_ffprobes_packets(gst, name, kind):
    mine = played_seconds(gst[name], kind)
    assert len(mine) == 6 and mine == ffprobe_seconds(gst[name], kind)[:6]


def test_layouts(gst):
    fast, end, frag = (read_index(gst[n]) for n in ("gst_fast", "gst_end", "gst_frag"))
    assert fast.moov_before_mdat and not end.moov_before_mdat
    assert frag.fragmented and frag.fragment_count > 6 and frag.fragment_duration
    assert read_index(gst["gst_mov"]).major_brand == "qt  "
    for idx in (fast, end, frag):
        assert not idx.truncated and not idx.issues
        v, a = idx.video_tracks[0], idx.audio_tracks[0]
        assert (v.sample_count, a.out_sample_rate, a.out_channels) == (150, 48000, 2)


def test_fragmented_cut_at_a_fragment_boundary_is_truncated(gst, tmp_path):
    """mp4mux writes a mehd: a copy cut before one of its fragments lasts shorter."""
    data = gst["gst_frag"].read_bytes()
    moofs = [at for typ, at, _ in top_boxes(data) if typ == b"moof"]
    cut = patched(gst["gst_frag"], tmp_path, lambda d: d[: moofs[len(moofs) // 2]])
    idx = read_index(cut)
    assert idx.truncated and idx.issues == ["fragments_missing"]
    f = next(f for f in check_one(cut, load_profile(), "video").findings
             if f.rule_id == "V-COMPLETE")  # fmt: skip
    assert f.status == "fail"
