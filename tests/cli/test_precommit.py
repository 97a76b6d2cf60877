"""The pre-commit hook, run by the real `pre-commit` tool on a temp git repository.

The shipped hook (`.pre-commit-hooks.yaml`) says `language: python`, for which pre-commit
builds a virtualenv and pip-installs mediacheck with all its dependencies from PyPI: over
a minute, and network-bound. So the test takes the shipped hook as it is (id, entry,
files, types, require_serial) and only swaps in `language: system` with this Python, in
a `repo: local` config: the real tool, the real file filter, no network. The manifest
itself is validated with pre-commit's own loader.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
MANIFEST = REPO / ".pre-commit-hooks.yaml"


def test_manifest_is_valid_for_pre_commit():
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(MANIFEST))
    assert hook["id"] == "mediacheck" and hook["entry"] == "mediacheck check"
    assert hook["require_serial"] is True and hook["language"] == "python"


def local_config() -> str:
    (hook,) = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    hook = dict(hook)
    hook["language"] = "system"
    hook["entry"] = shlex.join([sys.executable, "-m", "mediacheck", "check", "--no-cache"])
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]}, allow_unicode=True)


def pre_commit_run(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1",
           "COLUMNS": "160", "CI": "true"}  # fmt: skip
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def test_hook_passes_good_and_fails_bad(tmp_path, media):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(local_config(), encoding="utf-8")
    shutil.copyfile(media("compliant"), repo / "good.mp4")
    (repo / "README.md").write_text("not matched by the hook's files pattern\n")
    git(repo, "add", "-A")
    good = pre_commit_run(repo, tmp_path / "home")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout

    shutil.copyfile(media("res_720p"), repo / "bad lesson.mp4")
    git(repo, "add", "-A")
    bad = pre_commit_run(repo, tmp_path / "home")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "bad lesson.mp4" in bad.stdout and "1920×1080" in bad.stdout
