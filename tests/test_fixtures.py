"""The generated fixtures are what they claim, measured with the real ffprobe."""

from __future__ import annotations

import json
import math
import struct
import subprocess
from collections import Counter
from itertools import pairwise
from pathlib import Path

import make_fixtures
import pytest
from PIL import Image
from toolcheck import system_ffprobe

from mediacheck.demo.clips import COMPLIANT, with_changes


def ffprobe(path: Path, *args: str) -> dict:
    proc = subprocess.run(
        [system_ffprobe(), "-v", "error", "-of", "json", *args, "file:" + str(path)],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=True,
    )
    return json.loads(proc.stdout)


def probe(path: Path) -> dict:
    return ffprobe(path, "-show_streams", "-show_format")


def streams(info: dict, kind: str) -> list[dict]:
    return [s for s in info["streams"] if s["codec_type"] == kind]


def video(path: Path) -> dict:
    (v,) = streams(probe(path), "video")
    return v


def audio(path: Path) -> dict:
    (a,) = streams(probe(path), "audio")
    return a


def audio_per_second(path: Path) -> list[int]:
    """Audio bits per whole second of the first audio stream, from packet sizes."""
    packets = ffprobe(path, "-select_streams", "a:0", "-show_entries", "packet=size,pts_time")
    bits: Counter[int] = Counter()
    for p in packets["packets"]:
        # int(): the AAC priming packet's pts is slightly negative; it belongs to second 0
        bits[int(float(p["pts_time"]))] += int(p["size"]) * 8
    whole = math.floor(float(audio(path)["duration"]))
    return [bits[s] for s in range(whole)]  # a partial last second would look low


def top_level_boxes(path: Path) -> list[str]:
    boxes = []
    with open(path, "rb") as fh:
        while header := fh.read(8):
            size, kind = struct.unpack(">I4s", header)
            if size == 1:
                size = struct.unpack(">Q", fh.read(8))[0] - 8
            elif size == 0:  # runs to the end of the file
                boxes.append(kind.decode("latin-1"))
                break
            boxes.append(kind.decode("latin-1"))
            fh.seek(size - 8, 1)
    return boxes


def near(value: float, target: float, tolerance: float) -> bool:
    return abs(value - target) <= tolerance * target


def test_compliant_measures_as_the_rules_want(media):
    path = media("compliant")
    info = probe(path)
    (v,) = streams(info, "video")
    (a,) = streams(info, "audio")
    assert (v["codec_name"], v["profile"], v["pix_fmt"]) == ("h264", "High", "yuv420p")
    assert (v["width"], v["height"]) == (1920, 1080)
    assert v["r_frame_rate"] == v["avg_frame_rate"] == "25/1"
    assert v.get("field_order", "progressive") == "progressive"
    assert near(int(v["bit_rate"]), 3_500_000, 0.10), v["bit_rate"]
    assert (a["codec_name"], a["profile"]) == ("aac", "LC")
    assert (a["sample_rate"], a["channels"]) == ("48000", 2)
    per_second = audio_per_second(path)
    assert len(per_second) >= 3
    assert all(near(b, 128_000, 0.15) for b in per_second), per_second
    assert info["format"]["tags"]["major_brand"] == "isom"
    boxes = top_level_boxes(path)
    assert boxes.index("moov") < boxes.index("mdat")


# name -> ("video"/"audio", {field: expected}) for single-stream facts
STREAM_FACTS = {
    "res_720p": ("video", {"width": 1280, "height": 720}),
    "fps_30": ("video", {"r_frame_rate": "30/1", "avg_frame_rate": "30/1"}),
    "hevc": ("video", {"codec_name": "hevc"}),
    "yuv444": ("video", {"pix_fmt": "yuv444p", "profile": "High 4:4:4 Predictive"}),
    "yuv420p10": ("video", {"pix_fmt": "yuv420p10le", "profile": "High 10"}),
    "interlaced": ("video", {"field_order": "tt"}),
    "anamorphic": ("video", {"width": 1440, "height": 1080, "sample_aspect_ratio": "4:3"}),
    "audio_mono": ("audio", {"channels": 1}),
    "audio_44k": ("audio", {"sample_rate": "44100"}),
    "audio_mp3": ("audio", {"codec_name": "mp3", "sample_rate": "48000"}),
}


@pytest.mark.parametrize("name", STREAM_FACTS)
def test_stream_facts(media, name):
    kind, want = STREAM_FACTS[name]
    got = video(media(name)) if kind == "video" else audio(media(name))
    assert {k: got.get(k) for k in want} == want


@pytest.mark.parametrize(("name", "target"), [("bitrate_8m", 8_000_000), ("bitrate_1m", 1_000_000)])
def test_video_bitrate_variants(media, name, target):
    assert near(int(video(media(name))["bit_rate"]), target, 0.10)


def test_audio_64k(media):
    per_second = audio_per_second(media("audio_64k"))
    assert all(near(b, 64_000, 0.15) for b in per_second), per_second


def test_mov_is_quicktime_and_renamed_copy_is_the_same_bytes(media):
    mov, renamed = media("mov"), media("mov_renamed.mp4")
    assert (mov.suffix, renamed.suffix) == (".mov", ".mp4")
    assert probe(mov)["format"]["tags"]["major_brand"] == "qt  "
    assert mov.read_bytes() == renamed.read_bytes()


