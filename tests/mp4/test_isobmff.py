"""The MP4 sample-table reader, checked against ffprobe on real clips and on
hand-built broken files."""

from __future__ import annotations

import contextlib
import json
import math
import struct
import subprocess
import time
import tracemalloc
from pathlib import Path

import pytest
from conftest import system_ffprobe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediacheck import tools
from mediacheck.fix.video import ffmpeg_major
from mediacheck.mp4.reader import Mp4Error, Mp4Index, avc_profile_name, read_index
from mediacheck.probe import sampling
from mediacheck.probe.sampling import per_second_bytes

FFMPEG = tools.which("ffmpeg")  # the system's or the FFmpeg wheel's
needs_ffmpeg = pytest.mark.skipif(not FFMPEG, reason="needs ffmpeg")


# --- real clips ---------------------------------------------------------------------------


def _ffmpeg(*args: str) -> None:
    assert FFMPEG
    subprocess.run(
        [FFMPEG, "-v", "error", "-nostdin", "-y", *args],
        check=True,
        timeout=180,
        capture_output=True,
    )


def _ffprobe_json(path: Path, *args: str) -> dict:
    out = subprocess.run(
        [system_ffprobe(), "-v", "error", *args, "-of", "json", f"file:{path}"],
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def _packets(path: Path, stream: str) -> list[dict]:
    return _ffprobe_json(
        path,
        "-select_streams",
        stream,
        "-show_entries",
        "packet=size,pts,pts_time,dts,pos,flags",
    )["packets"]


SRC_3S = [
    "-f",
    "lavfi",
    "-i",
    "testsrc2=size=1920x1080:rate=25:duration=3",
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=440:sample_rate=48000:duration=3",
]
# veryfast + High gives B-frames, so ctts and the edit-list shift are exercised.
ENC = [
    "-map",
    "0:v",
    "-map",
    "1:a",
    "-c:v",
    "libx264",
    "-preset",
    "veryfast",
    "-profile:v",
    "high",
    "-pix_fmt",
    "yuv420p",
    "-b:v",
    "3500k",
    "-g",
    "25",
    "-c:a",
    "aac",
    "-b:a",
    "128k",
    "-ac",
    "2",
]


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """3 s 1080p25 H.264 + AAC 48k stereo: fast start, moov at end, fragmented."""
    if not FFMPEG:
        pytest.skip("needs ffmpeg")
    d = tmp_path_factory.mktemp("isobmff")
    p = {name: d / f"{name}.mp4" for name in ("plain", "end", "frag", "rot")}
    _ffmpeg(*SRC_3S, *ENC, "-movflags", "+faststart", f"file:{p['plain']}")
    # Remuxes carry the very same samples, so only the boxes differ.
    _ffmpeg("-i", f"file:{p['plain']}", "-c", "copy", f"file:{p['end']}")
    _ffmpeg(
        "-i",
        f"file:{p['plain']}",
        "-c",
        "copy",
        "-movflags",
        "frag_keyframe+empty_moov+default_base_moof",
        f"file:{p['frag']}",
    )
    # a display matrix: the rotate tag up to FFmpeg 5, -display_rotation from 6 on
    if ffmpeg_major(FFMPEG) >= 6:
        rotate = ["-display_rotation", "90", "-i", f"file:{p['plain']}"]
    else:
        rotate = ["-i", f"file:{p['plain']}", "-metadata:s:v:0", "rotate=90"]
    _ffmpeg(*rotate, "-c", "copy", f"file:{p['rot']}")
    return p


SMALL = ["-f", "lavfi", "-i", "testsrc2=size=128x72:rate=25:duration=0.4"]
VARIANTS = {
    "high10": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le"],
    "yuv444": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p"],
    "yuv422": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv422p"],
    "interlaced": ["-c:v", "libx264", "-preset", "ultrafast", "-flags", "+ildct+ilme"],
    "sar43": ["-c:v", "libx264", "-preset", "ultrafast", "-vf", "setsar=4/3"],
    "baseline": ["-c:v", "libx264", "-preset", "ultrafast", "-profile:v", "baseline"],
    "cropped": ["-c:v", "libx264", "-preset", "ultrafast", "-vf", "scale=130:70"],
    "hevc10": [
        "-c:v",
        "libx265",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p10le",
        "-x265-params",
        "log-level=error",
    ],
    "hevc444": [
        "-c:v",
        "libx265",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv444p",
        "-x265-params",
        "log-level=error",
    ],
}
AUDIO_VARIANTS = {
    "aac_main": ["-c:a", "aac", "-profile:a", "aac_main", "-ar", "44100", "-ac", "1"],
    "aac_6ch": ["-c:a", "aac", "-ac", "6", "-ar", "32000"],
}


@pytest.fixture(scope="session")
def variant(tmp_path_factory: pytest.TempPathFactory):
    """Small clips that each differ in one codec property, made on first use."""
    if not FFMPEG:
        pytest.skip("needs ffmpeg")
    d = tmp_path_factory.mktemp("isobmff_variants")
    made: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in made:
            out = d / f"{name}.mp4"
            if name in VARIANTS:
                _ffmpeg(*SMALL, *VARIANTS[name], f"file:{out}")
            else:
                src = ["-f", "lavfi", "-i", "sine=sample_rate=48000:duration=0.5"]
                _ffmpeg(*src, *AUDIO_VARIANTS[name], f"file:{out}")
            made[name] = out
        return made[name]

    return get


def _track(idx: Mp4Index, kind: str):
    tracks = idx.video_tracks if kind == "v" else idx.audio_tracks
    assert len(tracks) == 1
    return tracks[0]


# --- agreement with ffprobe ----------------------------------------------------------------


@needs_ffmpeg
@pytest.mark.parametrize("name", ["plain", "end", "frag"])
@pytest.mark.parametrize("kind", ["v", "a"])
def test_per_second_bytes_equal_ffprobe_packet_sums(clips, name, kind):
    path = clips[name]
    idx = read_index(path)
    tr = _track(idx, kind)
    pts = tr.presentation_times()
    mine = per_second_bytes(tr.sizes, pts, tr.timescale)

    packets = _packets(path, f"{kind}:0")
    theirs = [0] * len(mine)
    for pk in packets:
        # ffprobe buckets the same way: floor(pts_time); pre-roll before 0 joins second 0
        sec = max(math.floor(float(pk["pts_time"])), 0)
        theirs[sec] += int(pk["size"])
    assert mine == theirs
    assert sum(mine) > 0
    # mediacheck itself works on the run-length tables (stts, ctts) when the samples are
    # all the moov's: the same sums, and the same end, without per-sample times
    runs = tr.timing_runs
    assert (runs is None) == (name == "frag")
    if runs is not None:
        seconds, end = sampling.presented_seconds(
            tr.sizes, *runs, tr.presentation_shift, tr.timescale
        )
        assert seconds == theirs
        assert end == sampling.stream_end_s(pts, tr.durations, tr.timescale)
        ft = sampling.frame_timing_runs(runs[0], tr.timescale)
        assert ft == sampling.frame_timing(tr.durations, tr.timescale)


@needs_ffmpeg
@pytest.mark.parametrize("name", ["plain", "end", "frag"])
@pytest.mark.parametrize("kind", ["v", "a"])
def test_every_sample_matches_ffprobe_packet(clips, name, kind):
    """Size, file offset, pts and keyframe flag of each sample, in decode order."""
    path = clips[name]
    idx = read_index(path)
    tr = _track(idx, kind)
    packets = _packets(path, f"{kind}:0")
    assert tr.sample_count == len(packets)
    assert list(tr.sizes) == [int(p["size"]) for p in packets]
    assert list(tr.offsets) == [int(p["pos"]) for p in packets]
    # mov streams have time_base 1/timescale, so pts compare as exact integers
    assert list(tr.presentation_times()) == [int(p["pts"]) for p in packets]
    keys = [i for i, p in enumerate(packets) if "K" in p["flags"]]
    sync = range(tr.sample_count) if tr.sync_samples is None else tr.sync_samples
    assert list(sync) == keys
    assert tr.samples_past_eof == 0 and not idx.truncated


@needs_ffmpeg
def test_codec_info_matches_ffprobe(clips):
    path = clips["plain"]
    idx = read_index(path)
    streams = _ffprobe_json(path, "-show_streams")["streams"]
    fv = next(s for s in streams if s["codec_type"] == "video")
    fa = next(s for s in streams if s["codec_type"] == "audio")
    v, a = _track(idx, "v"), _track(idx, "a")

    assert v.codec == "avc1" and v.handler == "vide"
    assert (v.width, v.height) == (fv["width"], fv["height"]) == (1920, 1080)
    assert (v.sps_width, v.sps_height) == (1920, 1080)  # 1088 coded, cropped by the SPS
    assert avc_profile_name(v.avc_profile, v.avc_constraints) == fv["profile"] == "High"
    assert v.avc_level == fv["level"]
    assert v.pix_fmt == fv["pix_fmt"] == "yuv420p"
    assert v.avc_chroma_format == 1 and v.avc_bit_depth_luma == 8
    assert v.avc_frame_mbs_only is True
    assert v.timescale == 12800 and v.rotation == 0
    assert v.cts_offsets is not None  # B-frames

    assert a.codec == "mp4a" and a.handler == "soun"
    assert a.object_type_indication == 0x40
    assert a.aac_object_type == 2 and fa["profile"] == "LC"
    assert a.sample_rate == a.aac_sample_rate == int(fa["sample_rate"]) == 48000
    assert a.channels == a.aac_channels == fa["channels"] == 2
    assert a.esds_avg_bitrate and abs(a.esds_avg_bitrate - 128000) < 8000

    assert idx.major_brand == "isom" and "mp41" in idx.compatible_brands
    assert idx.moov_before_mdat and not idx.fragmented
    assert not idx.issues


@needs_ffmpeg
def test_box_order_and_fragments(clips):
    plain, end, frag = (read_index(clips[n]) for n in ("plain", "end", "frag"))
    assert plain.moov_before_mdat and not end.moov_before_mdat
    assert frag.fragmented and frag.fragment_count >= 3  # about one per 1 s GOP
    assert frag.moov_before_mdat
    for idx in (plain, end, frag):
        assert [t.handler for t in idx.tracks] == ["vide", "soun"]
        assert _track(idx, "v").sample_count == 75


@needs_ffmpeg
@pytest.mark.parametrize("name", ["plain", "end", "frag"])
def test_never_reads_media_data(clips, name):
    idx = read_index(clips[name])
    index_bytes = sum(size for typ, _, size in idx.top_boxes if typ != "mdat")
    assert idx.bytes_read <= index_bytes + 16 * len(idx.top_boxes)
    assert idx.bytes_read < idx.file_size / 50


@needs_ffmpeg
def test_rotation_from_display_matrix(clips):
    # the sign of -display_rotation has changed across FFmpeg versions: ffprobe says which
    v = _track(read_index(clips["rot"]), "v")
    (side,) = _ffprobe_json(clips["rot"], "-show_streams", "-select_streams", "v")["streams"][0][
        "side_data_list"
    ]
    assert v.rotation in (90, 270) and v.rotation == round(side["rotation"]) % 360


@needs_ffmpeg
@pytest.mark.parametrize(("name", "pix_fmt"), [("hevc10", "yuv420p10le"), ("hevc444", "yuv444p")])
def test_hevc_pixel_format_from_hvcc(variant, name, pix_fmt):
    # read from the hvcC record, so an HEVC MP4 is checked in full without ffprobe
    v = _track(read_index(variant(name)), "v")
    assert v.pix_fmt == pix_fmt and not v.issues
    assert _ffprobe_json(variant(name), "-show_streams")["streams"][0]["pix_fmt"] == pix_fmt


@needs_ffmpeg
@pytest.mark.parametrize(
    ("name", "profile", "pix_fmt", "frame_mbs_only"),
    [
        ("high10", "High 10", "yuv420p10le", True),
        ("yuv444", "High 4:4:4 Predictive", "yuv444p", True),
        ("yuv422", "High 4:2:2", "yuv422p", True),
        ("interlaced", "Main", "yuv420p", False),  # ultrafast: no 8x8 transform
        ("baseline", "Constrained Baseline", "yuv420p", True),
    ],
)
def test_sps_fields_match_ffprobe(variant, name, profile, pix_fmt, frame_mbs_only):
    path = variant(name)
    v = _track(read_index(path), "v")
    fv = _ffprobe_json(path, "-show_streams")["streams"][0]
    assert avc_profile_name(v.avc_profile, v.avc_constraints) == fv["profile"] == profile
    assert v.pix_fmt == fv["pix_fmt"] == pix_fmt
    assert v.avc_frame_mbs_only is frame_mbs_only
    assert (v.sps_width, v.sps_height) == (fv["width"], fv["height"])
    assert not v.issues


@needs_ffmpeg
def test_sar_and_cropping(variant):
    v = _track(read_index(variant("sar43")), "v")
    assert v.sar == (4, 3) and v.vui_sar == (4, 3)
    c = _track(read_index(variant("cropped")), "v")
    assert (c.sps_width, c.sps_height) == (130, 70)


@needs_ffmpeg
@pytest.mark.parametrize(
    ("name", "aot", "profile", "rate", "channels"),
    [("aac_main", 1, "Main", 44100, 1), ("aac_6ch", 2, "LC", 32000, 6)],
)
def test_audio_config_matches_ffprobe(variant, name, aot, profile, rate, channels):
    system_ffprobe()  # first: FFmpeg 8 and later (the wheel's) encode no AAC Main
    path = variant(name)
    a = _track(read_index(path), "a")
    fa = _ffprobe_json(path, "-show_streams")["streams"][0]
    assert a.aac_object_type == aot and fa["profile"] == profile
    assert a.aac_sample_rate == int(fa["sample_rate"]) == rate
    assert a.aac_channels == fa["channels"] == channels


# --- box rewriting: the same samples in other box forms ----------------------------------

CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"mvex"}


