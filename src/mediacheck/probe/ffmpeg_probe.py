"""ffprobe's two jobs done by ffmpeg alone, for a machine with no ffprobe: the FFmpeg
wheel (imageio-ffmpeg) ships only ffmpeg. Used only for containers the MP4 reader
cannot read (MKV, WebM, AVI, MPEG-TS/PS, FLV) and only when no ffprobe is on PATH.

- `read_streams`: `ffmpeg -i FILE` prints libavformat's stream description
  (av_dump_format) and stops. It is turned into the part of ffprobe's
  `-show_format -show_streams` JSON that `ffprobe_facts` reads, so one parser makes the
  facts whichever tool ran.
- `scan_packets`: `ffmpeg -i FILE -c copy -f framecrc -` lists every packet (stream,
  dts, pts, duration, size) in the stream's time base, without decoding: libavformat's
  framehash format, meant for machines.

The stream description is written for people, so every piece of it is optional: what
is not recognised is left out (that fact is then "not checked"), never guessed. Stream
durations are not in it; packet_facts measures them from the packets instead.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from mediacheck import tools

TIMESCALE = 1_000_000  # as probe/packets.py: packet times in microseconds
NOPTS = -(2**63)  # AV_NOPTS_VALUE as framecrc prints it
SOURCE = "ffmpeg"

_INPUT = re.compile(r"^Input #0, (.+?), from '")
_STREAM = re.compile(r"^(\s+)Stream #\d+:(\d+)(?:\[[^\]]*\])*(?:\([^)]*\))?: (\w+): (.*)$")
_ROTATION = re.compile(r"rotation of (-?\d+(?:\.\d+)?) degrees", re.IGNORECASE)
_ROTATE_TAG = re.compile(r"^\s+rotate\s*: (-?\d+)\s*$")
_BRAND_TAG = re.compile(r"^\s+major_brand\s*: (\S+)")
_SIZE = re.compile(r"^(\d+)x(\d+)")
_SAR = re.compile(r"\[SAR (\d+):(\d+) DAR")
_KBPS = re.compile(r"^(\d+) kb/s$")
_FPS = re.compile(r"^(\d+(?:\.\d+)?)(k?) fps$")
_HZ = re.compile(r"^(\d+) Hz$")
_PIX_FMT = re.compile(r"^([a-z][a-z0-9_]*)(?:\((.*)\))?$")
_DISPOSITION = re.compile(r" \(([a-z][a-z -]*)\)$")
_FIELD_ORDER = {
    "progressive": "progressive",
    "top first": "tt",
    "bottom first": "bb",
    "top coded first (swapped)": "tb",
    "bottom coded first (swapped)": "bt",
}
# layouts named by word (libavutil's channel_layout_map); "5.1(side)", "7.1.4" and the
# like count their digits
_NAMED_LAYOUTS = {"mono": 1, "stereo": 2, "downmix": 2, "binaural": 2, "quad": 4,
                  "hexagonal": 6, "octagonal": 8, "cube": 8, "hexadecagonal": 16}  # fmt: skip


def _split(text: str) -> list[str]:
    """Split at commas outside () and []: "yuv420p(tv, bt709), 1920x1080" -> 2 parts."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        elif ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def channels_of(layout: str) -> int | None:
    """Channel count of a layout as av_channel_layout_describe writes it."""
    layout = layout.strip()
    m = re.match(r"^(\d+) channels\b", layout)
    if m:
        return int(m.group(1))
    base = layout.split("(")[0]
    if base in _NAMED_LAYOUTS:
        return _NAMED_LAYOUTS[base]
    if re.fullmatch(r"\d+(\.\d+){1,2}", base):
        return sum(int(d) for d in base.split("."))
    if re.fullmatch(r"[A-Z]{1,4}(\+[A-Z]{1,4})+", layout):  # a custom order: FL+FR+LFE
        return layout.count("+") + 1
    return None


def _codec(part: str, decoders: frozenset[str]) -> tuple[str | None, str | None]:
    """("h264", "High") from "h264 (High) (avc1 / 0x31637661)". avcodec_string writes
    the codec, then the decoder's name when it differs ("mp3 (mp3float)"), then the
    profile, then the container's codec tag ("… / 0x…")."""
    name = part.split(" ", 1)[0]
    if not name or name == "none":
        return None, None
    groups = [g for g in re.findall(r"\(([^()]*)\)", part) if "/ 0x" not in g]
    if groups and groups[0] in decoders and groups[0] != name:
        groups = groups[1:]
    return name, (groups[0] if groups else None)


