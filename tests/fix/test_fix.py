"""`mediacheck fix` on real fixtures, with the real ffmpeg, ffprobe and MediaInfo.

Each failing variant is fixed once (module scope) and the outputs are shared by the
tests that look at them. Verdicts come from the same checks `mediacheck video` runs.
"""

from __future__ import annotations

import _thread
import copy
import dataclasses
import hashlib
import json
import shutil
import subprocess
import threading
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from toolcheck import system_ffprobe

from mediacheck import tools
from mediacheck.app import check_one
from mediacheck.cli import cli
from mediacheck.cli.fix import in_ci
from mediacheck.fix import video as fixmod
from mediacheck.fix.plan import COPY, ENCODE, SILENCE, fit, make_plan
from mediacheck.fix.video import FixError, build_command, fix_video, run_ffmpeg
from mediacheck.model import FAIL, FFPROBE, MEDIAINFO, Facts
from mediacheck.probe.video import probe_video
from mediacheck.profile import load_profile

PROFILE = load_profile()
PRESET = "superfast"  # still H.264 High (ultrafast would be Constrained Baseline)

# fixture -> (video action, audio action) the plan must choose
VARIANTS = {
    "res_720p": (ENCODE, COPY),
    "fps_30": (ENCODE, COPY),
    "vfr": (ENCODE, COPY),
    "bitrate_8m": (ENCODE, COPY),
    "hevc": (ENCODE, COPY),
    "interlaced": (ENCODE, COPY),
    "yuv444": (ENCODE, COPY),
    "rotated": (ENCODE, COPY),
    "audio_mono": (COPY, ENCODE),
    "audio_44k": (COPY, ENCODE),
    "audio_silence_gated": (COPY, ENCODE),
    "no_audio": (COPY, SILENCE),
    "mov": (COPY, COPY),
    "moov_at_end": (COPY, COPY),
    "two_audio": (COPY, COPY),
    "av_mismatch": (COPY, ENCODE),
}
# warnings (playability) that the fix must clear too
CLEARED = {
    "interlaced": "PLAY-PROGRESSIVE",
    "yuv444": "PLAY-PIXFMT",
    "moov_at_end": "PLAY-FASTSTART",
    "two_audio": "PLAY-ONE-AUDIO",
    "av_mismatch": "PLAY-AV-SYNC",
}


