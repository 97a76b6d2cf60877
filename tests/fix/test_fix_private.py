"""`mediacheck fix` takes location and device identity out of photos (PRIV-PHOTO), on the
fixtures of fixtures/make_photos.py, with the real Pillow: the copy passes the rules that
warned, decodes to the original's pixels, keeps its size and everything else."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from mediacheck.app import check_files
from mediacheck.cli import cli
from mediacheck.fix import photo_strip
from mediacheck.fix.photo import fix_photo, same_pixels
from mediacheck.fix.photo_strip import StripError, strip
from mediacheck.model import PASS, WARN
from mediacheck.probe.photo_meta import PRIVATE_FACTS, identity
from mediacheck.profile import load_profile

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fixtures"))  # not a package
import make_photos  # noqa: E402

PROFILE = load_profile()
PRIV_RULES = ("P-PRIV-GPS", "P-PRIV-CAMERA-SERIAL", "P-PRIV-LENS-SERIAL", "P-PRIV-OWNER")
SECRETS = (make_photos.PRIVATE_SERIAL, make_photos.PRIVATE_LENS_SERIAL,
           make_photos.PRIVATE_OWNER, "31,13.802N", "121,28.025E")  # fmt: skip


def run(*args: str):
    return CliRunner().invoke(cli, ["fix", *args])


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def statuses(path: Path) -> dict[str, str]:
    (result,) = check_files([path], PROFILE, "photo").files
    return {f.rule_id: f.status for f in result.findings}


def copy(name: str, tmp_path: Path, filename: str | None = None) -> Path:
    src = make_photos.get(name)
    dst = tmp_path / (filename or src.name)
    shutil.copyfile(src, dst)
    return dst


def no_secret_in(data: bytes) -> None:
    for secret in SECRETS:
        assert secret.encode("utf-8") not in data, secret


@pytest.fixture(scope="module")
def fixed_jpeg(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """private_jpg fixed once: (original, copy, the command's English output)."""
    tmp = tmp_path_factory.mktemp("private")
    src = copy("private_jpg", tmp, "活动照片 1.jpg")
    result = run("--lang", "en", str(src))
    assert result.exit_code == 0, result.output
    return src, tmp / "活动照片 1.fixed.jpg", result.output


def test_the_original_warns_and_the_copy_passes(fixed_jpeg):
    src, out, output = fixed_jpeg
    before, after = statuses(src), statuses(out)
    assert all(before[r] == WARN for r in PRIV_RULES), before
    assert all(after[r] == PASS for r in PRIV_RULES), after
    assert after["P-SIZE"] == PASS and after["P-DECODES"] == PASS
    assert "31.23°N 121.47°E" in output and "01******89" in output  # said, masked
    assert "pass, and its pixels equal the original's" in output


def test_the_copy_is_the_original_minus_the_metadata(fixed_jpeg):
    src, out, _ = fixed_jpeg
    original, stripped = src.read_bytes(), out.read_bytes()
    assert len(stripped) == len(original)  # nothing re-encoded, nothing shrunk
    assert same_pixels(src, out)
    no_secret_in(stripped)
    # every changed byte lies inside an APP1 (EXIF/XMP) segment
    app1 = [(b, e) for m, b, e in photo_strip._jpeg_headers(original, 0) if m == 0xE1]
    changed = [i for i, (x, y) in enumerate(zip(original, stripped, strict=True)) if x != y]
    assert changed and all(any(b <= i < e for b, e in app1) for i in changed)


def test_what_identifies_nothing_is_kept(fixed_jpeg):
    src, out, _ = fixed_jpeg
    with Image.open(src) as a, Image.open(out) as b:
        exif = b.getexif()
        assert exif[0x0112] == 6  # orientation: still shown upright
        assert (exif[0x010F], exif[0x0110]) == ("TestCam", "TC-1")  # make, model
        assert exif.get_ifd(0x8769)[0x9003] == "2024:10:28 09:30:00"  # capture time
        assert 0x8825 not in exif and 0x927C not in exif.get_ifd(0x8769)
        assert b.info["icc_profile"] == a.info["icc_profile"]
        xmp = b.info["xmp"]
    # the XMP is still well-formed and keeps what is not identifying
    root = ET.fromstring(xmp.decode("utf-8").split("?>", 1)[1].rsplit("<?xpacket", 1)[0])
    text = ET.tostring(root, encoding="unicode")
    assert 'Rating="5"' in text and "TestCam 1.0" in text and "GPS" not in text


def test_the_original_is_untouched_and_the_copy_is_checked_before_it_is_kept(tmp_path):
    src = copy("private_jpg", tmp_path)
    before = sha256(src)
    outcome = fix_photo(src, tmp_path / "out.jpg", PROFILE)
    assert outcome.exit_code == 0 and outcome.written == tmp_path / "out.jpg"
    assert sha256(src) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([src.name, "out.jpg"])


def test_dry_run_names_what_would_go_and_writes_nothing(tmp_path):
    src = copy("private_jpg", tmp_path)
    for lang, words in (("zh", ("GPS 拍摄位置（31.23°N 121.47°E）", "相机序列号（01******89）",
                                "机主姓名（张*）", "厂商附注", "没有写任何文件")),
                        ("en", ("the GPS position (31.23°N 121.47°E)", "lens serial number",
                                "maker note", "nothing was written"))):  # fmt: skip
        result = run("--lang", lang, "--dry-run", str(src))
        assert result.exit_code == 0, result.output
        flat = result.output.replace("\n", "")
        assert all(w in flat for w in words), (lang, result.output)
        assert make_photos.PRIVATE_SERIAL not in result.output  # never the full serial
    assert [p.name for p in tmp_path.iterdir()] == [src.name]


def test_an_existing_output_is_refused_without_force(tmp_path):
    src = copy("private_jpg", tmp_path)
    taken = tmp_path / "taken.jpg"
    taken.write_bytes(b"mine")
    result = run("--lang", "en", "-o", str(taken), str(src))
    assert result.exit_code == 2 and "--force" in result.output
    assert taken.read_bytes() == b"mine"
    assert run("--lang", "en", "-o", str(taken), "--force", str(src)).exit_code == 0
    assert statuses(taken)["P-PRIV-GPS"] == PASS


def test_xmp_only_photo(tmp_path):
    src = copy("xmp_private_jpg", tmp_path)
    outcome = fix_photo(src, None, PROFILE)
    out = outcome.written
    assert out is not None and statuses(out)["P-PRIV-GPS"] == PASS
    assert statuses(out)["P-PRIV-CAMERA-SERIAL"] == PASS
    assert same_pixels(src, out) and out.stat().st_size == src.stat().st_size
    no_secret_in(out.read_bytes())


def test_png_chunks_are_rewritten_with_their_crcs(tmp_path):
    src = copy("private_png", tmp_path)
    outcome = fix_photo(src, None, PROFILE)
    out = outcome.written
    assert out is not None and out.suffix == ".png"
    with Image.open(out) as img:
        img.verify()  # every chunk's CRC
    assert all(statuses(out)[r] == PASS for r in PRIV_RULES)
    assert same_pixels(src, out)
    no_secret_in(out.read_bytes())
    no_secret_in(identity_bytes(out))


def identity_bytes(path: Path) -> bytes:
    with Image.open(path) as img:
        return json.dumps(identity(img), ensure_ascii=False).encode()


def test_fujifilm_maker_note_goes_with_the_serial(tmp_path):
    src = copy("fuji_serial_jpg", tmp_path)
    out = fix_photo(src, None, PROFILE).written
    assert out is not None and statuses(out)["P-PRIV-CAMERA-SERIAL"] == PASS
    assert b"FF01234567AB" not in out.read_bytes()
    with Image.open(out) as img:
        assert img.getexif()[0x010F] == "FUJIFILM"


def test_a_rule_switched_off_strips_nothing_of_its_own(tmp_path):
    profile_file = tmp_path / "mine.yaml"
    profile_file.write_text("extends: shanghai-2024\nrules:\n  P-PRIV-GPS: disable\n", "utf-8")
    src = copy("private_jpg", tmp_path)
    out = fix_photo(src, None, load_profile(str(profile_file))).written
    assert out is not None
    with Image.open(out) as img:
        found = identity(img)
    assert found["gps"] == "31.23°N 121.47°E"  # the profile wants the location kept
    assert found["camera_serial"] is None


def test_a_clean_photo_needs_nothing(tmp_path):
    src = copy("photo_a", tmp_path)
    result = run("--lang", "en", str(src))
    assert result.exit_code == 0 and "no conversion needed" in result.output
    assert [p.name for p in tmp_path.iterdir()] == [src.name]


def test_mpo_views_are_all_stripped():
    a, b = Image.new("RGB", (64, 48), "red"), Image.new("RGB", (64, 48), "blue")
    buf = io.BytesIO()
    a.save(buf, "MPO", save_all=True, append_images=[b], exif=make_photos.private_exif())
    data = buf.getvalue()
    assert data.count(b"Exif\x00\x00") == 2  # one EXIF per view (big-endian, by Pillow)
    stripped = strip(data, "jpeg", set(PRIVATE_FACTS))
    assert len(stripped.data) == len(data)
    no_secret_in(stripped.data)
    with Image.open(io.BytesIO(stripped.data)) as img:
        img.seek(1)
        assert img.getexif().get_ifd(0x8825) == {} and img.tobytes()[:3] == b"\x00\x00\xfe"


def test_xmp_of_a_drone():
    xmp = b'<x:xmpmeta><rdf:Description drone-dji:GpsLatitude="+31.2304" drone-dji:Yaw="1"/>'
    out, changed = photo_strip.blank_xmp(xmp, {"photo.gps"})
    assert changed and len(out) == len(xmp)
    assert b"31.2304" not in out and b'drone-dji:Yaw="1"' in out


def test_big_endian_exif():
    exif = Image.Exif()
    exif.endian = ">"
    exif[0x010F] = "TestCam"
    exif[0x8769] = {0xA431: "0123456789", 0x9003: "2024:10:28 09:30:00"}
    raw = exif.tobytes()
    assert raw[6:8] == b"MM"
    buf = io.BytesIO()
    Image.new("RGB", (16, 16)).save(buf, "JPEG", exif=raw)
    out = strip(buf.getvalue(), "jpeg", {"photo.camera_serial"})
    assert out.removed == {"camera_serial"}
    with Image.open(io.BytesIO(out.data)) as img:
        sub = img.getexif().get_ifd(0x8769)
    assert 0xA431 not in sub and sub[0x9003] == "2024:10:28 09:30:00"


def test_a_damaged_exif_block_is_emptied(tmp_path):
    # an EXIF segment whose IFD0 offset points far outside it
    tiff = b"II*\x00" + struct.pack("<I", 0x7FFFFFF0) + bytes(40)
    segment = b"\xff\xe1" + struct.pack(">H", 2 + 6 + len(tiff)) + b"Exif\x00\x00" + tiff
    buf = io.BytesIO()
    make_photos.scene(36, (400, 300)).save(buf, "JPEG", quality=90)
    data = buf.getvalue()
    src = tmp_path / "damaged.jpg"
    src.write_bytes(data[:2] + segment + data[2:])
    assert statuses(src)["P-PRIV-GPS"] == WARN  # "could not be measured" is no pass
    outcome = fix_photo(src, None, PROFILE)
    assert outcome.written is not None
    assert all(statuses(outcome.written)[r] == PASS for r in PRIV_RULES)
    said = " ".join(m["en"] for m in outcome.messages)
    assert "the EXIF block that cannot be read" in said and "emptied whole" in said
    assert outcome.exit_code == 1 and "P-SIZE" in said  # a small photo stays small


def test_a_broken_jpeg_structure_is_a_clear_error(tmp_path):
    with pytest.raises(StripError):
        strip(b"\xff\xd8\xff\xe1\xff\xff" + bytes(10), "jpeg", {"photo.gps"})
    with pytest.raises(StripError):
        strip(b"not a png", "png", {"photo.gps"})


def test_a_converted_photo_leaves_them_out(tmp_path):
    src = tmp_path / "scan.tif"
    make_photos.scene(37, (1800, 1200)).save(src, exif=make_photos.private_exif())
    result = run("--lang", "en", str(src))
    out = tmp_path / "scan.fixed.jpg"
    assert out.exists(), result.output
    assert "Leave out of the converted photo" in result.output.replace("\n", " ")
    assert all(statuses(out)[r] == PASS for r in PRIV_RULES)
    with Image.open(out) as img:
        assert img.getexif()[0x010F] == "TestCam"
    no_secret_in(out.read_bytes())


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool not installed")
def test_exiftool_finds_nothing_new_to_complain_about(fixed_jpeg):
    # an independent EXIF reader as the oracle: the copy's structure is sound
    src, out, _ = fixed_jpeg

    def warnings(path: Path) -> set[str]:
        done = subprocess.run(["exiftool", "-validate", "-warning", "-a", "-j", str(path)],
                              capture_output=True, timeout=60, check=True)  # fmt: skip
        (tags,) = json.loads(done.stdout)
        return {v for k, v in tags.items() if k.startswith("Warning")}

    new = {w for w in warnings(out) - warnings(src) if "Missing required" not in w}
    assert not new
    done = subprocess.run(["exiftool", "-a", "-G1", "-s", str(out)], capture_output=True,
                          timeout=60, check=True, text=True)  # fmt: skip
    assert "GPS" not in done.stdout and "Serial" not in done.stdout
    assert "Orientation" in done.stdout and "DateTimeOriginal" in done.stdout
