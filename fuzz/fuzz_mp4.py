#!/usr/bin/env python3
"""Fuzz mediacheck's MP4 reader and its whole video probe.

    python fuzz/fuzz_mp4.py box --runs 1000000          # coverage-guided, with atheris
    python fuzz/fuzz_mp4.py box --engine random --runs 5000 --seed 1   # without (CI)
    python fuzz/fuzz_mp4.py probe --seconds 300         # the whole probe, forked, capped
    python fuzz/fuzz_mp4.py repro box fuzz/crashes/box-exception-….mp4
    python fuzz/fuzz_mp4.py seeds                       # make (or find) the seed corpus

Targets (targets.py): `box` is the reader (mediacheck.mp4.read_index) and the facts made
from its index; `probe` is the whole video check: sniffing, the reader, MediaInfo,
ffprobe where needed, the facts and the rules. The contract: only the documented errors
come out (an Mp4Error with a documented code; a probe error fact), the tables agree, and
no input hangs (`--timeout` per input) or takes more memory than `--memory-mb`.

Engines: `atheris` (libFuzzer, coverage-guided on mediacheck's own code; the default for
`box` when atheris is installed) and `random` (mutate.py's box-aware mutations of the
seed corpus, deterministic for `--seed`). The probe always runs `random`, each input in
a forked child (worker.py), on the seeds and on the corpus the box fuzzer grew: the C++
and ffmpeg code it reaches is beyond any Python coverage. The seeds are every layout of
fixtures/make_fixtures.py, rendered tiny, and the hand-built files of tests/mp4 (seeds.py).

Each crash is saved to `--crashes` (fuzz/crashes/): the input, and beside it a .txt with
what happened and the command that reproduces it; at most 3 inputs per distinct crash.
Exit status: 0 when nothing was found, 1 when a crash was, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import mutate  # noqa: E402
import targets  # noqa: E402
from worker import Outcome, Worker, describe, vm_size_mb  # noqa: E402

MAX_LEN = 131072  # inputs are cut to this: the tiny seeds' indexes fit many times over
LIBFUZZER_ARTIFACTS = ("crash", "timeout", "oom", "leak", "slow-unit")


# --- crashes ------------------------------------------------------------------------------


class Crashes:
    """The crash folder: inputs and their reports, a few per distinct crash."""

    def __init__(self, folder: Path, target: str, keep: int = 3) -> None:
        self.folder, self.target, self.keep = folder, target, keep
        self.found: collections.Counter[str] = collections.Counter()
        self.saved: collections.Counter[str] = collections.Counter()
        folder.mkdir(parents=True, exist_ok=True)
        for txt in folder.glob(f"{target}-*.txt"):  # earlier runs' crashes count as saved
            first = txt.read_text(errors="replace").splitlines()[:1]
            if first and first[0].startswith("signature: "):
                self.saved[first[0][len("signature: ") :]] += 1

    def add(self, data: bytes, kind: str, sig: str, detail: str) -> Path | None:
        new = self.found[sig] == 0
        self.found[sig] += 1
        if new:
            print(f"CRASH ({self.target}, {kind}): {sig}", file=sys.stderr, flush=True)
        if self.saved[sig] >= self.keep:
            return None
        self.saved[sig] += 1
        tag = hashlib.sha256(sig.encode()).hexdigest()[:8]
        name = f"{self.target}-{kind}-{tag}-{hashlib.sha1(data).hexdigest()[:12]}"
        path = self.folder / f"{name}.mp4"
        path.write_bytes(data)
        (self.folder / f"{name}.txt").write_text(
            f"signature: {sig}\nkind: {kind}\ntarget: {self.target}\n"
            f"reproduce: python fuzz/fuzz_mp4.py repro {self.target} {path}\n\n{detail}\n"
        )
        return path

    @property
    def count(self) -> int:
        return sum(self.found.values())


# --- inputs -------------------------------------------------------------------------------


def scratch_path(tag: str, pid: int | None = None) -> Path:
    """Where process `pid` (this one) writes each input: memory, where /dev/shm is."""
    base = Path("/dev/shm") if os.access("/dev/shm", os.W_OK) else Path(tempfile.gettempdir())
    return base / f"mediacheck-fuzz-{tag}-{pid or os.getpid()}.mp4"


def load_inputs(folders: list[Path]) -> list[bytes]:
    out = []
    for folder in folders:
        if folder.is_dir():
            for p in sorted(folder.iterdir()):
                if p.is_file() and not p.name.startswith("."):
                    out.append(p.read_bytes()[:MAX_LEN])
    return out


def limit_memory(memory_mb: int) -> None:
    """An address-space cap this far above what the process holds now: an allocation
    past it is a MemoryError, which the targets' callers record as a memory crash."""
    cap = int((vm_size_mb() + memory_mb) * 1024 * 1024)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


