"""`mediacheck fix` for videos: plan -> ffmpeg command -> temp file -> verify -> rename.

Safety first: the input is only ever read; the output is written to a hidden temp file
beside the target and moved into place (`os.replace`, atomic on one filesystem) only
after the checks pass on it. Any failure, timeout or Ctrl-C removes the temp file, so
the target path never holds a partial or failing file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ffmpeg

from mediacheck import tools
from mediacheck.fix.files import (
    FAILED,
    SUFFIXES,
    USAGE,
    FixError,
    Interrupted,
    check_output,
    check_source,
    place,
    temp_beside,
)
from mediacheck.fix.plan import COPY, ENCODE, SILENCE, AudioSettings, Plan, VideoSettings
from mediacheck.model import FAIL, FileResult
from mediacheck.profile import Profile

__all__ = ["FAILED", "USAGE", "FixError", "Interrupted", "fix_video", "run_ffmpeg"]

TAIL_LINES = 3  # of ffmpeg's stderr, in an error message
LAYOUTS = {1: "mono", 2: "stereo"}
INTERRUPTED = 130  # Ctrl-C outside `stop_on_signals` (a KeyboardInterrupt): 128 + SIGINT
STOP_WAIT_S = 3.0  # after SIGTERM, how long ffmpeg may take to go before SIGKILL
_ADDRESS = re.compile(r"\[([\w:.-]+) @ 0x[0-9a-fA-F]+\]\s*")
OUTPUT_FORMAT = "mp4"  # what the encoders here write (plan.CAN_WRITE's container.format)


def default_name(src: Path) -> str:
    return f"{src.stem}.fixed{SUFFIXES[OUTPUT_FORMAT][0]}"


def check_paths(src: Path, out: Path, force: bool) -> None:
    """The input is a readable file and `out` a new MP4 name beside nothing it may not touch."""
    check_source(src)
    check_output(src, out, force, OUTPUT_FORMAT)


# ---------------------------------------------------------------- ffmpeg


def ffmpeg_exe() -> str:
    return tools.find("ffmpeg")


def ffmpeg_major(exe: str) -> int:
    out = tools.run([exe, "-hide_banner", "-version"], 30).stdout.decode("utf-8", "replace")
    m = re.match(r"ffmpeg version n?(\d+)", out)
    return int(m.group(1)) if m else 99  # a git build: assume new


def encoders(exe: str) -> set[str]:
    out = tools.run([exe, "-hide_banner", "-encoders"], 30).stdout.decode("utf-8", "replace")
    # lines look like " V....D libx264   libx264 H.264 / AVC …"
    return {m.group(1) for m in re.finditer(r"^ [VAS][A-Z.]{5} (\S+)", out, re.MULTILINE)}


def needed_encoders(plan: Plan) -> list[str]:
    need = []
    if plan.video == ENCODE:
        need.append("libx264")
    if plan.audio in (ENCODE, SILENCE):
        need.append("aac")
    return need


def require_encoders(plan: Plan, exe: str) -> str:
    """The ffmpeg to encode with: `exe` when it has the encoders the plan needs, else the
    FFmpeg wheel's (a system build without libx264 must not stop a fix the wheel can do)."""
    need = needed_encoders(plan)
    missing = [name for name in need if name not in encoders(exe)]
    if not missing:
        return exe
    wheel = tools.WHEELS["ffmpeg"]()
    if wheel and wheel != exe and set(need) <= encoders(wheel):
        return wheel
    raise FixError("encoder", USAGE, encoder=missing[0])


def _amplitude(dbfs: float) -> str:
    return f"{10 ** (dbfs / 20):.6g}"


def _guard_noise(a: AudioSettings, duration: float | None) -> ffmpeg.nodes.FilterableStream:
    # white noise, fixed seed (same input -> same output); inaudible at GUARD_DBFS
    spec = f"anoisesrc=color=white:seed=7:amplitude={_amplitude(a.guard_dbfs)}"
    spec += f":sample_rate={a.sample_rate}"
    if duration:
        spec += f":duration={duration:.3f}"
    return ffmpeg.input(spec, f="lavfi").filter(
        "aformat",
        sample_fmts="fltp",
        sample_rates=a.sample_rate,
        channel_layouts=LAYOUTS[a.channels],
    )


