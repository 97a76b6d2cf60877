"""The bad-input battery (#13): every kind of hostile or broken input in badcases.py, met by
the real CLI in a process of its own, in Chinese and in English.

For each case and language: the exit status is one of those allowed; the output says what
the case says a person must read, and carries no traceback, no Python internals and no raw
control characters (it is valid UTF-8, too); the good file beside the bad one is still
checked and reported; nothing hangs (a timeout guards the process: a guard, not a timed
assertion); and the inputs are unchanged: every file's sha256, every link's target and
the folder's listing are the same after the run, with nothing added but what the case
expects a command to write.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import re
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from badcases import CASES, GOOD, Case

import mediacheck

SRC = str(Path(mediacheck.__file__).resolve().parents[1])
GUARD_S = 180  # a hang guard: far beyond any case's real time
# Python internals and control characters must never reach a person
LEAKS = re.compile(r"Traceback \(most recent call last\)|<_io\.|object at 0x[0-9a-f]+|"
                   r"[\x00-\x08\x0b-\x1f\x7f]")  # fmt: skip

# ------------------------------------------------------------------ privileges

PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def _drop_dac() -> None:
    """In the child before exec: give up root's power to ignore file permissions, so a
    chmod 000 file or folder bites as it does for everyone else."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _permissions_bite(tmp: Path) -> str | None:
    """None when permissions can be made to bite here, else why not (the skip reason)."""
    if os.geteuid() != 0:
        return None
    probe = tmp / "probe"
    probe.write_text("x")
    probe.chmod(0)
    try:
        proc = subprocess.run(["cat", str(probe)], preexec_fn=_drop_dac, capture_output=True,
                              timeout=30, check=False)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return "running as root, and root's DAC capabilities cannot be dropped here"
    finally:
        probe.unlink()
    if proc.returncode == 0:
        return "running as root, and permissions do not bite even without DAC capabilities"
    return None


# ------------------------------------------------------------------ the inputs' state


def _tree(root: Path, opening: bool = False) -> Iterator[tuple[str, os.stat_result]]:
    """(path, lstat) of everything below `root`, links not followed; a stack, not
    recursion (a case nests folders 1,100 deep). A folder that cannot be listed is
    passed over (not running as root), or first opened (`opening`, to remove it)."""
    stack = [os.fspath(root)]
    while stack:
        folder = stack.pop()
        if opening:
            os.chmod(folder, 0o755)
        try:
            entries = list(os.scandir(folder))
        except PermissionError:
            continue
        for entry in entries:
            st = entry.stat(follow_symlinks=False)
            yield entry.path, st
            if stat.S_ISDIR(st.st_mode):
                stack.append(entry.path)


def snapshot(root: Path) -> dict[str, str]:
    """relative path -> what it is: a file's sha256, a link's target, 'dir' and its mode,
    'p' (FIFO), 's' (socket)… (as root, the chmod-000 ones are read too)."""
    state: dict[str, str] = {}
    for path, st in _tree(root):
        rel = os.path.relpath(path, root)
        if stat.S_ISLNK(st.st_mode):
            state[rel] = "link -> " + os.readlink(path)
        elif stat.S_ISREG(st.st_mode):
            try:
                with open(path, "rb") as fh:
                    state[rel] = hashlib.file_digest(fh, "sha256").hexdigest()
            except PermissionError:
                state[rel] = f"unreadable, {st.st_size} bytes, mtime {st.st_mtime_ns}"
        elif stat.S_ISDIR(st.st_mode):
            state[rel] = f"dir {stat.S_IMODE(st.st_mode):o}"
        else:
            state[rel] = stat.filemode(st.st_mode)[0]
    return state


def remove(root: Path) -> None:
    """Remove `root` bottom up without recursion (shutil.rmtree and pytest's clean-up
    recurse), chmod-000 folders opened first."""
    entries = list(_tree(root, opening=True))
    for path, st in reversed(entries):
        if stat.S_ISDIR(st.st_mode):
            os.rmdir(path)
        else:
            os.unlink(path)
    root.rmdir()


# ------------------------------------------------------------------ running


def _children(pid: int) -> list[str]:
    names = []
    for entry in Path("/proc").iterdir():
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        if int(text[text.rindex(")") + 2 :].split()[1]) == pid:
            names.append(text[text.index("(") + 1 : text.rindex(")")])
    return names


def start(args: list[str], lang: str, case: Case, cwd: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": SRC, "MEDIACHECK_LANG": lang, "CI": "true",
           "COLUMNS": "200", **case.env}  # fmt: skip
    env.pop("GITHUB_ACTIONS", None)
    unprivileged = case.unprivileged and os.geteuid() == 0
    return subprocess.Popen(
        [sys.executable, "-m", "mediacheck", *args], cwd=cwd, env=env,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        preexec_fn=_drop_dac if unprivileged else None,
    )  # fmt: skip


