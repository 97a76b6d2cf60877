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

The profile is keyed by a hash of its resolved rules (not its name: an edited profile
must not reuse old verdicts), and by mediacheck's version. Entries are JSON written by us
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mediacheck import __version__, atomic
from mediacheck.model import ORDER, Fact, FileResult, Finding
from mediacheck.profile import Profile
from mediacheck.report.common import rel_path

CACHE_FORMAT = 1
RACY_S = 2.0
CHUNK = 1 << 20
# One file's result is a few KB (a case folder with every photo failing: ~100 KB); an
# entry far bigger is none of ours and is not read.
MAX_ENTRY_BYTES = 16 << 20


def default_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mediacheck"


def profile_digest(profile: Profile) -> str:
    rules = [dataclasses.asdict(r) for r in profile.rules]
    blob = json.dumps([profile.name, rules], sort_keys=True, ensure_ascii=False, default=repr)
    return hashlib.sha256(blob.encode()).hexdigest()


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


def encode_result(result: FileResult) -> dict[str, Any]:
    return {
        "kind": result.kind,
        "findings": [
            {
                "rule_id": f.rule_id,
                "spec": f.spec,
                "severity": f.severity,
                "status": f.status,
                "title": f.title,
                "measured": None
                if f.measured is None
                else {
                    "value": _enc(f.measured.value),
                    "unit": f.measured.unit,
                    "source": f.measured.source,
                },
                "measured_text": f.measured_text,
                "expected": _enc(f.expected),
                "expected_text": f.expected_text,
                "check": f.check,
                "message": f.message,
                "hint": f.hint,
            }
            for f in result.findings
        ],
    }


def decode_result(data: Any, path: Path) -> FileResult:
    """Rebuild a FileResult for `path`; ValueError/KeyError/TypeError on anything odd."""
    findings = []
    for item in data["findings"]:
        status = _str(item["status"])
        if status not in ORDER:
            raise ValueError(f"unknown status {status!r}")
        measured = item["measured"]
        fact = None
        if measured is not None:
            fact = Fact(_dec(measured["value"]), _str(measured["unit"]), _str(measured["source"]))
        findings.append(
            Finding(
                path=path,
                rule_id=_str(item["rule_id"]),
                spec=_str(item["spec"]),
                severity=_str(item["severity"]),
                status=status,
                title=_texts(item["title"]),
                measured=fact,
                measured_text=_texts(item["measured_text"]),
                expected=_dec(item["expected"]),
                expected_text=_texts(item["expected_text"]),
                check=_str(item["check"]),
                message=_texts(item["message"]),
                hint=_texts(item["hint"]),
            )
        )
    return FileResult(path=path, kind=_str(data["kind"]), findings=tuple(findings))


# ---------------------------------------------------------------- the cache
@dataclass(frozen=True)
class ResultCache:
    """Picklable (worker processes get a copy); holds no open files."""

    folder: Path
    profile_hash: str
    root: Path
    version: str = __version__

    @classmethod
    def open(cls, folder: Path | None, profile: Profile, root: Path) -> ResultCache:
        return cls(Path(folder) if folder else default_dir(), profile_digest(profile), root)

    def _key(self, path: Path, kind: str) -> list[Any]:
        return [CACHE_FORMAT, self.version, self.profile_hash, kind, rel_path(path, self.root)]

    def entry_path(self, path: Path, kind: str) -> Path:
        digest = hashlib.sha256(json.dumps(self._key(path, kind)).encode()).hexdigest()
        return self.folder / f"v{CACHE_FORMAT}" / digest[:2] / f"{digest[2:]}.json"

    def _read(self, path: Path, kind: str) -> dict[str, Any] | None:
        raw = read_entry(self.entry_path(path, kind))
        if raw is None:
            return None
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            return None  # corrupted, or nested too deep to be ours: a miss, rebuilt on store
        if not isinstance(data, dict) or data.get("key") != self._key(path, kind):
            return None
        return data

    def _result(self, data: dict[str, Any], path: Path) -> FileResult | None:
        try:
            return decode_result(data["result"], path)
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
            encoded = encode_result(result)
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
        with contextlib.suppress(OSError):
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic.write_text(target, json.dumps(entry, ensure_ascii=False), durable=False)
