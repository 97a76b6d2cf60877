#!/usr/bin/env python3
"""Lessons written by other muxers (issue #13), made from layouts.yaml on demand.

    python conformance/make_conformance.py            # every layout whose tool is here
    python conformance/make_conformance.py --list     # layouts, tools, cached or not
    python conformance/make_conformance.py gst_frag ffmpeg_ismv

Each layout names a tool, what it is made from and the command that makes it; the
table also holds the verdict each must get (tests/conformance reads it). ffmpeg and
Mediabunny layouts remux one encode (make_fixtures' `compliant`); GStreamer layouts are
one encode of GStreamer's own, teed to every muxer in one pipeline; HandBrake layouts
encode the compliant lesson again, as HandBrake always does. A
file is cached beside the fixtures, keyed by its command, its source and the tool's
version, made whole or not at all, and locked while it is made.
"""

from __future__ import annotations

import argparse
import functools
import glob
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "fixtures"))

import make_fixtures  # noqa: E402

TABLE = HERE / "layouts.yaml"
TIMEOUT_S = 600


class Missing(Exception):
    """The layout's tool (or one of its parts) is not installed: why, for a skip."""


@functools.cache
def table() -> dict[str, Any]:
    return yaml.safe_load(TABLE.read_text(encoding="utf-8"))


def layouts() -> dict[str, dict[str, Any]]:
    return table()["layouts"]


@functools.cache
def tool_version(tool: str) -> str:
    """The tool's version line, or Missing with what to install."""
    spec = table()["tools"][tool]
    for prog in spec["programs"]:
        if shutil.which(prog) is None:
            raise Missing(f"needs {prog} ({spec['install']})")
    inspect = shutil.which("gst-inspect-1.0")
    for element in spec.get("elements", ()):
        ok = inspect and subprocess.run([inspect, element], capture_output=True,
                                        timeout=60).returncode == 0  # fmt: skip
        if not ok:
            raise Missing(f"needs GStreamer's {element} ({spec['install']})")
    out = subprocess.run(shlex.split(spec["version"]), capture_output=True, text=True,
                         timeout=60, stdin=subprocess.DEVNULL, cwd=HERE)  # fmt: skip
    lines = (out.stdout or out.stderr).strip().splitlines()
    if out.returncode != 0 or not lines:
        raise Missing(f"`{spec['version']}` fails ({spec['install']})")
    return lines[0]


def _group(name: str) -> list[str]:
    """The layouts made together with `name` (a tool whose layouts share one run)."""
    tool = layouts()[name]["tool"]
    if "branch" not in table()["tools"][tool]:
        return [name]
    return [n for n, lay in layouts().items() if lay["tool"] == tool]


def _source(name: str) -> Path | None:
    src = layouts()[name].get("from")
    if src is None:
        return None
    return get(src) if src in layouts() else make_fixtures.get(src)


def _key(name: str) -> str:
    lay = layouts()[name]
    tool = table()["tools"][lay["tool"]]
    parts = [tool_version(lay["tool"]), json.dumps(tool, sort_keys=True)]
    for n in _group(name):
        parts.append(json.dumps(layouts()[n], sort_keys=True))
    src = lay.get("from")
    if src is not None:
        parts.append(path_for(src).name if src in layouts() else make_fixtures.path_for(src).name)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:10]


def path_for(name: str) -> Path:
    suffix = layouts()[name].get("suffix", ".mp4")
    return make_fixtures.cache_dir() / "conformance" / f"{name}-{_key(name)}{suffix}"


def get(name: str) -> Path:
    """The layout's file, made first if it is not cached; Missing when its tool is not."""
    out = path_for(name)
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    with make_fixtures._locked(out.with_name(f".{out.name}.lock")):
        if not out.exists():
            _make(name)
    return out


def _run(cmd: list[str], cwd: Path) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, stdin=subprocess.DEVNULL,
                          timeout=TIMEOUT_S, check=False)  # fmt: skip
    if proc.returncode != 0:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-8:]
        raise RuntimeError(f"{shlex.join(cmd)} failed ({proc.returncode})\n" + "\n".join(tail))


def _command(tool: str, text: str, fill: dict[str, str]) -> list[str]:
    words = [w.format(**fill) for w in shlex.split(text)]
    extra = shlex.split(table()["tools"][tool].get("args", ""))
    return [words[0], *extra, *words[1:]]


def _make(name: str) -> None:
    names = _group(name)
    tool = layouts()[name]["tool"]
    spec = table()["tools"][tool]
    work = Path(tempfile.mkdtemp(prefix=".tmp-conformance-", dir=path_for(name).parent))
    try:
        outs = {n: work / f"{n}{layouts()[n].get('suffix', '.mp4')}" for n in names}
        if "branch" in spec:  # one encode teed to every layout's muxer (GStreamer)
            branches = " ".join(
                spec["branch"].format(mux=layouts()[n]["mux"], name=n, out=shlex.quote(str(o)))
                for n, o in outs.items()
            )
            _run(_command(tool, f"{spec['run']} {spec['source']} {branches}", {}), work)
        else:
            lay = layouts()[name]
            src = _source(name)
            fill = {"src": f"{src}" if src else "", "out": str(outs[name]), "dir": str(work),
                    "here": str(HERE)}  # fmt: skip
            runs = lay["run"] if isinstance(lay["run"], list) else [lay["run"]]
            for text in runs:
                _run(_command(tool, text, fill), work)
            if "join" in lay:  # segments (an init segment, then media segments) joined
                with outs[name].open("wb") as fh:
                    for pattern in lay["join"]:
                        for part in sorted(glob.glob(str(work / pattern))):
                            fh.write(Path(part).read_bytes())
        for n, o in outs.items():
            os.chmod(o, 0o644)
            os.replace(o, path_for(n))  # whole, or not at all
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", metavar="LAYOUT")
    ap.add_argument("--list", action="store_true", help="list layouts and their state")
    args = ap.parse_args(argv)
    names = args.names or list(layouts())
    t0 = time.monotonic()
    made = 0
    for name in names:
        lay = layouts()[name]
        try:
            p = path_for(name)
        except Missing as exc:
            print(f"{name:24} {lay['tool']:10} skipped: {exc}")
            continue
        if args.list:
            print(f"{name:24} {lay['tool']:10} {'cached ' if p.exists() else 'missing'}  {p}")
            continue
        t = time.monotonic()
        cached = p.exists()
        get(name)
        made += not cached
        took = "cached" if cached else f"{time.monotonic() - t:5.1f} s"
        print(f"{name:24} {lay['tool']:10} {took:>8}  {p}", flush=True)
    if not args.list:
        print(f"{len(names)} layouts ({made} made) in {time.monotonic() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
