"""A validated profile kept in the user's cache folder, so a run does not parse and check
the same YAML again: ~1 ms to read back where loading takes 30-100 ms (PyYAML builds
its objects in Python even with libyaml's parser) and `import yaml` another 10.

An entry is used only while the profile file and every file it `extends` hold the bytes
it was built from (kept in the entry and compared, not hashed), and mediacheck's version
and the size and mtime of every module of the package are the same (a checkout whose
code changed must not reuse an entry its old code validated). Its file name is a CRC of
those, only to find it. Like the result cache it is
JSON decoded into a closed set of record types, never pickle: a corrupted or foreign
entry cannot run code; it is ignored and rebuilt. Anything wrong with the folder (not
writable, full) just means loading the profile as before.

The folder is the result cache's default one (`profiles/` in it), whatever `--cache-dir`
and `--no-cache` say: those are about results, which every command but `check` never
caches, while every command loads a profile.
"""

from __future__ import annotations

import dataclasses
import json
import os
import zlib
from pathlib import Path
from typing import Any

from mediacheck import __version__
from mediacheck.probe.table_layout import Column, Layout
from mediacheck.profile import Profile, Rule, load_profile, locate

FORMAT = 1
PACKAGE = Path(__file__).resolve().parents[1]
# Every record a Profile holds: only these are rebuilt from an entry.
RECORDS: dict[str, type] = {c.__name__: c for c in (Profile, Rule, Layout, Column)}


def code_fingerprint() -> str:
    """Size and mtime of each module of the package (~1 ms for its ~130 files)."""
    parts = [__version__]
    for folder, _, files in sorted(os.walk(PACKAGE)):
        for name in sorted(files):
            if name.endswith(".py"):
                st = os.stat(os.path.join(folder, name))
                parts.append(f"{folder}/{name}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts)


def encode(value: Any) -> Any:
    """A profile as JSON values; tuples, records and non-text keys tagged."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if RECORDS.get(name) is not type(value):
            raise TypeError(f"not a profile record: {name}")
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"record": name, "fields": fields}
    if isinstance(value, tuple):
        return {"tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {"dict": {k: encode(v) for k, v in value.items()}}
        return {"pairs": [[encode(k), encode(v)] for k, v in value.items()]}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot store {type(value).__name__}")


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "tuple" in value:
        return tuple(decode(v) for v in value["tuple"])
    if "dict" in value:
        return {k: decode(v) for k, v in value["dict"].items()}
    if "pairs" in value:
        return {decode(k): decode(v) for k, v in value["pairs"]}
    record = RECORDS[value["record"]]  # KeyError: not ours
    return record(**{k: decode(v) for k, v in value["fields"].items()})


def _entry(folder: Path, path: Path, code: str, top: bytes) -> Path:
    where = os.fsencode(path.resolve())
    crc = zlib.crc32(top, zlib.crc32(code.encode(), zlib.crc32(where)))
    return folder / "profiles" / f"{path.stem[:40]}-{crc:08x}.json"


def _unchanged(sources: list[list[str]]) -> bool:
    """Every file the entry was built from still holds the same text."""
    try:
        return all(Path(p).read_bytes().decode("utf-8") == text for p, text in sources)
    except (OSError, ValueError):  # unreadable, or not UTF-8 any more
        return False


def load_stored(ref: str | None, folder: Path | None = None) -> Profile:
    """load_profile(ref), from `folder` (default: the user's cache folder) when a valid
    entry is there."""
    if folder is None:
        # the result cache's folder (cache.default_dir), without importing the cache
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = Path(base) / "mediacheck"
    try:
        path = locate(ref)
        top = path.read_bytes()
    except OSError:
        return load_profile(ref)
    code = code_fingerprint()
    entry = _entry(folder, path, code, top)
    try:
        data = json.loads(entry.read_bytes())
        if data["ref"] == ref and data["code"] == code and _unchanged(data["sources"]):
            profile = decode(data["profile"])
            if isinstance(profile, Profile):
                return profile
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        pass  # none yet, or not one we can use: load and store it again
    profile = load_profile(ref)  # errors (ProfileError) are raised, never stored
    _store(entry, ref, code, profile)
    return profile


def _store(entry: Path, ref: str | None, code: str, profile: Profile) -> None:
    try:
        stored = encode(profile)
        if decode(stored) != profile:  # a value this codec would not give back exactly
            return
        sources = [[p, Path(p).read_bytes().decode("utf-8")] for p in profile.sources]
        text = json.dumps({"ref": ref, "code": code, "sources": sources, "profile": stored},
                          ensure_ascii=False)  # fmt: skip
        from mediacheck import atomic

        entry.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_text(entry, text, durable=False)
    except (OSError, TypeError, ValueError):  # UnicodeDecodeError is a ValueError
        pass