class _Hang(BaseException):
    """Raised by the alarm in an in-process run: BaseException, so no `except Exception`
    in the code under test swallows it."""


def _alarm(signum: int, frame: object) -> None:
    raise _Hang


def run_in_process(target, path: Path, timeout: float) -> Outcome:
    signal.signal(signal.SIGALRM, _alarm)
    t0 = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        res = target(path)
        kind, detail, sig = "ok", res, ""
    except _Hang:
        kind, detail, sig = "timeout", f"no answer in {timeout:g} s", "timeout"
    except Exception as exc:
        kind, detail, sig = describe(exc)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return Outcome(kind, detail, sig, time.monotonic() - t0, 0.0)


# --- engines ------------------------------------------------------------------------------


def run_random(args: argparse.Namespace, crashes: Crashes, folders: list[Path]) -> dict:
    inputs = load_inputs(folders)
    if not inputs:
        raise SystemExit(f"no inputs in {', '.join(map(str, folders))}")
    rng = random.Random(args.seed)
    scratch = scratch_path(args.target)
    if args.target == "box":
        limit_memory(args.memory_mb)

        def run(path: Path) -> Outcome:
            return run_in_process(targets.box, path, args.timeout)
    else:
        targets.warm()
        worker = Worker(targets.probe, args.timeout, args.memory_mb)
        run = worker.run
    outcomes: collections.Counter[str] = collections.Counter()
    slowest = (0.0, b"")
    t0 = time.monotonic()
    n = 0
    try:
        while n < args.runs and time.monotonic() - t0 < args.seconds:
            # every seed once as it is (unless --mutated-only), then mutations of any
            if n < len(inputs) and not args.mutated_only:
                data = inputs[n]
            else:
                data = mutate.mutate(rng.choice(inputs), rng, inputs)
            scratch.write_bytes(data)
            out = run(scratch)
            n += 1
            if out.kind == "ok":
                outcomes[out.detail] += 1
            else:
                outcomes[out.kind] += 1
                crashes.add(data, out.kind, out.signature, out.detail)
            if out.seconds > args.slow:
                outcomes[f"slow (over {args.slow:g} s)"] += 1
            if out.seconds > slowest[0]:
                slowest = (out.seconds, data)
            if args.progress and n % args.progress == 0:
                rate = n / (time.monotonic() - t0)
                print(f"#{n} {rate:.0f}/s crashes {crashes.count}", file=sys.stderr, flush=True)
    finally:
        scratch.unlink(missing_ok=True)
    if slowest[1]:
        (crashes.folder / f"slowest-{args.target}.mp4").write_bytes(slowest[1])
    return {"inputs": n, "seconds": time.monotonic() - t0, "outcomes": dict(outcomes),
            "slowest_s": round(slowest[0], 3)}  # fmt: skip


