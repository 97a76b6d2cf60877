"""Deterministic synthetic lesson clips, made with ffmpeg from lavfi sources.

Used by the test fixtures (fixtures/make_fixtures.py) and by `mediacheck demo`. A
`ClipSpec` describes one clip; `make_clip` renders it. Same spec + same ffmpeg build ->
same bytes: metadata is stripped, muxer and encoders run in bitexact mode, noise sources
have fixed seeds and encoders run single-threaded (x264 with VBV and two frame threads
gave different bytes on two runs).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import ffmpeg

from mediacheck import tools

__all__ = [
    "COMPLIANT",
    "ClipSpec",
    "SampleError",
    "build_command",
    "ffmpeg_version",
    "make_clip",
    "with_changes",
]

AUDIO_CONTENTS = ("noise", "tone", "silence-gated", "varied")
_LAYOUTS = {1: "mono", 2: "stereo", 6: "5.1"}


class SampleError(RuntimeError):
    """ffmpeg is missing or could not render a clip."""


@dataclass(frozen=True)
class ClipSpec:
    """One synthetic clip. Defaults are the compliant clip; variants change one field."""

    duration: float = 4.0  # seconds
    # --- video
    video: bool = True
    width: int = 1920  # coded size; the displayed size also depends on sar and rotation
    height: int = 1080
    fps: int = 25
    vcodec: str = "libx264"  # or "libx265"
    video_bitrate: int = 3_500_000  # bit/s
    # CBR = x264 nal-hrd=cbr with minrate=maxrate=b and a half-second buffer (filler
    # NALs pad the stream, so the measured rate matches b even on easy content)
    cbr: bool = True
    pix_fmt: str = "yuv420p"
    interlaced: bool = False  # interlaced encoding, top field first, field order flagged
    rotation: int = 0  # display-matrix rotation, degrees clockwise (90 -> shows portrait)
    sar: tuple[int, int] = (1, 1)
    gop: int = 50  # 2 s keyframe interval, so a fragmented file has several fragments
    # variable frame rate: frames 20/40/60 ms apart, averaging 1/fps
    vfr: bool = False
    # superfast still gives High profile (ultrafast: Constrained Baseline) at half the
    # cost of veryfast
    preset: str = "superfast"
    # one encoder thread: x264 with VBV and frame threads is not bit-exact run to run
    threads: int = 1
    # --- audio
    audio: bool = True
    acodec: str = "aac"  # or "libmp3lame"
    sample_rate: int = 48_000
    channels: int = 2
    audio_bitrate: int | None = 128_000  # bit/s; ignored when audio_quality is set
    audio_quality: float | None = None  # -q:a, the encoder's VBR mode
    # noise: pink noise, a different seed per channel, so AAC really spends its bitrate
    # tone: 440 Hz sine
    # silence-gated: 1 s noise, 2 s digital silence, repeated (ffmpeg's AAC drops to ~2k)
    # varied: 1 s noise, 1 s tone, repeated (gives VBR something to vary on)
    audio_content: str = "noise"
    audio_duration: float | None = None  # None = same as the video
    audio_streams: int = 1
    # --- container
    container: str = "mp4"  # or "mov" (QuickTime, major brand "qt  ")
    faststart: bool = True  # moov before mdat
    fragmented: bool = False  # frag_keyframe+empty_moov+default_base_moof

    @property
    def suffix(self) -> str:
        return "." + self.container


# 1920x1080 25p H.264 High yuv420p 3.5M CBR, AAC-LC 48 kHz stereo 128k, moov first.
COMPLIANT = ClipSpec()


def ffmpeg_path() -> str:
    """The system's ffmpeg, else the FFmpeg wheel's (tools.find); ToolMissing if neither."""
    return tools.find("ffmpeg")


def ffmpeg_version() -> str:
    """The ffmpeg build's version string (part of the fixture cache key)."""
    out = subprocess.run(
        [ffmpeg_path(), "-hide_banner", "-version"],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=30,
        check=False,
    ).stdout.decode("utf-8", "replace")
    first = out.splitlines()[0] if out else ""
    return first.split(" Copyright")[0].strip()


def _ffmpeg_major() -> int:
    version = ffmpeg_version()
    m = re.match(r"ffmpeg version n?(\d+)\.", version)
    if m:
        return int(m.group(1))
    return 99 if version.startswith("ffmpeg version N-") else 0  # N-: a recent git build


