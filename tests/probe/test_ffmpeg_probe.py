"""ffprobe's jobs done by ffmpeg (for the FFmpeg wheel, which has no ffprobe).

The parsers on recorded ffmpeg 5.1 (Debian) and 9.0 (imageio-ffmpeg) output; then both
paths, ffprobe and ffmpeg (the system's and the wheel's), on real files in MKV, MPEG-TS,
AVI and FLV: the same facts.
"""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import pytest
from toolcheck import system_ffprobe

from mediacheck import tools
from mediacheck.model import Facts
from mediacheck.probe import ffmpeg_probe, ffprobe, packets
from mediacheck.probe.ffmpeg_probe import channels_of, parse_dump, parse_framecrc

DATA = Path(__file__).parent / "data"
DECODERS = frozenset({"h264", "aac", "mp3float", "mjpeg", "libdav1d"})


def dump(name: str) -> dict | None:
    return parse_dump((DATA / name).read_text(), DECODERS)


def header_facts(data: dict) -> dict:
    facts = Facts(Path("x"), "video")
    ffprobe.ffprobe_facts(data, facts)
    return {name: fact.value for name, fact in facts.values.items()}


# ------------------------------------------------------------------ parsers


@pytest.mark.parametrize("version", [5, 9])
def test_ts_with_a_program(version):
    data = dump(f"ffmpeg{version}_ts.txt")
    assert data is not None and data["source"] == "ffmpeg"
    assert data["format"] == {"format_name": "mpegts"}
    v, a = data["streams"]
    assert v == {"index": 0, "codec_type": "video", "codec_name": "h264", "profile": "High",
                 "pix_fmt": "yuv420p", "field_order": "progressive", "width": 1920,
                 "height": 1080, "sample_aspect_ratio": "1:1",
                 "avg_frame_rate": "25"}  # fmt: skip
    assert a == {"index": 1, "codec_type": "audio", "codec_name": "aac", "profile": "LC",
                 "sample_rate": "48000", "channels": 2, "bit_rate": "130000"}  # fmt: skip


@pytest.mark.parametrize("version", [5, 9])
def test_rotation_and_brand(version):
    # 5.1 says "displaymatrix: rotation of", 9.0 "Display Matrix: rotation of"
    data = dump(f"ffmpeg{version}_rotated.txt")
    assert data is not None
    assert data["format"]["tags"] == {"major_brand": "isom"}
    facts = header_facts(data)
    assert facts["video.rotation"] == 90 and facts["video.display_size"] == [1080, 1920]
    assert facts["container.format"] == "mp4"


def test_decoder_name_is_not_the_profile():
    # ffmpeg 9 writes "mp3 (mp3float)": the decoder's name, not a profile
    data = dump("ffmpeg9_mp3.txt")
    assert data is not None
    audio = data["streams"][1]
    assert audio["codec_name"] == "mp3" and "profile" not in audio
    assert header_facts(data)["audio.codec"] == "mp3"


def test_interlaced_cover_picture_and_surround():
    assert header_facts(dump("ffmpeg5_interlaced.txt"))["video.scan"] == "interlaced"
    cover = dump("ffmpeg9_cover.txt")
    assert cover["streams"][2]["disposition"] == {"attached_pic": 1}
    assert header_facts(cover)["video.streams"] == 1  # the cover is not a video
    assert header_facts(dump("ffmpeg5_six.txt"))["audio.channels"] == 6


@pytest.mark.parametrize("version", [5, 9])
def test_unreadable_input_gives_ffmpegs_complaint(version):
    text = (DATA / f"ffmpeg{version}_garbage.txt").read_text()
    assert parse_dump(text) is None
    assert ffmpeg_probe._complaint(text, "file:garbage.mkv") == (
        "file:garbage.mkv: Invalid data found when processing input"
    )


def test_nothing_understood_is_left_out_not_guessed():
    text = (
        "Input #0, avi, from 'file:x':\n  Stream #0:0: Video: none, 0x0\n"
        "  Stream #0:1: Audio: none, 0 Hz, 0 channels\n  Stream #0:2: Data: none\n"
    )
    data = parse_dump(text)
    assert data is not None
    assert data["streams"] == [
        {"index": 0, "codec_type": "video", "width": 0, "height": 0},
        {"index": 1, "codec_type": "audio", "sample_rate": "0"},
        {"index": 2, "codec_type": "data"},
    ]


@pytest.mark.parametrize(
    ("layout", "count"),
    [("mono", 1), ("stereo", 2), ("5.1", 6), ("5.1(side)", 6), ("7.1(wide)", 8),
     ("3.1.2", 6), ("22.2", 24), ("quad(side)", 4), ("6 channels", 6),
     ("3 channels (FL+FR+LFE)", 3), ("FL+FR+FC", 3), ("ambisonic 1", None)],
)  # fmt: skip
def test_channel_counts(layout, count):
    assert channels_of(layout) == count