def _video_stream(v: ffmpeg.nodes.FilterableStream, s: VideoSettings):
    if s.deinterlace:
        # deint=interlaced: frames flagged progressive pass untouched
        v = v.filter("bwdif", mode="send_frame", parity="auto", deint="interlaced")
    v = v.filter("fps", fps=str(s.fps))
    fw, fh = s.frame
    if s.picture is not None:
        # frames arrive upright (ffmpeg autorotates on decode); the plan sized the picture
        # from the displayed size, so non-square pixels are squared here too
        v = v.filter("scale", s.picture[0], s.picture[1], flags="lanczos")
    else:
        v = v.filter("scale", fw, fh, force_original_aspect_ratio="decrease", flags="lanczos")
    v = v.filter("setsar", "1")
    if s.picture != s.frame:
        v = v.filter("pad", fw, fh, "(ow-iw)/2", "(oh-ih)/2", color="black")
    return v.filter("format", s.pix_fmt)


def _video_options(s: VideoSettings, preset: str, major: int) -> dict[str, object]:
    return {
        "c:v": "libx264",
        "preset": preset,
        "profile:v": s.profile,
        "pix_fmt": s.pix_fmt,
        "b:v": s.bitrate,
        # constant rate: x264 pads with filler NALs up to b, so a still slide measures the
        # same as a busy scene; half a second of buffer keeps short clips near b
        "minrate": s.bitrate,
        "maxrate": s.bitrate,
        "bufsize": s.bitrate // 2,
        "x264-params": "nal-hrd=cbr",
        "g": max(1, round(2 * float(s.fps))),  # a keyframe every 2 s: quick seeking
        # the fps filter makes CFR frames; keep the muxer from dropping or adding any
        ("fps_mode" if major >= 5 else "vsync"): "cfr",
    }


def _audio_stream(a: ffmpeg.nodes.FilterableStream, s: AudioSettings):
    layout = LAYOUTS[s.channels]
    if s.source_channels == 1 and s.channels == 2:
        # full level in both channels (a plain upmix would put it at −3 dB in each);
        # channelmap, not pan: ffmpeg-python escapes pan's '=' into a syntax error
        a = a.filter("channelmap", map="0-FL|0-FR", channel_layout="stereo")
    a = a.filter("aresample", s.sample_rate)
    a = a.filter(
        "aformat", sample_fmts="fltp", sample_rates=s.sample_rate, channel_layouts=layout
    )  # more channels: the standard downmix
    if s.pad_to:
        a = a.filter("apad", whole_dur=f"{s.pad_to:.3f}")  # never cuts, only extends
    # float all the way into the encoder: the guard noise sits below 16-bit's LSB range
    # and would vanish in an s16 step
    return ffmpeg.filter(
        [a, _guard_noise(s, None)], "amix", inputs=2, duration="first", normalize=0
    )


def build_command(
    plan: Plan,
    src: Path,
    out: Path,
    preset: str = "veryfast",
    exe: str = "ffmpeg",
    major: int = 99,
    overwrite: bool = False,
) -> list[str]:
    """The ffmpeg argument list for `plan` (built with ffmpeg-python; never a shell)."""
    inp = ffmpeg.input(tools.media_arg(src))
    streams = []
    opts: dict[str, object] = {
        "f": "mp4",
        "movflags": "+faststart",  # moov first: web players start at once
        "map_metadata": 0,
    }
    if plan.video == COPY:
        streams.append(inp["V:0"])  # V: not a cover picture
        opts["c:v"] = "copy"
    else:
        assert plan.video_settings is not None
        streams.append(_video_stream(inp["V:0"], plan.video_settings))
        opts.update(_video_options(plan.video_settings, preset, major))
    if plan.audio == COPY:
        streams.append(inp["a:0"])
        opts["c:a"] = "copy"
    else:
        s = plan.audio_settings
        assert s is not None
        if plan.audio == SILENCE:
            streams.append(_guard_noise(s, plan.duration))
            if not plan.duration:
                opts["shortest"] = None
        else:
            streams.append(_audio_stream(inp["a:0"], s))
        opts.update({"c:a": "aac", "b:a": s.bitrate, "ar": s.sample_rate, "ac": s.channels})
    node = ffmpeg.output(*streams, tools.media_arg(out), **opts)
    node = node.global_args("-hide_banner", "-nostdin", "-loglevel", "error")
    if overwrite:
        node = node.overwrite_output()
    return node.compile(cmd=exe)


# ---------------------------------------------------------------- running


def _tail(stderr: bytes) -> str:
    """ffmpeg's last lines, without the "[aac @ 0x55d0…]" addresses that mean nothing to
    people (the component's name stays)."""
    text = stderr.decode("utf-8", "replace")
    lines = [_ADDRESS.sub(r"[\1] ", ln).strip() for ln in text.splitlines() if ln.strip()]
    return " | ".join(lines[-TAIL_LINES:]) or "?"


