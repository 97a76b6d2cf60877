"""Shared helpers of the MP4 reader's tests: ffmpeg/ffprobe runners, the clip recipes,
and builders of hand-made boxes and files (importable: pytest puts this folder on the path)."""

from __future__ import annotations

import contextlib
import json
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from toolcheck import system_ffprobe

from mediacheck.model import Facts
from mediacheck.mp4 import Mp4Error, Mp4Index, read_index
from mediacheck.probe import sampling
from mediacheck.probe.mp4 import index_facts

FFMPEG = shutil.which("ffmpeg")
FFPROBE = shutil.which("ffprobe")
needs_ffmpeg = pytest.mark.skipif(not (FFMPEG and FFPROBE), reason="needs ffmpeg and ffprobe")


# --- real clips ---------------------------------------------------------------------------


def run_ffmpeg(*args: str) -> None:
    assert FFMPEG
    subprocess.run(
        [FFMPEG, "-v", "error", "-nostdin", "-y", *args],
        check=True,
        timeout=180,
        capture_output=True,
    )


def ffprobe_json(path: Path, *args: str) -> dict:
    out = subprocess.run(
        [system_ffprobe(), "-v", "error", *args, "-of", "json", f"file:{path}"],
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def ffprobe_packets(path: Path, stream: str) -> list[dict]:
    return ffprobe_json(
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


SMALL = ["-f", "lavfi", "-i", "testsrc2=size=128x72:rate=25:duration=0.4"]
VARIANTS = {
    "high10": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le"],
    "yuv444": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p"],
    "yuv422": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv422p"],
    "interlaced": ["-c:v", "libx264", "-preset", "ultrafast", "-flags", "+ildct+ilme"],
    "sar43": ["-c:v", "libx264", "-preset", "ultrafast", "-vf", "setsar=4/3"],
    "baseline": ["-c:v", "libx264", "-preset", "ultrafast", "-profile:v", "baseline"],
    "cropped": ["-c:v", "libx264", "-preset", "ultrafast", "-vf", "scale=130:70"],
}
AUDIO_VARIANTS = {
    "aac_main": ["-c:a", "aac", "-profile:a", "aac_main", "-ar", "44100", "-ac", "1"],
    "aac_6ch": ["-c:a", "aac", "-ac", "6", "-ar", "32000"],
    "flac": ["-c:a", "flac", "-strict", "-2", "-ac", "2", "-ar", "44100"],  # dfLa
    "alac": ["-c:a", "alac", "-ac", "1", "-ar", "32000"],  # alac
    "pcm": ["-c:a", "pcm_s16le", "-ac", "1", "-ar", "22050", "-f", "mov"],  # sowt
}


def one_track(idx: Mp4Index, kind: str):
    tracks = idx.video_tracks if kind == "v" else idx.audio_tracks
    assert len(tracks) == 1
    return tracks[0]


# --- box trees: rewrite the boxes of a real file ---------------------------------------

CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"mvex"}


def parse_boxes(data: bytes) -> list:
    out, pos = [], 0
    while pos < len(data):
        size, typ = struct.unpack_from(">I4s", data, pos)
        body = data[pos + 8 : pos + size]
        out.append([typ, parse_boxes(body) if typ in CONTAINERS else body])
        pos += size
    return out


def build_boxes(tree: list) -> bytes:
    return b"".join(box(t, build_boxes(b) if isinstance(b, list) else b) for t, b in tree)


def walk_boxes(tree: list):
    for node in tree:
        yield node
        if isinstance(node[1], list):
            yield from walk_boxes(node[1])


def rewrite_moov_at_end(src: Path, dst: Path, fn) -> None:
    """Rewrite the trailing moov of a moov-at-end file; media offsets do not move."""
    data = src.read_bytes()
    top, pos = [], 0
    while pos < len(data):
        size, typ = struct.unpack_from(">I4s", data, pos)
        top.append((typ, pos, size))
        pos += size
    typ, at, size = top[-1]
    assert typ == b"moov"
    tree = parse_boxes(data[at + 8 : at + size])
    fn(tree)
    dst.write_bytes(data[:at] + box(b"moov", build_boxes(tree)))


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


def audio_entry(fourcc: bytes, *children: bytes, channels: int = 2, rate: int = 48000) -> bytes:
    """An audio sample entry (version 0) holding `children` (configuration boxes)."""
    head = bytes(6) + struct.pack(">H8xHHHHI", 1, channels, 16, 0, 0, rate << 16)
    return box(fourcc, head + b"".join(children))


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


def write_file(tmp_path: Path, data: bytes, name: str = "x.mp4") -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def read_error(path: Path) -> Mp4Error:
    with pytest.raises(Mp4Error) as e:
        read_index(path)
    assert e.value.detail or e.value.code in ("empty_file",)
    return e.value


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


def read_and_use(path: Path) -> None:
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
    # and the facts, as the prober makes them (what plays, codec outputs, truncation)
    index_facts(idx, Facts(path=path, kind="video"))
