"""Fixtures of the MP4 reader's tests: real clips made with ffmpeg on first use."""

from __future__ import annotations

from pathlib import Path

import pytest
from mp4files import (
    AUDIO_VARIANTS,
    ENC,
    FFMPEG,
    FFPROBE,
    SMALL,
    SRC_3S,
    VARIANTS,
    run_ffmpeg,
)


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """3 s 1080p25 H.264 + AAC 48k stereo: fast start, moov at end, fragmented."""
    if not (FFMPEG and FFPROBE):
        pytest.skip("needs ffmpeg and ffprobe")
    d = tmp_path_factory.mktemp("isobmff")
    p = {name: d / f"{name}.mp4" for name in ("plain", "end", "frag", "rot")}
    run_ffmpeg(*SRC_3S, *ENC, "-movflags", "+faststart", f"file:{p['plain']}")
    # Remuxes carry the very same samples, so only the boxes differ.
    run_ffmpeg("-i", f"file:{p['plain']}", "-c", "copy", f"file:{p['end']}")
    run_ffmpeg(
        "-i",
        f"file:{p['plain']}",
        "-c",
        "copy",
        "-movflags",
        "frag_keyframe+empty_moov+default_base_moof",
        f"file:{p['frag']}",
    )
    run_ffmpeg(
        "-i",
        f"file:{p['plain']}",
        "-c",
        "copy",
        "-metadata:s:v:0",
        "rotate=90",
        f"file:{p['rot']}",
    )
    return p


@pytest.fixture(scope="session")
def variant(tmp_path_factory: pytest.TempPathFactory):
    """Small clips that each differ in one codec property, made on first use."""
    if not (FFMPEG and FFPROBE):
        pytest.skip("needs ffmpeg and ffprobe")
    d = tmp_path_factory.mktemp("isobmff_variants")
    made: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in made:
            out = d / f"{name}.mp4"
            if name in VARIANTS:
                run_ffmpeg(*SMALL, *VARIANTS[name], f"file:{out}")
            else:
                src = ["-f", "lavfi", "-i", "sine=sample_rate=48000:duration=0.5"]
                run_ffmpeg(*src, *AUDIO_VARIANTS[name], f"file:{out}")
            made[name] = out
        return made[name]

    return get


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Two tiny real files (fast start and fragmented) to mutate."""
    if not FFMPEG:
        pytest.skip("needs ffmpeg")
    d = tmp_path_factory.mktemp("tiny")
    src = [
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=64x48:rate=25:duration=0.3",
        "-f",
        "lavfi",
        "-i",
        "sine=sample_rate=48000:duration=0.3",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-bf",
        "2",
        "-c:a",
        "aac",
        "-b:a",
        "32k",
    ]
    out = {}
    for name, flags in (("fast", "+faststart"), ("frag", "frag_keyframe+empty_moov")):
        p = d / f"{name}.mp4"
        run_ffmpeg(*src, "-movflags", flags, f"file:{p}")
        out[name] = p.read_bytes()
    return out
