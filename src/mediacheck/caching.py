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
from functools import cache
from pathlib import Path

from mediacheck import __version__

PACKAGE = os.path.dirname(os.path.abspath(__file__))


def default_dir() -> Path:
    """`$XDG_CACHE_HOME/mediacheck`, else `~/.cache/mediacheck`; `--cache-dir` overrides."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mediacheck"


def _modules(folder: str, out: list[str]) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    _modules(entry.path, out)
            elif entry.name.endswith(".py"):
                st = entry.stat()
                out.append(f"{entry.path}:{st.st_size}:{st.st_mtime_ns}")


@cache
def code_stamp() -> str:
    if os.path.isdir(os.path.join(PACKAGE, "rules")):
        return __version__  # installed from a wheel
    import hashlib

    lines: list[str] = []
    try:
        _modules(PACKAGE, lines)
    except OSError:  # code we cannot see may be any code: match no entry
        return f"{__version__}+{os.urandom(8).hex()}"
    digest = hashlib.blake2b("\n".join(sorted(lines)).encode(), digest_size=8).hexdigest()
    return f"{__version__}+{digest}"
