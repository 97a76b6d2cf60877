"""The YAML people write (profiles, .mediacheck.yaml, courses.yaml), read by one policy:

- only a regular file is opened, and without blocking: a FIFO named like a profile would
  hang the run before anything is checked;
- at most `limit` bytes (a profile is ~70 KB; a 40 MB one took minutes to validate);
- UTF-8, with or without a BOM;
- YAML references (& and *) are counted on libyaml's parser events, before any object is
  built: more than `max_aliases` is refused ("billion laughs": nine lines that expand
  to a billion items as soon as anything walks them);
- nesting too deep for libyaml or for Python's recursion is a YAML error, not a crash.

Each caller words the `YamlFileError` in its own terms (a profile, a config, a list).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from mediacheck.errors import yaml_detail

# yaml is imported on first use: a run with no config file and a stored profile needs none

MAX_BYTES = 1 << 20  # 15 times the shipped profile
MAX_ALIASES = 50


class YamlFileError(Exception):
    """Why a YAML file was not read. `code`: not_regular, unreadable (params: detail),
    too_large (size, limit), not_utf8, aliases (count, limit), syntax (detail: the
    problem and where; problem, line: the two apart)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The file's bytes, by the policy above; YamlFileError otherwise."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise YamlFileError("unreadable", detail=exc.strerror or str(exc)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise YamlFileError("not_regular")
        if st.st_size > limit:
            raise YamlFileError("too_large", size=st.st_size, limit=limit)
        chunks, size = [], 0
        while size <= limit and (chunk := os.read(fd, 1 << 16)):
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise YamlFileError("unreadable", detail=exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    if size > limit:  # it grew while read
        raise YamlFileError("too_large", size=size, limit=limit)
    return b"".join(chunks)


def decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise YamlFileError("not_utf8") from None


def read_text(path: Path, limit: int = MAX_BYTES) -> str:
    """The file's text, by the policy above; YamlFileError otherwise."""
    return decode(read_bytes(path, limit))


def parse(text: str, max_aliases: int = MAX_ALIASES) -> Any:
    """The data in `text` (safe loader); YamlFileError for aliases or a syntax error."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10× faster
    try:
        # an alias is written with '*': without one there is nothing to count (the
        # shipped profile has none, and counting costs a third of the load)
        events = yaml.parse(text, Loader=loader) if "*" in text else ()
        aliases = sum(isinstance(e, yaml.AliasEvent) for e in events)
        if aliases > max_aliases:
            raise YamlFileError("aliases", count=aliases, limit=max_aliases)
        return yaml.load(text, Loader=loader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        line = mark.line + 1 if mark is not None else None
        detail = yaml_detail(exc) or problem
        raise YamlFileError("syntax", detail=detail, problem=problem, line=line) from None
    except RecursionError:
        deep = "nested too deeply"
        raise YamlFileError("syntax", detail=deep, problem=deep, line=None) from None


def load(path: Path, limit: int = MAX_BYTES, max_aliases: int = MAX_ALIASES) -> Any:
    return parse(read_text(path, limit), max_aliases)


def as_error(exc: YamlFileError, prefix: str) -> tuple[str, dict[str, Any]]:
    """(code, params) of an errors.MediacheckError for `exc`, in `prefix`'s words
    ("profile", "config") where they have their own, else the shared "yaml." ones."""
    from mediacheck.words.errors import ERRORS

    if exc.code in ("not_regular", "not_utf8"):
        return f"{prefix}.unreadable", {"detail": ERRORS["yaml." + exc.code]}
    if exc.code == "syntax":
        return f"{prefix}.yaml", {"detail": exc.params["detail"]}
    if exc.code == "unreadable":
        return f"{prefix}.unreadable", dict(exc.params)
    return "yaml." + exc.code, {k: f"{v:,}" for k, v in exc.params.items()}