def _parse(data: bytes) -> list:
    out, pos = [], 0
    while pos < len(data):
        size, typ = struct.unpack_from(">I4s", data, pos)
        body = data[pos + 8 : pos + size]
        out.append([typ, _parse(body) if typ in CONTAINERS else body])
        pos += size
    return out


def _build(tree: list) -> bytes:
    return b"".join(box(t, _build(b) if isinstance(b, list) else b) for t, b in tree)


def _walk(tree: list):
    for node in tree:
        yield node
        if isinstance(node[1], list):
            yield from _walk(node[1])


def _rewrite_moov_at_end(src: Path, dst: Path, fn) -> None:
    """Rewrite the trailing moov of a moov-at-end file; media offsets do not move."""
    data = src.read_bytes()
    top, pos = [], 0
    while pos < len(data):
        size, typ = struct.unpack_from(">I4s", data, pos)
        top.append((typ, pos, size))
        pos += size
    typ, at, size = top[-1]
    assert typ == b"moov"
    tree = _parse(data[at + 8 : at + size])
    fn(tree)
    dst.write_bytes(data[:at] + box(b"moov", _build(tree)))


def _to_co64_and_stz2(tree: list) -> None:
    for node in _walk(tree):
        if node[0] == b"stco":
            n = struct.unpack_from(">I", node[1], 4)[0]
            offs = struct.unpack_from(f">{n}I", node[1], 8)
            node[0], node[1] = b"co64", node[1][:8] + struct.pack(f">{n}Q", *offs)
        elif node[0] == b"stsz":
            _, n = struct.unpack_from(">II", node[1], 4)
            sizes = struct.unpack_from(f">{n}I", node[1], 12)
            if max(sizes) < 65536:  # the audio track
                body = struct.pack(">I3xBI", 0, 16, n) + struct.pack(f">{n}H", *sizes)
                node[0], node[1] = b"stz2", body


