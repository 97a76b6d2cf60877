"""A result cache for `mediacheck check`, so a re-run only probes what changed.

One entry per (mediacheck version, profile content, file kind, path in the repository),
stored as JSON under `$XDG_CACHE_HOME/mediacheck` (else `~/.cache/mediacheck`) or
`--cache-dir`. An entry holds the file's identity and its `FileResult`.

Identity, and why both halves:

- fast path: size + mtime_ns + inode. A re-run on the same checkout answers from a
  `stat()` without reading the file, which is what makes a cached run cheap.
- content hash (BLAKE2b of the bytes): a fresh CI checkout restores the cache but gives
  every file a new mtime and inode. When the stat differs the file is hashed, and an
  equal hash is still a hit (hashing reads at disk speed; probing costs far more).
  A file whose mtime is within `RACY_S` of the moment it was stored gets no fast path
  (it could change again within the same timestamp tick), only the hash.

The profile is keyed by a hash of its resolved rules (`Profile.digest`; not its name: an
edited profile must not reuse old verdicts), and by the code (`caching.code_stamp`:
mediacheck's version, and in a source checkout its modules). Entries are JSON written by us
and decoded field by field, never pickle: a corrupted or foreign entry cannot run code; it
is ignored and rebuilt. Any entry that is not a plain small file of ours (a FIFO, a link,
a folder, 16 MB of something, JSON nested a million deep) is a miss, never a hang or a
crash, and the next store replaces it. Writes are atomic (temp file + rename).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import stat
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mediacheck.caching import code_stamp, default_dir
from mediacheck.model import ORDER, Fact, FileResult, Finding
from mediacheck.profile import Profile
from mediacheck.report.common import rel_path

# 2: entries named without JSON-encoding the key; 3: findings as lists, rule constants
# left out
CACHE_FORMAT = 3
RACY_S = 2.0
CHUNK = 1 << 20
# One file's result is a few KB (a case folder with every photo failing: ~100 KB); an
# entry far bigger is none of ours and is not read.
MAX_ENTRY_BYTES = 16 << 20


__all__ = ["ResultCache", "content_hash", "decode_result", "default_dir", "encode_result"]


def content_hash(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _stat_key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def read_entry(entry: Path) -> bytes | None:
    """The bytes of a cache entry, or None (a miss) for anything but a regular file of at
    most `MAX_ENTRY_BYTES`: a FIFO would block a plain open() for ever, a link could lead
    to /dev/zero. Opened without following links and without blocking, then checked with
    fstat on the open file, so nothing can be swapped in between."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(entry, flags | getattr(os, "O_BINARY", 0))
    except OSError:
        return None  # absent, a link (ELOOP), unreadable
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_ENTRY_BYTES:
            return None
        chunks, size = [], 0
        while size <= MAX_ENTRY_BYTES and (chunk := os.read(fd, CHUNK)):
            chunks.append(chunk)
            size += len(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    return b"".join(chunks) if size <= MAX_ENTRY_BYTES else None


class Uncacheable(Exception):
    """A value the JSON encoding does not know; the result is then simply not cached."""


# ---------------------------------------------------------------- FileResult <-> JSON
def _enc(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_enc(v) for v in value]
    if isinstance(value, tuple):
        return {"tuple": [_enc(v) for v in value]}
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"dict": {k: _enc(v) for k, v in value.items()}}
    raise Uncacheable(type(value).__name__)


_SCALARS = (type(None), bool, int, float, str)


def _dec(value: Any) -> Any:
    if type(value) in _SCALARS:
        return value
    if type(value) is list:
        return [_dec(v) for v in value]
    if type(value) is dict and len(value) == 1:
        if type(value.get("tuple")) is list:
            return tuple(_dec(v) for v in value["tuple"])
        if type(value.get("dict")) is dict:
            return {k: _dec(v) for k, v in value["dict"].items()}
    raise ValueError("not an encoded value")


# The checks below run for every finding of every cached file, so they are plain type
# tests (a cached re-run of a big repository is mostly this). JSON object keys are
# always strings, and json.loads gives fresh objects that need no copying.
def _texts(value: Any) -> dict[str, str]:
    if type(value) is not dict:
        raise ValueError("not a text mapping")
    for text in value.values():
        if type(text) is not str:
            raise ValueError("not a text mapping")
    return value


def _str(value: Any) -> str:
    if type(value) is not str:
        raise ValueError("not a string")
    return value


def _band(value: Any) -> float | None:
    if value is not None and type(value) not in (int, float):
        raise ValueError("not a band")
    return value


# What a finding takes from its rule (evaluate copies them): a finding whose values are
# its rule's is stored without them and given them back from the same profile (the key
# holds the profile's digest, which covers them). A cached entry is then a third of its
# size, and reading it back a third of the time (a cached run reads one per file).
Constants = tuple[str, str, dict[str, str], str, float | None]


_FIELDS = {cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in (Finding, Fact)}


def _record(cls: type[Any], values: tuple[Any, ...]) -> Any:
    """A frozen record (Finding, Fact) from values already checked, in field order,
    without its generated __init__: that sets each field through object.__setattr__,
    7.6 µs a Finding here, and a cached run rebuilds ~20 per file. Every field is set
    (zip is strict: a field added to the record makes every entry a miss, and the
    round-trip test fail, until this is taught it)."""
    record = object.__new__(cls)
    record.__dict__.update(zip(_FIELDS[cls], values, strict=True))
    return record


def rule_constants(profile: Profile) -> dict[str, Constants]:
    return {r.id: (r.spec, r.severity, r.title, r.check, r.pass_band) for r in profile.rules}