def run_atheris(args: argparse.Namespace, crashes: Crashes, folders: list[Path]) -> dict:
    """libFuzzer in a child process, restarted after each hang or memory stop it makes (it
    exits on those), until --runs or --seconds is reached; the corpus grows across runs."""
    corpus = args.corpus / args.target
    corpus.mkdir(parents=True, exist_ok=True)
    log = args.corpus / f"{args.target}-libfuzzer.log"
    dictionary = args.corpus / "mp4.dict"
    dictionary.write_text("".join(f'"{t.decode("latin-1")}"\n' for t in mutate.FOURCCS))
    prefix = crashes.folder / f"{args.target}-libfuzzer-"
    t0 = time.monotonic()
    stats_file = args.corpus / f"{args.target}-session.json"
    outcomes: collections.Counter[str] = collections.Counter()
    total = sessions = 0
    while total < args.runs:
        left = args.seconds - (time.monotonic() - t0)
        if left < 1:
            break
        before = set(crashes.folder.iterdir())
        flags = [f"-runs={args.runs - total}", f"-max_total_time={int(min(left, 10**9))}",
                 f"-timeout={max(1, round(args.timeout))}", f"-rss_limit_mb={args.memory_mb}",
                 f"-max_len={MAX_LEN}", f"-dict={dictionary}", f"-seed={args.seed + sessions}",
                 f"-artifact_prefix={prefix}", f"-report_slow_units={max(1, round(args.slow))}",
                 "-print_final_stats=1", "-print_pcs=0"]  # fmt: skip
        stats_file.unlink(missing_ok=True)
        cmd = [sys.executable, __file__, "_libfuzzer", args.target, "--crashes",
               str(crashes.folder), "--memory-mb", str(args.memory_mb), "--stats",
               str(stats_file), "--", *flags, str(corpus), *map(str, folders)]  # fmt: skip
        with log.open("wb") as fh:
            proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT)
            proc.wait()
        # the child's input file, which libFuzzer's exit leaves behind
        scratch_path(args.target, proc.pid).unlink(missing_ok=True)
        text = log.read_text(errors="replace")
        done = _executed(text)
        total += done
        sessions += 1
        print(
            f"session {sessions}: {done} inputs (exit {proc.returncode}), {total} in all",
            file=sys.stderr,
            flush=True,
        )
        for p in sorted(set(crashes.folder.iterdir()) - before):
            if _adopt(p, prefix, text, crashes) == "slow-unit":
                outcomes[f"slow (over {max(1, round(args.slow))} s), the slowest kept"] += 1
        _merge_session(stats_file, before, crashes, outcomes)
        if proc.returncode == 0 and done == 0:
            break
    return {"inputs": total, "seconds": time.monotonic() - t0, "sessions": sessions,
            "corpus": sum(1 for _ in corpus.iterdir()), "outcomes": dict(outcomes)}  # fmt: skip


def _executed(log: str) -> int:
    m = re.findall(r"stat::number_of_executed_units: (\d+)", log)
    if m:
        return int(m[-1])
    m = re.findall(r"^#(\d+)\s", log, re.M)
    return int(m[-1]) if m else 0


def _adopt(p: Path, prefix: Path, log: str, crashes: Crashes) -> str:
    """A libFuzzer artifact (timeout-…, oom-…, crash-…) becomes a crash with a report; a
    slow unit (each new slowest input past the threshold) is kept as slow-….mp4.
    Returns the artifact's kind ("" for other files)."""
    if not p.name.startswith(prefix.name):
        return ""
    kind = next((k for k in LIBFUZZER_ARTIFACTS if p.name[len(prefix.name) :].startswith(k)), "")
    if not kind:
        return ""
    data = p.read_bytes()
    p.unlink()
    if kind == "slow-unit":
        (crashes.folder / f"slow-{crashes.target}-{hashlib.sha1(data).hexdigest()[:12]}.mp4"
         ).write_bytes(data)  # fmt: skip
        return kind
    lines = [ln for ln in log.splitlines() if "ERROR: libFuzzer" in ln or "SUMMARY" in ln]
    named = {"oom": "memory", "crash": "died"}.get(kind, kind)
    crashes.add(data, named, f"libFuzzer {named}", "\n".join(lines[-3:]))
    return kind


def _merge_session(
    stats_file: Path, before: set[Path], crashes: Crashes, outcomes: collections.Counter[str]
) -> None:
    """Add a libFuzzer session's counts (its child writes them every few thousand inputs,
    so those of its last moments before a stop may be missing) and any crash it saved
    after its last count."""
    try:
        stats = json.loads(stats_file.read_text())
    except (OSError, ValueError):
        stats = {"outcomes": {}, "crashes": {}}
    outcomes.update(stats["outcomes"])
    crashes.found.update(stats["crashes"])
    for txt in set(crashes.folder.glob("*.txt")) - before:
        first = txt.read_text(errors="replace").splitlines()[:1]
        sig = first[0].removeprefix("signature: ") if first else ""
        if sig and not sig.startswith("libFuzzer") and sig not in stats["crashes"]:
            crashes.found[sig] += 1