def run(*args: str):
    return CliRunner().invoke(cli, ["fix", *args], env={"COLUMNS": "200", "CI": "true"})


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stream_md5(path: Path, spec: str) -> str:
    """md5 of one stream's packet bytes, read with stream copy (no decode)."""
    out = subprocess.run(
        [tools.find("ffmpeg"), "-v", "error", "-nostdin", "-i", f"file:{path}", "-map", spec,
         "-c", "copy",
         "-f", "md5", "-"],
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    return out.stdout.decode().strip()


def ffprobe_json(path: Path, *args: str) -> dict:
    out = subprocess.run(
        [system_ffprobe(), "-v", "error", *args, "-of", "json", f"file:{path}"],
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    return json.loads(out.stdout)


def audio_kbps_per_second(path: Path) -> list[float]:
    """Audio kbit/s in each whole second (the last, partial second left out)."""
    data = ffprobe_json(path, "-select_streams", "a:0", "-show_entries", "packet=size,pts_time")
    per: Counter[int] = Counter()
    end = 0.0
    for p in data["packets"]:
        t = float(p["pts_time"])
        per[int(max(0.0, t))] += int(p["size"])
        end = max(end, t)
    return [per[k] * 8 / 1000 for k in range(int(end))]


@pytest.fixture(scope="module")
def fixed(media, tmp_path_factory):
    """fixed(name) -> (input copy, output, CLI result, sha256 of the input before)."""
    done: dict[str, tuple[Path, Path, object, str]] = {}

    def get(name: str):
        if name not in done:
            folder = tmp_path_factory.mktemp(name)
            src = folder / media(name).name
            shutil.copyfile(media(name), src)
            before = sha256(src)
            result = run("--lang", "en", "--preset", PRESET, str(src))
            out = src.with_name(src.stem + ".fixed.mp4")
            done[name] = (src, out, result, before)
        return done[name]

    return get


@pytest.mark.parametrize("name", list(VARIANTS))
def test_each_failing_variant_is_fixed(fixed, name):
    src, out, result, before = fixed(name)
    assert result.exit_code == 0, result.output
    assert "it passes the checks" in result.output
    assert sha256(src) == before, "the input changed"
    check = check_one(out, PROFILE, "video")
    failed = [(f.rule_id, f.measured_text["en"]) for f in check.findings if f.status == FAIL]
    assert failed == []
    if name in CLEARED:
        assert {f.rule_id: f.status for f in check.findings}[CLEARED[name]] == "pass"
    # nothing else left beside it: no temp file
    assert sorted(p.name for p in src.parent.iterdir()) == sorted([src.name, out.name])


@pytest.mark.parametrize("name", list(VARIANTS))
def test_plan_does_only_what_is_needed(media, name):
    plan = make_plan(probe_video(media(name)), PROFILE)
    assert (plan.video, plan.audio) == VARIANTS[name]
    assert plan.can_fix and plan.steps
    for step in plan.steps:
        assert step.what["zh"] and step.what["en"]


@pytest.mark.parametrize("name", [n for n, (v, _) in VARIANTS.items() if v == ENCODE])
def test_reencoded_video_is_h264_high_420_progressive_25_upright(fixed, name):
    _, out, _, _ = fixed(name)
    (v,) = ffprobe_json(out, "-select_streams", "v", "-show_streams")["streams"]
    assert (v["codec_name"], v["profile"], v["pix_fmt"]) == ("h264", "High", "yuv420p")
    assert (v["width"], v["height"], v["avg_frame_rate"]) == (1920, 1080, "25/1")
    assert v.get("field_order", "progressive") == "progressive"
    assert not v.get("side_data_list"), "a display matrix was left in the output"
    assert v.get("sample_aspect_ratio", "1:1") in ("1:1", "0:1")


@pytest.mark.parametrize("name", ["mov", "moov_at_end"])
def test_remux_copies_the_streams_bit_for_bit(fixed, name):
    src, out, result, _ = fixed(name)
    assert "Remux to MP4 only" in result.output
    assert stream_md5(out, "0:v:0") == stream_md5(src, "0:v:0")
    assert stream_md5(out, "0:a:0") == stream_md5(src, "0:a:0")
    facts = probe_video(out)
    assert facts.get("container.format").value == "mp4"
    assert facts.get("container.faststart").value is True


def test_audio_only_fix_keeps_the_video_bytes(fixed):
    src, out, _, _ = fixed("audio_mono")
    assert stream_md5(out, "0:v:0") == stream_md5(src, "0:v:0")
    (a,) = ffprobe_json(out, "-select_streams", "a", "-show_streams")["streams"]
    assert (a["channels"], a["sample_rate"], a["profile"]) == (2, "48000", "LC")


def test_silence_gated_audio_stays_at_128k_every_second(fixed):
    src, out, _, _ = fixed("audio_silence_gated")
    assert min(audio_kbps_per_second(src)) < 20  # the fixture really drops
    rates = audio_kbps_per_second(out)
    assert len(rates) >= 4
    assert all(abs(r - 128) <= 12.8 for r in rates), rates


def test_upscale_and_rotation_are_said(fixed):
    _, _, result, _ = fixed("res_720p")
    assert "upscaled to 1920×1080" in result.output and "adds no detail" in result.output
    _, _, result, _ = fixed("rotated")
    assert "rotation tag (90°)" in result.output
    assert "608×1080" in result.output and "black bars" in result.output


# ------------------------------------------------------------------ safety


def test_existing_output_is_refused_without_force(media, tmp_path):
    src = tmp_path / "lesson.mp4"
    shutil.copyfile(media("moov_at_end"), src)
    out = tmp_path / "lesson.fixed.mp4"
    out.write_bytes(b"keep me")
    result = run("--lang", "en", str(src))
    assert result.exit_code == 2
    assert "already exists" in result.output and "--force" in result.output
    assert out.read_bytes() == b"keep me"
    result = run("--lang", "en", "--force", str(src))
    assert result.exit_code == 0, result.output
    assert out.read_bytes() != b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lesson.fixed.mp4", "lesson.mp4"]


def test_output_equal_to_input_is_refused(media, tmp_path):
    src = tmp_path / "lesson.mp4"
    shutil.copyfile(media("moov_at_end"), src)
    before = sha256(src)
    for args in (["-o", str(src)], ["-o", str(src), "--force"]):
        result = run("--lang", "zh", *args, str(src))
        assert result.exit_code == 2
        assert "从不改写原文件" in result.output
    assert sha256(src) == before


def test_dry_run_prints_the_command_and_writes_nothing(media, tmp_path):
    src = tmp_path / "lesson.mp4"
    shutil.copyfile(media("hevc"), src)
    result = run("--lang", "en", "--dry-run", str(src))
    assert result.exit_code == 0, result.output
    assert "ffmpeg -i file:" in result.output and "nal-hrd=cbr" in result.output
    assert "-movflags +faststart" in result.output and "[0:V:0]" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["lesson.mp4"]


def test_compliant_needs_nothing_and_writes_nothing(media, tmp_path):
    src = tmp_path / "ok.mp4"
    shutil.copyfile(media("compliant"), src)
    result = run("--lang", "en", str(src))
    assert result.exit_code == 0
    assert "nothing to fix" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["ok.mp4"]


def test_truncated_is_not_fixed(media, tmp_path):
    src = tmp_path / "cut.mp4"
    shutil.copyfile(media("truncated"), src)
    result = run("--lang", "en", str(src))
    assert result.exit_code == 1
    assert "truncated" in result.output and "Export or copy the original again" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["cut.mp4"]


@pytest.mark.parametrize("name", ["no_video", "empty", "text_as_mp4"])
def test_what_cannot_be_fixed_says_why(media, name):
    plan = make_plan(probe_video(media(name)), PROFILE)
    assert not plan.can_fix and plan.blockers
    assert all(b["zh"] and b["en"] for b in plan.blockers)


def _plan_in(media, tmp_path, name: str):
    src = tmp_path / f"{name}.mp4"
    shutil.copyfile(media(name), src)
    return make_plan(probe_video(src), PROFILE), src


def test_timeout_leaves_nothing(media, tmp_path):
    plan, src = _plan_in(media, tmp_path, "hevc")
    out = tmp_path / "out.mp4"
    with pytest.raises(FixError) as err:
        fix_video(plan, out, PROFILE, preset=PRESET, timeout=0.3)
    assert err.value.code == "timeout"
    assert "timed out" in err.value.text("en") and "超时" in err.value.text("zh")
    assert [p.name for p in tmp_path.iterdir()] == [src.name]


def test_ctrl_c_leaves_nothing(media, tmp_path):
    plan, src = _plan_in(media, tmp_path, "hevc")
    out = tmp_path / "out.mp4"
    timer = threading.Timer(0.5, _thread.interrupt_main)  # what Ctrl-C does to Python
    timer.start()
    try:
        with pytest.raises(FixError) as err:
            fix_video(plan, out, PROFILE, preset=PRESET)
    finally:
        timer.cancel()
    assert (err.value.code, err.value.exit_code) == ("interrupted", 130)
    assert [p.name for p in tmp_path.iterdir()] == [src.name]


def test_cli_timeout_exits_1_with_a_clear_message(media, tmp_path):
    src = tmp_path / "lesson.mp4"
    shutil.copyfile(media("fps_30"), src)
    result = run("--lang", "en", "--timeout", "0.2", str(src))
    assert result.exit_code == 1
    assert "timed out" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["lesson.mp4"]


def test_a_failing_result_is_not_kept(media, tmp_path):
    """If the output failed the checks (here: a stand-in check that says so), the target
    path stays empty."""
    plan, src = _plan_in(media, tmp_path, "moov_at_end")
    out = tmp_path / "out.mp4"

    def strict_check(path, profile, kind):
        result = check_one(path, profile, kind)
        assert path != out and path.name.startswith(".out.mp4.")  # checked before the rename
        bad = dataclasses.replace(result.findings[0], status=FAIL)
        return dataclasses.replace(result, findings=(bad, *result.findings[1:]))

    outcome = fix_video(plan, out, PROFILE, check=strict_check)
    assert not outcome.passed
    assert [p.name for p in tmp_path.iterdir()] == [src.name]


def test_disk_full_is_a_clear_error(tmp_path):
    # /dev/full answers every write with ENOSPC, as a full disk does
    args = [tools.find("ffmpeg"), "-v", "error", "-nostdin", "-f", "lavfi",
            "-i", "testsrc2=d=1", "-c:v", "libx264", "-preset", "ultrafast",
            "-f", "mp4", "-y", "file:/dev/full"]  # fmt: skip
    with pytest.raises(FixError) as err:
        run_ffmpeg(args, 60, target=tmp_path / "x.mp4")
    assert err.value.code == "disk_full"
    assert "disk is full" in err.value.text("en") and "磁盘空间不足" in err.value.text("zh")


def test_missing_encoder_is_a_clear_error(media, tmp_path, monkeypatch):
    assert {"libx264", "aac"} <= fixmod.encoders(fixmod.ffmpeg_exe())  # the real list
    monkeypatch.setattr(fixmod, "encoders", lambda exe: {"aac"})  # a build without x264
    src = tmp_path / "lesson.mp4"
    shutil.copyfile(media("hevc"), src)
    result = run("--lang", "en", str(src))
    assert result.exit_code == 2
    assert "no libx264 encoder" in result.output and "pip install" in result.output
    assert "apt-get" not in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["lesson.mp4"]


def test_a_system_ffmpeg_without_x264_falls_back_to_the_wheels(media, monkeypatch):
    system = "/usr/bin/ffmpeg-without-x264"
    real = fixmod.encoders
    monkeypatch.setattr(fixmod, "encoders", lambda exe: {"aac"} if exe == system else real(exe))
    plan = make_plan(probe_video(media("hevc")), PROFILE)
    wheel = tools.WHEELS["ffmpeg"]()
    assert wheel and fixmod.require_encoders(plan, system) == wheel


def test_progress_comes_from_ffmpeg(media, tmp_path):
    plan, src = _plan_in(media, tmp_path, "audio_44k")
    seen: list[float] = []
    args = build_command(plan, src, tmp_path / "o.mp4", exe=tools.find("ffmpeg"), overwrite=True)
    run_ffmpeg(args, 60, seen.append)
    assert seen and seen == sorted(seen) and seen[-1] == pytest.approx(4.0, abs=0.1)
    assert in_ci({"CI": "true"}) and not in_ci({})


# ------------------------------------------------------------------ the plan, pure


@pytest.fixture(scope="module")
def compliant_facts(media):
    """facts(changes) -> the compliant fixture's real facts with some values changed
    (real facts, so rules added later find every fact they read)."""
    probed = probe_video(media("compliant"))

    def facts(changes: dict | None = None) -> Facts:
        f = copy.deepcopy(probed)
        f.path = Path("x.mov")
        for name, value in (changes or {}).items():
            f.set(name, value, source=FFPROBE)
        return f

    return facts


def test_targets_come_from_the_profile(tmp_path, compliant_facts):
    prof = tmp_path / "mine.yaml"
    prof.write_text(
        "extends: shanghai-2024\nrules:\n"
        "  V-BITRATE: {expected: 3000000}\n  V-FPS: {expected: 30}\n"
        "  A-RATE: {expected: 44100}\n  A-BITRATE: {expected: 192000}\n"
        "  V-RES: {expected: [1280, 720]}\n",
        encoding="utf-8",
    )
    profile = load_profile(str(prof))
    facts = compliant_facts({"video.codec": "hevc", "audio.channels": 1})
    plan = make_plan(facts, profile)
    v, a = plan.video_settings, plan.audio_settings
    assert (v.bitrate, float(v.fps), v.frame) == (3_000_000, 30.0, (1280, 720))
    assert (a.sample_rate, a.bitrate, a.channels) == (44100, 192_000, 2)


def test_only_audio_failing_reencodes_only_audio(compliant_facts):
    facts = compliant_facts({"audio.sample_rate": 44100})
    plan = make_plan(facts, PROFILE)
    assert (plan.video, plan.audio) == (COPY, ENCODE)
    assert [s.code for s in plan.steps][:2] == ["video.copy", "audio.encode"]
    assert "A-RATE" in plan.steps[1].why["en"]


def test_container_only_is_a_remux(compliant_facts):
    plan = make_plan(compliant_facts({"container.format": "mov"}), PROFILE)
    assert plan.remux_only and plan.steps[0].code == "remux"


def test_portrait_is_fitted_not_stretched(compliant_facts):
    assert fit((1080, 1920), (1920, 1080)) == ((608, 1080), 0.5625)
    assert fit((1280, 720), (1920, 1080)) == ((1920, 1080), 1.5)
    assert fit((3840, 2160), (1920, 1080)) == ((1920, 1080), 0.5)
    plan = make_plan(compliant_facts({"video.display_size": [1080, 1920]}), PROFILE)
    assert plan.video_settings.picture == (608, 1080)
    assert "video.pad" in [s.code for s in plan.steps]


def test_profile_asking_for_what_we_cannot_write_blocks(tmp_path, compliant_facts):
    prof = tmp_path / "hevc.yaml"
    prof.write_text("extends: shanghai-2024\nrules:\n  V-CODEC: {expected: hevc}\n", "utf-8")
    plan = make_plan(compliant_facts({"video.codec": "vp9"}), load_profile(str(prof)))
    assert not plan.can_fix and "hevc" in plan.blockers[0]["en"]


def test_a_vbr_label_alone_reencodes_only_audio(compliant_facts):
    facts = compliant_facts()
    facts.set("audio.bitrate_mode", "VBR", source=MEDIAINFO)
    plan = make_plan(facts, PROFILE)
    assert (plan.video, plan.audio) == (COPY, ENCODE)


# ------------------------------------------------------------------ photos


def _exif(orientation: int):
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "TestCam"  # Make: kept in the output
    return exif


def _noise_image(w: int, h: int):
    import random

    from PIL import Image

    rnd = random.Random(6)  # seeded: the same photo every run
    return Image.frombytes("RGB", (w, h), rnd.randbytes(w * h * 3))


def test_tiff_becomes_an_upright_jpeg_that_passes(tmp_path):
    from PIL import Image

    src = tmp_path / "scan.tif"
    _noise_image(1600, 1200).save(src, exif=_exif(6))  # 6: shown turned 90° clockwise
    before = sha256(src)
    result = run("--lang", "en", str(src))
    assert result.exit_code == 0, result.output
    out = tmp_path / "scan.fixed.jpg"
    with Image.open(out) as img:
        assert (img.format, img.size) == ("JPEG", (1200, 1600))
        exif = img.getexif()
        assert exif.get(0x0112, 1) == 1 and exif.get(0x010F) == "TestCam"
    assert out.stat().st_size >= 2 * 1024 * 1024
    assert sha256(src) == before


def test_small_webp_is_converted_but_not_upscaled(tmp_path):
    from PIL import Image

    src = tmp_path / "chat.webp"
    _noise_image(300, 200).save(src, quality=80, exif=_exif(6))
    result = run("--lang", "zh", str(src))
    assert result.exit_code == 1
    assert "原图" in result.output and "不会增加细节" in result.output
    with Image.open(tmp_path / "chat.fixed.jpg") as img:
        assert img.size == (200, 300)  # upright, and not one pixel bigger


def test_transparent_webp_becomes_png(tmp_path):
    from PIL import Image

    src = tmp_path / "logo.webp"
    img = Image.new("RGBA", (64, 48), (0, 0, 255, 255))
    img.putpixel((0, 0), (0, 0, 0, 0))
    img.save(src, lossless=True)
    result = run("--lang", "en", str(src))
    assert "transparent" in result.output
    with Image.open(tmp_path / "logo.fixed.png") as out:
        assert out.mode == "RGBA" and out.getpixel((0, 0))[3] == 0


def test_small_jpeg_is_not_fixed(tmp_path):
    from PIL import Image

    src = tmp_path / "small.jpg"
    Image.new("RGB", (64, 48)).save(src)
    result = run("--lang", "en", str(src))
    assert result.exit_code == 1
    assert "Upscaling" in result.output and "original from the camera" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["small.jpg"]


def test_heic_without_pillow_heif_says_what_to_install(tmp_path):
    pytest.importorskip("PIL")
    try:
        import pillow_heif  # noqa: F401

        pytest.skip("pillow-heif is installed here")
    except ImportError:
        pass
    src = tmp_path / "IMG_0001.HEIC"
    src.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(100))
    result = run("--lang", "en", str(src))
    assert result.exit_code == 2
    assert "pip install pillow-heif" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["IMG_0001.HEIC"]
