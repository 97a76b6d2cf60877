"""THE walker: which files a folder holds for mediacheck. One policy, decided here once:

- hidden files and folders (a leading ``.``) are not checked (``.git``, ``.cache``, editors'
  swap files, a cache folder placed inside the repository);
- system debris is skipped (`sniff.is_junk`: ``Thumbs.db``, ``._x``, ``__MACOSX``…);
- symbolic links to folders are not entered (a link back up the tree would make the walk
  endless); `on_symlink_dir` hears of each, so a caller can list it;
- a folder that cannot be listed goes to `on_error`, and the walk goes on.

`check`, the kind commands, case folders and the app's own `discover` all walk with it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from mediacheck.discover import sniff
from mediacheck.errors import MediacheckError


class MissingPath(MediacheckError):
    """A path given on the command line that does not exist (exit 2, nothing checked)."""

    def __init__(self, path: Path) -> None:
        super().__init__("missing_path", path=path)
        self.path = path


def skipped(name: str) -> bool:
    """Whether a file or folder of this name is left out of every walk."""
    return name.startswith(".") or sniff.is_junk(name)


def walk(
    top: Path,
    *,
    on_error: Callable[[OSError], None] | None = None,
    prune: Callable[[Path], bool] | None = None,
    on_symlink_dir: Callable[[Path], None] | None = None,
    on_dir: Callable[[Path], None] | None = None,
) -> Iterator[Path]:
    """The files below `top`, sorted folder by folder. `prune(folder)` True leaves a folder
    out (config `exclude`); `on_dir` hears of every folder entered, empty ones too.

    Depth first, like os.walk from the top down, but with a stack of its own: os.walk
    recurses, and folders nested a thousand deep ended the run with a RecursionError."""
    stack = [os.fspath(top)]
    while stack:
        here = stack.pop()
        listing = _listing(here, on_error)
        if listing is None:
            continue
        dirs, files = listing
        if on_dir is not None:
            on_dir(Path(here))
        keep = []
        for name in sorted(dirs):
            sub = Path(here, name)
            if skipped(name) or (prune is not None and prune(sub)):
                continue
            if os.path.islink(sub):  # not entered: a symlink loop cannot make it endless
                if on_symlink_dir is not None:
                    on_symlink_dir(sub)
                continue
            keep.append(os.path.join(here, name))
        for name in sorted(files):
            if not skipped(name):
                yield Path(here, name)
        stack.extend(reversed(keep))  # the first folder by name is walked next


def _listing(
    folder: str, on_error: Callable[[OSError], None] | None
) -> tuple[list[str], list[str]] | None:
    """(sub-folders, other names) of `folder`, as os.walk sorts them (a link to a folder
    is a folder here, a broken link a file); None, after `on_error`, when it cannot be
    listed."""
    dirs: list[str] = []
    files: list[str] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                (dirs if is_dir else files).append(entry.name)
    except OSError as exc:
        if on_error is not None:
            on_error(exc)
        return None
    return dirs, files


def discover(paths: Iterable[Path], kinds: set[str] | None = None) -> list[Path]:
    """Files named are always taken (a wrong kind is a finding of its prober); files found
    in folders when their content is of one of `kinds`. Missing paths raise before
    anything is probed. (The library's entry; `check` builds a work list instead.)"""
    paths = list(paths)
    for path in paths:
        if not os.path.lexists(path):
            raise MissingPath(path)
    found: list[Path] = []
    seen: set[str] = set()
    for path in paths:
        if path.is_dir():
            picked = [p for p in walk(path) if kinds is None or kind_or_other(p) in kinds]
        else:
            picked = [path]
        for p in picked:
            key = os.path.realpath(p)
            if key not in seen:
                seen.add(key)
                found.append(p)
    return found


def kind_or_other(path: Path) -> str:
    """The kind by content; 'other' for a file that vanished or cannot be read."""
    try:
        return sniff.kind_of(path)
    except OSError:
        return "other"
