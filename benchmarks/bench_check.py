"""Benchmark `mediacheck check` on a folder of short clips, against MediaConch.

    python benchmarks/bench_check.py [--files 200] [--mediaconch-files 40] [--repeats 3]

1. 200 copies (under different names) of the `compliant` fixture clip: a 1920×1080,
   25 fps H.264 + AAC lesson, made once by fixtures/make_fixtures.py.
2. `mediacheck check --jobs 2 --no-cache` over the folder, in a fresh process each time
   (start-up included): files/s, median of --repeats runs.
3. MediaConch (`mediaconch --Force -p policy.xml FILE`), one process per file, with an
   equivalent policy (MPEG-4, AVC, ≥ 1920×1080, 25 fps, AAC, 48 kHz, 2 channels), in the
   same run. MediaConch sleeps about 0.5 s per file it has not seen (its database), so
   by default it runs on the first --mediaconch-files clips; files/s does not depend on
   how many. `--Force` makes it re-check instead of answering from that database, and
   its database lives in a temp HOME so earlier runs cannot help it.
4. The cached re-run: one run with the cache on to fill it, then --repeats runs. From
   the second on, a run the cache answered whole is replayed (replay.py: nothing it read
   changed); the same runs with MEDIACHECK_REPLAY=0 show the result cache alone.

Targets (issue 5): mediacheck ≥ 10× MediaConch's files/s; the cached re-run ≥ 20× faster
than the uncached one. The machine this runs on matters: ffprobe alone costs about
0.1 s of start-up per file here.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "fixtures"))

import make_fixtures  # noqa: E402

POLICY = """<?xml version="1.0"?>
<policy type="and" name="Shanghai 2024 lesson video (mediacheck benchmark)">
  <rule name="MPEG-4" value="Format" tracktype="General" occurrence="*" operator="=">MPEG-4</rule>
  <rule name="AVC" value="Format" tracktype="Video" occurrence="*" operator="=">AVC</rule>
  <rule name="Width" value="Width" tracktype="Video" occurrence="*" operator="&gt;=">1920</rule>
  <rule name="Height" value="Height" tracktype="Video" occurrence="*" operator="&gt;=">1080</rule>
  <rule name="25 fps" value="FrameRate" tracktype="Video" occurrence="*" operator="=">25.000</rule>
  <rule name="AAC" value="Format" tracktype="Audio" occurrence="*" operator="=">AAC</rule>
  <rule name="48kHz" value="SamplingRate" tracktype="Audio" occurrence="*" operator="=">48000</rule>
  <rule name="Stereo" value="Channels" tracktype="Audio" occurrence="*" operator="=">2</rule>
