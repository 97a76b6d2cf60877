"""The ffprobe parser on recorded JSON (no ffprobe run): container, rotation, codec names."""

from __future__ import annotations

import json
from pathlib import Path

from mediacheck.model import Facts
from mediacheck.probe.ffprobe import display_size, ffprobe_facts

DATA = Path(__file__).parent / "data"


def facts_of(name: str) -> Facts:
    facts = Facts(Path(name), "video")
    ffprobe_facts(json.loads((DATA / name).read_text()), facts)
    return facts


def value(facts: Facts, name: str):
    fact = facts.get(name)
    return fact.value if fact else None


def test_mp4_with_audio():
    f = facts_of("ffprobe_t_mp4.json")
    assert value(f, "container.format") == "mp4"
    assert value(f, "video.codec") == "h264"
    assert value(f, "video.display_size") == [1920, 1080]
    assert value(f, "video.fps") == 25
    assert value(f, "audio.codec") == "aac-lc"
    assert value(f, "audio.sample_rate") == 48000
    assert value(f, "audio.channels") == 2
    assert f.get("video.bitrate").source == "ffprobe"


def test_quicktime_is_not_mp4():
    f = facts_of("ffprobe_mv_mov.json")
    assert value(f, "container.format") == "mov"
    assert value(f, "container.brand") == "qt"
    assert value(f, "audio.channels") == 1
    assert value(f, "audio.sample_rate") == 44100


def test_rotation_swaps_width_and_height():
    f = facts_of("ffprobe_r_mp4.json")
    assert value(f, "video.rotation") == 90
    assert value(f, "video.display_size") == [240, 320]
    assert f.missing["audio.channels"] == "no_audio"


def test_sample_aspect_ratio_widens():
    stream = {"width": 1440, "height": 1080, "sample_aspect_ratio": "4:3"}
    assert display_size(stream) == [1920, 1080]
