"""Benchmark mediacheck's start-up and a cached `mediacheck check`, against bare Python.

    python benchmarks/bench_startup.py [--runs 21] [--files 120]

Times fresh processes of each command line, interleaved round-robin (so background load
hits every command alike) after one untimed warm-up run each, with the same interpreter
and flags as this script, `.pyc` files used (PYTHONDONTWRITEBYTECODE removed: an install
has them), CI=true, a temp HOME, in a fresh git repository (as CI and pre-commit run):

- `python -c pass`: bare start-up, the reference of issue #14's targets;
- `python -c "import re"`: what pip's console script imports before mediacheck;
- `python -c "import click"`: what any click command pays before its own code (a peer
  showing the floor of every command but `--version`);
- `python -m mediacheck --version`, and the same through the console script pip writes
  (`bin/mediacheck`: pip's template, reproduced in the temp folder);
- `mediacheck check` of --files copies of the compliant fixture clip, answered from a
  filled cache (`--cache-dir`, `--format json:FILE`, the summary line on a pipe), as
  `benchmarks/bench_check.py` runs it: replayed (src/mediacheck/replay.py: nothing it
  read changed, so its outputs are written again without running it), and with
  MEDIACHECK_REPLAY=0 (the cached run itself: click, the profile, the cache);
- the same folder with `--no-cache`, every fifth round, for scale;
- with `--before TREE` (a source tree: `src/` and `rules/` of an older commit), its
  `--version` and cached check too, each in its own cache folder.

Prints per command the median and min wall time and median CPU time (user + sys of the
child, from wait4), and the ratios the targets name (issue #14): `--version` ≤ 1.6×
`python -c pass`; the cached check ≤ 1.5× `--version`.
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
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "fixtures"))

import make_fixtures  # noqa: E402

MAX_VERSION_VS_PYTHON = 1.6
MAX_CACHED_VS_VERSION = 1.5

# What pip (distlib) writes as `bin/mediacheck` for `mediacheck = "mediacheck.cli:main"`.
PIP_SCRIPT = """\
# -*- coding: utf-8 -*-
import re
import sys
from mediacheck.cli import main
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
    sys.exit(main())
