"""Which files a run checks: the paths given, folders walked, system junk skipped."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from mediacheck.discover import sniff


class MissingPath(Exception):
    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


def discover(paths: Iterable[Path], kinds: set[str] | None = None) -> list[Path]:
    """Files named on the command line are always checked (a wrong kind is a finding);
    files found inside folders are checked when their content is of one of `kinds`.
    Missing paths raise before anything is probed."""
    paths = list(paths)
    for path in paths:
        if not os.path.lexists(path):
            raise MissingPath(path)
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            candidates = _walk(path)
            picked = [p for p in candidates if kinds is None or sniff.kind_of(p) in kinds]
        else:
            picked = [path]
        for p in picked:
            key = p.resolve()
            if key not in seen:
                seen.add(key)
                found.append(p)
    return found


def _walk(top: Path) -> list[Path]:
    out: list[Path] = []
    # followlinks=False: a symlink loop cannot make the walk endless.
    for root, dirs, files in os.walk(top, onerror=None, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not sniff.is_junk(name):
                out.append(Path(root) / name)
    return out
