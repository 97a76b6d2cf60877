#!/usr/bin/env python3
"""P-UNIQUE speed and accuracy: mediacheck's photo path against a naive baseline.

    python benchmarks/bench_photos.py               # 500 12-MP JPEGs (first run builds them)
    python benchmarks/bench_photos.py --count 100   # a smaller set
    python benchmarks/bench_photos.py --jobs 2 --baseline-jobs 1

The set: ``count`` 12-MP (4000×3000) photo-like JPEGs of 2–4 MB, about 10 % of them
planted copies of another photo in the set — byte copies, resized to half size,
recompressed at quality 70, and EXIF-rotated (pixels turned, Orientation 6 or 8). It
is cached in ``benchmarks/cache/photos-v<GEN_VERSION>/``; photo *i* is the same in
every set size, so a smaller run reuses a larger run's files.

Timed in the same run, on a warm page cache:

- **fast**: `probe_photos` (libjpeg scaled decode at 1/8, 256-bit phash + dhash, SHA-256,
  every other photo fact) in ``--jobs`` worker processes, then `group_photos`;
- **baseline**: one process, full decode, `ImageOps.exif_transpose`, `imagehash.phash`
  (64 bits) on the full image, all pairs compared at Hamming distance ≤ 5 (the same
  8 % of the bits as the fast path's 20 of 256);
- **djpeg -scale 1/8 -grayscale** (Debian's libjpeg-turbo-progs), one process per file,
  output discarded: libjpeg's scaled decode alone, what the fast path asks of libjpeg.
  Every path must read each file's whole entropy-coded stream (a truncated photo must
  fail P-DECODES), and that Huffman pass is most of the work: djpeg's CPU time is the
  floor, and baseline CPU / djpeg CPU the most any such path can gain.

After the timings (untimed): the fast path's pHash and dHash are compared with
imagehash's on the same small images (they must be equal: probe/photo_hash.py computes
imagehash's values without scipy).

Accuracy is per pair: a true pair is two files showing one photo (an original and its
copy, or two copies of one original); recall = true pairs found / true pairs,
precision = true pairs found / pairs reported.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import imagehash
import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageOps

try:
    import mediacheck  # noqa: F401
except ImportError:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from mediacheck.probe.pixels import probe_photos
from mediacheck.sets.photo_groups import (
    DEFAULT_DUPLICATE,
    DEFAULT_SIMILAR,
    group_photos,
    keys_from_facts,
)

GEN_VERSION = 1  # bump when the generator changes: the cache folder name follows it
CACHE = Path(__file__).resolve().parent / "cache" / f"photos-v{GEN_VERSION}"
W, H = 4000, 3000
TEXTURES = 4  # grain textures shared by all photos; the scene differs per photo
DUP_KINDS = ("copy", "resized", "recompressed", "rotated")
BASELINE_THRESHOLD = 5  # bits of 64


# ------------------------------------------------------------------ the photo set


def plan(count: int) -> list[tuple[str, int, str | None]]:
    """(file name, source original, copy kind or None) for a set of `count` files."""
    n_dup = count // 10
    n_orig = count - n_dup
    items: list[tuple[str, int, str | None]] = [
        (f"orig_{i:04d}.jpg", i, None) for i in range(n_orig)
    ]
    for j in range(n_dup):
        src = (j * 9) % n_orig  # spread over the set; stable for small j across sizes
        kind = DUP_KINDS[j % len(DUP_KINDS)]
        items.append((f"dup_{j:04d}_{kind}_of_{src:04d}.jpg", src, kind))
    return items


_textures: list[Image.Image] = []


def _texture(k: int) -> Image.Image:
    # Sensor-like grain: what makes a 12-MP JPEG weigh 2-4 MB. Built once per process.
    while len(_textures) <= k:
        rng = np.random.default_rng(7_000 + len(_textures))
        noise = rng.integers(112, 145, size=(H, W, 3), dtype=np.uint8)
        _textures.append(Image.fromarray(noise, "RGB"))
    return _textures[k]


def original(i: int) -> Image.Image:
    rng = np.random.default_rng(i)
    grid = rng.integers(0, 256, size=(4, 6, 3), dtype=np.uint8)
    img = Image.fromarray(grid, "RGB").resize((W, H), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(img)
    for _ in range(int(rng.integers(12, 24))):
        x0, y0 = int(rng.integers(0, W)), int(rng.integers(0, H))
        sw, sh = int(rng.integers(W // 20, W // 4)), int(rng.integers(H // 20, H // 4))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(
            [x0, y0, x0 + sw, y0 + sh], fill=colour
        )
    return ImageChops.add(img, _texture(i % TEXTURES), 1.0, -128)


def _save(im: Image.Image, out: Path, **kw) -> None:
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    im.save(tmp, "JPEG", **kw)
    os.replace(tmp, out)


def build_one(name: str, src: int, kind: str | None) -> None:
    out = CACHE / name
    if out.exists():
        return
    if kind is None:
        _save(original(src), out, quality=92)
        return
    source = CACHE / f"orig_{src:04d}.jpg"
    build_one(source.name, src, None)
    if kind == "copy":
        tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        shutil.copyfile(source, tmp)
        os.replace(tmp, out)
        return
    im = Image.open(source)
    if kind == "resized":
        _save(im.resize((W // 2, H // 2), Image.Resampling.LANCZOS), out, quality=90)
    elif kind == "recompressed":
        _save(im, out, quality=70)
    else:  # rotated: pixels turned, the EXIF tag turns them back for display
        turn, tag = (Image.Transpose.ROTATE_90, 6) if src % 2 else (Image.Transpose.ROTATE_270, 8)
        exif = Image.Exif()
        exif[0x0112] = tag
        _save(im.transpose(turn), out, quality=92, exif=exif.tobytes())


def _build_many(items: list[tuple[str, int, str | None]]) -> None:
    for name, src, kind in items:
        build_one(name, src, kind)


def build_set(count: int, jobs: int) -> list[Path]:
    CACHE.mkdir(parents=True, exist_ok=True)
    items = plan(count)
    todo = [it for it in items if not (CACHE / it[0]).exists()]
    if todo:
        print(f"generating {len(todo)} photos into {CACHE} …", flush=True)
        t0 = time.perf_counter()
        # Originals first (copies read them), split across workers in interleaved slices.
        originals = [it for it in todo if it[2] is None]
        copies = [it for it in todo if it[2] is not None]
        with ProcessPoolExecutor(max_workers=jobs) as ex:
            for batch in (originals, copies):
                list(ex.map(_build_many, [batch[k::jobs] for k in range(jobs)]))
        print(f"  generated in {time.perf_counter() - t0:.1f} s", flush=True)
    return [CACHE / name for name, _, _ in items]


def true_pairs(count: int) -> set[frozenset[str]]:
    clusters: dict[int, list[str]] = {}
    for name, src, _ in plan(count):
        clusters.setdefault(src, []).append(name)
    return {frozenset(p) for names in clusters.values() for p in itertools.combinations(names, 2)}


# ------------------------------------------------------------------ the two paths


_last_facts: list = []


def fast(paths: list[Path], jobs: int) -> tuple[set[frozenset[str]], float, float]:
    t0 = time.perf_counter()
    facts = list(probe_photos(paths, jobs=jobs))
    _last_facts[:] = facts  # for the distance report, outside the timing
    t1 = time.perf_counter()
    grouping = group_photos(keys_from_facts(facts))
    t2 = time.perf_counter()
    found = set()
    for group in (*grouping.exact, *grouping.near):
        for a, b in itertools.combinations(group.paths, 2):
            found.add(frozenset((a.name, b.name)))
    failed = [f.path.name for f in facts if f.error or f.get("photo.phash") is None]
    if failed:
        print(f"  fast path could not hash: {failed}")
    return found, t1 - t0, t2 - t1


def _baseline_hash(path: Path) -> str:
    with Image.open(path) as im:
        im.load()  # full-size decode
        return str(imagehash.phash(ImageOps.exif_transpose(im)))


def baseline(paths: list[Path], jobs: int) -> tuple[set[frozenset[str]], float, float]:
    t0 = time.perf_counter()
    if jobs <= 1:
        hashes = [_baseline_hash(p) for p in paths]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as ex:
            hashes = list(ex.map(_baseline_hash, paths, chunksize=8))
    t1 = time.perf_counter()
    ints = [int(h, 16) for h in hashes]
    found = set()
    for i, j in itertools.combinations(range(len(paths)), 2):
        if (ints[i] ^ ints[j]).bit_count() <= BASELINE_THRESHOLD:
            found.add(frozenset((paths[i].name, paths[j].name)))
    return found, t1 - t0, time.perf_counter() - t1


def djpeg(paths: list[Path], jobs: int) -> tuple[set[frozenset[str]], float, float]:
    t0 = time.perf_counter()
    for path in paths:
        subprocess.run(["djpeg", "-scale", "1/8", "-grayscale", "-outfile", os.devnull,
                        str(path)], check=True)  # fmt: skip
    return set(), time.perf_counter() - t0, 0.0


def _same_as_imagehash(paths: list[Path]) -> tuple[int, list[str]]:
    """The fast path's hashes against imagehash's on the image the prober hashed."""
    from mediacheck.probe.pixels import _hash_input, _orientation

    ours = {f.path: (f.get("photo.phash"), f.get("photo.dhash")) for f in _last_facts}
    differ = []
    for path in paths:
        with Image.open(path) as im:
            orientation = _orientation(im)
            im.draft("L", (128, 128))
            im.load()
            small = _hash_input(im, orientation)
        want = (str(imagehash.phash(small, 16)), str(imagehash.dhash(small, 16)))
        got = tuple(fact.value if fact else None for fact in ours[path])
        if got != want:
            differ.append(path.name)
    return len(paths) - len(differ), differ


def _distance_report(truth: set[frozenset[str]]) -> None:
    """How far apart the fast path's hashes put copies and different photos."""
    hashes = {
        f.path.name: [int(f.get(f"photo.{h}").value, 16) for h in ("phash", "dhash")]
        for f in _last_facts
        if f.get("photo.phash") is not None
    }
    copies: list[tuple[int, int]] = []
    others: list[tuple[int, int]] = []
    for a, b in itertools.combinations(sorted(hashes), 2):
        d = tuple((x ^ y).bit_count() for x, y in zip(hashes[a], hashes[b], strict=True))
        (copies if frozenset((a, b)) in truth else others).append(d)
    print(
        f"\nfast-path distances (phash/dhash, of 256 bits): copies at most "
        f"{max(c[0] for c in copies)}/{max(c[1] for c in copies)}; "
        f"different photos at least {min(o[0] for o in others)}/{min(o[1] for o in others)} "
        f"(a duplicate needs <= {DEFAULT_DUPLICATE['phash']}/{DEFAULT_DUPLICATE['dhash']})"
    )
    sim = (DEFAULT_SIMILAR["phash"], DEFAULT_SIMILAR["dhash"])
    near_others = sum(1 for o in others if o[0] <= sim[0] and o[1] <= sim[1])
    print(
        f"different-photo pairs inside the 'similar' band (<= {sim[0]}/{sim[1]}): "
        f"{near_others} of {len(others)}"
    )