"""


@dataclass
class Command:
    name: str
    args: list[str]
    every_round: bool = True
    pythonpath: str | None = None  # another mediacheck tree first (--before)
    env: dict[str, str] = field(default_factory=dict)  # added to the environment
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def median(self) -> float:
        return statistics.median(self.wall)


def timed(cmd: Command, env: dict[str, str], cwd: Path) -> None:
    """Run once; wall from fork to reap, CPU of the child tree from wait4."""
    env = {**env, **cmd.env}
    if cmd.pythonpath is not None:
        env = {**env, "PYTHONPATH": os.pathsep.join([cmd.pythonpath, env.get("PYTHONPATH", "")])}
    start = time.perf_counter()
    pid = os.posix_spawn(cmd.args[0], cmd.args, env, file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, str(cwd / "stderr.txt"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
         0o644),
    ])  # fmt: skip
    _, status, usage = os.wait4(pid, 0)
    cmd.wall.append(time.perf_counter() - start)
    cmd.cpu.append(usage.ru_utime + usage.ru_stime)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{cmd.name} failed: {(cwd / 'stderr.txt').read_text(errors='replace')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--files", type=int, default=120)
    parser.add_argument("--before", type=Path, metavar="TREE",
                        help="also time --version and the cached check of this source tree "
                        "(e.g. `git archive <commit> src | tar -x -C TREE`)")  # fmt: skip
    opts = parser.parse_args()

    clip = make_fixtures.get("compliant")
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="mediacheck-startup-") as tmp:
        work = Path(tmp)
        folder = work / "clips"
        folder.mkdir()
        old = time.time() - 3600  # not "just written": the cache's racy-mtime guard stays out
        for i in range(opts.files):
            target = folder / f"lesson_{i:03d}.mp4"
            shutil.copyfile(clip, target)
            os.utime(target, (old, old))
        (work / "home").mkdir()
        if shutil.which("git"):  # as in CI and pre-commit: the run finds its repository's top
            subprocess.run(["git", "init", "-q", str(work)], check=True)
        script = work / "mediacheck"
        script.write_text(PIP_SCRIPT, encoding="utf-8")
        env = {**os.environ, "CI": "true", "HOME": str(work / "home")}
        for name in ("PYTHONDONTWRITEBYTECODE", "GITHUB_ACTIONS", "XDG_CACHE_HOME"):
            env.pop(name, None)
        os.chdir(work)  # cwd of the children (posix_spawn inherits it)
        report = work / "report.json"
        cache = work / "cache"
        check = [py, "-m", "mediacheck", "check", "--jobs", "2", "clips"]
        cmds = [
            Command("python -c pass", [py, "-c", "pass"]),
            Command("python -c 'import re'", [py, "-c", "import re"]),
            Command("python -c 'import click'", [py, "-c", "import click"]),
            Command("python -m mediacheck --version", [py, "-m", "mediacheck", "--version"]),
            Command("mediacheck --version (pip's script)", [py, str(script), "--version"]),
            Command(
                "check, cached", [*check, "--cache-dir", str(cache), "--format", f"json:{report}"]
            ),  # fmt: skip
            Command(
                "check, cached, no replay",
                [*check, "--cache-dir", str(cache), "--format", f"json:{report}"],
                env={"MEDIACHECK_REPLAY": "0"},
            ),  # fmt: skip
            Command(
                "check, no cache",
                [*check, "--no-cache", "--format", f"json:{report}"],
                every_round=False,
            ),  # fmt: skip
        ]
        if opts.before is not None:
            old_src = str(opts.before.resolve() / "src")
            cmds += [
                Command("before: python -m mediacheck --version",
                        [py, "-m", "mediacheck", "--version"], pythonpath=old_src),
                Command("before: check, cached",
                        [*check, "--cache-dir", str(work / "cache-before"), "--format",
                         f"json:{report}"], pythonpath=old_src),
            ]  # fmt: skip
        print(f"{opts.files} clips of {clip.stat().st_size / 1e6:.1f} MB, {opts.runs} runs "
              f"each, interleaved, cpus={os.cpu_count()}, load {os.getloadavg()[0]:.2f}, "
              f"python {sys.version.split()[0]}", flush=True)  # fmt: skip
        for cmd in cmds:  # warm-up (fills the cache, writes the .pyc files)
            timed(cmd, env, work)
        # A run is recorded for replay only when nothing it read changed within 2 s of it
        # (os.utime gave the clips a new ctime, the warm-up wrote .pyc files): once that is
        # past, one more cached run.
        time.sleep(2.1)
        timed(next(c for c in cmds if c.name == "check, cached"), env, work)
        replayable = any((cache / "replay").iterdir()) if (cache / "replay").is_dir() else False
        print(f"a replay record was made: {'yes' if replayable else 'NO'}", flush=True)
        for cmd in cmds:
            cmd.wall.clear()
            cmd.cpu.clear()
        summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
        if summary.get("passed") != opts.files:
            sys.exit(f"the clips did not all pass: {summary}")
        for r in range(opts.runs):
            for cmd in cmds:
                if cmd.every_round or r % 5 == 0:
                    timed(cmd, env, work)
        load_after = os.getloadavg()[0]
        os.chdir(HERE)

    base = cmds[0].median()
    print(f"\n{'command':38s} {'median ms':>9s} {'min ms':>7s} {'CPU ms':>7s} {'× python':>9s}")
    for cmd in cmds:
        print(f"{cmd.name:38s} {cmd.median() * 1e3:9.1f} {min(cmd.wall) * 1e3:7.1f} "
              f"{statistics.median(cmd.cpu) * 1e3:7.1f} {cmd.median() / base:8.2f}×")  # fmt: skip
    print(f"(load average after: {load_after:.2f})\n")
    by = {c.name: c for c in cmds}
    version = by["python -m mediacheck --version"].median()
    for name in ("python -m mediacheck --version", "mediacheck --version (pip's script)"):
        ratio = by[name].median() / base
        verdict = "met" if ratio <= MAX_VERSION_VS_PYTHON else "NOT met"
        print(f"{name} / python -c pass: {ratio:.2f}×  "
              f"(target ≤ {MAX_VERSION_VS_PYTHON}×: {verdict})")  # fmt: skip
    cached = by["check, cached"].median()
    ratio = cached / version
    verdict = "met" if ratio <= MAX_CACHED_VS_VERSION else "NOT met"
    print(f"check, cached / python -m mediacheck --version: {ratio:.2f}×  "
          f"(target ≤ {MAX_CACHED_VS_VERSION}×: {verdict})")  # fmt: skip
    click_floor = by["python -c 'import click'"].median()
    full = by["check, cached, no replay"].median()
    print(f"  not replayed (MEDIACHECK_REPLAY=0): {full / version:.2f}× --version; "
          f"python -c 'import click' alone: {click_floor / version:.2f}×; that run's own "
          f"part beyond click: {(full - click_floor) * 1e3:.0f} ms")  # fmt: skip
    if opts.before is not None:
        for name in ("python -m mediacheck --version", "check, cached"):
            was = by[f"before: {name}"].median()
            print(f"{name}: {was * 1e3:.0f} ms before -> {by[name].median() * 1e3:.0f} ms "
                  f"({was / by[name].median():.1f}× faster)")  # fmt: skip
    wrapper = by["python -c 'import re'"].median() / base
    print(f"pip's script imports re before mediacheck: {wrapper:.2f}× python -c pass alone")


if __name__ == "__main__":
    main()
