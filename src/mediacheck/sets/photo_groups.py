"""Group a case's photos into repeats for P-UNIQUE (照片内容不重复). Pure: no I/O.

Input: one `PhotoKey(path, sha256, hashes)` per photo, `hashes` mapping a hash name to
a hex string (``photo.phash`` / ``photo.dhash`` facts, 256 bits each). Output: a
`Grouping` with

- ``exact``: byte-identical files (same SHA-256);
- ``near``: copies of one photo — resized, recompressed, re-saved (PNG), EXIF-rotated:
  every hash within its *duplicate* threshold. A near group lists all its files,
  byte copies included, and has at least two different SHA-256s;
- ``similar``: different shots of one moment (a burst, a small camera move): every
  hash within its *similar* threshold but not a duplicate. A warning, not a repeat;
- ``distinct``: the number of different photos, each exact/near group counting once
  (what P-COUNT should count when repeats must not pad the total).

Linking is single-linkage (union-find): if A~B and B~C, A, B and C form one group.

Default thresholds (Hamming distance, bits out of 256). Measured with `probe_photo` on
the fixtures (fixtures/make_photos.py, 3000×2000; the bands are asserted in
tests/test_photo_groups.py), plus variants tried while choosing them ("tried": one-off
runs of the same generator, not kept as fixtures):

=============================================  ==========  ==========
pair                                           phash       dhash
=============================================  ==========  ==========
byte copy                                      0           0
resized to 1600 px, JPEG q90                   4           5
chat-app copy: 640 px, q60                     2           4
recompressed q60 / q90                         0           2
re-saved as PNG                                0           2
EXIF-rotated (pixels turned + Orientation 6)   2           1
tried: 1 % crop                                16          4
tried: GIF re-save (256-colour palette)        14          5
tried: +15 % contrast                          10          10
**duplicate threshold**                        **≤ 20**    **≤ 20**
tried: burst, 0.7 % camera shift               22          14
tried: burst, 3 % zoom                         30          10
burst: 2 % / 1.5 % camera shift, new grain     52          33
tried: burst, 3.3 % camera shift               80          67
**similar threshold**                          **≤ 88**    **≤ 88**
same room, other people (3 photos)             106 – 124   57 – 70
distinct scenes                                ≥ 120       ≥ 104
=============================================  ==========  ==========

Both hashes must agree (AND): dhash alone puts another photo of the same room (57)
near a burst (33–67); phash separates those but moves more under heavy edits. On the
500-photo benchmark set the two bands are far apart (see benchmarks/bench_photos.py).
Real photos are less tidy than synthetic ones: the thresholds are profile values.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

DEFAULT_DUPLICATE: dict[str, int] = {"phash": 20, "dhash": 20}
DEFAULT_SIMILAR: dict[str, int] = {"phash": 88, "dhash": 88}


class PhotoKey(NamedTuple):
    path: Path | str
    sha256: str
    hashes: Mapping[str, str]  # hash name -> hex; empty when the photo did not decode


@dataclass(frozen=True)
class Thresholds:
    """Largest Hamming distance, per hash name, for a pair to be linked."""

    duplicate: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_DUPLICATE))
    similar: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_SIMILAR))

    def __post_init__(self) -> None:
        if set(self.duplicate) != set(self.similar):
            raise ValueError("duplicate and similar thresholds must name the same hashes")
        for name, dup in self.duplicate.items():
            if not 0 <= dup <= self.similar[name]:
                raise ValueError(f"{name}: need 0 <= duplicate <= similar")


@dataclass(frozen=True)
class Group:
    kind: str  # "exact", "near" or "similar"
    paths: tuple[Path, ...]  # sorted
    # Largest distance per hash over the pairs that linked the group (0s for exact).
    max_distance: Mapping[str, int]


@dataclass(frozen=True)
class Grouping:
    exact: tuple[Group, ...]
    near: tuple[Group, ...]
    similar: tuple[Group, ...]
    distinct: int
    total: int


def hamming(a: str, b: str) -> int:
    """Number of differing bits between two equal-length hex hashes."""
    if len(a) != len(b):
        raise ValueError(f"hashes of different sizes: {len(a) * 4} vs {len(b) * 4} bits")
    return (int(a, 16) ^ int(b, 16)).bit_count()


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]  # path halving
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)  # smallest index as root: stable output

    def components(self) -> dict[int, list[int]]:
        comps: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            comps.setdefault(self.find(i), []).append(i)
        return comps


def group_photos(
    photos: Iterable[PhotoKey | tuple[Any, str, Mapping[str, str]]],
    thresholds: Thresholds | None = None,
) -> Grouping:
    """Exact, near-duplicate and similar groups, and the count of distinct photos."""
    th = thresholds or Thresholds()
    items = [PhotoKey(Path(p), s, h) for p, s, h in photos]
    names = sorted(th.duplicate)
    n = len(items)
    # Hashes as ints once; a photo lacking any named hash is only matched by SHA-256.
    ints: list[tuple[int, ...] | None] = []
    lengths: list[tuple[int, ...] | None] = []
    for it in items:
        if all(it.hashes.get(k) for k in names):
            ints.append(tuple(int(it.hashes[k], 16) for k in names))
            lengths.append(tuple(len(it.hashes[k]) for k in names))
        else:
            ints.append(None)
            lengths.append(None)

    dup = _UnionFind(n)
    by_sha: dict[str, int] = {}
    for i, it in enumerate(items):
        if it.sha256:
            first = by_sha.setdefault(it.sha256, i)
            dup.union(first, i)

    dup_lim = tuple(th.duplicate[k] for k in names)
    sim_lim = tuple(th.similar[k] for k in names)
    dup_edges: list[tuple[int, int, tuple[int, ...]]] = []
    sim_edges: list[tuple[int, int, tuple[int, ...]]] = []
    first_sim = sim_lim[0]
    for i in range(n):
        hi = ints[i]
        if hi is None:
            continue
        hi0 = hi[0]
        for j in range(i + 1, n):
            hj = ints[j]
            # Cheap reject first: almost every pair of a case is two different photos.
            if hj is None or (hi0 ^ hj[0]).bit_count() > first_sim:
                continue
            if lengths[i] != lengths[j]:
                continue  # hashes of different sizes cannot be compared
            if items[i].sha256 and items[i].sha256 == items[j].sha256:
                continue  # already one photo
            d = tuple((a ^ b).bit_count() for a, b in zip(hi, hj, strict=True))
            if all(x <= lim for x, lim in zip(d, dup_lim, strict=True)):
                dup_edges.append((i, j, d))
                dup.union(i, j)
            elif all(x <= lim for x, lim in zip(d, sim_lim, strict=True)):
                sim_edges.append((i, j, d))

    exact = [
        _group("exact", items, members, dict.fromkeys(names, 0)) for members in _sha_groups(items)
    ]
    comps = dup.components()
    near = []
    for root, members in comps.items():
        if len({items[m].sha256 for m in members}) > 1:
            near.append(_group("near", items, members, _max_dist(names, dup_edges, dup, root)))

    # Similar: link whole duplicate components, so a burst of copies is one group.
    roots = sorted(comps)
    index = {r: k for k, r in enumerate(roots)}
    sim = _UnionFind(len(roots))
    linked: list[tuple[int, int, tuple[int, ...]]] = []
    for i, j, d in sim_edges:
        ri, rj = dup.find(i), dup.find(j)
        if ri != rj:
            sim.union(index[ri], index[rj])
            linked.append((ri, rj, d))
    similar = []
    for sroot, comp_ids in sim.components().items():
        if len(comp_ids) < 2:
            continue
        members = [m for c in comp_ids for m in comps[roots[c]]]
        worst = dict.fromkeys(names, 0)
        for ri, _rj, d in linked:
            if sim.find(index[ri]) == sroot:
                for k, x in zip(names, d, strict=True):
                    worst[k] = max(worst[k], x)
        similar.append(_group("similar", items, members, worst))

    return Grouping(
        exact=tuple(sorted(exact, key=lambda g: g.paths)),
        near=tuple(sorted(near, key=lambda g: g.paths)),
        similar=tuple(sorted(similar, key=lambda g: g.paths)),
        distinct=len(comps),
        total=n,
    )


def keys_from_facts(facts_list: Iterable[Any]) -> list[PhotoKey]:
    """`PhotoKey`s from probe `Facts` (``file.sha256``, ``photo.phash``, ``photo.dhash``).

    Files without a SHA-256 (unreadable, empty) are left out: they are no photo to count.
    """
    keys = []
    for facts in facts_list:
        sha = facts.get("file.sha256")
        if sha is None:
            continue
        hashes = {}
        for name in ("phash", "dhash"):
            fact = facts.get(f"photo.{name}")
            if fact is not None:
                hashes[name] = fact.value
        keys.append(PhotoKey(facts.path, sha.value, hashes))
    return keys


def _sha_groups(items: Sequence[PhotoKey]) -> list[list[int]]:
    groups: dict[str, list[int]] = {}
    for i, it in enumerate(items):
        if it.sha256:
            groups.setdefault(it.sha256, []).append(i)
    return [g for g in groups.values() if len(g) > 1]


def _max_dist(
    names: list[str], edges: list[tuple[int, int, tuple[int, ...]]], uf: _UnionFind, root: int
) -> dict[str, int]:
    worst = dict.fromkeys(names, 0)
    for i, _j, d in edges:
        if uf.find(i) == root:
            for k, x in zip(names, d, strict=True):
                worst[k] = max(worst[k], x)
    return worst


def _group(
    kind: str, items: Sequence[PhotoKey], members: Iterable[int], dist: Mapping[str, int]
) -> Group:
    paths = tuple(sorted((Path(items[m].path) for m in members), key=os.fspath))
    return Group(kind, paths, dist)
