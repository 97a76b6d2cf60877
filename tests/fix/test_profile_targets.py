"""`fix` takes every target and every accepted format from the profile (issue #9).

The two experiments of the issue, on real fixtures through the real CLI: a profile
allowing WebP (a WebP photo is left alone), a profile asking for 44.1 kHz (the plan says
44.1 kHz only, and the fixed file is 44.1 kHz); and a profile that disables a rule a plan
needs (the plan names the missing target instead of using the spec's number).
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from toolcheck import system_ffprobe

from mediacheck.app import check_one
from mediacheck.cli import cli
from mediacheck.fix.plan import COPY, SILENCE, make_plan
from mediacheck.model import FAIL, FFPROBE, Facts
from mediacheck.probe.video import probe_video
from mediacheck.profile import load_profile

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fixtures"))  # not a package
import make_photos  # noqa: E402

PRESET = "superfast"
WEBP_FORMATS = "[jpeg, png, gif, bmp, webp]"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "200", "CI": "true"})


def profile_file(tmp_path: Path, name: str, rules: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(f"extends: shanghai-2024\nrules:\n{rules}", encoding="utf-8")
    return path


def copy_in(src: Path, folder: Path) -> Path:
    """A copy named without the cache's recipe hash: photo.webp, no_audio.mp4."""
    stem, _, _ = src.stem.rpartition("-")
    dst = folder / f"{stem or src.stem}{src.suffix}"
    shutil.copyfile(src, dst)
    return dst


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix != ".yaml")


# ------------------------------------------------------------------ experiment 1: WebP


