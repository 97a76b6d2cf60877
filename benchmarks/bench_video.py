"""Benchmark `mediacheck video` on a 1-hour 1080p25 MP4 against ffprobe, MediaInfo, MediaConch.

    python benchmarks/bench_video.py [--runs 7] [--cache DIR] [--json] [--cold]

1. Makes (once; cached in benchmarks/cache/, git-ignored) a compliant 1-hour lesson:
   10 minutes of 1920×1080 25 fps H.264 High at 3.5 Mbit/s CBR (x264 nal-hrd=cbr) with
   AAC-LC 48 kHz stereo 128 kbit/s of pink noise, concatenated 6 times by stream copy,
   moov first. About 1.6 GB and a few minutes of encoding.
2. Times, interleaved round-robin so background load hits every tool alike, --runs fresh
   processes of each command line (after one untimed warm-up run):
   `mediacheck video --format json`, the ffprobe packet scan a checker without a
   sample-table reader needs, `mediainfo` (default and --ParseSpeed=0) and
   `mediaconch --Force -p mediaconch_policy.xml` (an equivalent policy; verified to pass
   this file and fail a 720p clip). MediaConch keeps a database in
   $HOME/.local/share/MediaConch and sleeps ~0.5 s per file it has not seen, so every
   MediaConch run gets a fresh empty HOME: each run is a first, uncached check.
3. Per command: median and min wall time, ratio to mediacheck, CPU time, peak RSS and
   bytes read. Peak RSS is wait4's ru_maxrss: the largest process of the child's tree
   (any tool mediacheck starts included), not a sum. "read" is the tree's
   rchar (every read(): the media file, Python modules, pipes from child tools), taken
   from this process's /proc/self/io around the wait, since a reaped child's I/O counts
   are added to its parent's. "file read" is what the tree read of the media file
   itself, summed from one extra `strace -f -y` run per command (untimed).
4. The in-process cost of read_index + index_facts + evaluate, to separate
   Python start-up and imports from the work.
5. Checks the targets of issue #14 (each ratio from this one run) and prints PASS/MISS:
   mediacheck's median at most 2.5× MediaInfo's (the `mediainfo` command, labels only),
   at least 10× faster than MediaConch and 15× faster than the ffprobe packet scan,
   peak RSS at most 60 MB; and (issue #3) at most 0.5 % of the file read.

Warm page cache by default (the 1.6 GB file stays cached on a machine with RAM to spare).
--cold drops the page cache (`echo 3 > /proc/sys/vm/drop_caches`, root only, and it
affects everything else on the machine) before every timed run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_CACHE = HERE / "cache"

SEGMENT_S = 600  # encode 10 minutes ...
COPIES = 6  # ... and stream-copy it 6 times: an hour without an hour of encoding
VIDEO_BPS = 3_500_000
AUDIO_BPS = 128_000
# Bump when the encode settings change, so a stale cached file is not reused.
MEDIA_NAME = f"lesson-{SEGMENT_S * COPIES // 60}min-1080p25-v1.mp4"
SMALL_720P = "lesson-10s-720p25-v1.mp4"
POLICY = HERE / "mediaconch_policy.xml"

# Targets from issue 14 (ratios within one run), and issue 3's share of the file read.
MAX_VS_MEDIAINFO = 2.5
MIN_VS_FFPROBE = 15.0
MIN_VS_MEDIACONCH = 10.0
MAX_FILE_SHARE = 0.005
MAX_RSS_MB = 60.0


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _ffmpeg(args: list[str]) -> None:
    proc = subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.exit(f"ffmpeg failed ({proc.returncode}):\n{proc.stderr}")


def encode(out: Path, seconds: int, width: int, height: int) -> None:
    """A compliant lesson clip: moving test pattern, pink-noise stereo, CBR both ways."""
    src = f"duration={seconds}:sample_rate=48000:amplitude=0.25:color=pink"
    b = VIDEO_BPS
    # fmt: off
    _ffmpeg([
        "-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate=25:duration={seconds}",
        # one noise source per channel, so AAC has two different signals to spend bits on
        "-f", "lavfi", "-i", f"anoisesrc={src}:seed=1",
        "-f", "lavfi", "-i", f"anoisesrc={src}:seed=2",
        "-filter_complex",
        "[0:v]format=yuv420p[v];[1:a][2:a]join=inputs=2:channel_layout=stereo[a]",
        "-map", "[v]", "-map", "[a]",
        # superfast, not ultrafast: ultrafast gives Constrained Baseline, not the High
        # profile a real export has; nal-hrd=cbr pads with filler so the rate is real CBR
        "-c:v", "libx264", "-preset", "superfast", "-g", "50",
        "-b:v", str(b), "-minrate", str(b), "-maxrate", str(b), "-bufsize", str(b // 2),
        "-x264-params", "nal-hrd=cbr",
        "-c:a", "aac", "-b:a", str(AUDIO_BPS), "-ar", "48000", "-ac", "2",
        "-movflags", "+faststart", "-f", "mp4", str(out),
    ])
    # fmt: on


def make_media(cache: Path, name: str, seconds: int, copies: int, width: int, height: int) -> Path:
    """The cached benchmark file; made once, atomically (temp dir + rename)."""
    target = cache / name
    if target.exists():
        log(f"using cached {target} (delete it to make it again)")
        return target
    cache.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    log(f"making {target} ({seconds} s × {copies}) ...")
    with tempfile.TemporaryDirectory(prefix=".tmp-", dir=cache) as tmp:
        segment = Path(tmp) / "segment.mp4"
        encode(segment, seconds, width, height)
        log(f"  encoded {seconds} s in {time.perf_counter() - start:.0f} s")
        if copies == 1:
            os.replace(segment, target)
        else:
            listing = Path(tmp) / "list.txt"
            listing.write_text("".join(f"file '{segment}'\n" for _ in range(copies)))
            joined = Path(tmp) / "joined.mp4"
            # fmt: off
            _ffmpeg(["-f", "concat", "-safe", "0", "-i", str(listing), "-map", "0",
                     "-c", "copy", "-movflags", "+faststart", "-f", "mp4", str(joined)])
            # fmt: on
            os.replace(joined, target)
    log(
        f"  made {target.name}: {target.stat().st_size / 1e9:.2f} GB "
        f"in {time.perf_counter() - start:.0f} s"
    )
    return target


# --- measuring one process tree -----------------------------------------------------------


def _proc_io() -> dict[str, int]:
    with open("/proc/self/io", encoding="ascii") as fh:
        return {k: int(v) for k, v in (line.split(": ") for line in fh.read().splitlines())}


@cache
def _io_overhead() -> int:
    """rchar that reading /proc/self/io itself adds, to subtract from each delta."""
    a = _proc_io()
    b = _proc_io()
    return b["rchar"] - a["rchar"]


@dataclass
class Run:
    wall_s: float
    cpu_s: float  # user + system of the whole tree
    maxrss_kb: int
    rchar: int
    read_bytes: int  # from the block device: 0 when the page cache had everything
    returncode: int
    stdout: str


def drop_caches() -> None:
    os.sync()
    Path("/proc/sys/vm/drop_caches").write_text("3\n")


def run_once(argv: list[str], env: dict[str, str] | None = None, keep_stdout: bool = True) -> Run:
    """Run argv fresh; time it and read its tree's rusage and I/O counters.

    wait4 reaps the child, which adds its (and its reaped children's) I/O counters to
    ours, so the /proc/self/io delta is exactly the tree's; nothing polls, nothing is
    missed at exit. Output goes to a file, not a pipe, so reading it is not counted.
    """
    with tempfile.TemporaryFile() as out:
        before = _proc_io()
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=out if keep_stdout else subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        after = _proc_io()
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: Popen must not
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return Run(
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        maxrss_kb=usage.ru_maxrss,
        rchar=after["rchar"] - before["rchar"] - _io_overhead(),
        read_bytes=after["read_bytes"] - before["read_bytes"],
        returncode=proc.returncode,
        stdout=text,
    )


_READ = re.compile(r"^(?:read|pread64|readv|preadv2?)\(\d+<(.*?)>, .*\) += (\d+)$")
_MMAP = re.compile(r"^mmap\([^,]+, (\d+), [^,]+, [^,]+, \d+<(.*?)>")


def file_bytes_read(argv: list[str], media: Path, env: dict[str, str] | None = None) -> int | None:
    """Bytes of `media` that argv's process tree read (or mapped), from an strace run.

    -y prints each fd's path and -ff writes one log per process, so no line is split into
    "unfinished"/"resumed" halves that would lose the path. None without strace.
    """
    if shutil.which("strace") is None:
        return None
    target = str(media.resolve())
    with tempfile.TemporaryDirectory(prefix="bench-strace-") as tmp:
        prefix = Path(tmp) / "t"
        syscalls = "trace=read,pread64,readv,preadv,preadv2,mmap"
        proc = subprocess.run(
            [
                "strace",
                "-f",
                "-ff",
                "-qq",
                "-y",
                "-s",
                "0",
                "-e",
                syscalls,
                "-o",
                str(prefix),
                *argv,
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            check=False,
        )
        logs = list(Path(tmp).glob("t.*"))
        if proc.returncode not in (0, 1) or not logs:
            return None  # ptrace not permitted here, or the command broke under strace
        total = 0
        for log_file in logs:
            with log_file.open(encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    if (m := _READ.match(line)) and m.group(1) == target:
                        total += int(m.group(2))
                    elif (m := _MMAP.match(line)) and m.group(2) == target:
                        total += int(m.group(1))
        return total


# --- the commands -------------------------------------------------------------------------


@dataclass
class Tool:
    name: str
    argv: list[str]
    # stdout -> problem text, or None when the output is the expected answer
    check: Callable[[Run], str | None] | None = None
    fresh_home: bool = False  # MediaConch: an empty database every run
    reference: bool = False  # start-up baselines: shown, not compared
    keep_stdout: bool = True
    runs: list[Run] = field(default_factory=list)
    file_bytes: int | None = None

    def median(self) -> float:
        return statistics.median(r.wall_s for r in self.runs)

    def fastest(self) -> float:
        return min(r.wall_s for r in self.runs)

    def run(self, cold: bool) -> Run:
        with fresh_home(self.fresh_home) as env:
            if cold:
                drop_caches()
            result = run_once(self.argv, env, self.keep_stdout)
        problem = self.check(result) if self.check else None
        if problem is None and result.returncode != 0:
            problem = f"exit status {result.returncode}"
        if problem:
            sys.exit(f"{self.name}: {problem}\n{result.stdout[:2000]}")
        return result

    def measure_file_bytes(self, media: Path) -> None:
        with fresh_home(self.fresh_home) as env:
            self.file_bytes = file_bytes_read(self.argv, media, env)


@contextmanager
def fresh_home(wanted: bool = True) -> Iterator[dict[str, str] | None]:
    """An environment whose HOME (and XDG dirs) is a new empty directory, removed after."""
    if not wanted:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="bench-home-") as home:
        yield {
            **os.environ,
            "HOME": home,
            "XDG_DATA_HOME": f"{home}/.local/share",
            "XDG_CONFIG_HOME": f"{home}/.config",
            "XDG_CACHE_HOME": f"{home}/.cache",
        }


def mediacheck_verdict(run: Run) -> dict[str, Any]:
    """The JSON report's file status, and the rules that did not pass."""
    data = json.loads(run.stdout)
    f = data["files"][0]
    findings = f.get("findings", [])
    return {
        "status": f["status"],
        "exit_code": run.returncode,
        "not_passed": {x["rule"]: x["status"] for x in findings if x["status"] != "pass"},
        # "measured" when the sample tables decided it, "header" when a label did
        "bitrate_source": next(
            (x["measured"]["source"] for x in findings if x["rule"] == "V-BITRATE"), None
        ),
    }


def check_mediacheck(run: Run) -> str | None:
    try:
        verdict = mediacheck_verdict(run)
    except (ValueError, KeyError, IndexError) as exc:
        return f"no JSON report ({exc}); exit status {run.returncode}"
    if verdict["status"] == "fail" or run.returncode != 0:
        return f"the compliant file did not pass: {verdict}"
    return None


def check_mediaconch(run: Run) -> str | None:
    return None if run.stdout.startswith("pass!") else "the policy did not pass the file"


def check_policy(small_720p: Path, media: Path) -> None:
    """The policy must pass the compliant file and fail a 720p one, or timing it means nothing."""
    for path, want in ((media, "pass!"), (small_720p, "fail!")):
        with fresh_home() as env:
            out = run_once(["mediaconch", "--Force", "-p", str(POLICY), str(path)], env)
        if not out.stdout.startswith(want):
            sys.exit(f"MediaConch policy: expected {want} on {path.name}, got:\n{out.stdout}")
    log(f"policy {POLICY.name}: passes {media.name}, fails {small_720p.name}")


# --- in-process: the work without the start-up ---------------------------------------------


def in_process(media: Path, runs: int, cold: bool) -> dict[str, Any]:
    """Median seconds of mediacheck's own work on the file, phase by phase, in-process:
    reading the sample tables, turning them into facts, and judging them."""
    start = time.perf_counter()
    from mediacheck.evaluate import evaluate
    from mediacheck.model import Facts
    from mediacheck.mp4 import read_index
    from mediacheck.probe.mp4 import index_facts
    from mediacheck.profile import load_profile

    import_s = time.perf_counter() - start
    profile = load_profile()
    phases: dict[str, list[float]] = {"read_index": [], "index_facts": [], "evaluate": []}
    index = None
    facts: dict[str, Any] = {}
    for _ in range(runs):
        if cold:
            drop_caches()
        t0 = time.perf_counter()
        index = read_index(media)
        t1 = time.perf_counter()
        found = Facts(path=media, kind="video")
        index_facts(index, found)
        t2 = time.perf_counter()
        result = evaluate(found, profile)
        t3 = time.perf_counter()
        for name, seconds in zip(phases, (t1 - t0, t2 - t1, t3 - t2), strict=True):
            phases[name].append(seconds)
        facts = {
            name: found.get(name).value
            for name in (
                "video.bitrate",
                "audio.bitrate",
                "video.fps",
                "video.fps_mode",
                "video.duration",
            )
            if found.get(name) is not None
        }
        facts["not_passed"] = [f.rule_id for f in result.findings if f.status != "pass"]
    assert index is not None
    medians = {k: statistics.median(v) for k, v in phases.items()}
    return {
        "import_s": import_s,
        "phases_median_s": medians,
        "total_median_s": statistics.median(map(sum, zip(*phases.values(), strict=True))),
        "bytes_read": index.bytes_read,
        "file_size": index.file_size,
        "share": index.bytes_read / index.file_size,
        "samples": [t.sample_count for t in index.tracks],
        "facts": facts,
    }


# --- report --------------------------------------------------------------------------------


def mb(n: float | None) -> str:
    return "—" if n is None else f"{n / 1e6:,.1f} MB"


def tool_row(tool: Tool, base: float) -> dict[str, Any]:
    med = tool.median()
    return {
        "name": tool.name,
        "argv": tool.argv,
        "reference": tool.reference,
        "median_s": med,
        "min_s": tool.fastest(),
        "runs_s": [r.wall_s for r in tool.runs],
        "ratio_to_mediacheck": med / base,
        "cpu_s": statistics.median(r.cpu_s for r in tool.runs),
        "peak_rss_mb": max(r.maxrss_kb for r in tool.runs) * 1024 / 1e6,
        "rchar": statistics.median(r.rchar for r in tool.runs),
        "disk_read_bytes": statistics.median(r.read_bytes for r in tool.runs),
        "file_bytes_read": tool.file_bytes,
    }


def targets(
    rows: dict[str, dict[str, Any]], size: int, inproc: dict[str, Any] | None
) -> list[dict[str, Any]]:
    mc = rows["mediacheck video"]
    out: list[dict[str, Any]] = []

    def add(name: str, ok: bool | None, value: str) -> None:
        out.append(
            {
                "target": name,
                "status": "SKIP" if ok is None else "PASS" if ok else "MISS",
                "value": value,
            }
        )

    med = float(mc["median_s"])
    mi = rows.get("mediainfo")
    times = None if mi is None else med / float(mi["median_s"])
    add(
        f"≤ {MAX_VS_MEDIAINFO}× MediaInfo's time",
        None if times is None else times <= MAX_VS_MEDIAINFO,
        "not installed" if times is None else f"{times:.2f}× ({med:.3f} s)",
    )
    for key, want in (("ffprobe packet scan", MIN_VS_FFPROBE), ("mediaconch", MIN_VS_MEDIACONCH)):
        row = rows.get(key)
        ratio = float(row["ratio_to_mediacheck"]) if row else None
        add(
            f"≥ {want}× faster than {key}",
            None if ratio is None else ratio >= want,
            "not installed" if ratio is None else f"{ratio:.2f}×",
        )
    read = mc["file_bytes_read"]
    how = "strace"
    if read is None and inproc:  # no strace: the reader's own count
        read, how = inproc["bytes_read"], "read_index"
    share = None if read is None else int(read) / size
    add(
        f"reads ≤ {MAX_FILE_SHARE:.1%} of the file",
        None if share is None else share <= MAX_FILE_SHARE,
        "unknown" if share is None else f"{share:.3%} ({how})",
    )
    rss = float(mc["peak_rss_mb"])
    add(f"peak RSS ≤ {MAX_RSS_MB:.0f} MB", rss <= MAX_RSS_MB, f"{rss:.1f} MB")
    return out


def print_report(report: dict[str, Any]) -> None:
    media = report["media"]
    print(
        f"\n{media['path']}: {media['size'] / 1e9:.2f} GB, {media['duration_s']:.0f} s; "
        f"{report['mode']} page cache, {report['runs']} runs each, {report['cpus']} CPUs, "
        f"load {report['load_before']} → {report['load_after']}"
    )
    head = (
        f"{'command':<28} {'median s':>9} {'min s':>7} {'ratio':>7} {'CPU s':>7} "
        f"{'peak RSS':>10} {'read':>11} {'file read':>11}"
    )
    print(head)
    print("-" * len(head))
    for row in report["tools"]:
        ratio = "" if row["reference"] else f"{row['ratio_to_mediacheck']:.2f}×"
        print(
            f"{row['name']:<28} {row['median_s']:>9.3f} {row['min_s']:>7.3f} {ratio:>7} "
            f"{row['cpu_s']:>7.2f} {row['peak_rss_mb']:>7.1f} MB {mb(row['rchar']):>11} "
            f"{mb(row['file_bytes_read']):>11}"
        )
    print(
        "ratio = command's median ÷ mediacheck's median; peak RSS = largest process of the "
        "tree;\nread = rchar of the tree (files, modules, pipes); file read = bytes of the "
        "media file (strace)"
    )
    verdict = report["mediacheck_verdict"]
    print(
        f"\nmediacheck verdict: {verdict['status']} (exit {verdict['exit_code']}), "
        f"V-BITRATE from {verdict['bitrate_source']}; not passed: "
        f"{verdict['not_passed'] or 'none'}"
    )
    inproc = report.get("in_process")
    if isinstance(inproc, dict):
        phases = ", ".join(f"{k} {v * 1000:.0f}" for k, v in inproc["phases_median_s"].items())
        print(
            f"in-process (median of {report['runs']}): {inproc['total_median_s']:.3f} s = "
            f"{phases} ms; imports {inproc['import_s'] * 1000:.0f} ms; "
            f"read_index read {mb(inproc['bytes_read'])} = {inproc['share']:.3%} of the file"
        )
    elif inproc:
        print(f"in-process: not measured ({inproc})")
    print()
    for t in report["targets"]:
        print(f"{t['status']:<5} {t['target']:<38} {t['value']}")


# --- main ----------------------------------------------------------------------------------


def versions() -> dict[str, str]:
    def first(argv: list[str], line: int = 0) -> str:
        try:
            out = subprocess.run(argv, capture_output=True, text=True, check=False).stdout
            return out.splitlines()[line].strip()
        except (OSError, IndexError):
            return "not installed"

    return {
        "python": platform.python_version(),
        "ffprobe": first(["ffprobe", "-version"]).split(" Copyright")[0],
        "mediainfo": first(["mediainfo", "--version"], 1),
        "mediaconch": first(["mediaconch", "--version"]),
    }


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command (default 7)")
    parser.add_argument(
        "--cache",
        type=Path,
        default=DEFAULT_CACHE,
        help=f"where the generated media lives (default {DEFAULT_CACHE})",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="drop the page cache before every run (root; machine-wide)",
    )
    opts = parser.parse_args()
    if opts.runs < 1:
        parser.error("--runs must be at least 1")
    if opts.cold:
        try:
            drop_caches()
        except OSError as exc:
            sys.exit(f"--cold needs to write /proc/sys/vm/drop_caches: {exc}")

    media = make_media(opts.cache, MEDIA_NAME, SEGMENT_S, COPIES, 1920, 1080)
    size = media.stat().st_size
    have_conch = shutil.which("mediaconch") is not None
    if have_conch:
        check_policy(make_media(opts.cache, SMALL_720P, 10, 1, 1280, 720), media)

    py = sys.executable
    f = str(media)
    tools = [
        Tool(
            "mediacheck video",
            [py, "-m", "mediacheck", "video", "--format", "json", f],
            check_mediacheck,
        ),
        Tool(
            "ffprobe packet scan",
            ["ffprobe", "-v", "error", "-show_entries", "packet=size,pts_time", "-of", "csv", f],
            keep_stdout=False,
        ),
        Tool("mediainfo", ["mediainfo", f]),
        Tool("mediainfo --ParseSpeed=0", ["mediainfo", "--ParseSpeed=0", f]),
    ]
    if have_conch:
        tools.append(
            Tool(
                "mediaconch",
                ["mediaconch", "--Force", "-p", str(POLICY), f],
                check_mediaconch,
                fresh_home=True,
            )
        )
    # what Python costs before mediacheck does anything
    tools += [
        Tool("python -c pass", [py, "-c", "pass"], reference=True),
        Tool("mediacheck --version", [py, "-m", "mediacheck", "--version"], reference=True),
    ]

    load_before = load()
    log(f"warm-up: one untimed run of each command on {media.name}")
    warmups = {t.name: t.run(opts.cold) for t in tools}
    for r in range(opts.runs):
        for tool in tools:
            tool.runs.append(tool.run(opts.cold))
        log(
            f"  run {r + 1}/{opts.runs}: "
            + ", ".join(f"{t.name} {t.runs[-1].wall_s:.2f}" for t in tools if not t.reference)
        )
    load_after = load()
    log("bytes of the media file read, one strace run each")
    for tool in tools:
        if not tool.reference:
            tool.measure_file_bytes(media)
    try:
        inproc: dict[str, Any] | str | None = in_process(media, opts.runs, opts.cold)
    except Exception as exc:  # the reader is being rewritten: report, still print the table
        inproc = f"{type(exc).__name__}: {exc}"

    base = tools[0].median()
    rows = {t.name: tool_row(t, base) for t in tools}
    duration = (
        inproc["facts"].get("video.duration", SEGMENT_S * COPIES)
        if isinstance(inproc, dict)
        else SEGMENT_S * COPIES
    )
    report: dict[str, Any] = {
        "media": {"path": str(media), "size": size, "duration_s": duration},
        "mode": "cold" if opts.cold else "warm",
        "runs": opts.runs,
        "cpus": os.cpu_count(),
        "load_before": load_before,
        "load_after": load_after,
        "versions": versions(),
        "tools": list(rows.values()),
        "mediacheck_verdict": mediacheck_verdict(warmups["mediacheck video"]),
        "in_process": inproc,
        "targets": targets(rows, size, inproc if isinstance(inproc, dict) else None),
    }
    if opts.json:
        json.dump(report, sys.stdout, indent=2)
        print()
    else:
        print_report(report)


if __name__ == "__main__":
    main()
