"""probe_photo / probe_photos on real files made by fixtures/make_photos.py."""

from __future__ import annotations

import functools
import hashlib
import inspect
import multiprocessing
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile

from mediacheck.model import Facts
from mediacheck.probe import photo as photo_probe
from mediacheck.probe import pixels
from mediacheck.probe.pixels import probe_photo, probe_photos
from mediacheck.sets.photo_groups import hamming

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fixtures"))  # not a package
import make_photos  # noqa: E402

MIB = 1024 * 1024


@functools.cache
def probed(name: str) -> Facts:
    """Each fixture is probed once per test session."""
    return probe_photo(make_photos.get(name))


def value(facts: Facts, name: str):
    fact = facts.get(name)
    assert fact is not None, f"{name} missing: {facts.missing.get(name)}"
    return fact.value


def test_facts_table_lists_every_fact_set() -> None:
    seen: dict[str, str] = {}
    for name in ["photo_a", "truncated_jpg", "rotated_a", "webp", "empty_jpg"]:
        for fact_name, fact in probed(name).values.items():
            seen[fact_name] = fact.unit
    assert set(seen) == set(photo_probe.FACTS)
    assert all(photo_probe.FACTS[n] == unit for n, unit in seen.items())


def test_good_jpeg_facts() -> None:
    path = make_photos.get("photo_a")
    f = probed("photo_a")
    assert f.error is None
    assert f.kind == "photo"
    expected = {
        "file.size": path.stat().st_size,
        "file.sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "photo.format": "jpeg",
        "photo.format_by_name": "jpeg",
        "photo.format_matches_name": True,
        "photo.width": 3000,
        "photo.height": 2000,
        "photo.display_width": 3000,
        "photo.display_height": 2000,
        "photo.pixels": 6_000_000,
        "photo.mode": "RGB",
        "photo.bit_depth": 8,
        "photo.orientation": 1,
        "photo.animated": False,
        "photo.frames": 1,
        "photo.has_alpha": False,
        "photo.decodes": True,
    }
    assert {k: value(f, k) for k in expected} == expected
    assert f.get("file.size").unit == "bytes"
    assert f.get("photo.width").source == "pillow"
    for name in ("photo.phash", "photo.dhash"):
        assert len(value(f, name)) == 64  # 256 bits as hex
        int(value(f, name), 16)


@pytest.mark.parametrize("name", [f"photo_{c}" for c in "abcdef"] + ["rotated_a", "burst_a"])
def test_distinct_fixture_photos_pass_p_size(name: str) -> None:
    assert value(probed(name), "file.size") >= 2 * MIB


def test_size_band_and_small() -> None:
    assert 2_000_000 <= value(probed("size_band"), "file.size") <= 2 * MIB - 1
    assert value(probed("small"), "file.size") < 2_000_000


def test_exif_rotated_copy_reports_stored_and_displayed_size() -> None:
    f = probed("rotated_a")
    assert (value(f, "photo.width"), value(f, "photo.height")) == (2000, 3000)
    assert value(f, "photo.orientation") == 6
    assert (value(f, "photo.display_width"), value(f, "photo.display_height")) == (3000, 2000)
    # Hashed as displayed: it matches the upright original.
    a = probed("photo_a")
    assert hamming(value(f, "photo.phash"), value(a, "photo.phash")) <= 4


@pytest.mark.parametrize(("name", "fmt"), [("truncated_jpg", "jpeg"), ("truncated_png", "png")])
def test_truncated_files_do_not_decode(name: str, fmt: str) -> None:
    f = probed(name)
    assert f.error is None  # the header is fine: dimensions are still reported
    assert value(f, "photo.format") == fmt
    assert value(f, "photo.width") > 0
    assert value(f, "photo.decodes") is False
    assert "truncated" in value(f, "photo.decode_error")
    assert f.missing["photo.phash"] == "decode_failed"


def test_a_png_with_a_bad_crc_in_its_image_data_does_not_decode() -> None:
    # Pillow alone decodes it (it skips IDAT CRCs): the check is ours (#13 item 7)
    from PIL import Image

    path = make_photos.get("bad_crc_png")
    with Image.open(path) as im:
        im.load()
    f = probed("bad_crc_png")
    assert value(f, "photo.decodes") is False
    assert "bad CRC in the IDAT chunk" in value(f, "photo.decode_error")
    assert value(probed("resaved_a_png"), "photo.decodes") is True


