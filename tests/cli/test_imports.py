"""Each command imports only what it uses (start-up is most of a cached run's time): a
run answered from the cache reads no YAML, starts no worker, draws nothing with rich."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

# main() ends the process (cli/__init__.py's quick end); an exit handler still runs first
CODE = """
import atexit, json, sys
sys.argv = ["mediacheck", *json.loads(sys.argv[1])]

def record():
    with open(sys.argv[-1] + ".modules", "w") as fh:
        json.dump({"modules": sorted(sys.modules)}, fh)

atexit.register(record)
from mediacheck.cli import main
main()
"""

NOT_WHEN_CACHED = ("yaml", "pathspec", "rich", "PIL", "pymediainfo", "openpyxl", "docx",
                   "concurrent.futures", "multiprocessing", "mediacheck.app",
                   "mediacheck.profile.load", "mediacheck.probe.video", "mediacheck.mp4",
                   "mediacheck.checks", "mediacheck.evaluate")  # fmt: skip


def _modules(args: list[str], cwd: Path) -> tuple[int, set[str]]:
    env = {**os.environ, "CI": "true"}
    env.pop("GITHUB_ACTIONS", None)
    proc = subprocess.run([sys.executable, "-c", CODE, json.dumps(args)], cwd=cwd, env=env,
                          capture_output=True, check=False)  # fmt: skip
    got = json.loads(Path(cwd, args[-1] + ".modules").read_text())
    return proc.returncode, set(got["modules"])


def test_a_cached_check_imports_no_prober_no_yaml_no_rich(tmp_path, media):
    (tmp_path / "lessons").mkdir()
    for name in ("a.mp4", "b.mp4"):
        shutil.copyfile(media("compliant"), tmp_path / "lessons" / name)
        os.utime(tmp_path / "lessons" / name, (1_600_000_000, 1_600_000_000))
    args = ["check", "--jobs", "2", "--cache-dir", str(tmp_path / "cache"), "--format",
            f"json:{tmp_path / 'r.json'}", "lessons"]  # fmt: skip
    first_code, first = _modules(args, tmp_path)
    assert first_code == 0 and {"yaml", "concurrent.futures"} <= first  # the test can see
    code, modules = _modules(args, tmp_path)
    assert code == 0
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["passed"] == 2
    loaded = {name for name in NOT_WHEN_CACHED
              if name in modules or any(m.startswith(name + ".") for m in modules)}  # fmt: skip
    assert not loaded