def _video(spec: ClipSpec) -> ffmpeg.nodes.FilterableStream:
    # testsrc2 moves (scrolling gradient, counter), so the encoder has real work to do
    rate = spec.fps * 2 if spec.vfr else spec.fps
    v = ffmpeg.input(
        f"testsrc2=size={spec.width}x{spec.height}:rate={rate}:duration={spec.duration:g}",
        f="lavfi",
    )
    if spec.vfr:
        # keep frames n%8 in {0,2,5,7} of a 2*fps source: gaps of 2, 3, 2, 1 ticks, so
        # 4 frames per 8 ticks = fps on average; the last tick of the clip is kept, so
        # the average is exact when the clip is a whole number of 8-tick groups
        v = v.filter("select", "eq(mod(n,8),0)+eq(mod(n,8),2)+eq(mod(n,8),5)+eq(mod(n,8),7)")
    if spec.sar != (1, 1):
        v = v.filter("setsar", f"{spec.sar[0]}/{spec.sar[1]}")
    if spec.interlaced:
        v = v.filter("setfield", "tff")
    return v.filter("format", spec.pix_fmt)


def _noise(spec: ClipSpec, seed: int, duration: float) -> ffmpeg.nodes.FilterableStream:
    # pink at amplitude 0.25: loud enough to be "content", far from clipping
    return ffmpeg.input(
        f"anoisesrc=color=pink:seed={seed}:amplitude=0.25:"
        f"sample_rate={spec.sample_rate}:duration={duration:g}",
        f="lavfi",
    )


def _tone(spec: ClipSpec, duration: float) -> ffmpeg.nodes.FilterableStream:
    return ffmpeg.input(
        f"sine=frequency=440:sample_rate={spec.sample_rate}:duration={duration:g}", f="lavfi"
    ).filter("volume", 0.5)


def _audio(spec: ClipSpec, index: int) -> ffmpeg.nodes.FilterableStream:
    duration = spec.duration if spec.audio_duration is None else spec.audio_duration
    if spec.channels not in _LAYOUTS:
        raise SampleError(f"unsupported channel count {spec.channels}")
    layout = _LAYOUTS[spec.channels]
    seed0 = 1000 + 100 * index  # fixed seeds; each stream and channel its own noise

    def noise() -> ffmpeg.nodes.FilterableStream:
        chans = [_noise(spec, seed0 + c, duration) for c in range(spec.channels)]
        if len(chans) == 1:
            return chans[0]
        return ffmpeg.filter(chans, "join", inputs=len(chans), channel_layout=layout)

    def tone() -> ffmpeg.nodes.FilterableStream:
        return _tone(spec, duration).filter("aformat", channel_layouts=layout)

    content = spec.audio_content
    if content == "noise":
        a = noise()
    elif content == "tone":
        a = tone()
    elif content == "silence-gated":
        # volume=0 multiplies to exact zeros: digital silence, not just quiet
        a = noise().filter("volume", volume=0, enable="gte(mod(t,3),1)")
    elif content == "varied":
        n = noise().filter("volume", volume=0, enable="gte(mod(t,2),1)")
        t = tone().filter("volume", volume=0, enable="lt(mod(t,2),1)")
        a = ffmpeg.filter([n, t], "amix", inputs=2, normalize=0)
    else:
        raise SampleError(f"unknown audio_content {content!r}; one of {AUDIO_CONTENTS}")
    return a.filter("aformat", sample_rates=spec.sample_rate, channel_layouts=layout)


def _output_options(spec: ClipSpec) -> dict[str, object]:
    opts: dict[str, object] = {
        "f": spec.container,
        "map_metadata": -1,
        "fflags": "+bitexact",
        "threads": spec.threads,
    }
    movflags = []
    if spec.fragmented:
        movflags.append("+frag_keyframe+empty_moov+default_base_moof")
    elif spec.faststart:
        movflags.append("+faststart")
    if movflags:
        opts["movflags"] = "".join(movflags)
    if spec.video:
        vflags = "+bitexact" + ("+ildct+ilme" if spec.interlaced else "")
        opts.update(
            {
                "c:v": spec.vcodec,
                "preset": spec.preset,
                "pix_fmt": spec.pix_fmt,
                "b:v": spec.video_bitrate,
                "g": spec.gop,
                "flags:v": vflags,
            }
        )
        if spec.interlaced:
            opts["field_order"] = "tt"  # flag it in the container too, not only the SEI
        if spec.vfr:
            opts["fps_mode"] = "vfr"  # pass the select'ed timestamps through untouched
        if spec.cbr:
            opts.update(
                {
                    "minrate": spec.video_bitrate,
                    "maxrate": spec.video_bitrate,
                    # half a second of buffer, so a short clip still averages b
                    "bufsize": spec.video_bitrate // 2,
                }
            )
        if spec.vcodec == "libx264":
            if spec.cbr:
                # vbv-init 0.5: x264 starts the buffer 90 % full and spends the surplus;
                # on a 4 s clip that is +5 %, at half full the rate lands within 1 %
                opts["x264-params"] = "nal-hrd=cbr:vbv-init=0.5"
        elif spec.vcodec == "libx265":
            # one frame thread: x265 frame threading is not guaranteed bit-exact
            opts["x265-params"] = f"log-level=error:frame-threads=1:pools={spec.threads}"
    if spec.audio:
        opts.update(
            {
                "c:a": spec.acodec,
                "ar": spec.sample_rate,
                "ac": spec.channels,
                "flags:a": "+bitexact",
            }
        )
        if spec.audio_quality is not None:
            opts["q:a"] = spec.audio_quality
        elif spec.audio_bitrate is not None:
            opts["b:a"] = spec.audio_bitrate
    return opts