@needs_ffmpeg
def test_co64_and_stz2_read_the_same(clips, tmp_path):
    out = tmp_path / "co64.mp4"
    _rewrite_moov_at_end(clips["end"], out, _to_co64_and_stz2)
    assert b"stz2" in out.read_bytes() and b"co64" in out.read_bytes()
    a, b = read_index(clips["end"]), read_index(out)
    for ta, tb in zip(a.tracks, b.tracks, strict=True):
        assert ta.sizes == tb.sizes and ta.offsets == tb.offsets
        assert ta.durations == tb.durations


@needs_ffmpeg
def test_largesize_mdat(clips, tmp_path):
    """ffmpeg leaves an 8-byte 'free' before mdat: turn both into a 64-bit mdat header."""
    data = clips["end"].read_bytes()
    i = data.index(b"free") - 4
    size = struct.unpack_from(">I", data, i + 8)[0]
    assert data[i + 12 : i + 16] == b"mdat"
    out = tmp_path / "large.mp4"
    out.write_bytes(data[:i] + struct.pack(">I4sQ", 1, b"mdat", size + 8) + data[i + 16 :])
    a, b = read_index(clips["end"]), read_index(out)
    assert ("mdat", i, size + 8) in b.top_boxes
    assert [t.offsets for t in a.tracks] == [t.offsets for t in b.tracks]