def test_silence_gated_audio_drops_in_the_silent_seconds(media):
    per_second = audio_per_second(media("audio_silence_gated"))
    assert audio(media("audio_silence_gated"))["codec_name"] == "aac"
    assert min(per_second) < 20_000, per_second
    assert max(per_second) > 100_000, per_second  # the noise seconds still spend ~128k


def test_vbr_audio_really_varies(media):
    per_second = audio_per_second(media("audio_vbr"))
    mean = sum(per_second) / len(per_second)
    assert (max(per_second) - min(per_second)) / mean > 0.20, per_second


def test_vfr_has_varying_frame_durations_around_25(media):
    path = media("vfr")
    # frame durations = gaps between presentation times. Not packet=duration: ffprobe
    # 5.1 reports one duration for every packet of this file, though its stts varies
    packets = ffprobe(path, "-select_streams", "v:0", "-show_entries", "packet=pts")
    pts = sorted(int(p["pts"]) for p in packets["packets"])
    assert len({b - a for a, b in pairwise(pts)}) > 1
    num, den = map(int, video(path)["avg_frame_rate"].split("/"))
    assert near(num / den, 25, 0.01)  # the average is a clean 25


def test_stream_counts(media):
    assert len(streams(probe(media("two_audio")), "audio")) == 2
    no_audio = probe(media("no_audio"))
    assert (len(streams(no_audio, "video")), len(streams(no_audio, "audio"))) == (1, 0)
    no_video = probe(media("no_video"))
    assert (len(streams(no_video, "video")), len(streams(no_video, "audio"))) == (0, 1)


def test_rotated_has_a_quarter_turn_display_matrix(media):
    v = video(media("rotated"))
    assert (v["width"], v["height"]) == (1920, 1080)
    rotations = [sd.get("rotation") for sd in v.get("side_data_list", [])]
    assert any(r is not None and abs(int(r)) in (90, 270) for r in rotations), v


def test_av_mismatch_audio_is_two_seconds_short(media):
    info = probe(media("av_mismatch"))
    (v,) = streams(info, "video")
    (a,) = streams(info, "audio")
    assert abs(float(v["duration"]) - float(a["duration"]) - 2.0) < 0.1


def test_box_order(media):
    fragmented = top_level_boxes(media("fragmented"))
    assert "moof" in fragmented
    assert fragmented.index("moov") < fragmented.index("mdat")
    at_end = top_level_boxes(media("moov_at_end"))
    assert at_end.index("mdat") < at_end.index("moov")


def test_truncated_is_the_first_half_of_compliant(media):
    whole = media("compliant").read_bytes()
    cut = media("truncated").read_bytes()
    assert cut == whole[: len(whole) // 2]


def test_not_video_files(media):
    assert media("empty").stat().st_size == 0
    assert media("text_as_mp4").read_bytes().decode("utf-8")
    jpeg = media("jpeg_as_mp4")
    assert jpeg.suffix == ".mp4"
    with Image.open(jpeg) as img:
        assert img.format == "JPEG"


@pytest.mark.parametrize(
    ("name", "filename"), [("name_cjk", "报告 (1).mp4"), ("name_dash", "-x.mp4")]
)
def test_awkward_names_are_copies_of_compliant(media, name, filename):
    path = media(name)
    assert path.name == filename
    assert media(filename) == path
    assert path.read_bytes() == media("compliant").read_bytes()


def test_generation_is_deterministic(media, tmp_path):
    first = make_fixtures.get("compliant", tmp_path / "a")
    second = make_fixtures.get("compliant", tmp_path / "b")
    assert first.read_bytes() == second.read_bytes() == media("compliant").read_bytes()


def test_changed_recipe_gets_a_new_file_name(monkeypatch, tmp_path):
    before = make_fixtures.path_for("compliant", tmp_path)
    changed = dict(make_fixtures.VARIANTS, compliant=with_changes(COMPLIANT, gop=25))
    monkeypatch.setattr(make_fixtures, "VARIANTS", changed)
    after = make_fixtures.path_for("compliant", tmp_path)
    assert before != after and before.parent == after.parent


def test_unknown_name_is_a_clear_error():
    with pytest.raises(KeyError, match="unknown fixture 'nope'"):
        make_fixtures.get("nope")


def video_per_second(path: Path) -> list[int]:
    packets = ffprobe(path, "-select_streams", "v:0", "-show_entries", "packet=size,pts_time")
    bits: Counter[int] = Counter()
    for p in packets["packets"]:
        bits[int(float(p["pts_time"]))] += int(p["size"]) * 8
    return [bits[s] for s in range(math.floor(float(video(path)["duration"])))]


def test_busy_still_bitrate_swings_only_without_cbr(media):
    # rule cases (tests/rules/cases): V-BITRATE-STEADY's failing and passing lessons
    swings = video_per_second(media("bitrate_swings"))
    assert len(swings) == 30
    still, busy = sum(swings[10:20]) / 10, sum(swings[20:30]) / 10
    assert busy > 1.5 * still, swings  # the grain costs bits, the still picture saves them
    assert near(sum(swings) / 30, 3_500_000, 0.15)  # while the average is about right
    steady = video_per_second(media("bitrate_steady_busy"))
    for start in (0, 10, 20):
        assert near(sum(steady[start : start + 10]) / 10, 3_500_000, 0.05), steady