def _run(args: list[str], timeout: float) -> None:
    try:
        proc = subprocess.run(
            args, capture_output=True, stdin=subprocess.DEVNULL, timeout=timeout, check=False
        )
    except FileNotFoundError as exc:
        raise SampleError(f"cannot run {args[0]}: {exc}") from exc
    except subprocess.TimeoutExpired as exc:
        raise SampleError(f"ffmpeg timed out after {timeout:g} s: {' '.join(args)}") from exc
    if proc.returncode != 0:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-15:]
        raise SampleError(
            f"ffmpeg failed (exit {proc.returncode}): {' '.join(args)}\n" + "\n".join(tail)
        )


def build_command(spec: ClipSpec, out: Path) -> list[str]:
    """The ffmpeg argument list that renders `spec` into `out` (no rotation pass)."""
    if not (spec.video or spec.audio):
        raise SampleError("a clip needs video, audio or both")
    streams = []
    if spec.video:
        streams.append(_video(spec))
    if spec.audio:
        streams.extend(_audio(spec, i) for i in range(spec.audio_streams))
    # file: so a name starting with '-' or holding ':' is only ever a file name
    node = ffmpeg.output(*streams, "file:" + os.fspath(out), **_output_options(spec))
    node = node.global_args(
        "-hide_banner", "-nostdin", "-loglevel", "error", "-filter_threads", "1"
    )
    return node.overwrite_output().compile(cmd=ffmpeg_path())


def _rotate_command(spec: ClipSpec, src: Path, out: Path, sign: int = -1) -> list[str]:
    # ffmpeg 5.x encoders ignore rotation; a stream-copy remux writes the display matrix
    # (-metadata rotate up to 5.x, -display_rotation from 6.0, whose sign has changed
    # since: make_clip reads the result back and flips `sign` when it came out mirrored)
    opts: dict[str, object] = {
        "map": "0",  # every stream, not just one video and one audio
        "c": "copy",
        "map_metadata": -1,
        "fflags": "+bitexact",
        "f": spec.container,
    }
    if spec.faststart and not spec.fragmented:
        opts["movflags"] = "+faststart"
    if spec.fragmented:
        opts["movflags"] = "+frag_keyframe+empty_moov+default_base_moof"
    if _ffmpeg_major() >= 6:
        inp = ffmpeg.input("file:" + os.fspath(src), display_rotation=sign * spec.rotation)
    else:
        inp = ffmpeg.input("file:" + os.fspath(src))
        opts["metadata:s:v:0"] = f"rotate={spec.rotation}"
    node = ffmpeg.output(inp, "file:" + os.fspath(out), **opts)
    node = node.global_args("-hide_banner", "-nostdin", "-loglevel", "error")
    return node.overwrite_output().compile(cmd=ffmpeg_path())


def _rotation(path: Path) -> int | None:
    from mediacheck.mp4.reader import Mp4Error, read_index  # what mediacheck itself reads

    try:
        tracks = read_index(path).video_tracks
    except Mp4Error:
        return None
    return tracks[0].rotation if tracks else None


def make_clip(spec: ClipSpec, out: Path, timeout: float = 300.0) -> Path:
    """Render `spec` to `out` atomically (temp file in the same folder, then rename)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=spec.suffix, dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp2 = tmp.with_name(tmp.name + ".rot" + spec.suffix)
    try:
        _run(build_command(spec, tmp), timeout)
        if spec.rotation % 360:
            for sign in (-1, 1):
                _run(_rotate_command(spec, tmp, tmp2, sign), timeout)
                if _rotation(tmp2) == spec.rotation % 360:
                    break
            else:
                raise SampleError(f"ffmpeg wrote no {spec.rotation}° display matrix")
            os.replace(tmp2, tmp)
        os.chmod(tmp, 0o644)  # mkstemp made it 0600; a cache is shared, make it readable
        os.replace(tmp, out)
    finally:
        for leftover in (tmp, tmp2):
            leftover.unlink(missing_ok=True)
    return out


def with_changes(spec: ClipSpec = COMPLIANT, **changes: object) -> ClipSpec:
    """`spec` with some fields changed (dataclasses.replace, re-exported for callers)."""
    return replace(spec, **changes)  # type: ignore[arg-type]