def encode_result(
    result: FileResult, rules: Mapping[str, Constants] | None = None
) -> dict[str, Any]:
    """Each finding as a list: [rule_id, status, measured, measured_text, expected,
    expected_text, message, hint] when its rule's constants are `rules`' (8 items), else
    those and [spec, severity, title, check, pass_band] (13 items)."""
    findings = []
    for f in result.findings:
        measured = None if f.measured is None else [_enc(f.measured.value), f.measured.unit,
                                                    f.measured.source]  # fmt: skip
        item = [f.rule_id, f.status, measured, f.measured_text, _enc(f.expected),
                f.expected_text, f.message, f.hint]  # fmt: skip
        own = (f.spec, f.severity, f.title, f.check, f.pass_band)
        if rules is None or rules.get(f.rule_id) != own:
            item += own
        findings.append(item)
    return {"kind": result.kind, "findings": findings}


def decode_result(
    data: Any, path: Path, rules: Mapping[str, Constants] | None = None
) -> FileResult:
    """Rebuild a FileResult for `path`; ValueError/KeyError/TypeError on anything odd."""
    findings = []
    for item in data["findings"]:
        if type(item) is not list:
            raise ValueError("not a finding")
        if len(item) == 8:
            rule_id, status, measured, measured_text, expected, expected_text, message, hint = item
            spec, severity, title, check, band = (rules or {})[_str(rule_id)]
        else:
            (rule_id, status, measured, measured_text, expected, expected_text, message, hint,
             spec, severity, title, check, band) = item  # fmt: skip
            spec, severity, check = _str(spec), _str(severity), _str(check)
            title, band = _texts(title), _band(band)
        if status not in ORDER:
            raise ValueError(f"unknown status {status!r}")
        fact = None
        if measured is not None:
            value, unit, source = measured
            fact = _record(Fact, (_dec(value), _str(unit), _str(source)))
        findings.append(_record(Finding, (
            path, _str(rule_id), spec, severity, status, title, fact, _texts(measured_text),
            _dec(expected), _texts(expected_text), check, band, _texts(message), _texts(hint),
        )))  # fmt: skip
    return FileResult(path=path, kind=_str(data["kind"]), findings=tuple(findings))


# ---------------------------------------------------------------- the cache
@dataclass(frozen=True)
class ResultCache:
    """Picklable (worker processes get a copy); holds no open files."""

    folder: Path
    profile_hash: str
    root: Path
    version: str = dataclasses.field(default_factory=code_stamp)
    # the profile's rule constants (rule_constants); empty: every finding stored whole
    rules: Mapping[str, Constants] = dataclasses.field(default_factory=dict, compare=False,
                                                       repr=False)  # fmt: skip

    @classmethod
    def open(cls, folder: Path | None, profile: Profile, root: Path) -> ResultCache:
        return cls(Path(folder) if folder else default_dir(), profile.digest, root,
                   rules=rule_constants(profile))  # fmt: skip

    def _key(self, path: Path, kind: str) -> list[Any]:
        return [CACHE_FORMAT, self.version, self.profile_hash, kind, rel_path(path, self.root)]

    def entry_path(self, path: Path, kind: str) -> Path:
        return self._entry_path(self._key(path, kind))

    def _entry_path(self, key: list[Any]) -> Path:
        digest = hashlib.sha256("\0".join(map(str, key)).encode()).hexdigest()
        return self.folder / f"v{CACHE_FORMAT}" / digest[:2] / f"{digest[2:]}.json"

    def _read(self, path: Path, kind: str) -> dict[str, Any] | None:
        key = self._key(path, kind)
        raw = read_entry(self._entry_path(key))
        if raw is None:
            return None
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            return None  # corrupted, or nested too deep to be ours: a miss, rebuilt on store
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        return data

    def _result(self, data: dict[str, Any], path: Path) -> FileResult | None:
        try:
            return decode_result(data["result"], path, self.rules)
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError):
            return None

    def get_fast(self, path: Path, kind: str) -> FileResult | None:
        """A hit only when size, mtime and inode are unchanged (no file read)."""
        try:
            st = os.stat(path)
        except OSError:
            return None
        data = self._read(path, kind)
        if data is None or data.get("stat") != _stat_key(st):
            return None
        return self._result(data, path)

    def get(self, path: Path, kind: str) -> tuple[FileResult | None, dict[str, Any] | None]:
        """(cached result or None, identity to `put` with the fresh result)."""
        try:
            st = os.stat(path)
            digest = content_hash(path)
        except OSError:
            return None, None
        ident = {"stat": _stat_key(st), "content": digest, "racy": time.time() - st.st_mtime}
        data = self._read(path, kind)
        if data is not None and (data.get("stat") == ident["stat"] or
                                 data.get("content") == digest):  # fmt: skip
            result = self._result(data, path)
            if result is not None:
                if data.get("stat") != ident["stat"]:
                    self._write(path, kind, ident, data["result"])  # refresh the fast path
                return result, ident
        return None, ident

    def put(self, path: Path, kind: str, ident: dict[str, Any] | None, result: FileResult) -> None:
        if ident is None:
            return
        try:
            encoded = encode_result(result, self.rules)
        except Uncacheable:
            return
        self._write(path, kind, ident, encoded)

    def _write(self, path: Path, kind: str, ident: dict[str, Any], encoded: Any) -> None:
        entry = {
            "key": self._key(path, kind),
            # A file changed within the timestamp tick could keep its mtime: hash it next time.
            "stat": ident["stat"] if ident["racy"] > RACY_S else None,
            "content": ident["content"],
            "result": encoded,
        }
        target = self.entry_path(path, kind)
        # A cache that cannot be written (read-only, full disk) only costs speed.
        from mediacheck import atomic

        with contextlib.suppress(OSError):
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic.write_text(target, json.dumps(entry, ensure_ascii=False), durable=False)
