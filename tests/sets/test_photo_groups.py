"""photo_groups: exact, near-duplicate and similar groups, on hand-made hashes and on
the hashes probe_photo computes for the fixture photos."""

from __future__ import annotations

import functools
import random
import sys
from pathlib import Path

import pytest

from mediacheck.discover.sniff import is_junk, kind_of
from mediacheck.model import Facts
from mediacheck.probe.pixels import probe_photo
from mediacheck.sets.photo_groups import (
    DEFAULT_DUPLICATE,
    DEFAULT_SIMILAR,
    PhotoKey,
    Thresholds,
    group_photos,
    hamming,
    keys_from_facts,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fixtures"))  # not a package
import make_photos  # noqa: E402

BITS = 256


def flip(hex_hash: str, n: int, start: int = 0) -> str:
    """`hex_hash` with bits start … start+n-1 flipped."""
    value = int(hex_hash, 16) ^ (((1 << n) - 1) << start)
    return f"{value:0{len(hex_hash)}x}"


BASE = f"{random.Random(1).getrandbits(BITS):064x}"
OTHER = f"{random.Random(2).getrandbits(BITS):064x}"


def key(name: str, sha: str, phash: str, dhash: str | None = None) -> PhotoKey:
    return PhotoKey(Path(name), sha, {"phash": phash, "dhash": dhash or phash})


# ------------------------------------------------------------------ pure, by hand


def test_hamming() -> None:
    assert hamming("00", "ff") == 8
    assert hamming(BASE, BASE) == 0
    assert hamming(BASE, flip(BASE, 5)) == 5
    with pytest.raises(ValueError, match="different sizes"):
        hamming("00", "0000")


def test_exact_near_similar_and_distinct() -> None:
    photos = [
        key("a.jpg", "s1", BASE),
        key("a_copy.jpg", "s1", BASE),  # byte copy
        key("a_small.jpg", "s2", flip(BASE, 6)),  # resized: within the duplicate band
        key("a_burst.jpg", "s3", flip(BASE, 40)),  # similar band
        key("b.jpg", "s4", OTHER),
        key("c.jpg", "s5", flip(OTHER, 128)),  # far from everything
    ]
    g = group_photos(photos)
    assert [grp.paths for grp in g.exact] == [(Path("a.jpg"), Path("a_copy.jpg"))]
    assert [grp.paths for grp in g.near] == [
        (Path("a.jpg"), Path("a_copy.jpg"), Path("a_small.jpg"))
    ]
    assert g.near[0].max_distance == {"dhash": 6, "phash": 6}
    assert [grp.paths for grp in g.similar] == [
        (Path("a.jpg"), Path("a_burst.jpg"), Path("a_copy.jpg"), Path("a_small.jpg"))
    ]
    # Largest over the linking pairs: a–burst and a_copy–burst at 40, a_small–burst at 34.
    assert g.similar[0].max_distance == {"dhash": 40, "phash": 40}
    # a, a_copy and a_small are one photo; the burst, b and c are photos of their own.
    assert g.distinct == 4
    assert g.total == 6


def test_both_hashes_must_agree() -> None:
    # phash says "copy" but dhash says "another photo": not a duplicate, not similar.
    photos = [key("a.jpg", "s1", BASE, BASE), key("b.jpg", "s2", flip(BASE, 3), OTHER)]
    g = group_photos(photos)
    assert g.near == () and g.similar == ()
    assert g.distinct == 2


def test_threshold_edges() -> None:
    dup, sim = DEFAULT_DUPLICATE["phash"], DEFAULT_SIMILAR["phash"]
    at_dup = group_photos([key("a", "1", BASE), key("b", "2", flip(BASE, dup))])
    assert len(at_dup.near) == 1 and at_dup.distinct == 1
    past_dup = group_photos([key("a", "1", BASE), key("b", "2", flip(BASE, dup + 1))])
    assert past_dup.near == () and len(past_dup.similar) == 1 and past_dup.distinct == 2
    past_sim = group_photos([key("a", "1", BASE), key("b", "2", flip(BASE, sim + 1))])
    assert past_sim.similar == () and past_sim.distinct == 2


def test_chains_link_transitively() -> None:
    # a~b and b~c within the threshold, a and c not: single linkage keeps one group.
    photos = [
        key("a", "1", BASE),
        key("b", "2", flip(BASE, 15)),
        key("c", "3", flip(BASE, 30)),
    ]
    g = group_photos(photos)
    assert [len(grp.paths) for grp in g.near] == [3]
    assert g.distinct == 1


def test_photos_without_hashes_only_match_by_bytes() -> None:
    photos = [
        PhotoKey("broken1.jpg", "same", {}),
        PhotoKey("broken2.jpg", "same", {}),
        PhotoKey("broken3.jpg", "other", {}),
        key("ok.jpg", "x", BASE),
    ]
    g = group_photos(photos)
    assert [grp.paths for grp in g.exact] == [(Path("broken1.jpg"), Path("broken2.jpg"))]
    assert g.near == ()  # an exact group alone is not also a near group
    assert g.distinct == 3


def test_plain_tuples_and_custom_thresholds() -> None:
    photos = [("a", "1", {"phash": BASE}), ("b", "2", {"phash": flip(BASE, 30)})]
    th = Thresholds(duplicate={"phash": 30}, similar={"phash": 60})
    assert group_photos(photos, th).distinct == 1
    assert group_photos(photos, Thresholds({"phash": 10}, {"phash": 60})).distinct == 2


def test_bad_thresholds() -> None:
    with pytest.raises(ValueError):
        Thresholds(duplicate={"phash": 50}, similar={"phash": 20})
    with pytest.raises(ValueError):
        Thresholds(duplicate={"phash": 10}, similar={"dhash": 20})


def test_unrelated_hashes_never_group() -> None:
    rng = random.Random(7)
    photos = [
        key(f"p{i}", f"s{i}", f"{rng.getrandbits(BITS):064x}", f"{rng.getrandbits(BITS):064x}")
        for i in range(500)
    ]
    g = group_photos(photos)
    assert g.exact == g.near == g.similar == ()
    assert g.distinct == 500


def test_keys_from_facts_skips_files_without_bytes() -> None:
    ok = Facts(Path("a.jpg"), "photo")
    ok.set("file.sha256", "s1")
    ok.set("photo.phash", BASE)
    ok.set("photo.dhash", BASE)
    broken = Facts(Path("b.jpg"), "photo")
    broken.set("file.sha256", "s2")  # hashed bytes but did not decode
    unreadable = Facts(Path("c.jpg"), "photo")
    keys = keys_from_facts([ok, broken, unreadable])
    assert keys == [
        PhotoKey(Path("a.jpg"), "s1", {"phash": BASE, "dhash": BASE}),
        PhotoKey(Path("b.jpg"), "s2", {}),
    ]


# ------------------------------------------------------- real hashes of the fixtures

COPIES = [
    "copy_a",
    "resized_a",
    "thumb_a",
    "recompressed_a_q60",
    "recompressed_a_q90",
    "resaved_a_png",
    "rotated_a",
]
DISTINCT = ["photo_b", "photo_c", "photo_d", "photo_e", "photo_f", "same_room_1", "same_room_2"]


@functools.cache
def probed(name: str) -> Facts:
    return probe_photo(make_photos.get(name))


def distances(a: str, b: str) -> dict[str, int]:
    fa, fb = probed(a), probed(b)
    return {
        h: hamming(fa.get(f"photo.{h}").value, fb.get(f"photo.{h}").value)
        for h in ("phash", "dhash")
    }


@pytest.mark.parametrize("copy", COPIES)
def test_every_kind_of_copy_is_within_the_duplicate_threshold(copy: str) -> None:
    d = distances("photo_a", copy)
    assert all(d[h] <= DEFAULT_DUPLICATE[h] for h in d), d


def test_burst_lands_in_the_similar_band() -> None:
    d = distances("photo_a", "burst_a")
    assert any(d[h] > DEFAULT_DUPLICATE[h] for h in d), d
    assert all(d[h] <= DEFAULT_SIMILAR[h] for h in d), d


@pytest.mark.parametrize("other", DISTINCT + ["burst_a"])
def test_distinct_photos_are_outside_the_similar_band(other: str) -> None:
    for first in ["photo_a"] + DISTINCT:
        if first == other:
            continue
        d = distances(first, other)
        if other == "burst_a" and first == "photo_a":
            continue  # the burst's own original
        assert any(d[h] > DEFAULT_SIMILAR[h] for h in d), (first, other, d)


def test_grouping_the_fixture_set() -> None:
    names = ["photo_a", *COPIES, "burst_a", *DISTINCT]
    g = group_photos(keys_from_facts(probed(n) for n in names))
    path = {n: make_photos.get(n) for n in names}
    assert [grp.paths for grp in g.exact] == [tuple(sorted([path["photo_a"], path["copy_a"]]))]
    assert len(g.near) == 1
    assert set(g.near[0].paths) == {path["photo_a"], *(path[c] for c in COPIES)}
    assert len(g.similar) == 1
    assert set(g.similar[0].paths) == set(g.near[0].paths) | {path["burst_a"]}
    # photo_a with its 7 copies counts once; the burst and the 7 others count.
    assert g.distinct == 1 + 1 + len(DISTINCT)


def test_case_folder() -> None:
    folder = make_photos.get("case")
    photos = sorted(p for p in folder.iterdir() if not is_junk(p.name) and kind_of(p) == "photo")
    assert [p.name for p in photos] == [f"活动照片{i}.jpg" for i in range(1, 6)]
    g = group_photos(keys_from_facts(probe_photo(p) for p in photos))
    assert g.exact == ()
    assert [[p.name for p in grp.paths] for grp in g.near] == [["活动照片1.jpg", "活动照片5.jpg"]]
    assert g.distinct == 4  # 5 files, 4 photos: P-COUNT (>= 5) fails once repeats count once
