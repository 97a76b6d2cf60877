"""Validated profiles kept between runs: a run whose profile files are unchanged reads
the records back instead of parsing YAML and validating every rule again (on the shipped
profile that is ~40–100 ms, more than the rest of a cached `check`; reading it back ~1 ms).

An entry is `<cache folder>/profiles-v1/<key>.json`. The key is a hash of the profile
file's path (as located) and bytes, and of the code (`caching.code_stamp`: mediacheck's
version, and in a checkout its modules). The entry lists every other file read through
`extends:`: each must still be the one its reference finds, with the same bytes. Anything
else (unreadable, not JSON, another key, a changed or moved base, a record field the code
does not have) is a miss: the profile is read from its YAML, and the entry written again.

JSON, never pickle: a cache folder that CI restores must not be able to run code. Records
are rebuilt only as the classes named in `_classes`, and an entry is written only when
reading it back gives a profile equal to the one validated. Writes are atomic; a cache
that cannot be written only costs time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mediacheck import yamlfile
from mediacheck.caching import code_stamp
from mediacheck.profile import Profile, ProfileError, Rule, locate

if TYPE_CHECKING:
    from mediacheck.profile.load import Source

FORMAT = 1
FOLDER = f"profiles-v{FORMAT}"


def _classes() -> dict[str, type]:
    from mediacheck.probe.table_layout import Column, Layout
    from mediacheck.sets.roles import Words

    return {"Profile": Profile, "Rule": Rule, "Layout": Layout, "Column": Column, "Words": Words}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entry_path(cache_dir: Path, path: Path, data: bytes) -> Path:
    key = hashlib.sha256(f"{FORMAT}\0{code_stamp()}\0{path}\0".encode() + data).hexdigest()
    return Path(cache_dir) / FOLDER / f"{key[:40]}.json"


class _Odd(Exception):
    """A value the encoding does not know: the profile is then not stored."""


def _enc(value: Any, classes: dict[str, type]) -> Any:
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if kind is list:
        return [_enc(v, classes) for v in value]
    if kind is tuple:
        return {"tuple": [_enc(v, classes) for v in value]}
    if kind is dict and all(type(k) is str for k in value):
        return {"dict": {k: _enc(v, classes) for k, v in value.items()}}
    if classes.get(kind.__name__) is kind:
        names = getattr(kind, "_fields", None) or [f.name for f in dataclasses.fields(value)]
        fields = {name: _enc(getattr(value, name), classes) for name in names}
        return {"record": kind.__name__, "fields": fields}
    raise _Odd(kind.__name__)


_SCALARS = frozenset({bool, int, float, str, type(None)})


def _dec(value: Any, classes: dict[str, type]) -> Any:
    # Scalars (most leaves: the texts) are taken in place, not by a call each: a stored
    # profile is ~3,000 values, and decoding them is most of reading it back.
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is list:
        return [v if type(v) in _SCALARS else _dec(v, classes) for v in value]
    if kind is not dict:
        raise ValueError("not an encoded value")
    if len(value) == 1:
        inner = value.get("tuple")
        if type(inner) is list:
            return tuple([v if type(v) in _SCALARS else _dec(v, classes) for v in inner])
        inner = value.get("dict")
        if type(inner) is dict:
            return {k: v if type(v) in _SCALARS else _dec(v, classes) for k, v in inner.items()}
    elif len(value) == 2 and type(value.get("fields")) is dict and "record" in value:
        cls = classes[value["record"]]  # KeyError: not a class of ours
        return cls(**{k: v if type(v) in _SCALARS else _dec(v, classes)
                      for k, v in value["fields"].items()})  # fmt: skip
    raise ValueError("not an encoded value")


def _unchanged(source: list[Any]) -> bool:
    """An `extends:` base still found where it was, with the same bytes."""
    path, ref, beside, digest = source
    try:
        if str(locate(ref, Path(beside))) != path:
            return False
        return _digest(yamlfile.read_bytes(Path(path))) == digest
    except (OSError, ProfileError, yamlfile.YamlFileError):
        return False


def get(cache_dir: Path, path: Path) -> Profile | None:
    """The stored profile for the file at `path`, or None (a miss)."""
    try:
        data = yamlfile.read_bytes(path)  # never blocks on a FIFO named like a profile
        entry = json.loads(_entry_path(cache_dir, path, data).read_bytes())
        if not all(_unchanged(source) for source in entry["bases"]):
            return None
        profile = _dec(entry["profile"], _classes())
        digest = entry["digest"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError, yamlfile.YamlFileError):
        return None  # absent, unreadable, corrupted or foreign: read the YAML
    if type(profile) is not Profile or type(digest) is not str:
        return None
    profile.__dict__["digest"] = digest  # functools.cached_property's own slot
    return profile


def put(cache_dir: Path, path: Path, profile: Profile, read: list[Source]) -> None:
    top = [s for s in read if s.ref is None]
    if len(top) != 1 or top[0].path != str(path):
        return
    classes = _classes()
    try:
        entry = {
            "bases": [[s.path, s.ref, s.beside, _digest(s.data)] for s in read if s.ref],
            "digest": profile.digest,
            "profile": _enc(profile, classes),
        }
        text = json.dumps(entry, ensure_ascii=False)
        if _dec(json.loads(text)["profile"], classes) != profile:
            return  # something JSON cannot say exactly (a key that is not text…)
    except (_Odd, ValueError, TypeError):
        return
    target = _entry_path(cache_dir, path, top[0].data)
    from mediacheck import atomic

    try:
        os.makedirs(target.parent, exist_ok=True)
        atomic.write_text(target, text, durable=False)
    except OSError:
        pass