def test_truncation_detected_even_if_someone_allowed_truncated_loads() -> None:
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    try:
        f = probe_photo(make_photos.get("truncated_jpg"))
        assert value(f, "photo.decodes") is False
        assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # restored afterwards
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False


def test_empty_file() -> None:
    f = probed("empty_jpg")
    assert f.error is not None and f.error.code == "empty"
    assert value(f, "file.size") == 0
    assert value(f, "photo.format") == "empty"


def test_text_named_png_is_not_a_photo() -> None:
    f = probed("text_as_png")
    assert f.error is not None and f.error.code == "not_photo"
    assert f.error.params["what"] == "text"
    assert f.error.params["ext"] == ".png"
    assert value(f, "photo.format") == "text"
    assert value(f, "photo.format_by_name") == "png"
    assert value(f, "photo.format_matches_name") is False
    assert f.missing["photo.width"] == "not_photo"


def test_png_named_jpg_is_checked_as_png() -> None:
    f = probed("png_as_jpg")
    assert f.error is None
    assert value(f, "photo.format") == "png"
    assert value(f, "photo.format_by_name") == "jpeg"
    assert value(f, "photo.format_matches_name") is False  # the rule can warn
    assert value(f, "photo.decodes") is True


def test_decompression_bomb_is_a_result_not_a_crash() -> None:
    f = probed("bomb_png")
    assert f.error is not None and f.error.code == "decompression_bomb"
    assert f.error.params["width"] == f.error.params["height"] == 100_000
    assert f.error.params["pixels"] == 10**10
    assert f.error.params["limit"] > 0
    assert f.missing["photo.decodes"] == "decompression_bomb"


def test_animated_gif() -> None:
    f = probed("animated_gif")
    assert value(f, "photo.format") == "gif"
    assert value(f, "photo.animated") is True
    assert value(f, "photo.frames") == 3
    assert value(f, "photo.decodes") is True


def test_cmyk_jpeg() -> None:
    f = probed("cmyk_jpg")
    assert value(f, "photo.mode") == "CMYK"
    assert value(f, "photo.decodes") is True
    assert value(f, "photo.phash")