def test_framecrc_packets_in_microseconds():
    scan = parse_framecrc((DATA / "ffmpeg9_ts_framecrc.txt").read_text())
    video, audio = scan["video"], scan["audio"]
    assert video["sizes"][:3] == [39424, 20973, 16583]
    # pts 1920, 5520, 16320 in 1/90000 s; durations 3600 -> 40 ms
    assert video["times"][:3] == [21333, 61333, 181333]
    assert video["durations"][:3] == [40000, 40000, 40000]
    assert audio["sizes"][0] == 260 and audio["durations"][0] == 21333
    assert parse_framecrc("garbage\n#tb 0: 1/0\n0, 1, 2\n") == {}


# ------------------------------------------------------------------ both paths agree

EXACT = ("container.format", "container.brand", "video.streams", "audio.streams",
         "video.codec", "video.profile", "video.display_size", "video.rotation",
         "video.pix_fmt", "video.scan", "audio.codec", "audio.sample_rate",
         "audio.channels", "video.fps_mode")  # fmt: skip
# what differs by edge packets only: the CLI fills a zero duration that ffprobe shows as
# 0, and a stream's duration is measured from packets where ffprobe reads the container's
CLOSE = {"video.bitrate": 0.01, "audio.bitrate": 0.02, "video.fps": 0.001}
DURATIONS = ("video.duration", "audio.duration", "av.duration_diff")

# (fixture, container it is remuxed into)
CASES = [
    ("compliant", "mkv"), ("compliant", "ts"), ("compliant", "avi"), ("compliant", "flv"),
    ("interlaced", "mkv"), ("rotated", "mkv"), ("hevc", "mkv"), ("yuv444", "mkv"),
    ("yuv420p10", "mkv"), ("anamorphic", "mkv"), ("audio_mp3", "mkv"),
    ("two_audio", "mkv"), ("no_video", "mkv"), ("vfr", "mkv"),
    ("cover", "mkv"),
]  # fmt: skip


def remux(src: Path, out: Path, cover: Path | None = None) -> Path:
    args = [tools.find("ffmpeg"), "-v", "error", "-nostdin", "-y", "-i", f"file:{src}"]
    args += ["-map", "0", "-c", "copy"]
    if out.suffix in (".ts", ".avi"):
        args += ["-bsf:v", "h264_mp4toannexb"]
    if cover is not None:
        args += ["-attach", str(cover), "-metadata:s:t", "mimetype=image/jpeg"]
    subprocess.run([*args, f"file:{out}"], check=True, capture_output=True, timeout=60)
    return out


@pytest.fixture(scope="module")
def remuxed(media, tmp_path_factory):
    folder = tmp_path_factory.mktemp("containers")
    made: dict[tuple[str, str], Path] = {}

    def get(name: str, container: str) -> Path:
        if (name, container) not in made:
            cover = None
            if name == "cover":
                cover = folder / "cover.jpg"
                subprocess.run([tools.find("ffmpeg"), "-v", "error", "-nostdin", "-y", "-f",
                                "lavfi", "-i", "color=red:s=64x48", "-frames:v", "1",
                                str(cover)], check=True, timeout=60)  # fmt: skip
            src = media("compliant" if name == "cover" else name)
            made[name, container] = remux(src, folder / f"{name}.{container}", cover)
        return made[name, container]

    return get


def wheel_ffmpeg() -> str | None:
    return tools.WHEELS["ffmpeg"]()


def all_facts(data: dict, scan: dict) -> dict:
    facts = Facts(Path("x"), "video")
    ffprobe.ffprobe_facts(data, facts)
    packets.packet_facts(scan, facts)
    return {name: fact.value for name, fact in facts.values.items()}


@pytest.mark.parametrize("ffmpeg", ["system", "wheel"])
@pytest.mark.parametrize(("name", "container"), CASES)
def test_same_facts_as_ffprobe(remuxed, name, container, ffmpeg, monkeypatch):
    path = remuxed(name, container)
    exe = wheel_ffmpeg() if ffmpeg == "wheel" else tools.find("ffmpeg")
    assert exe
    probe_exe = system_ffprobe()
    monkeypatch.setattr(tools, "which", lambda tool: probe_exe if tool == "ffprobe" else exe)
    data, complaint = ffprobe.run_ffprobe(path)
    assert data is not None, complaint
    want = all_facts(data, packets.scan_packets(path))
    data, complaint = ffmpeg_probe.read_streams(path, 60, exe)
    assert data is not None, complaint
    got = all_facts(data, ffmpeg_probe.scan_packets(path, 60, exe))

    assert set(got) == set(want)
    for fact in EXACT:
        assert got.get(fact) == want.get(fact), fact
    for fact, tolerance in CLOSE.items():
        if fact in want:
            assert math.isclose(got[fact], want[fact], rel_tol=tolerance), fact
    for fact in DURATIONS:
        if fact in want:
            assert got[fact] == pytest.approx(want[fact], abs=0.1), fact
    for series in ("video.bitrate_per_second", "audio.bitrate_per_second"):
        if series in want:  # whole seconds: equal but for the edge packets' durations
            assert len(got[series]) == len(want[series])
            assert got[series][:-1] == pytest.approx(want[series][:-1], rel=0.02), series
