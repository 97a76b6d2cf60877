"""`--changed-since REF`: which files git says changed between REF and the working tree.

Changed means added, copied, modified or renamed (`--diff-filter=ACMR`), plus untracked
files that are not ignored. Deleted files are reported separately: they are not checked,
but they change the verdict of the case folder they were in.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from mediacheck.discover.worklist import Changes

TIMEOUT_S = 120.0


class GitError(Exception):
    """Not a git repository, git missing, or a REF git does not know: exit 2."""


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, stdin=subprocess.DEVNULL,
            timeout=TIMEOUT_S, check=False,
        )  # fmt: skip
    except FileNotFoundError as exc:
        raise GitError("git is not installed; --changed-since needs it") from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"git {args[0]} timed out after {TIMEOUT_S:g} s") from exc


def toplevel(cwd: Path | None = None) -> Path | None:
    """The working tree's top folder, or None outside a git repository."""
    try:
        proc = _git(["rev-parse", "--show-toplevel"], cwd or Path.cwd())
    except GitError:
        return None
    if proc.returncode != 0:
        return None
    return Path(os.fsdecode(proc.stdout.rstrip(b"\n")))


def _names(out: bytes, top: Path) -> frozenset[str]:
    # -z: names are NUL-separated and never quoted, so newlines and non-ASCII survive.
    return frozenset(os.path.abspath(top / os.fsdecode(name)) for name in out.split(b"\0") if name)


def changed_since(ref: str, cwd: Path | None = None) -> Changes:
    here = cwd or Path.cwd()
    top = toplevel(here)
    if top is None:
        raise GitError(f"--changed-since needs a git repository, and {here} is not in one")
    if ref.startswith("-"):
        raise GitError(f"'{ref}' is not a git revision")
    verify = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
                  top)  # fmt: skip
    if verify.returncode != 0:
        raise GitError(
            f"git does not know the revision '{ref}'. In CI, fetch enough history first "
            "(GitHub Actions: actions/checkout with fetch-depth: 0; GitLab: GIT_DEPTH: 0)."
        )
    commit = verify.stdout.decode().strip()
    # Run from the top: diff and ls-files then both print paths relative to it.
    diff = _git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=ACMR", commit, "--"],
                top)  # fmt: skip
    gone = _git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=D", commit, "--"],
                top)  # fmt: skip
    new = _git(["ls-files", "-z", "--others", "--exclude-standard"], top)
    for proc in (diff, gone, new):
        if proc.returncode != 0:
            raise GitError(proc.stderr.decode("utf-8", "replace").strip() or "git failed")
    return Changes(changed=_names(diff.stdout, top) | _names(new.stdout, top),
                   deleted=_names(gone.stdout, top))  # fmt: skip
