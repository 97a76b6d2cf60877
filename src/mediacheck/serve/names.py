"""Upload names made safe: whatever a browser (or anything else) sends as a file name,
the file lands inside the job's folder, under a name every OS accepts.

A folder upload sends relative paths (`案例/活动照片1.jpg`); those folders are kept, so a
case stays a case. Everything else is neutralised rather than refused: `..` and `.`
parts dropped, absolute paths and Windows drive letters (`C:`) made relative, `\\` read
as a separator, NUL and other control characters and the characters Windows forbids
(`<>:"|?*`) replaced, trailing dots and spaces removed, reserved device names (`CON`,
`NUL`, `COM1`…) prefixed, over-long parts shortened. `place` then refuses to leave the
folder even if all that missed something, and never overwrites an earlier file.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path, PurePosixPath

MAX_PART_BYTES = 200  # under the 255-byte limit of most file systems, room for " (2)"
MAX_DEPTH = 16
FORBIDDEN = re.compile(r'[<>:"|?*\x00-\x1f\x7f]')
DRIVE = re.compile(r"^[A-Za-z]:")
RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in range(10)}
    | {f"LPT{i}" for i in range(10)}
    | {"COM¹", "COM²", "COM³", "LPT¹", "LPT²", "LPT³"}
)
FALLBACK = "unnamed"


class UnsafeName(Exception):
    """A name that, even cleaned, would leave the folder (never expected to happen)."""


def _shorten(part: str) -> str:
    if len(part.encode("utf-8")) <= MAX_PART_BYTES:
        return part
    stem, dot, ext = part.rpartition(".")
    if not dot or len(ext) > 10:
        stem, ext = part, ""
    budget = MAX_PART_BYTES - len(ext.encode("utf-8")) - (1 if ext else 0)
    cut = stem.encode("utf-8")[:budget].decode("utf-8", errors="ignore")
    return f"{cut}.{ext}" if ext else cut


def _clean_part(part: str) -> str:
    part = unicodedata.normalize("NFC", part)
    part = FORBIDDEN.sub("_", part).strip(" ").rstrip(". ")
    if part in ("", ".", ".."):
        return ""
    if part.split(".", 1)[0].upper().rstrip(" ") in RESERVED:
        part = "_" + part
    return _shorten(part)


def safe_relpath(name: str) -> PurePosixPath:
    """A relative path, one or more clean parts, from any upload name."""
    name = name.replace("\\", "/")
    name = DRIVE.sub("", name)
    parts = [p for p in (_clean_part(raw) for raw in name.split("/")) if p]
    if not parts:
        parts = [FALLBACK]
    if len(parts) > MAX_DEPTH:  # keep the file's own name and the nearest folders
        parts = parts[-MAX_DEPTH:]
    return PurePosixPath(*parts)


def place(folder: Path, name: str) -> Path:
    """Where to write upload `name` inside `folder` (folders made), never an existing file:
    a second `a.jpg` becomes `a (2).jpg`; a folder part that clashes with an earlier file
    of that name is folded into the file name (`a/b.jpg` -> `a_b.jpg`)."""
    rel = safe_relpath(name)
    base = Path(os.path.abspath(folder))
    target = base.joinpath(*rel.parts)
    if base not in target.parents:
        raise UnsafeName(name)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        target = base / _shorten("_".join(rel.parts))
    candidate, n = target, 1
    while os.path.lexists(candidate):
        n += 1
        candidate = target.with_name(f"{target.stem} ({n}){target.suffix}")
    return candidate
