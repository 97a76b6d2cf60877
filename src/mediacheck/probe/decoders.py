"""Which photo formats this installation can decode, with the optional plugins registered.

This says only what Pillow *can* open here; which formats are *accepted* is the profile's
business (the rules on ``photo.format``, P-FORMAT). The prober decodes whatever it can, so
that a profile allowing WebP gets WebP photos measured, and `fix` converts whatever it can.
"""

from __future__ import annotations

import functools

# sniff's format name -> Pillow's
PILLOW_NAME = {
    "jpeg": "JPEG",
    "png": "PNG",
    "gif": "GIF",
    "bmp": "BMP",
    "webp": "WEBP",
    "tiff": "TIFF",
    "avif": "AVIF",
    "heic": "HEIF",
    "heif": "HEIF",
}
# the package that adds a decoder when this Pillow has none
PLUGINS = {"heic": "pillow-heif", "heif": "pillow-heif", "avif": "pillow-avif-plugin"}
# Pillow features without which its plugin is registered but cannot decode
_FEATURE = {"webp": "webp", "avif": "avif", "jpeg": "jpg", "png": "zlib"}


@functools.cache
def pillow_format(fmt: str) -> str | None:
    """Pillow's name to open `fmt` with, or None when nothing installed here decodes it.

    Registers pillow-heif (HEIC/HEIF) or pillow-avif-plugin (AVIF, on a Pillow before 11.2)
    when they are installed. Optional on purpose: pillow-heif is a large binary wheel, and
    most photos are JPEG."""
    from PIL import Image, features

    name = PILLOW_NAME.get(fmt)
    if name is None:
        return None
    feature = _FEATURE.get(fmt)
    if feature is None or not features.check(feature):
        try:
            if fmt in ("heic", "heif"):
                import pillow_heif  # type: ignore[import-not-found]

                pillow_heif.register_heif_opener()
            elif fmt == "avif":
                import pillow_avif  # type: ignore[import-not-found]  # noqa: F401  (registers)
            elif feature is not None:
                return None  # e.g. a Pillow built without libwebp
        except ImportError:
            return None
    Image.init()
    return name if name in Image.OPEN else None
