"""The repository's top folder, found without starting git, agrees with git's own."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from mediacheck.discover.git import toplevel

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git_top(cwd: Path) -> Path:
    out = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=cwd, capture_output=True,
                         text=True, check=True).stdout.strip()  # fmt: skip
    return Path(out)


def test_top_folder_as_git_finds_it(tmp_path, monkeypatch):
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_WORK_TREE", raising=False)
    repo = (tmp_path / "repo").resolve()
    deep = repo / "cases" / "一" / "x"
    deep.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    assert toplevel(deep) == git_top(deep) == repo
    monkeypatch.chdir(deep)
    assert toplevel() == repo
    # a linked worktree (or a submodule) has a .git file, not a folder
    subprocess.run(["git", "-C", str(repo), "commit", "-q", "--allow-empty", "-m", "x"],
                   check=True, env={"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@b",
                                    "GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@b",
                                    "HOME": str(tmp_path)})  # fmt: skip
    linked = (tmp_path / "linked").resolve()
    subprocess.run(["git", "-C", str(repo), "worktree", "add", "-q", str(linked)], check=True)
    assert (linked / ".git").is_file()
    assert toplevel(linked) == git_top(linked) == linked


def test_outside_any_repository(tmp_path):
    if any((f / ".git").exists() for f in (tmp_path, *tmp_path.parents)):
        pytest.skip("the temporary folder lies inside a repository")
    assert toplevel(tmp_path) is None
