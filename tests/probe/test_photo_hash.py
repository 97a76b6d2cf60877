"""P-UNIQUE's hashes are imagehash's values (phash, dhash at hash_size 16), computed
without scipy: equal bit for bit on every fixture photo, as the prober hashes it, and on
pictures whose exact DCT has ties (flat, mirror-symmetric)."""

from __future__ import annotations

import sys
from pathlib import Path

import imagehash  # a test dependency only: the reference
import pytest
from PIL import Image, ImageDraw, UnidentifiedImageError

from mediacheck.probe import photo_hash, pixels

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fixtures"))  # not a package
import make_photos  # noqa: E402


def reference(im: Image.Image) -> tuple[str, str]:
    return str(imagehash.phash(im, photo_hash.SIZE)), str(imagehash.dhash(im, photo_hash.SIZE))


def ours(im: Image.Image) -> tuple[str, str]:
    return photo_hash.phash(im), photo_hash.dhash(im)


def as_probed(path: Path) -> Image.Image | None:
    """The small image `probe_photo` hashes (draft decode, EXIF orientation applied)."""
    try:
        with Image.open(path) as im:
            orientation = pixels._orientation(im)
            if im.format == "JPEG":
                im.draft("L", (128, 128))
            im.load()
            return pixels._hash_input(im, orientation)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError):  # fmt: skip
        return None  # the fixtures that are broken on purpose


def test_equal_to_imagehash_on_every_fixture_photo():
    compared = 0
    for name, fixture in make_photos.REGISTRY.items():
        if fixture.subdir != "photos":
            continue
        path = make_photos.get(name)
        if not path.is_file() or (im := as_probed(path)) is None:
            continue
        assert ours(im) == reference(im), name
        compared += 1
    assert compared >= 10


def _symmetric() -> list[Image.Image]:
    checker = Image.new("L", (256, 256), 0)
    draw = ImageDraw.Draw(checker)
    for y in range(8):
        for x in range(8):
            if (x + y) % 2:
                draw.rectangle([x * 32, y * 32, x * 32 + 31, y * 32 + 31], fill=255)
    halves = Image.new("L", (200, 200), 0)
    ImageDraw.Draw(halves).rectangle([0, 0, 99, 199], fill=200)
    disc = Image.new("L", (200, 200), 30)
    ImageDraw.Draw(disc).ellipse([50, 50, 150, 150], fill=220)
    gradient = Image.linear_gradient("L")
    return [checker, halves, disc, gradient, gradient.rotate(90), gradient.resize((40, 30))]


@pytest.mark.parametrize("shade", [0, 1, 127, 128, 254, 255])
def test_equal_on_a_flat_picture(shade):
    flat = Image.new("L", (300, 200), shade)
    assert ours(flat) == reference(flat)
    assert ours(Image.new("RGB", (64, 64), (shade, 200, 30))) == reference(
        Image.new("RGB", (64, 64), (shade, 200, 30))
    )


@pytest.mark.parametrize("index", range(6))
def test_equal_on_symmetric_pictures(index):
    im = _symmetric()[index]
    assert ours(im) == reference(im)


def test_256_bits_as_64_hex_digits():
    phash, dhash = ours(_symmetric()[2])
    assert len(phash) == len(dhash) == 64 and int(phash, 16) and int(dhash, 16)