def finish(proc: subprocess.Popen[bytes], case: Case, cwd: Path) -> tuple[int, bytes]:
    """Wait for the run (signalling it first, for an interrupted fix); a hang fails."""
    try:
        if case.interrupt is not None:
            deadline = time.monotonic() + GUARD_S
            while time.monotonic() < deadline and proc.poll() is None:
                if list(cwd.rglob(".*.part")) and any(
                    n.startswith("ffmpeg") for n in _children(proc.pid)
                ):
                    break
                time.sleep(0.05)
            proc.send_signal(case.interrupt)
        out, _ = proc.communicate(timeout=GUARD_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail(f"{case.id}: no answer within {GUARD_S} s (a hang)")
    return proc.returncode, out


def runs(args: list[str], case: Case, cwd: Path) -> Iterator[tuple[str, int, bytes]]:
    """(language, exit status, output) for zh and en: both at once when the runs cannot
    meet (they write nothing into the work folder and are not signalled)."""
    if case.adds or case.interrupt is not None:
        for lang in ("zh", "en"):
            yield lang, *finish(start(args, lang, case, cwd), case, cwd)
        return
    procs = {lang: start(args, lang, case, cwd) for lang in ("zh", "en")}
    done = {lang: finish(proc, case, cwd) for lang, proc in procs.items()}
    for lang, (code, out) in done.items():
        yield lang, code, out


def squeeze(text: str) -> str:
    """Without whitespace, in lower case: a phrase wrapped by the terminal width still
    matches, at the start of a sentence or inside one."""
    return re.sub(r"\s+", "", text).lower()


@pytest.fixture(scope="module")
def bite_reason(tmp_path_factory) -> str | None:
    return _permissions_bite(tmp_path_factory.mktemp("perm"))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, tmp_path: Path, bite_reason: str | None) -> None:
    if case.unprivileged and bite_reason:
        pytest.skip(bite_reason)
    if case.interrupt is not None and not sys.platform.startswith("linux"):
        pytest.skip("finds ffmpeg through /proc")
    work, out = tmp_path / "work", tmp_path / "out"
    work.mkdir()
    out.mkdir()
    good = None
    if case.good:
        good = work / GOOD[case.good].name
        GOOD[case.good].make(good)
    bad = case.make(work)
    values = {"{bad}": str(bad), "{good}": str(good), "{dir}": str(work), "{out}": str(out)}
    args = []
    for word in case.command:
        for key, value in values.items():
            word = word.replace(key, value)
        args.append(word)
    before = snapshot(work)
    try:
        for lang, code, raw in runs(args, case, work if case.in_work else tmp_path):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                pytest.fail(f"{case.id} [{lang}]: output is not UTF-8: {raw[:400]!r}")
            shown = f"{case.id} [{lang}] exit {code}:\n{text[-3000:]}"
            assert code in case.exit, shown
            leak = LEAKS.search(text)
            assert leak is None, f"{leak.group()!r} in the output: {shown}"
            assert squeeze(case.said[lang]) in squeeze(text), shown
            if case.good is not None and case.good_checked:  # beside it: checked, reported
                name = squeeze(GOOD[case.good].shown or GOOD[case.good].name)
                verdict = squeeze((case.good_said or GOOD[case.good].said)[lang])
                assert any(name in line and verdict in line for line in _lines_about(text)), shown
            after = snapshot(work)
            for added in case.adds:
                after.pop(added, None)
            assert after == before, f"{case.id} [{lang}]: the inputs changed"
            for added in sorted(case.adds, key=len, reverse=True):  # the next run afresh
                path = work / added
                if path.is_dir():
                    path.rmdir()
                else:
                    path.unlink(missing_ok=True)
    finally:
        remove(work)  # pytest's own clean-up recurses, and chmod-000 folders stop it


def _lines_about(text: str) -> list[str]:
    """The output's lines squeezed, and each joined with the next (a name or a verdict
    wrapped onto the following line still counts)."""
    lines = [squeeze(line) for line in text.splitlines()]
    return lines + [a + b for a, b in zip(lines, lines[1:], strict=False)]


def test_the_battery_is_big_enough() -> None:
    assert len(CASES) >= 40
    commands = {c.command[0] for c in CASES}
    assert commands >= {"video", "photos", "text", "case", "table", "courses", "check", "fix",
                        "rules", "template"}  # fmt: skip