def _cpu_seconds() -> float:
    # This process plus reaped children (pool workers are reaped at shutdown).
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _score(found: set[frozenset[str]], truth: set[frozenset[str]]) -> tuple[float, float, int]:
    hits = len(found & truth)
    recall = hits / len(truth) if truth else 1.0
    precision = hits / len(found) if found else 1.0
    return recall, precision, len(found - truth)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=500, help="photos in the set (500)")
    parser.add_argument("--jobs", type=int, default=2, help="workers for the fast path (2)")
    parser.add_argument(
        "--baseline-jobs", type=int, default=1, help="processes for the baseline (1: naive)"
    )
    args = parser.parse_args(argv)

    paths = build_set(args.count, max(1, args.jobs))
    truth = true_pairs(args.count)
    size = sum(p.stat().st_size for p in paths)
    print(
        f"{len(paths)} photos, {size / len(paths) / 1e6:.2f} MB average "
        f"(min {min(p.stat().st_size for p in paths) / 1e6:.2f} MB), "
        f"{len(truth)} true duplicate pairs; {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    for p in paths:  # warm the page cache so both paths read from memory
        hashlib.sha256(p.read_bytes())

    results = {}
    runs = [("fast", fast, args.jobs), ("baseline", baseline, args.baseline_jobs)]
    if shutil.which("djpeg"):
        runs.append(("djpeg 1/8", djpeg, 1))
    else:
        print("djpeg not found (apt-get install libjpeg-turbo-progs): the floor is not measured")
    for label, fn, jobs in runs:
        print(f"running {label} …", flush=True)
        cpu0 = _cpu_seconds()
        found, t_hash, t_group = fn(paths, jobs)
        cpu = _cpu_seconds() - cpu0
        results[label] = (t_hash + t_group, t_hash, t_group, cpu, *_score(found, truth))

    print()
    print(f"{'path':9} {'wall s':>8} {'hash s':>8} {'group s':>8} {'photos/s':>9} "
          f"{'CPU s':>8} {'recall':>7} {'precision':>9} {'false+':>6}")  # fmt: skip
    for label, (total, t_hash, t_group, cpu, recall, precision, false_pos) in results.items():
        accuracy = (f"{recall:7.1%} {precision:9.1%} {false_pos:6d}" if label != "djpeg 1/8"
                    else f"{'—':>7} {'—':>9} {'—':>6}")  # fmt: skip
        print(
            f"{label:9} {total:8.2f} {t_hash:8.2f} {t_group:8.3f} {len(paths) / total:9.1f} "
            f"{cpu:8.2f} {accuracy}"
        )
    _distance_report(truth)
    wall = results["baseline"][0] / results["fast"][0]
    cpu = results["baseline"][3] / results["fast"][3]
    print(
        f"\nfast path: {wall:.1f}× the baseline in wall time (jobs={args.jobs} vs "
        f"{args.baseline_jobs}), {cpu:.1f}× in CPU time (what one core would see); "
        f"load average now {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
    )
    print("bytes per CPU second (all files' bytes / the path's CPU time):")
    for label, row in results.items():
        print(f"  {label:9} {size / row[3] / 1e6:7.1f} MB/s")
    if "djpeg 1/8" in results:
        floor = results["djpeg 1/8"][3]
        print(
            f"fast path / djpeg -scale 1/8: {results['fast'][3] / floor:.2f}× djpeg's CPU time; "
            f"baseline / djpeg: {results['baseline'][3] / floor:.1f}× (the most a path that "
            f"reads every file's whole JPEG stream can gain over the baseline)"
        )
    same, differ = _same_as_imagehash(paths)
    print(f"pHash and dHash equal to imagehash's: {same} of {len(paths)} photos"
          + (f"; differ: {', '.join(differ[:10])}" if differ else ""))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