def test_a_webp_photo_under_a_webp_profile_is_left_alone(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    src = copy_in(make_photos.get("webp"), photos)
    # P-SIZE off too, so that nothing else stands in the way: fix has nothing to do
    prof = profile_file(tmp_path, "webp", f"  P-FORMAT: {{expected: {WEBP_FORMATS}}}\n")
    roomy = profile_file(
        tmp_path, "webp_any_size", f"  P-FORMAT: {{expected: {WEBP_FORMATS}}}\n  P-SIZE: disable\n"
    )
    before = src.read_bytes()

    result = run("fix", "--lang", "en", "--profile", str(roomy), str(src))
    assert result.exit_code == 0, result.output
    assert "already an accepted format (WebP)" in result.output
    assert "Convert" not in result.output and "jpg, png, gif or bmp" not in result.output

    # Under the WebP profile with P-SIZE on, the small fixture fails on its size only:
    # still no conversion, and the size is what it says.
    result = run("fix", "--lang", "en", "--profile", str(prof), str(src))
    assert result.exit_code == 1
    assert "P-SIZE" in result.output and "Convert" not in result.output
    assert listing(photos) == [src.name] and src.read_bytes() == before


def test_a_webp_photo_passes_format_and_decodes_under_a_webp_profile(tmp_path):
    src = copy_in(make_photos.get("webp"), tmp_path)
    prof = profile_file(tmp_path, "webp", f"  P-FORMAT: {{expected: {WEBP_FORMATS}}}\n")
    result = run("photos", "--lang", "en", "--format", "json", "--profile", str(prof), str(src))
    report = json.loads(result.output)
    photo, case = report["files"]
    status = {f["rule"]: f for f in photo["findings"]}
    assert status["P-FORMAT"]["status"] == "pass"
    assert status["P-DECODES"]["status"] == "pass"
    assert all("{" not in f["message"] + f["hint"] for f in photo["findings"])
    count = {f["rule"]: f for f in case["findings"]}["P-COUNT"]
    assert count["measured"]["value"] == 1  # usable: counted among the distinct photos


def test_the_default_profile_converts_webp_and_says_which_rule(tmp_path):
    src = copy_in(make_photos.get("webp"), tmp_path)
    result = run("fix", "--lang", "en", "--dry-run", str(src))
    assert result.exit_code == 0, result.output
    assert "Convert WebP to JPEG" in result.output
    assert "Because: the rules accept jpeg / png / gif / bmp (P-FORMAT)." in result.output
    result = run("fix", "--lang", "zh", "--dry-run", str(src))
    assert "原因：规则只接受 jpeg / png / gif / bmp（P-FORMAT）。" in result.output


def test_a_profile_without_jpeg_gets_png(tmp_path):
    from PIL import Image

    src = copy_in(make_photos.get("tiff"), tmp_path)
    prof = profile_file(tmp_path, "png_only", "  P-FORMAT: {expected: [png]}\n")
    result = run("fix", "--lang", "en", "--profile", str(prof), str(src))
    assert "Convert TIFF to PNG" in result.output
    assert "The rules do not accept JPEG" in result.output
    with Image.open(tmp_path / "photo.fixed.png") as out:
        assert out.format == "PNG" and out.size == (400, 300)


def test_transparency_without_png_is_flattened_into_an_accepted_jpeg(tmp_path):
    from PIL import Image

    src = tmp_path / "logo.webp"
    img = Image.new("RGBA", (64, 48), (0, 0, 255, 255))
    img.putpixel((0, 0), (0, 0, 0, 0))
    img.save(src, lossless=True)
    prof = profile_file(tmp_path, "jpeg_only", "  P-FORMAT: {expected: [jpeg]}\n")
    result = run("fix", "--lang", "en", "--profile", str(prof), str(src))
    assert "do not accept PNG" in result.output
    with Image.open(tmp_path / "logo.fixed.jpg") as out:
        assert out.format == "JPEG"
        assert min(out.getpixel((0, 0))) > 240  # the transparent pixel is white, not black


def test_a_profile_accepting_nothing_we_can_write_is_a_blocker(tmp_path):
    src = copy_in(make_photos.get("tiff"), tmp_path)
    prof = profile_file(tmp_path, "webp_only", "  P-FORMAT: {expected: [webp]}\n")
    result = run("fix", "--lang", "en", "--profile", str(prof), str(src))
    assert result.exit_code == 1
    assert "can write only JPEG / PNG" in result.output
    assert "the rules accept webp (P-FORMAT)" in result.output
    assert listing(tmp_path) == [src.name]


# ------------------------------------------------------------------ experiment 2: 44.1 kHz


@pytest.fixture
def p44(tmp_path):
    return profile_file(tmp_path, "p44", "  A-RATE: {expected: 44100}\n")


def test_dry_run_on_a_lesson_without_audio_names_44k_only(media, tmp_path, p44):
    src = copy_in(media("no_audio"), tmp_path)
    for lang in ("en", "zh"):
        result = run("fix", "--lang", lang, "--dry-run", "--profile", str(p44), str(src))
        assert result.exit_code == 0, result.output
        assert result.output.count("44.1 kHz") == 2, result.output  # the step and its reason
        assert "48 kHz" not in result.output
        assert "sample_rate=44100" in result.output and "-ar 44100" in result.output
    assert listing(tmp_path) == [src.name]


def test_a_real_fix_under_the_44k_profile_writes_44k(media, tmp_path, p44):
    src = copy_in(media("no_audio"), tmp_path)
    result = run("fix", "--lang", "en", "--preset", PRESET, "--profile", str(p44), str(src))
    assert result.exit_code == 0, result.output
    out = tmp_path / "no_audio.fixed.mp4"
    probe = subprocess.run(
        [system_ffprobe(), "-v", "error", "-select_streams", "a", "-show_entries",
         "stream=sample_rate,channels", "-of", "json", f"file:{out}"],
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    (stream,) = json.loads(probe.stdout)["streams"]
    assert (int(stream["sample_rate"]), stream["channels"]) == (44100, 2)
    checked = check_one(out, load_profile(str(p44)), "video")
    assert [f.rule_id for f in checked.findings if f.status == FAIL] == []


# ------------------------------------------------------------------ a rule the plan needs is off


def test_a_disabled_rule_the_plan_needs_is_named_not_guessed(media, tmp_path):
    src = copy_in(media("no_audio"), tmp_path)
    prof = profile_file(tmp_path, "no_rate", "  A-RATE: disable\n")
    result = run("fix", "--lang", "en", "--dry-run", "--profile", str(prof), str(src))
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "the profile has no rule for the audio sample rate (audio.sample_rate)" in text
    assert "enable A-RATE" in text
    assert "48 kHz" not in text and "48000" not in text and "ffmpeg" not in text
    result = run("fix", "--lang", "zh", "--dry-run", "--profile", str(prof), str(src))
    assert "音频采样率" in result.output and "A-RATE" in result.output
    assert listing(tmp_path) == [src.name]


def test_a_remux_needs_no_target(media, tmp_path):
    src = copy_in(media("mov"), tmp_path)
    prof = profile_file(tmp_path, "bare", "  A-RATE: disable\n  V-FPS: disable\n")
    result = run("fix", "--lang", "en", "--dry-run", "--profile", str(prof), str(src))
    assert result.exit_code == 0, result.output
    assert "Remux to MP4 only" in result.output and "no rule" not in result.output


@pytest.fixture(scope="module")
def compliant_facts(media):
    probed = probe_video(media("compliant"))

    def facts(changes: dict) -> Facts:
        f = copy.deepcopy(probed)
        for name, value in changes.items():
            f.set(name, value, source=FFPROBE)
        return f

    return facts


# rule -> (fact, a change that makes the plan need it)
NEEDED = {
    "V-RES": ("video.display_size", {"video.codec": "hevc"}),
    "V-FPS": ("video.fps", {"video.codec": "hevc"}),
    "V-BITRATE": ("video.bitrate", {"video.codec": "hevc"}),
    "A-RATE": ("audio.sample_rate", {"audio.codec": "mp3"}),
    "A-CHANNELS": ("audio.channels", {"audio.codec": "mp3"}),
    "A-BITRATE": ("audio.bitrate", {"audio.codec": "mp3"}),
}


@pytest.mark.parametrize("rule", list(NEEDED))
def test_each_target_rule_disabled_blocks_only_the_plans_that_need_it(
    tmp_path, compliant_facts, rule
):
    fact, needs_it = NEEDED[rule]
    profile = load_profile(str(profile_file(tmp_path, "off", f"  {rule}: disable\n")))
    plan = make_plan(compliant_facts(needs_it), profile)
    assert not plan.can_fix
    (blocker,) = plan.blockers
    assert f"({fact})" in blocker["en"] and f"enable {rule}" in blocker["en"]
    assert fact in blocker["zh"] and rule in blocker["zh"]
    # the other half of the file is not re-encoded: its targets are not needed
    other = {"video": {"audio.codec": "mp3"}, "audio": {"video.codec": "hevc"}}
    plan = make_plan(compliant_facts(other[fact.split(".")[0]]), profile)
    assert plan.can_fix and not plan.blockers
    # and a remux needs none
    plan = make_plan(compliant_facts({"container.faststart": False}), profile)
    assert plan.can_fix and (plan.video, plan.audio) == (COPY, COPY)


def test_a_profile_written_from_scratch_is_told_to_add_a_rule(media, tmp_path):
    import yaml

    # the shipped rules minus A-RATE, as a profile of its own: nothing to re-enable
    shipped = yaml.safe_load(Path(load_profile().sources[0]).read_text(encoding="utf-8"))
    del shipped["rules"]["A-RATE"]
    prof = tmp_path / "mine.yaml"
    prof.write_text(yaml.safe_dump(shipped, allow_unicode=True, sort_keys=False), encoding="utf-8")
    plan = make_plan(probe_video(media("no_audio")), load_profile(str(prof)))
    (blocker,) = plan.blockers
    assert "give one in a rule on audio.sample_rate" in blocker["en"]
    assert "enable" not in blocker["en"]
    assert plan.steps == () and plan.audio != SILENCE


def test_no_fix_sentence_repeats_a_spec_value():
    import re

    from mediacheck.words.fix import FIX

    profile = load_profile()
    numbers: set[str] = set()
    for rule in profile.rules:
        values = rule.expected if isinstance(rule.expected, list) else [rule.expected]
        for v in values:
            if isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 100:
                numbers |= {f"{v:g}", f"{v:,}", f"{v / 1000:g}"}
    numbers = {n for n in numbers if len(n) >= 3}
    for key, words in FIX.items():
        for lang, sentence in words.items():
            for n in numbers:
                hit = re.search(rf"(?<![\d.,]){re.escape(n)}(?![\d,]|\.\d)", sentence)
                assert hit is None, f"{key}.{lang} repeats {n}"
            assert not re.search(r"jpg.{0,3}png.{0,3}gif", sentence, re.I), key
            assert "48 kHz" not in sentence and "1080p" not in sentence, key
