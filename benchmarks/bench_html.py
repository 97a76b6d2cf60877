#!/usr/bin/env python3
"""`--format html` on the two big cases: the hour-long lesson and the 500-photo set.

    python benchmarks/bench_html.py [--runs 3] [--count 500] [--jobs 2] [--json]

Reuses the cached media of the other benchmarks (made on first use, which takes long):
`bench_video.py`'s compliant 1-hour 1080p25 lesson (benchmarks/cache/, ~1.6 GB) and
`bench_photos.py`'s set of 12-MP JPEGs with ~10 % planted copies. For each, on a warm
page cache, the check itself once (what any format costs), then `--runs` times:

- previews: `report.html.gather` — for the lesson, four frames cut by ffmpeg; for the
  photos, one preview each (Pillow draft + EXIF turn) and the duplicate groups hashed
  again (the report shows the very groups the verdict counted; "(groups)" is that pass
  alone, timed once more on its own: it goes once results carry their evidence);
- render: `report.html.render` with those previews (the page itself);
- the HTML's size, and how much of it is previews (data: URIs).

Also the CSV and XLSX of the same runs (time and size), which need no previews.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
try:
    import mediacheck  # noqa: F401
except ImportError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(HERE.parent / "src"))

import bench_photos  # noqa: E402
import bench_video  # noqa: E402

from mediacheck import app  # noqa: E402
from mediacheck.model import RunResult  # noqa: E402
from mediacheck.profile import Profile, load_profile  # noqa: E402
from mediacheck.report import csv as report_csv  # noqa: E402
from mediacheck.report import html as report_html  # noqa: E402
from mediacheck.report import xlsx as report_xlsx  # noqa: E402
from mediacheck.report.parts import evidence  # noqa: E402


@dataclass(frozen=True)
class Ctx:
    lang: str
    root: Path
    profile: Profile | None
    strict: bool = False
    listed: tuple = ()


def timed(fn, *args, **kw) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - start


def measure(name: str, run: RunResult, check_s: float, root: Path, profile: Profile,
            runs: int) -> dict[str, Any]:  # fmt: skip
    ctx = Ctx("zh", root, profile)
    gathers, renders = [], []
    page = ""
    for _ in range(runs):
        previews, g = timed(report_html.gather, run, profile)
        page, r = timed(report_html.render, run, ctx, previews=previews)
        gathers.append(g)
        renders.append(r)
    size = len(page.encode("utf-8"))
    uris = sum(len(u) for u in re.findall(r'src="(data:[^"]+)"', page))
    # of the previews, how much is hashing the photos again for the duplicate groups
    photos = [r.path for r in run.files if r.kind == "photo"]
    cases = [r for r in run.files if evidence.wants_groups(r, profile)]
    groups_s = sum(timed(evidence.case_groups, r.path, photos, profile)[1] for r in cases)
    sheet_csv, csv_s = timed(report_csv.render, run, ctx)
    sheet_xlsx, xlsx_s = timed(report_xlsx.render, run, ctx)
    return {
        "case": name,
        "subjects": len(run.files),
        "check_s": round(check_s, 2),
        "previews_s": round(statistics.median(gathers), 2),
        "of_which_groups_s": round(groups_s, 2),
        "render_s": round(statistics.median(renders), 3),
        "html_bytes": size,
        "preview_bytes": uris,
        "previews": page.count('src="data:'),
        "csv_s": round(csv_s, 3),
        "csv_bytes": len(sheet_csv.encode("utf-8")),
        "xlsx_s": round(xlsx_s, 3),
        "xlsx_bytes": len(sheet_xlsx),
    }


def lesson_case(profile: Profile, runs: int) -> dict[str, Any]:
    v = bench_video
    media = v.make_media(v.DEFAULT_CACHE, v.MEDIA_NAME, v.SEGMENT_S, v.COPIES, 1920, 1080)
    run, check_s = timed(app.check_files, [media], profile, "video")
    return measure("1-hour lesson", run, check_s, media.parent, profile, runs)


def photos_case(profile: Profile, count: int, jobs: int, runs: int) -> dict[str, Any]:
    paths = bench_photos.build_set(count, jobs)
    run, check_s = timed(app.check_photos, paths, profile, jobs=jobs)
    return measure(f"{count} photos", run, check_s, bench_photos.CACHE, profile, runs)


def mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--count", type=int, default=500, help="photos in the set (500)")
    parser.add_argument("--jobs", type=int, default=2, help="workers for photo hashing (2)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    profile = load_profile()
    rows = [lesson_case(profile, args.runs), photos_case(profile, args.count, args.jobs, args.runs)]
    if args.json:
        print(json.dumps({"cpus": os.cpu_count(), "runs": args.runs, "cases": rows}, indent=2))
        return 0
    print(f"--format html, median of {args.runs} runs, {os.cpu_count()} CPUs, warm page cache")
    head = (
        f"{'case':<14} {'subjects':>8} {'check':>8} {'previews':>9} {'(groups)':>9} {'render':>8} "
    )
    head += f"{'HTML':>10} {'of it previews':>15} {'CSV':>9} {'XLSX':>9}"
    print(head)
    for r in rows:
        print(f"{r['case']:<14} {r['subjects']:>8} {r['check_s']:>7.2f}s {r['previews_s']:>8.2f}s "
              f"{r['of_which_groups_s']:>8.2f}s "
              f"{r['render_s']:>7.3f}s {mb(r['html_bytes']):>10} "
              f"{mb(r['preview_bytes']):>9} ({r['previews']:>3}) "
              f"{mb(r['csv_bytes']):>9} {mb(r['xlsx_bytes']):>9}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