</policy>
"""


def timed(
    args: list[str], env: dict[str, str], cwd: Path
) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    proc = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, proc


def mediacheck_run(folder: Path, jobs: int, cache: Path | None, report: Path, env: dict[str, str],
                   expect: int) -> float:  # fmt: skip
    args = [sys.executable, "-m", "mediacheck", "check", "--jobs", str(jobs), "--format",
            f"json:{report}"]  # fmt: skip
    args += ["--no-cache"] if cache is None else ["--cache-dir", str(cache)]
    seconds, proc = timed([*args, str(folder)], env, folder.parent)
    data = json.loads(report.read_text(encoding="utf-8"))
    if proc.returncode != 0 or data["summary"]["passed"] != expect:
        sys.exit(f"mediacheck did not pass all {expect} clips:\n{proc.stdout}\n{proc.stderr}")
    return seconds


def mediaconch_run(files: list[Path], policy: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    for path in files:
        proc = subprocess.run(["mediaconch", "--Force", "-p", str(policy), str(path)], env=env,
                              capture_output=True, text=True, check=False)  # fmt: skip
        if not proc.stdout.startswith("pass!"):
            sys.exit(f"MediaConch did not pass {path}:\n{proc.stdout}{proc.stderr}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--mediaconch-files", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    opts = parser.parse_args()

    clip = make_fixtures.get("compliant")
    with tempfile.TemporaryDirectory(prefix="mediacheck-bench-") as tmp:
        work = Path(tmp)
        folder = work / "clips"
        folder.mkdir()
        files = []
        old = time.time() - 3600  # not "just written": the cache's racy-mtime guard stays out
        for i in range(opts.files):
            target = folder / f"lesson_{i:03d}.mp4"
            shutil.copyfile(clip, target)
            os.utime(target, (old, old))
            files.append(target)
        (work / "home").mkdir()
        policy = work / "policy.xml"
        policy.write_text(POLICY, encoding="utf-8")
        env = {**os.environ, "CI": "true", "HOME": str(work / "home")}
        env.pop("GITHUB_ACTIONS", None)
        # As installed (pip writes .pyc files): without this, every run would compile
        # mediacheck's modules again, a fixed cost no user pays.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        report = work / "report.json"
        n_mc = min(opts.mediaconch_files, opts.files)
        have_mc = shutil.which("mediaconch") is not None

        print(f"{opts.files} clips of {clip.stat().st_size / 1e6:.1f} MB "
              f"({clip.name}), jobs={opts.jobs}, cpus={os.cpu_count()}")  # fmt: skip
        uncached, conch = [], []
        for r in range(opts.repeats):
            uncached.append(mediacheck_run(folder, opts.jobs, None, report, env, opts.files))
            if have_mc:
                # A fresh database each time: MediaConch must not remember earlier runs.
                shutil.rmtree(work / "home")
                (work / "home").mkdir()
                conch.append(mediaconch_run(files[:n_mc], policy, env))
            print(f"  run {r + 1}: mediacheck {uncached[-1]:.2f} s"
                  + (f", MediaConch {conch[-1]:.2f} s for {n_mc}" if conch else ""))  # fmt: skip

        # The fixed cost of a run (interpreter, imports, profile): an empty folder.
        empty = work / "empty"
        empty.mkdir()
        fixed = [mediacheck_run(empty, opts.jobs, None, report, env, 0) for _ in range(3)]

        cache = work / "cache"
        fill = mediacheck_run(folder, opts.jobs, cache, report, env, opts.files)
        time.sleep(2.1)  # a run is kept for replay only when nothing it read just changed
        cached = [mediacheck_run(folder, opts.jobs, cache, report, env, opts.files)
                  for _ in range(max(opts.repeats, 5))]  # fmt: skip
        no_replay = {**env, "MEDIACHECK_REPLAY": "0"}
        per_file = [mediacheck_run(folder, opts.jobs, cache, report, no_replay, opts.files)
                    for _ in range(max(opts.repeats, 5))]  # fmt: skip

    t_unc = statistics.median(uncached)
    t_cached = statistics.median(cached)
    fps_unc = opts.files / t_unc
    print()
    print(f"mediacheck check, no cache : median {t_unc:6.2f} s  {fps_unc:7.1f} files/s")
    if conch:
        t_mc = statistics.median(conch)
        fps_mc = n_mc / t_mc
        print(f"MediaConch, 1 proc/file    : median {t_mc:6.2f} s  {fps_mc:7.1f} files/s "
              f"({n_mc} files, {t_mc / n_mc:.3f} s/file)")  # fmt: skip
        ratio = fps_unc / fps_mc
        print(f"  mediacheck / MediaConch  : {ratio:5.1f}×  (target ≥ 10×: "
              f"{'met' if ratio >= 10 else 'NOT met'})")  # fmt: skip
    else:
        print("MediaConch                 : not installed, skipped")
    print(f"cache fill run             :        {fill:6.2f} s")
    print(f"mediacheck check, cached   : median {t_cached:6.2f} s  "
          f"{opts.files / t_cached:7.1f} files/s")  # fmt: skip
    speedup = t_unc / t_cached
    print(f"  uncached / cached        : {speedup:5.1f}×  (target ≥ 20×: "
          f"{'met' if speedup >= 20 else 'NOT met'})")  # fmt: skip
    t_per_file = statistics.median(per_file)
    print(
        f"  without replay           : median {t_per_file:6.2f} s  "
        f"{opts.files / t_per_file:7.1f} files/s; uncached / it: {t_unc / t_per_file:.1f}×"
    )
    t_fixed = statistics.median(fixed)
    per_unc = (t_unc - t_fixed) / opts.files * 1000
    per_cached = (t_per_file - t_fixed) / opts.files * 1000
    print(f"fixed cost of a run        : median {t_fixed:6.2f} s  (empty folder)")
    print(f"  per file beyond it       : {per_unc:.1f} ms uncached, {per_cached:.2f} ms from "
          f"the cache ({per_unc / max(per_cached, 1e-6):.0f}×)")  # fmt: skip


if __name__ == "__main__":
    main()
