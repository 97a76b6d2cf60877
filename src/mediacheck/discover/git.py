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
from mediacheck.errors import MediacheckError

TIMEOUT_S = 120.0


class GitError(MediacheckError):
    """Not a git repository, git missing, or a REF git does not know: exit 2."""


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, stdin=subprocess.DEVNULL,
            timeout=TIMEOUT_S, check=False,
        )  # fmt: skip
    except FileNotFoundError as exc:
        raise GitError("git.missing") from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError("git.timeout", command=args[0], seconds=f"{TIMEOUT_S:g}") from exc


def toplevel(cwd: Path | None = None) -> Path | None:
    """The working tree's top folder, or None outside a git repository.

    Every run asks (report paths are relative to it), so it is found as git finds it,
    without starting git (a few ms here, far more on Windows): the nearest folder upward
    that holds a `.git` (a folder; a file in a linked worktree or submodule). Only when
    GIT_DIR or GIT_WORK_TREE move the repository is git asked."""
    here = (cwd or Path.cwd()).absolute()
    if not ({"GIT_DIR", "GIT_WORK_TREE"} & os.environ.keys()):
        return next((f for f in (here, *here.parents) if (f / ".git").exists()), None)
    try:
        proc = _git(["rev-parse", "--show-toplevel"], here)
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
        raise GitError("git.no_repo", folder=here)
    if ref.startswith("-"):
        raise GitError("git.not_revision", ref=ref)
    verify = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
                  top)  # fmt: skip
    if verify.returncode != 0:
        raise GitError("git.unknown_revision", ref=ref)
    commit = verify.stdout.decode().strip()
    # Run from the top: diff and ls-files then both print paths relative to it.
    diff = _git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=ACMR", commit, "--"],
                top)  # fmt: skip
    gone = _git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=D", commit, "--"],
                top)  # fmt: skip
    new = _git(["ls-files", "-z", "--others", "--exclude-standard"], top)
    for proc in (diff, gone, new):
        if proc.returncode != 0:
            raise GitError("git.failed", detail=proc.stderr.decode("utf-8", "replace").strip())
    return Changes(changed=_names(diff.stdout, top) | _names(new.stdout, top),
                   deleted=_names(gone.stdout, top))  # fmt: skip
