"""What mediacheck's caches share (results, cache.py; validated profiles,
profile/stored.py): where they live, and which mediacheck made an entry.

`code_stamp()` is the version, and in a source checkout the code too. An installed
mediacheck changes only with its version. In a checkout (or an editable install) the code
changes under one version number, and an entry made by other code must not be trusted:
there the stamp also covers the size and mtime of every module (a scan of the package,
about a millisecond). A checkout is told apart as `profile.shipped_dir` tells it: only a
wheel carries the profiles inside the package.
"""

from __future__ import annotations

import os

from mediacheck import __version__

# Only os at the top: replay.py reads the stamp and the folder before anything else is
# imported (pathlib and functools would cost more than the rest of a replay).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

PACKAGE = os.path.dirname(os.path.abspath(__file__))


def default_folder() -> str:
    """`$XDG_CACHE_HOME/mediacheck`, else `~/.cache/mediacheck`; `--cache-dir` overrides."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "mediacheck")


def default_dir() -> Path:
    from pathlib import Path

    return Path(default_folder())


def _modules(folder: str, out: list[str]) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    _modules(entry.path, out)
            elif entry.name.endswith(".py"):
                st = entry.stat()
                out.append(f"{entry.path}:{st.st_size}:{st.st_mtime_ns}")


_stamp: list[str] = []


def code_stamp() -> str:
    """Computed once per process (`code_stamp.cache_clear()` forgets it, for tests)."""
    if not _stamp:
        _stamp.append(_code_stamp())
    return _stamp[0]


code_stamp.cache_clear = _stamp.clear  # type: ignore[attr-defined]


def _code_stamp() -> str:
    if os.path.isdir(os.path.join(PACKAGE, "rules")):
        return __version__  # installed from a wheel
    try:
        from _blake2 import blake2b  # what hashlib gives, without loading OpenSSL's _hashlib
    except ImportError:
        from hashlib import blake2b

    lines: list[str] = []
    try:
        _modules(PACKAGE, lines)
    except OSError:  # code we cannot see may be any code: match no entry
        return f"{__version__}+{os.urandom(8).hex()}"
    digest = blake2b("\n".join(sorted(lines)).encode(), digest_size=8).hexdigest()
    return f"{__version__}+{digest}"
