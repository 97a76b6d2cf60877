#!/usr/bin/env python3
"""The table kind on big sheets: time and peak memory to probe a statistics table.

    python benchmarks/bench_table.py                 # 100,000 rows, 5 runs
    python benchmarks/bench_table.py --rows 1000000  # Excel's limit (~1 M rows)

Each probe runs in a fresh process (so imports and openpyxl's caches are the same for
every run) that reports the wall time of `probe.table.probe` and its peak resident memory
(VmHWM, reset after the imports: a child inherits its parent's peak over fork), beside
the resident memory after the imports alone. The sheet is the fixtures' many-rows table
(fixtures/make_tables.py): the notice's header, then identical data rows, written without
a <dimension> element — the case where openpyxl alone would scan the whole sheet first.
Also timed: openpyxl's own read-only load of the same file, for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "fixtures"))
import make_tables  # noqa: E402

CHILD = """
import json, sys, time
def hwm():  # peak RSS in KiB since the last reset (Linux); ru_maxrss elsewhere
    try:
        with open("/proc/self/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("VmHWM"))
    except OSError:
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
def reset():  # ru_maxrss and VmHWM carry the parent's peak over fork: start afresh
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass

import openpyxl
from mediacheck.probe import table
from mediacheck.probe.table_layout import default_layout
default_layout()
reset()
before = hwm()
t = time.perf_counter()
if sys.argv[2] == "probe":
    facts = table.probe(sys.argv[1])
    assert facts.error is None, facts.error
else:  # openpyxl alone: open read-only (it sizes every sheet) and read the first 60 rows
    wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
    rows = list(wb.worksheets[0].iter_rows(max_row=60, values_only=True))
    wb.close()
seconds = time.perf_counter() - t
after = hwm()
print(json.dumps({"s": seconds, "mib": after / 1024, "base": before / 1024}))
"""


def run(path: Path, what: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(HERE.parent / "src")}
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), what], env=env,
                         capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = make_tables.make_many_rows(Path(tmp) / "many.xlsx", args.rows)
        print(f"{args.rows:,} rows, {path.stat().st_size:,} bytes")
        for what in ("probe", "openpyxl"):
            got = [run(path, what) for _ in range(args.runs)]
            secs = statistics.median(g["s"] for g in got)
            mib = max(g["mib"] for g in got)
            base = max(g["base"] for g in got)
            print(f"{what:>9}: median {secs:.3f} s over {args.runs} runs; peak RSS {mib:.1f} MiB "
                  f"(after imports: {base:.1f} MiB)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