def _video(segments: list[str], stream: dict[str, Any]) -> None:
    rest = segments[1:]
    if rest and not rest[0][:1].isdigit():  # no pixel format printed when it is unknown
        m = _PIX_FMT.match(rest[0])
        if m:
            stream["pix_fmt"] = m.group(1)
            for item in _split(m.group(2) or ""):
                if item in _FIELD_ORDER:
                    stream["field_order"] = _FIELD_ORDER[item]
        rest = rest[1:]
    for seg in rest:
        size, kbps, fps = _SIZE.match(seg), _KBPS.match(seg), _FPS.match(seg)
        if size and "width" not in stream:
            stream["width"], stream["height"] = int(size.group(1)), int(size.group(2))
            sar = _SAR.search(seg)
            if sar:
                stream["sample_aspect_ratio"] = f"{sar.group(1)}:{sar.group(2)}"
        elif kbps:
            stream["bit_rate"] = str(int(kbps.group(1)) * 1000)
        elif fps:
            value = float(fps.group(1)) * (1000 if fps.group(2) else 1)
            stream["avg_frame_rate"] = f"{value:g}"


def _audio(segments: list[str], stream: dict[str, Any]) -> None:
    for i, seg in enumerate(segments[1:], start=1):
        hz, kbps = _HZ.match(seg), _KBPS.match(seg)
        if hz:
            stream["sample_rate"] = hz.group(1)
            if i + 1 < len(segments):  # the channel layout follows the sample rate
                channels = channels_of(segments[i + 1])
                if channels:
                    stream["channels"] = channels
        elif kbps:
            stream["bit_rate"] = str(int(kbps.group(1)) * 1000)


def _stream(index: int, kind: str, desc: str, decoders: frozenset[str]) -> dict[str, Any]:
    stream: dict[str, Any] = {"index": index, "codec_type": kind.lower()}
    dispositions = set()
    while m := _DISPOSITION.search(desc):  # "(default) (attached pic)" end the line
        dispositions.add(m.group(1))
        desc = desc[: m.start()]
    if "attached pic" in dispositions:
        stream["disposition"] = {"attached_pic": 1}
    segments = _split(desc)
    if not segments:
        return stream
    name, profile = _codec(segments[0], decoders)
    if name:
        stream["codec_name"] = name
    if profile:
        stream["profile"] = profile
    if stream["codec_type"] == "video":
        _video(segments, stream)
    elif stream["codec_type"] == "audio":
        _audio(segments, stream)
    return stream


def parse_dump(text: str, decoders: frozenset[str] = frozenset()) -> dict[str, Any] | None:
    """ffprobe-shaped {"format", "streams"} from ffmpeg's input description; None when
    there is none (ffmpeg could not open the file)."""
    lines = text.splitlines()
    found = [(i, m) for i, line in enumerate(lines) if (m := _INPUT.match(line))]
    if not found:
        return None
    start, input_line = found[0]
    fmt: dict[str, Any] = {"format_name": input_line.group(1)}
    streams: dict[int, dict[str, Any]] = {}
    current: dict[str, Any] | None = None  # the stream whose indented lines follow
    depth = 0  # indentation of that stream's line
    header = True  # still in the input's own metadata (before Duration and the streams)
    for line in lines[start + 1 :]:
        if not line.startswith(" "):
            break  # "Stream mapping:", "At least one output file…", a log line
        indent = len(line) - len(line.lstrip(" "))
        m = _STREAM.match(line)
        if m:
            header, depth = False, len(m.group(1))
            index = int(m.group(2))
            if index in streams:  # an MPEG-TS lists a stream under each program
                current = None
            else:
                current = streams[index] = _stream(index, m.group(3), m.group(4), decoders)
            continue
        if header and (brand := _BRAND_TAG.match(line)):
            fmt.setdefault("tags", {})["major_brand"] = brand.group(1)
        if indent <= 2 and not line.strip().startswith("Metadata:"):
            header = False  # "Duration:", "Program 1", "Chapters:"
        if indent <= depth:
            current = None
        if current is None:
            continue
        rotation = _ROTATION.search(line)
        if rotation:
            current.setdefault("side_data_list", []).append({"rotation": float(rotation.group(1))})
        rotate = _ROTATE_TAG.match(line)
        if rotate:
            current.setdefault("tags", {})["rotate"] = rotate.group(1)
    return {"format": fmt, "streams": [streams[i] for i in sorted(streams)], "source": SOURCE}


