"""The fuzzers' seed corpus: every layout fixtures/make_fixtures.py makes, rendered tiny,
and the hand-built files of tests/mp4/mp4files.py.

The fixtures' recipes are rendered at 1/16 of their size, a second or so long, at a few
tens of kbit/s, so a seed is a few kilobytes and a mutation mostly lands in the index
boxes rather than in media data the reader never reads. Every non-clip recipe (remuxes
into other box layouts, truncated copies, renamed copies, text and JPEG "videos") runs
as it is, on the tiny clip it names: it finds that clip where make_fixtures.get would
look in a private cache folder. The corpus is cached beside the fixtures, keyed by
every recipe's hash and this file, and made whole or not at all.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import struct
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _p in (ROOT / "fixtures", ROOT / "tests" / "mp4", ROOT / "src"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import make_fixtures  # noqa: E402
from make_fixtures import VARIANTS, BusyStill, path_for, recipe_hash  # noqa: E402

from mediacheck.demo import clips  # noqa: E402

TINY_SECONDS = 1.6


def tiny(spec: clips.ClipSpec) -> clips.ClipSpec:
    """The same clip at 1/16 of its size, 1/50 of its video and 1/4 of its audio bitrate,
    1.6 s at most, a keyframe every 10 frames (so fragmented layouts still have several
    fragments, and `-ss 1.3` still leaves a keyframe's pre-roll to cut)."""

    def small(x: int) -> int:  # a multiple of 8, as x264's interlaced mode wants
        return max(16, x // 16 // 8 * 8)

    scale = min(1.0, TINY_SECONDS / spec.duration)
    audio = None if spec.audio_duration is None else spec.audio_duration * scale
    return dataclasses.replace(
        spec,
        width=small(spec.width),
        height=small(spec.height),
        duration=spec.duration * scale,
        audio_duration=audio,
        video_bitrate=max(spec.video_bitrate // 50, 20_000),
        audio_bitrate=None if spec.audio_bitrate is None else spec.audio_bitrate // 4,
        gop=10,
        preset="ultrafast" if spec.vcodec == "libx264" else spec.preset,
    )


def _render_fixtures(out: Path, work: Path, log: Callable[[str], None]) -> None:
    # clips first: every other recipe is made from one of them
    order = sorted(VARIANTS, key=lambda n: not isinstance(VARIANTS[n], clips.ClipSpec))
    for name in order:
        recipe = VARIANTS[name]
        at = path_for(name, work)
        at.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(recipe, clips.ClipSpec):
            clips.make_clip(tiny(recipe), at)
        elif isinstance(recipe, BusyStill):
            dataclasses.replace(recipe, base=tiny(recipe.base), duration=2.0, period=1.0)(at, work)
        else:
            recipe(at, work)  # finds its tiny source at path_for(source, work)
        shutil.copyfile(at, out / f"fixture-{name}{at.suffix}")
        log(f"  {name}: {at.stat().st_size} bytes")


def _ffmpeg_small(out: Path, log: Callable[[str], None]) -> None:
    """The reader tests' codec variants (mp4files.VARIANTS / AUDIO_VARIANTS), made with
    the ffmpeg the fixtures use (the system's, else the FFmpeg wheel's)."""
    import subprocess

    import mp4files

    made = 0

    def run(name: str, *args: str) -> None:
        # a seed this ffmpeg cannot make (the wheel's FFmpeg 9 has no AAC Main profile) is
        # left out of the corpus: seeds are a start, not a contract
        nonlocal made
        cmd = [clips.ffmpeg_path(), "-v", "error", "-nostdin", "-y", *args]
        try:
            subprocess.run(cmd, check=True, timeout=180, capture_output=True)
            made += 1
        except subprocess.CalledProcessError as exc:
            log(f"  {name}: not made by this ffmpeg ({exc.stderr.decode(errors='replace')[-200:]})")

    for name, args in mp4files.VARIANTS.items():
        run(name, *mp4files.SMALL, *args, "-t", "0.2", f"file:{out / f'codec-{name}.mp4'}")
    src = ["-f", "lavfi", "-i", "sine=sample_rate=48000:duration=0.3"]
    for name, args in mp4files.AUDIO_VARIANTS.items():
        run(name, *src, *args, f"file:{out / f'audio-{name}.mp4'}")
    log(f"  codec variants: {made} of {len(mp4files.VARIANTS) + len(mp4files.AUDIO_VARIANTS)}")


def _synth(out: Path) -> None:
    """Hand-built files: one of each table form, fragment mode and audio configuration."""
    from mp4files import audio_entry, box, fbox, frag_file, mp4a, synth

    def audio(stsd: bytes) -> bytes:
        return synth(sizes=(10,) * 4, stts=((4, 1536),), timescale=48000, handler=b"soun",
                     stsd=fbox(b"stsd", struct.pack(">I", 1) + stsd))  # fmt: skip

    files: dict[str, bytes] = {
        "plain": synth(),
        "edits": synth(elst=[(500, -1), (4000, 512)]),
        "stz2": synth(stsz=fbox(b"stz2", struct.pack(">I", 8) + struct.pack(">I", 10)
                                + bytes([100] * 10))),  # fmt: skip
        "uniform": synth(stsz=fbox(b"stsz", struct.pack(">II", 100, 10))),
        "runs": synth(sizes=(50,) * 12, stts=((4, 512), (4, 1024), (4, 256)),
                      extra_stbl=fbox(b"ctts", struct.pack(">III", 1, 12, 512))
                      + fbox(b"stss", struct.pack(">III", 2, 1, 7))),  # fmt: skip
        "dac3": audio(audio_entry(b"ac-3", box(b"dac3", bytes.fromhex("10 3d c0")))),
        "dec3": audio(audio_entry(b"ec-3", box(b"dec3", bytes.fromhex("0e 00 20 0f 00 00")))),
        "dops": audio(audio_entry(b"Opus", box(b"dOps", bytes.fromhex(
            "00 06 01 38 00 00 bb 80 00 00 01 04 02 00 04 01 02 03 05")))),  # fmt: skip
        "dmlp": audio(audio_entry(b"mlpa", box(b"dmlp", bytes.fromhex("00 00 00 3b 00 00")))),
        "samr": audio(audio_entry(b"samr", box(b"damr", bytes(9)))),
        "he_aac": audio(mp4a(bytes.fromhex("2b 92 08 00"))),
        "aac_pce": audio(mp4a(bytes.fromhex("10 00 04 c8 80 40 00 80 90 00"))),
        "quicktime_v2": audio(box(b"lpcm", bytes(6) + struct.pack(">HHH", 1, 2, 0)
                                  + bytes(4) + struct.pack(">HHHHI", 3, 16, 0xFFFE, 0, 0x10000)
                                  + struct.pack(">Id", 72, 48000.0) + struct.pack(">5I", 2,
                                  0x7F000000, 16, 12, 4) + struct.pack(">I", 1))),  # fmt: skip
        "enca": audio(audio_entry(b"enca", mp4a(b"\x11\x90")[36:], box(b"sinf", box(
            b"frma", b"mp4a") + fbox(b"schm", b"cenc" + struct.pack(">I", 1 << 16))))),
    }  # fmt: skip
    for mode in ("explicit", "moof", "implicit"):
        files[f"frag-{mode}"] = frag_file(mode)[0]
    for name, data in files.items():
        (out / f"synth-{name}.mp4").write_bytes(data)


def corpus_key() -> str:
    parts = [recipe_hash(n) for n in VARIANTS] + [Path(__file__).read_text()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:10]


def seed_dir(log: Callable[[str], None] = lambda s: None) -> Path:
    """The seed corpus folder, made on first use (a few seconds of tiny encodes)."""
    folder = make_fixtures.cache_dir() / f"fuzz-seeds-{corpus_key()}"
    if folder.is_dir():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-fuzz-seeds-", dir=folder.parent))
    try:
        out, work = tmp / "seeds", tmp / "work"
        out.mkdir()
        work.mkdir()
        log(f"making the seed corpus in {folder}")
        _render_fixtures(out, work, log)
        _ffmpeg_small(out, log)
        _synth(out)
        for p in out.iterdir():
            os.chmod(p, 0o644)
        os.chmod(out, 0o755)
        try:
            os.replace(out, folder)  # whole, or not at all
        except OSError:
            if not folder.is_dir():  # another process made it first: take theirs
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder


if __name__ == "__main__":
    print(seed_dir(print))