@needs_ffmpeg
def test_size_zero_mdat_runs_to_eof(clips, tmp_path):
    data = clips["plain"].read_bytes()
    i = data.rindex(b"mdat") - 4
    out = tmp_path / "zero.mp4"
    out.write_bytes(data[:i] + struct.pack(">I", 0) + data[i + 4 :])
    idx = read_index(out)
    assert idx.top_boxes[-1] == ("mdat", i, len(data) - i)
    assert not idx.truncated and idx.tracks[0].sizes == read_index(clips["plain"]).tracks[0].sizes


# --- truncation ---------------------------------------------------------------------------


@needs_ffmpeg
def test_truncated_faststart_counts_missing_samples(clips, tmp_path):
    data = clips["plain"].read_bytes()
    cut = len(data) // 2
    out = tmp_path / "half.mp4"
    out.write_bytes(data[:cut])
    idx = read_index(out)
    assert idx.truncated and "mdat_past_eof" in idx.issues
    v, a = _track(idx, "v"), _track(idx, "a")
    assert v.sample_count == 75 and v.samples_past_eof > 0 and a.samples_past_eof > 0
    # the mdat holds nothing but samples, so every byte cut off is a missing sample byte
    assert v.bytes_missing + a.bytes_missing == len(data) - cut
    inside = sum(1 for o, s in zip(v.offsets, v.sizes, strict=True) if o + s <= cut)
    assert v.samples_past_eof == v.sample_count - inside