def _complaint(err: str, arg: str) -> str:
    lines = [ln.strip() for ln in err.splitlines() if ln.strip()]
    lines = [ln for ln in lines if not ln.startswith("At least one output file")]
    if not lines:
        return "ffmpeg could not read the file"
    last = lines[-1]
    prefix = "Error opening input files: "  # ffmpeg 7+; older ones say "file:x: reason"
    return f"{arg}: {last[len(prefix) :]}" if last.startswith(prefix) else last


@functools.lru_cache(maxsize=4)
def decoders(exe: str) -> frozenset[str]:
    out = tools.run([exe, "-hide_banner", "-decoders"], 30).stdout.decode("utf-8", "replace")
    return frozenset(m.group(1) for m in re.finditer(r"^ [VASDT][A-Z.]{5} (\S+)", out, re.M))


def read_streams(
    path: Path, timeout: float, exe: str | None = None
) -> tuple[dict[str, Any] | None, str]:
    """As ffprobe.run_ffprobe: (ffprobe-shaped JSON, '') or (None, ffmpeg's complaint)."""
    exe = exe or tools.find("ffmpeg")
    arg = tools.media_arg(path)
    # no output file: ffmpeg describes the input, then exits 1 ("at least one output")
    proc = tools.run([exe, "-hide_banner", "-nostdin", "-i", arg], timeout)
    err = proc.stderr.decode("utf-8", "replace")
    data = parse_dump(err, decoders(exe))
    if data is None:
        return None, _complaint(err, arg)
    return data, ""


def parse_framecrc(text: str) -> dict[str, dict[str, list[int]]]:
    """{"video": {"sizes", "times", "durations"}, "audio": …} with times in µs, as
    packets.scan_packets returns them."""
    kinds: dict[int, str] = {}
    bases: dict[int, tuple[int, int]] = {}
    out: dict[str, dict[str, list[int]]] = {}
    for line in text.splitlines():
        if line.startswith("#"):
            m = re.match(r"#(tb|media_type) (\d+): (\S+)", line)
            if m and m.group(1) == "tb":
                num, _, den = m.group(3).partition("/")
                if num.isdigit() and den.isdigit() and int(den):
                    bases[int(m.group(2))] = (int(num), int(den))
            elif m:
                kinds[int(m.group(2))] = m.group(3)
            continue
        fields = line.split(",", 5)
        try:
            index, dts, pts, duration, size = (int(f) for f in fields[:5])
        except ValueError:
            continue
        kind, base = kinds.get(index), bases.get(index)
        if kind not in ("video", "audio") or base is None:
            continue
        t = pts if pts != NOPTS else dts
        if t == NOPTS:
            continue
        num, den = base
        p = out.setdefault(kind, {"sizes": [], "times": [], "durations": []})
        p["sizes"].append(size)
        p["times"].append(round(t * num * TIMESCALE / den))
        p["durations"].append(round(duration * num * TIMESCALE / den) if duration > 0 else 0)
    return out


def scan_packets(
    path: Path, timeout: float, exe: str | None = None
) -> dict[str, dict[str, list[int]]]:
    """The first video and the first audio stream's packets (as ffprobe's v:0 and a:0)."""
    exe = exe or tools.find("ffmpeg")
    proc = tools.run(
        [exe, "-hide_banner", "-nostdin", "-v", "error", "-i", tools.media_arg(path),
         "-map", "0:v:0?", "-map", "0:a:0?", "-c", "copy",
         "-copyinkf",  # keep packets before the first keyframe: ffprobe lists them too
         "-f", "framecrc", "-"],
        timeout,
    )  # fmt: skip
    if proc.returncode != 0:
        return {}
    return parse_framecrc(proc.stdout.decode("ascii", "replace"))