def _own_group() -> dict[str, object]:
    """Popen arguments that give ffmpeg a process group of its own (POSIX), so it can be
    stopped with everything it started, and a terminal's Ctrl-C reaches only us: we stop
    it, then remove the temp file, in that order."""
    return {"start_new_session": True} if os.name == "posix" else {}


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop ffmpeg's process group: SIGTERM (ffmpeg then exits at once), SIGKILL after
    `STOP_WAIT_S`; always reaped, so no process outlives the fix."""
    if proc.poll() is not None:
        return
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGTERM)
        else:
            proc.terminate()
        proc.wait(timeout=STOP_WAIT_S)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            if os.name == "posix":
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
    proc.wait()


def run_ffmpeg(
    args: list[str],
    timeout: float | None,
    on_progress: Callable[[float], None] | None = None,
    target: Path | None = None,
) -> None:
    """Run ffmpeg with `-progress pipe:1`; on_progress(seconds done). Raises FixError;
    `target` is the path named in a disk-full message. However it ends (a timeout,
    Ctrl-C, a signal), ffmpeg is stopped and reaped before this returns or raises."""
    args = [*args, "-progress", "pipe:1", "-nostats"]
    with tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, **_own_group()
            )
        except FileNotFoundError as exc:
            raise tools.ToolMissing("ffmpeg") from exc

        def read_progress() -> None:
            assert proc.stdout is not None
            for raw in proc.stdout:
                key, _, value = raw.decode("ascii", "replace").strip().partition("=")
                # out_time_us is microseconds ("N/A" before the first frame)
                if key == "out_time_us" and on_progress and value.lstrip("-").isdigit():
                    on_progress(max(0, int(value)) / 1e6)

        reader = threading.Thread(target=read_progress, daemon=True)
        reader.start()
        deadline = None if not timeout else time.monotonic() + timeout
        try:
            while True:
                try:
                    code = proc.wait(timeout=0.2)
                    break
                except subprocess.TimeoutExpired:
                    if deadline is not None and time.monotonic() > deadline:
                        raise FixError("timeout", seconds=timeout) from None
        finally:
            stop(proc)  # timeout, Ctrl-C or a signal: it goes before the temp file does
            reader.join(timeout=5)
        if code != 0:
            err.seek(0)
            stderr = err.read()
            if b"No space left on device" in stderr:
                raise FixError("disk_full", path=target or "?")
            raise FixError("ffmpeg", status=code, detail=_tail(stderr))


# ---------------------------------------------------------------- the whole fix


@dataclass(frozen=True)
class Outcome:
    result: FileResult  # the checks on the output, path = the target
    passed: bool  # no error-level rule failed
    seconds: float


def _passes(result: FileResult) -> bool:
    return not any(f.status == FAIL for f in result.findings)


def fix_video(
    plan: Plan,
    out: Path,
    profile: Profile,
    *,
    force: bool = False,
    preset: str = "veryfast",
    timeout: float | None = None,
    on_progress: Callable[[float], None] | None = None,
    check: Callable[[Path, Profile, str], FileResult] | None = None,
) -> Outcome:
    """Write the fixed file to `out`; only a file that passes every error rule lands there.

    Raises FixError (a KeyboardInterrupt as FixError 'interrupted'; `Interrupted`, from
    a signal, passes through); never leaves ffmpeg running or a temp file behind.
    """
    from mediacheck.app import check_one

    check = check or check_one
    src = plan.path
    check_paths(src, out, force)
    tmp: Path | None = None
    try:
        exe = require_encoders(plan, ffmpeg_exe())
        major = ffmpeg_major(exe)
        started = time.monotonic()
        tmp = temp_beside(out)
        # -y: the temp file is ours (mkstemp made it); the target is guarded above
        args = build_command(plan, src, tmp, preset, exe, major, overwrite=True)
        run_ffmpeg(args, timeout, on_progress, target=out)
        result = check(tmp, profile, "video")
        result = dataclasses.replace(result, path=out)
        passed = _passes(result)
        if passed:
            place(tmp, out, force)
        return Outcome(result, passed, time.monotonic() - started)
    except KeyboardInterrupt:
        raise FixError("interrupted", INTERRUPTED) from None
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise FixError("disk_full", path=out) from exc
        raise FixError("write", path=out, detail=exc.strerror or str(exc)) from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)  # after `place` it is already gone