def libfuzzer_child(argv: list[str]) -> None:
    """The process libFuzzer runs in: instrumented mediacheck, one target."""
    ap = argparse.ArgumentParser()
    ap.add_argument("target")
    ap.add_argument("--crashes", type=Path)
    ap.add_argument("--memory-mb", type=int)
    ap.add_argument("--stats", type=Path)
    ns, rest = ap.parse_known_args(argv)
    rest = [a for a in rest if a != "--"]
    runs = next((int(a[6:]) for a in rest if a.startswith("-runs=")), -1)
    import atheris

    with atheris.instrument_imports(include=["mediacheck"]):
        import mediacheck.model  # noqa: F401
        import mediacheck.mp4  # noqa: F401
        import mediacheck.probe.mp4  # noqa: F401
    # the backstop for one allocation too large for libFuzzer's RSS check to see in time
    limit_memory(2 * ns.memory_mb)
    crashes = Crashes(ns.crashes, ns.target)
    scratch = scratch_path(ns.target)
    target = getattr(targets, ns.target)

    outcomes: collections.Counter[str] = collections.Counter()

    def one(data: bytes) -> None:
        scratch.write_bytes(data)
        try:
            outcomes[target(scratch)] += 1
        except Exception as exc:  # recorded, and the run goes on to the next input
            kind, detail, sig = describe(exc)
            outcomes[kind] += 1
            crashes.add(data, kind, sig, detail)
            _dump()
        done = sum(outcomes.values())
        if done % 1000 == 0 or done == runs:
            _dump()

    def _dump() -> None:
        ns.stats.write_text(json.dumps({"outcomes": outcomes, "crashes": crashes.found}))

    atheris.Setup([sys.argv[0], *rest], one)
    atheris.Fuzz()


# --- commands -----------------------------------------------------------------------------


def repro(target: str, path: Path, timeout: float, memory_mb: int) -> int:
    """Run one saved input again; the probe in a forked child (as when it was found)."""
    if target == "box":
        out = run_in_process(targets.box, path, timeout)
    else:
        targets.warm()
        out = Worker(targets.probe, timeout, memory_mb).run(path)
    print(f"{out.kind}: {out.detail}\n({out.seconds:.2f} s, peak {out.peak_mb:.0f} MB)")
    return 0 if out.kind == "ok" else 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_libfuzzer"]:
        libfuzzer_child(argv[1:])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    sub.add_parser("seeds", help="make (or find) the seed corpus and print its folder")
    r = sub.add_parser("repro", help="run one saved input again")
    r.add_argument("target", choices=("box", "probe"))
    r.add_argument("input", type=Path)
    for name in ("box", "probe"):
        p = sub.add_parser(name, help=f"fuzz the {name} target")
        p.add_argument("--engine", choices=("atheris", "random"), default=None)
        p.add_argument("--runs", type=int, default=10**12, help="inputs to run")
        p.add_argument("--seconds", type=float, default=float("inf"), help="time to run")
        p.add_argument("--seed", type=int, default=1)
        p.add_argument("--progress", type=int, default=0, help="print every N inputs")
        p.add_argument(
            "--mutated-only",
            action="store_true",
            help="random engine: mutations from the first input on, no seed as it is",
        )
        p.add_argument(
            "--inputs",
            type=Path,
            action="append",
            default=[],
            help="more input folders (default: seeds, and the box corpus)",
        )
    for p in (r, *(sub.choices[n] for n in ("box", "probe"))):
        p.add_argument(
            "--timeout", type=float, help="seconds one input may take (default: box 10, probe 30)"
        )
        p.add_argument("--memory-mb", type=int, help="memory one input may take (default 1024)")
        p.add_argument("--crashes", type=Path, default=HERE / "crashes")
        p.add_argument("--corpus", type=Path, default=HERE / "corpus")
    args = ap.parse_args(argv)
    if args.command in ("box", "probe", "repro"):
        box = (args.target if args.command == "repro" else args.command) == "box"
        args.timeout = args.timeout or (10.0 if box else 30.0)
        args.memory_mb = args.memory_mb or 1024
        args.slow = args.timeout / 10

    import seeds

    if args.command == "seeds":
        print(seeds.seed_dir(lambda s: print(s, file=sys.stderr)))
        return 0
    if args.command == "repro":
        return repro(args.target, args.input, args.timeout, args.memory_mb)
    if args.engine is None:
        args.engine = "atheris" if args.command == "box" and _have_atheris() else "random"
    if args.command == "probe" and args.engine == "atheris":
        ap.error("the probe runs in forked children: --engine random only")
    args.target = args.command
    folders = [seeds.seed_dir(lambda s: print(s, file=sys.stderr)), *args.inputs]
    if args.target == "probe" and not args.inputs:
        folders.append(args.corpus / "box")
    crashes = Crashes(args.crashes, args.target)
    run = run_atheris if args.engine == "atheris" else run_random
    stats = run(args, crashes, folders)
    stats |= {"target": args.target, "engine": args.engine,
              "rate_per_s": round(stats["inputs"] / max(stats["seconds"], 1e-9), 1),
              "seconds": round(stats["seconds"], 1), "crashes": dict(crashes.found)}  # fmt: skip
    print(json.dumps(stats, indent=1, ensure_ascii=False))
    return 1 if crashes.count else 0


def _have_atheris() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
