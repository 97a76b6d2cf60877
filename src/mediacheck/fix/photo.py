"""`mediacheck fix` for photos: HEIC/HEIF/WebP/TIFF/AVIF -> high-quality JPEG (PNG when
the photo has transparency), upright by its EXIF orientation. Never upscales.

A photo under the P-SIZE minimum is not "fixed" by upscaling or by a higher JPEG
quality: that makes bytes, not detail, and P-SIZE exists to get real camera originals.
"""

from __future__ import annotations

import errno
import io
import os
from dataclasses import dataclass
from pathlib import Path

from mediacheck.discover import sniff
from mediacheck.fix.video import USAGE, FixError, check_paths, temp_beside
from mediacheck.profile import Profile
from mediacheck.words.fix import Text, text
from mediacheck.words.units import format_value

ACCEPTED = frozenset({"jpeg", "png", "gif", "bmp"})  # P-FORMAT (SPEC.md)
CONVERTIBLE = frozenset({"heic", "heif", "webp", "tiff", "avif"})
FALLBACK_MIN_BYTES = 2 * 1024 * 1024  # SPEC.md P-SIZE strict reading, if no rule says
JPEG_QUALITY = 95  # with 4:4:4 chroma: as close to the original as JPEG gets
NAMES = {
    "jpeg": "JPEG",
    "png": "PNG",
    "heic": "HEIC",
    "heif": "HEIF",
    "webp": "WebP",
    "tiff": "TIFF",
    "avif": "AVIF",
    "gif": "GIF",
    "bmp": "BMP",
}
ORIENTATION = 0x0112
# TIFF tags worth carrying into the JPEG's EXIF: description, make, model, software,
# date, artist, copyright, and the Exif and GPS sub-directories
TIFF_KEEP = frozenset({0x010E, 0x010F, 0x0110, 0x0131, 0x0132, 0x013B, 0x8298, 0x8769, 0x8825})
# plugin needed to decode a format, when this Pillow cannot by itself
PLUGINS = {"heic": "pillow-heif", "heif": "pillow-heif", "avif": "pillow-avif-plugin"}


@dataclass(frozen=True)
class PhotoOutcome:
    messages: tuple[Text, ...]
    written: Path | None
    exit_code: int


def min_bytes(profile: Profile) -> int:
    """P-SIZE's minimum from the profile (issue 4 adds the photo rules)."""
    for rule in profile.for_kind("photo"):
        if rule.spec == "P-SIZE" and isinstance(rule.expected, (int, float)):
            return int(rule.expected)
    return FALLBACK_MIN_BYTES


def _size(n: int) -> str:
    return format_value(n, "bytes")


def _enable_plugin(fmt: str) -> None:
    """Register the optional decoder for HEIC/AVIF if it is installed; FixError if the
    format cannot be opened at all. Optional on purpose: most uploads are JPEG, and
    pillow-heif is a large binary wheel."""
    from PIL import features

    if fmt == "avif" and features.check("avif"):
        return  # Pillow ≥ 11.2 reads AVIF itself
    try:
        if fmt in ("heic", "heif"):
            import pillow_heif  # type: ignore[import-not-found]

            pillow_heif.register_heif_opener()
        elif fmt == "avif":
            import pillow_avif  # type: ignore[import-not-found]  # noqa: F401  (registers)
    except ImportError as exc:
        raise FixError("photo_codec", USAGE, fmt=NAMES.get(fmt, fmt), package=PLUGINS[fmt]) from exc


def _has_transparency(img) -> bool:
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        alpha = img.convert("RGBA").getchannel("A")
        return alpha.getextrema()[0] < 255  # an alpha channel that is all opaque is not
    return False


def _to_8bit(img):
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit greyscale (scanner TIFFs): scale down; convert("L") would clip to white
        return img.point(lambda v: v / 256).convert("L")
    if img.mode == "F":
        return img.convert("L")
    return img


def _kept_exif(img):
    """The source's EXIF minus orientation (the pixels are upright now). A TIFF's tag
    directory also holds its strip layout, which means nothing in a JPEG: keep only
    the descriptive tags and the Exif/GPS sub-directories there."""
    exif = img.getexif()
    if img.format == "TIFF":
        for tag in list(exif):
            if tag not in TIFF_KEEP:
                del exif[tag]
    exif.pop(ORIENTATION, None)
    return exif


def encode(src: Path) -> tuple[bytes, str]:
    """The converted photo's bytes and its format ("jpeg" or "png")."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(src) as opened:
            opened.load()
            img = ImageOps.exif_transpose(opened)  # upright by the orientation tag
            exif = _kept_exif(opened)  # after: it drops the tag from the cached EXIF
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise FixError("photo_unreadable", detail=str(exc)) from exc
    icc = img.info.get("icc_profile")
    buf = io.BytesIO()
    if _has_transparency(img):
        img.convert("RGBA").save(buf, "PNG", icc_profile=icc, exif=exif.tobytes(), optimize=False)
        return buf.getvalue(), "png"
    img = _to_8bit(img)
    img = img.convert("L" if img.mode in ("L", "1") else "RGB")
    img.save(buf, "JPEG", quality=JPEG_QUALITY, subsampling=0, icc_profile=icc, exif=exif.tobytes())
    return buf.getvalue(), "jpeg"


def default_output(src: Path, fmt: str) -> Path:
    return src.with_name(f"{src.stem}.fixed{'.png' if fmt == 'png' else '.jpg'}")


def fix_photo(
    src: Path, out: Path | None, profile: Profile, *, force: bool = False, dry_run: bool = False
) -> PhotoOutcome:
    """Convert one photo; raises FixError for paths and unreadable files."""
    if not src.is_file():
        raise FixError("missing", USAGE, path=src)
    fmt = sniff.sniff(src)
    minimum = min_bytes(profile)
    size = src.stat().st_size
    name = NAMES.get(fmt, fmt)
    small = text("photo.small", size=_size(size), minimum=_size(minimum))
    if fmt in ACCEPTED:
        if size < minimum:
            return PhotoOutcome((small,), None, 1)
        return PhotoOutcome((text("photo.ok_format", path=src, source=name),), None, 0)
    if fmt not in CONVERTIBLE:
        raise FixError("not_media", path=src, what=fmt)
    _enable_plugin(fmt)
    data, out_fmt = encode(src)
    out = out or default_output(src, out_fmt)
    check_paths(src, out, force)
    steps = [text("photo.convert", source=name, target=NAMES[out_fmt])]
    steps.append(text("photo.why_png" if out_fmt == "png" else "photo.why_format"))
    if dry_run:
        return PhotoOutcome(tuple(steps), None, 0)
    tmp = temp_beside(out)
    try:
        try:
            tmp.write_bytes(data)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise FixError("disk_full", path=out) from exc
            raise
        if sniff.sniff(tmp) != out_fmt:  # verify by content, like every check does
            raise FixError("ffmpeg", code="-", detail="converted photo did not verify")
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    if len(data) < minimum:
        small = text("photo.small", size=_size(len(data)), minimum=_size(minimum))
        steps += [text("photo.written_small", path=out, size=_size(len(data))), small]
        return PhotoOutcome(tuple(steps), out, 1)
    steps.append(text("photo.written", path=out, size=_size(len(data))))
    return PhotoOutcome(tuple(steps), out, 0)