@needs_ffmpeg
def test_truncation_counts_equal_every_sample_checked(clips, tmp_path):
    """The truncation check looks at whole chunks near the end only; at any cut its
    counts equal those of checking offset + size <= file size for every sample."""
    data = clips["plain"].read_bytes()
    full = read_index(clips["plain"])
    moov_end = max(at + size for typ, at, size in full.top_boxes if typ == "moov")
    cuts = {len(data) - d for d in (0, 1, 2, 100, 1000, 5000)}
    cuts |= {moov_end + (len(data) - moov_end) * k // 13 for k in range(13)}
    out = tmp_path / "cut.mp4"
    for cut in sorted(c for c in cuts if c >= moov_end):
        out.write_bytes(data[:cut])
        idx = read_index(out)
        for tr in idx.tracks:
            past = [(o, s) for o, s in zip(tr.offsets, tr.sizes, strict=True) if o + s > cut]
            assert tr.samples_past_eof == len(past), cut
            assert tr.bytes_missing == sum(s if o >= cut else o + s - cut for o, s in past)


@given(
    st.lists(st.integers(0, 2**32 - 1), max_size=300),
    st.integers(-10, 2**33),
    st.sampled_from(["I", "q"]),
    st.booleans(),
)
def test_indexes_above_and_max_bound_are_exact(values, limit, code, negatives):
    from array import array

    from mediacheck.mp4.reader import _indexes_above, _max_bound

    if code == "q" and negatives:
        values = [v - 2**31 for v in values] + [-(2**62), 2**62]
    a = array(code, values)
    if limit >= 0:
        assert _indexes_above(a, limit) == [i for i, v in enumerate(a) if v > limit or v < 0]
    if code == "I":
        assert _max_bound(a) > max(values, default=0)


@needs_ffmpeg
def test_truncated_moov_at_end_is_no_moov(clips, tmp_path):
    data = clips["end"].read_bytes()
    out = tmp_path / "half_end.mp4"
    out.write_bytes(data[: len(data) // 2])
    with pytest.raises(Mp4Error) as e:
        read_index(out)
    assert e.value.code == "no_moov" and "cut off" in e.value.detail


@needs_ffmpeg
def test_truncated_fragmented_keeps_earlier_fragments(clips, tmp_path):
    data = clips["frag"].read_bytes()
    cut = int(len(data) * 0.6)
    out = tmp_path / "frag_cut.mp4"
    out.write_bytes(data[:cut])
    idx = read_index(out)
    assert idx.truncated
    assert 0 < _track(idx, "v").sample_count <= 75


# --- hand-built files ---------------------------------------------------------------------


def box(typ: bytes, payload: bytes = b"") -> bytes:
    return struct.pack(">I4s", 8 + len(payload), typ) + payload


def fbox(typ: bytes, payload: bytes = b"", version: int = 0, flags: int = 0) -> bytes:
    return box(typ, struct.pack(">I", (version << 24) | flags) + payload)


FTYP = box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2avc1mp41")
MATRIX = struct.pack(">9i", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)


def mvhd(timescale: int = 1000, duration: int = 0) -> bytes:
    body = struct.pack(">IIII", 0, 0, timescale, duration) + struct.pack(">IH10x", 0x10000, 0x100)
    return fbox(b"mvhd", body + MATRIX + bytes(24) + struct.pack(">I", 3))


def tkhd(track_id: int) -> bytes:
    body = struct.pack(">IIII4x", 0, 0, track_id, 0) + bytes(8) + struct.pack(">hhh2x", 0, 0, 0)
    return fbox(b"tkhd", body + MATRIX + struct.pack(">II", 64 << 16, 48 << 16), flags=3)


def mdhd(timescale: int, duration: int) -> bytes:
    return fbox(b"mdhd", struct.pack(">IIIIHH", 0, 0, timescale, duration, 0x55C4, 0))


def hdlr(handler: bytes) -> bytes:
    return fbox(b"hdlr", struct.pack(">I4s12x", 0, handler) + b"\0")


def avc1() -> bytes:
    return box(b"avc1", bytes(6) + struct.pack(">H16xHH", 1, 64, 48) + bytes(50))


def mp4a(asc: bytes) -> bytes:
    dsi = bytes([0x05, len(asc)]) + asc
    dcd = bytes([0x04, 13 + len(dsi), 0x40, 0x15]) + bytes(3) + struct.pack(">II", 0, 0) + dsi
    esd = bytes([0x03, 3 + len(dcd)]) + struct.pack(">HB", 1, 0) + dcd
    entry = bytes(6) + struct.pack(">H8xHHHHI", 1, 2, 16, 0, 0, 48000 << 16)
    return box(b"mp4a", entry + fbox(b"esds", esd))


def stbl_boxes(sizes, stts, chunk_offset, *, stsz=None, stsd=None, extra=b"") -> bytes:
    n = len(sizes)
    stsd = stsd if stsd is not None else fbox(b"stsd", struct.pack(">I", 1) + avc1())
    if stsz is None:
        stsz = fbox(b"stsz", struct.pack(">II", 0, n) + struct.pack(f">{n}I", *sizes))
    return (
        stsd
        + fbox(
            b"stts", struct.pack(">I", len(stts)) + b"".join(struct.pack(">II", *e) for e in stts)
        )
        + fbox(b"stsc", struct.pack(">IIII", 1, 1, max(n, 1), 1))
        + stsz
        + fbox(b"stco", struct.pack(">II", 1, chunk_offset))
        + extra
    )


def synth(
    sizes=(100,) * 10,
    stts=((10, 512),),
    *,
    timescale=12800,
    duration=None,
    handler=b"vide",
    elst=None,
    stsz=None,
    stsd=None,
    extra_stbl=b"",
) -> bytes:
    """ftyp + moov (one track, one chunk) + mdat holding the samples."""

    def moov(chunk_offset: int) -> bytes:
        stbl = box(
            b"stbl",
            stbl_boxes(sizes, stts, chunk_offset, stsz=stsz, stsd=stsd, extra=extra_stbl),
        )
        dur = min(sum(c * d for c, d in stts), 0xFFFFFFFF) if duration is None else duration
        mdia = box(b"mdia", mdhd(timescale, dur) + hdlr(handler) + box(b"minf", stbl))
        edts = b""
        if elst is not None:
            entries = b"".join(struct.pack(">Iihh", d, t, 1, 0) for d, t in elst)
            edts = box(b"edts", fbox(b"elst", struct.pack(">I", len(elst)) + entries))
        return box(b"moov", mvhd() + box(b"trak", tkhd(1) + edts + mdia))

    start = len(FTYP) + len(moov(0)) + 8
    return FTYP + moov(start) + box(b"mdat", bytes(sum(sizes)))


def _write(tmp_path: Path, data: bytes, name: str = "x.mp4") -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def _error(path: Path) -> Mp4Error:
    with pytest.raises(Mp4Error) as e:
        read_index(path)
    assert e.value.detail or e.value.code in ("empty_file",)
    return e.value


def test_synthetic_file_reads(tmp_path):
    idx = read_index(_write(tmp_path, synth()))
    (tr,) = idx.tracks
    assert tr.sample_count == 10 and list(tr.sizes) == [100] * 10
    assert tr.offsets[1] - tr.offsets[0] == 100
    assert tr.offsets[-1] + 100 == idx.file_size
    assert tr.duration_ticks == 5120 and not tr.issues and tr.language == "und"


def test_empty_file(tmp_path):
    assert _error(_write(tmp_path, b"")).code == "empty_file"


def test_text_file(tmp_path):
    p = _write(tmp_path, "这不是视频 — just some notes.\n".encode() * 20, "notes.mp4")
    assert _error(p).code == "not_isobmff"


def test_missing_file(tmp_path):
    assert _error(tmp_path / "nope.mp4").code == "io_error"


def test_no_moov(tmp_path):
    p = _write(tmp_path, FTYP + box(b"free") + box(b"mdat", bytes(1000)))
    err = _error(p)
    assert err.code == "no_moov" and "cut off" not in err.detail


def test_moov_past_eof(tmp_path):
    data = synth()
    i = data.index(b"moov") - 4
    size = struct.unpack_from(">I", data, i)[0]
    bad = data[:i] + struct.pack(">I", size + 10**6) + data[i + 4 :]
    assert _error(_write(tmp_path, bad)).code == "box_past_eof"


def test_child_box_past_its_parent(tmp_path):
    data = synth()
    i = data.index(b"stts") - 4
    bad = data[:i] + struct.pack(">I", 5000) + data[i + 4 :]
    err = _error(_write(tmp_path, bad))
    assert err.code == "bad_box" and "stts" in err.detail


@pytest.mark.parametrize("size", [4, 7])
def test_box_smaller_than_its_header(tmp_path, size):
    data = synth()
    i = data.index(b"trak") - 4
    bad = data[:i] + struct.pack(">I", size) + data[i + 4 :]
    err = _error(_write(tmp_path, bad))
    assert err.code == "bad_box" and "smaller than" in err.detail
    top = FTYP + struct.pack(">I4s", size, b"free") + bytes(100)
    assert _error(_write(tmp_path, top, "top.mp4")).code == "bad_box"


def test_size_zero_moov_at_end(tmp_path):
    data = synth()
    i, j = data.index(b"moov") - 4, data.index(b"mdat") - 4
    moov, mdat = data[i:j], data[j:]
    # media first, then a size-0 moov running to EOF; chunk offset moves with the mdat
    moov = moov.replace(struct.pack(">II", 1, j + 8), struct.pack(">II", 1, i + 8))
    out = data[:i] + mdat + struct.pack(">I", 0) + moov[4:]
    idx = read_index(_write(tmp_path, out))
    assert not idx.moov_before_mdat and idx.tracks[0].offsets[0] == i + 8
    assert idx.top_boxes[-1][2] == len(out) - idx.top_boxes[-1][1]


def test_largesize_top_level_box(tmp_path):
    data = synth()
    i = data.index(b"mdat") - 4
    n = len(data) - i
    out = data[:i] + struct.pack(">I4sQ", 1, b"mdat", n + 8) + data[i + 8 :]
    idx = read_index(_write(tmp_path, out))
    assert idx.top_boxes[-1] == ("mdat", i, n + 8)
    assert idx.tracks[0].samples_past_eof == 0  # the offsets point 8 bytes early: still inside


def test_absurd_stsz_count_does_not_allocate(tmp_path):
    stsz = fbox(b"stsz", struct.pack(">II", 0, 0xFFFFFFFF) + struct.pack(">4I", 1, 2, 3, 4))
    p = _write(tmp_path, synth(stsz=stsz))
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        err = _error(p)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert err.code == "bad_box" and "4294967295" in err.detail
    assert peak < 5_000_000 and time.perf_counter() - t0 < 1


def test_absurd_uniform_sample_count_is_flagged_not_allocated(tmp_path):
    stsz = fbox(b"stsz", struct.pack(">II", 100, 0xFFFFFFF0))
    p = _write(tmp_path, synth(stsz=stsz, stts=((0xFFFFFFF0, 512),)))
    tracemalloc.start()
    try:
        idx = read_index(p)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert "too_many_samples" in idx.tracks[0].issues and idx.tracks[0].sample_count == 0
    assert peak < 5_000_000


def test_run_length_counts_are_clipped_to_the_sample_count(tmp_path):
    # stts claims 4 billion samples for a track of 10
    idx = read_index(_write(tmp_path, synth(stts=((0xFFFFFFFF, 512), (5, 256)))))
    tr = idx.tracks[0]
    assert len(tr.durations) == 10 and set(tr.durations) == {512}
    assert "stts_count_mismatch" in tr.issues


def test_zero_duration_track(tmp_path):
    idx = read_index(_write(tmp_path, synth(stts=((10, 0),), duration=0)))
    tr = idx.tracks[0]
    assert "zero_duration" in tr.issues and "mdhd_zero_duration" in tr.issues
    ft = sampling.frame_timing(tr.durations, tr.timescale)
    assert ft.average_fps is None and not ft.constant and ft.zero_duration_frames == 10


def test_empty_edit_delays_the_track(tmp_path):
    # 500 ms of nothing (movie timescale 1000), then the media from time 0
    idx = read_index(_write(tmp_path, synth(elst=[(500, -1), (400, 0)])))
    tr = idx.tracks[0]
    assert "empty_edit" in tr.issues
    assert tr.edit_delay == 6400  # 0.5 s at 12800
    assert tr.presentation_times()[0] == 6400


def test_edit_list_with_only_an_empty_edit_and_no_entries(tmp_path):
    idx = read_index(_write(tmp_path, synth(elst=[(500, -1)])))
    assert "edit_list_only_empty" in idx.tracks[0].issues
    idx = read_index(_write(tmp_path, synth(elst=[]), "none.mp4"))
    assert "empty_edit_list" in idx.tracks[0].issues


@pytest.mark.parametrize("bits", [4, 8, 16])
def test_stz2_field_sizes(tmp_path, bits):
    sizes = [3, 15, 0, 7, 9] if bits == 4 else [200, 13, 255, 1, 77]
    if bits == 4:
        packed = bytes((sizes[i] << 4) | (sizes[i + 1] if i + 1 < 5 else 0) for i in (0, 2, 4))
    else:
        packed = struct.pack(f">5{'B' if bits == 8 else 'H'}", *sizes)
    stz2 = fbox(b"stz2", struct.pack(">3xBI", bits, 5) + packed)
    idx = read_index(_write(tmp_path, synth(sizes=sizes, stts=((5, 512),), stsz=stz2)))
    tr = idx.tracks[0]
    assert list(tr.sizes) == sizes
    assert list(tr.offsets) == [tr.offsets[0] + sum(sizes[:i]) for i in range(5)]


def test_he_aac_object_type(tmp_path):
    # AOT 5 (SBR), core 24 kHz (index 6), stereo, extension 48 kHz (3), then AOT 2
    bits = "00101" + "0110" + "0010" + "0011" + "00010"
    asc = int(bits.ljust(24, "0"), 2).to_bytes(3, "big")
    stsd = fbox(b"stsd", struct.pack(">I", 1) + mp4a(asc))
    data = synth(sizes=(10,) * 4, stts=((4, 1024),), timescale=48000, handler=b"soun", stsd=stsd)
    tr = read_index(_write(tmp_path, data)).tracks[0]
    assert tr.codec == "mp4a" and tr.aac_object_type == 5
    assert tr.aac_sample_rate == 24000 and tr.aac_channels == 2 and tr.sample_rate == 48000


def test_deep_nesting_is_harmless(tmp_path):
    inner = box(b"trak")
    for _ in range(5000):
        inner = box(b"trak", inner)
    data = FTYP + box(b"moov", mvhd() + inner)
    t0 = time.perf_counter()
    idx = read_index(_write(tmp_path, data))
    assert time.perf_counter() - t0 < 1
    assert idx.tracks[0].sample_count == 0


def test_no_tracks_is_flagged(tmp_path):
    idx = read_index(_write(tmp_path, FTYP + box(b"moov", mvhd())))
    assert idx.tracks == [] and "no_tracks" in idx.issues


# --- fragments ----------------------------------------------------------------------------

TREX_V = fbox(b"trex", struct.pack(">5I", 1, 1, 512, 0, 0x01010000))  # default: non-sync
TREX_A = fbox(b"trex", struct.pack(">5I", 2, 1, 1024, 0, 0x02000000))
V_SIZES, A_SIZES = [100, 50, 60, 70], [10, 11, 12]


def frag_file(mode: str) -> tuple[bytes, int]:
    """Two tracks in one moof, data offsets expressed in one of the ways the spec allows.

    Returns the file and the offset where the mdat payload starts.
    """

    def moof(payload: int, moof_at: int) -> bytes:
        v_at, a_at = payload, payload + sum(V_SIZES)
        fl_v = fl_a = 0
        tf_v, tf_a = b"", b""
        if mode == "explicit":
            fl_v = fl_a = 0x1
            tf_v, tf_a = struct.pack(">Q", v_at), struct.pack(">Q", a_at)
        elif mode == "moof":
            fl_v = fl_a = 0x20000
        # video: first-sample-flags, per-sample duration/size/cto, in two runs
        run1 = struct.pack(">iI", v_at - (0 if mode == "explicit" else moof_at), 0x02000000)
        if mode == "explicit":
            run1 = struct.pack(">iI", 0, 0x02000000)
        per = [(512, 100, 1024), (512, 50, -512)]
        trun1 = fbox(
            b"trun",
            struct.pack(">I", 2) + run1 + b"".join(struct.pack(">IIi", *x) for x in per),
            version=1,
            flags=0x1 | 0x4 | 0x100 | 0x200 | 0x800,
        )
        trun2 = fbox(  # no data offset: continues after run 1; sizes only, trex duration
            b"trun",
            struct.pack(">I", 2) + struct.pack(">II", 60, 70),
            version=1,
            flags=0x200,
        )
        traf_v = box(
            b"traf",
            fbox(b"tfhd", struct.pack(">I", 1) + tf_v, flags=fl_v)
            + fbox(b"tfdt", struct.pack(">Q", 1000), version=1)
            + trun1
            + trun2,
        )
        # audio: per-sample sizes and flags; data offset only when the base is not implied
        a_flags = 0x200 | 0x400
        head = struct.pack(">I", 3)
        if mode == "moof":
            a_flags |= 0x1
            head += struct.pack(">i", a_at - moof_at)
        traf_a = box(
            b"traf",
            fbox(b"tfhd", struct.pack(">I", 2) + tf_a, flags=fl_a)
            + fbox(
                b"trun",
                head + b"".join(struct.pack(">II", s, 0x02000000) for s in A_SIZES),
                flags=a_flags,
            ),
        )
        return box(b"moof", fbox(b"mfhd", struct.pack(">I", 1)) + traf_v + traf_a)

    def trak(tid: int, handler: bytes, ts: int) -> bytes:
        stbl = box(
            b"stbl",
            fbox(
                b"stsd",
                struct.pack(">I", 1) + (avc1() if handler == b"vide" else mp4a(b"\x11\x90")),
            )
            + fbox(b"stts", struct.pack(">I", 0))
            + fbox(b"stsc", struct.pack(">I", 0))
            + fbox(b"stsz", struct.pack(">II", 0, 0))
            + fbox(b"stco", struct.pack(">I", 0)),
        )
        mdia = box(b"mdia", mdhd(ts, 0) + hdlr(handler) + box(b"minf", stbl))
        return box(b"trak", tkhd(tid) + mdia)

    moov = box(
        b"moov",
        mvhd() + trak(1, b"vide", 12800) + trak(2, b"soun", 48000) + box(b"mvex", TREX_V + TREX_A),
    )
    moof_at = len(FTYP) + len(moov)
    size = len(moof(0, moof_at))
    payload = moof_at + size + 8
    data = FTYP + moov + moof(payload, moof_at)
    data += box(b"mdat", bytes(sum(V_SIZES) + sum(A_SIZES)))
    return data, payload


@pytest.mark.parametrize("mode", ["explicit", "moof", "implicit"])
def test_fragment_offsets_defaults_and_flags(tmp_path, mode):
    data, payload = frag_file(mode)
    idx = read_index(_write(tmp_path, data))
    assert idx.fragmented and idx.fragment_count == 1 and not idx.issues
    v, a = idx.tracks
    assert list(v.sizes) == V_SIZES
    assert list(v.offsets) == [payload + sum(V_SIZES[:i]) for i in range(4)]
    a_at = payload + sum(V_SIZES)
    assert list(a.offsets) == [a_at + sum(A_SIZES[:i]) for i in range(3)]
    assert list(v.durations) == [512] * 4  # trun, then trex default
    assert list(a.durations) == [1024] * 3  # trex default
    assert list(v.cts_offsets) == [1024, -512, 0, 0]
    assert list(v.decode_times()) == [1000, 1512, 2024, 2536]
    assert list(v.sync_samples) == [0]  # first-sample-flags sync, trex default non-sync
    assert a.sync_samples is None  # every sample sync
    assert a.aac_object_type == 2 and a.aac_sample_rate == 48000
    assert v.samples_past_eof == a.samples_past_eof == 0


def test_fragment_for_unknown_track_is_flagged(tmp_path):
    data, _ = frag_file("moof")
    i = data.index(b"tfhd") + 8
    data = data[:i] + struct.pack(">I", 9) + data[i + 4 :]
    idx = read_index(_write(tmp_path, data))
    assert "fragment_for_unknown_track" in idx.issues


def test_trun_count_without_table_is_bounded(tmp_path):
    data, _ = frag_file("moof")
    i = data.rindex(b"trun") + 4
    # the audio trun, flags cleared to 'no per-sample fields', count 4 billion
    data = data[:i] + struct.pack(">II", 0x1, 0xFFFFFFFF) + data[i + 8 :]
    assert _error(_write(tmp_path, data)).code == "bad_box"


# --- fuzzing ------------------------------------------------------------------------------


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
        _ffmpeg(*src, "-movflags", flags, f"file:{p}")
        out[name] = p.read_bytes()
    return out


def _index_region(data: bytes) -> tuple[int, int]:
    """Byte range holding the moov and moofs (all before the first mdat payload here)."""
    end = data.index(b"mdat") + 4
    return 0, end


def _read_and_use(path: Path) -> None:
    """Read, then use the result the way the prober will: only Mp4Error may escape."""
    try:
        idx = read_index(path)
    except Mp4Error as e:
        assert e.code
        return
    for tr in idx.tracks:
        assert len(tr.offsets) == len(tr.sizes) == len(tr.durations)
        if tr.cts_offsets is not None:
            assert len(tr.cts_offsets) == tr.sample_count
        if tr.timescale and tr.sample_count:
            pts = tr.presentation_times()
            sampling.frame_timing(tr.durations, tr.timescale)
            # corrupt timestamps spanning days are reported, not measured
            with contextlib.suppress(sampling.SpanError):
                sampling.bitrate_stats(tr.sizes, pts, tr.durations, tr.timescale)


FUZZ = settings(
    max_examples=120,
    deadline=3000,  # generous for a loaded CI box; each example is a few ms
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)


@needs_ffmpeg
@FUZZ
@given(
    which=st.sampled_from(["fast", "frag"]),
    edits=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)),
        min_size=1,
        max_size=12,
    ),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_fuzz_mutated_real_file(tiny, tmp_path_factory, which, edits, cut):
    data = bytearray(tiny[which])
    lo, hi = _index_region(bytes(data))
    for where, value in edits:
        data[lo + int(where * (hi - lo))] = value
    if cut is not None:
        data = data[: int(len(data) * cut)]
    path = tmp_path_factory.getbasetemp() / f"fuzz_{which}.mp4"
    path.write_bytes(bytes(data))
    t0 = time.perf_counter()
    _read_and_use(path)
    assert time.perf_counter() - t0 < 1


_TYPE_NAMES = """
    moov trak mdia minf stbl stsd stsz stz2 stts ctts stsc stco co64 stss edts elst tkhd mdhd
    hdlr mvhd mvex trex moof traf tfhd tfdt trun mfhd mdat free avc1 avcC mp4a esds wave pasp
    ftyp
"""
BOX_TYPES = [t.encode() for t in _TYPE_NAMES.split()]


@st.composite
def soup(draw, depth: int = 0) -> bytes:
    out = b""
    for _ in range(draw(st.integers(0, 4 if depth else 6))):
        typ = draw(st.sampled_from(BOX_TYPES))
        if depth < 6 and draw(st.booleans()):
            body = draw(soup(depth + 1))
        else:
            body = draw(st.binary(max_size=48))
        size = draw(st.sampled_from(["ok", "ok", "ok", 0, 1, 3, "big"]))
        if size == "ok":
            out += box(typ, body)
        elif size == 1:
            out += struct.pack(">I4sQ", 1, typ, draw(st.integers(0, 2**64 - 1))) + body
        elif size == "big":
            out += struct.pack(">I4s", draw(st.integers(9, 2**32 - 1)), typ) + body
        else:
            out += struct.pack(">I4s", size, typ) + body
    return out


@FUZZ
@given(body=soup())
def test_fuzz_box_soup(tmp_path_factory, body):
    path = tmp_path_factory.getbasetemp() / "soup.mp4"
    path.write_bytes(FTYP + body)
    t0 = time.perf_counter()
    _read_and_use(path)
    assert time.perf_counter() - t0 < 1


@FUZZ
@given(
    sizes=st.lists(st.integers(0, 2000), min_size=1, max_size=30),
    counts=st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=4),
    delta=st.integers(0, 2**32 - 1),
)
def test_fuzz_table_values(tmp_path_factory, sizes, counts, delta):
    stts = tuple((c, delta) for c in counts)
    path = tmp_path_factory.getbasetemp() / "tables.mp4"
    path.write_bytes(synth(sizes=tuple(sizes), stts=stts, duration=0))
    _read_and_use(path)