def test_16_bit_png_depth_and_hash(tmp_path: Path) -> None:
    f = probed("gray16_png")
    assert value(f, "photo.mode") == "I;16"
    assert value(f, "photo.bit_depth") == 16
    # Its 8-bit twin must hash alike: 16-bit values are scaled, not clipped at 255.
    wide = np.asarray(Image.open(make_photos.get("gray16_png")), dtype=np.uint16)
    twin = tmp_path / "gray8.png"
    Image.fromarray((wide // 257).astype(np.uint8)).save(twin)
    g = probe_photo(twin)
    assert value(g, "photo.bit_depth") == 8
    for h in ("photo.phash", "photo.dhash"):
        assert hamming(value(f, h), value(g, h)) <= 4


def test_mpo_is_one_photo_not_an_animation(tmp_path: Path) -> None:
    # Some cameras write JPEG + a second picture (depth map, preview) as MPO.
    path = tmp_path / "camera.jpg"
    first, second = Image.new("RGB", (64, 48), "red"), Image.new("RGB", (64, 48), "blue")
    first.save(path, "MPO", save_all=True, append_images=[second])
    f = probe_photo(path)
    assert value(f, "photo.format") == "jpeg"
    assert value(f, "photo.animated") is False
    assert value(f, "photo.frames") == 1
    assert value(f, "photo.decodes") is True


def test_palette_png_with_transparency() -> None:
    f = probed("palette_alpha_png")
    assert value(f, "photo.mode") == "P"
    assert value(f, "photo.has_alpha") is True
    assert value(f, "photo.decodes") is True


def test_bmp_is_decoded() -> None:
    f = probed("bmp")
    assert value(f, "photo.decodes") is True


@pytest.mark.parametrize(("name", "fmt"), [("webp", "webp"), ("tiff", "tiff"), ("avif", "avif")])
def test_other_image_formats_are_decoded_too(name: str, fmt: str) -> None:
    # The prober measures what Pillow here can decode; whether the format is accepted is
    # the profile's rule on photo.format (P-FORMAT), so a profile may allow WebP.
    if pixels.pillow_format(fmt) is None:
        pytest.skip(f"this Pillow cannot decode {fmt}")
    f = probed(name)
    assert f.error is None
    assert value(f, "photo.format") == fmt
    assert (value(f, "photo.width"), value(f, "photo.height")) == (400, 300)
    assert value(f, "photo.decodes") is True
    assert value(f, "file.sha256")  # a byte copy is still a repeat
    # the same picture as the others: hashed alike whatever the format
    for h in ("photo.phash", "photo.dhash"):
        assert hamming(value(f, h), value(probed("webp"), h)) <= 24


def test_the_prober_decides_nothing_about_formats() -> None:
    assert "photo.format_allowed" not in photo_probe.FACTS
    assert "allowed" not in inspect.signature(probe_photo).parameters


def test_heic_without_a_decoder_is_named_not_decoded() -> None:
    if pixels.pillow_format("heic") is not None:
        pytest.skip("pillow-heif is installed here")
    f = probed("heic")
    assert f.error is None
    assert value(f, "photo.format") == "heic"
    # Whatever the profile says about HEIC, Pillow here has no decoder: say so.
    assert f.missing["photo.width"] == "format_not_supported"
    assert f.missing["photo.decodes"] == "format_not_supported"


def test_missing_file_and_directory_are_unreadable(tmp_path: Path) -> None:
    f = probe_photo(tmp_path / "nope.jpg")
    assert f.error is not None and f.error.code == "unreadable"
    assert f.error.params["detail"]
    folder = tmp_path / "folder.jpg"
    folder.mkdir()
    g = probe_photo(folder)
    assert g.error is not None and g.error.code == "unreadable"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads anything")
def test_permission_denied_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "locked.jpg"
    path.write_bytes(make_photos.get("small").read_bytes())
    path.chmod(0)
    try:
        f = probe_photo(path)
    finally:
        path.chmod(0o644)
    assert f.error is not None and f.error.code == "unreadable"


def test_permission_error_is_unreadable_even_as_root(monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(pixels, "sniff", denied)
    f = probe_photo(make_photos.get("small"))
    assert f.error is not None and f.error.code == "unreadable"
    assert f.error.params["detail"] == "Permission denied"


def test_corrupt_header(tmp_path: Path) -> None:
    path = tmp_path / "bad.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dJUNK" + bytes(30))
    f = probe_photo(path)
    assert f.error is not None and f.error.code == "corrupt_image"
    assert f.error.params["detail"]


SIGNATURES = [b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"BM" + bytes(12) + b"(\0\0\0"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sig=st.sampled_from(SIGNATURES), junk=st.binary(max_size=300))
def test_garbage_after_a_signature_never_raises(tmp_path: Path, sig: bytes, junk: bytes) -> None:
    path = tmp_path / "fuzz.img"
    path.write_bytes(sig + junk)
    f = probe_photo(path)
    # Either a clear error, or facts that say it does not decode.
    assert f.error is not None or f.get("photo.decodes") is not None


def test_hashes_can_be_skipped() -> None:
    f = probe_photo(make_photos.get("small"), hashes=False)
    assert value(f, "photo.decodes") is True
    assert f.get("photo.phash") is None


NAMES = ["photo_a", "photo_b", "resized_a", "truncated_jpg", "empty_jpg", "text_as_png", "webp"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_probe_photos_matches_probe_photo(jobs: int) -> None:
    paths = [make_photos.get(n) for n in NAMES]
    results = list(probe_photos(paths, jobs=jobs, chunk_size=2))
    assert sorted(f.path for f in results) == sorted(paths)
    by_path = {f.path: f for f in results}
    for name, path in zip(NAMES, paths, strict=True):
        one = probed(name)
        assert by_path[path].values == one.values
        assert by_path[path].error == one.error


def _crash_on_bomb(path, **kw):
    if Path(path).name.startswith("bomb"):
        os._exit(3)  # what a segfaulting decoder looks like to the pool
    return _real_probe_photo(path, **kw)


_real_probe_photo = probe_photo


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork", reason="workers must inherit the patch"
)
def test_a_worker_crash_costs_only_its_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pixels, "probe_photo", _crash_on_bomb)
    paths = [make_photos.get(n) for n in ("photo_a", "bomb_png", "small", "photo_b")]
    results = {f.path: f for f in probe_photos(paths, jobs=2, chunk_size=2)}
    assert set(results) == set(paths)
    crashed = results[make_photos.get("bomb_png")]
    assert crashed.error is not None and crashed.error.code == "probe_crashed"
    for name in ("photo_a", "small", "photo_b"):
        assert results[make_photos.get(name)].error is None
        assert value(results[make_photos.get(name)], "photo.decodes") is True
