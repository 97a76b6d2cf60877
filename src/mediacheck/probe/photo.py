"""The photo kind: case photos. The decoding lives in `pixels.py` (Pillow),
imported on first use, so that reading this declaration costs nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mediacheck.model import Facts, ProbeOptions

NAME = "photo"
FORMATS = frozenset({"jpeg", "png", "gif", "bmp", "webp", "tiff", "heic", "heif", "avif"})

# name -> unit; see pixels.py for what each means.
FACTS: dict[str, str] = {
    "file.size": "bytes",
    "file.sha256": "hex",
    "photo.format": "",
    "photo.format_by_name": "",
    "photo.format_matches_name": "bool",
    "photo.width": "px",
    "photo.height": "px",
    "photo.display_width": "px",
    "photo.display_height": "px",
    "photo.pixels": "px",
    "photo.mode": "",
    "photo.bit_depth": "bits",
    "photo.has_alpha": "bool",
    "photo.animated": "bool",
    "photo.frames": "count",
    "photo.orientation": "",
    "photo.decodes": "bool",
    "photo.decode_error": "",
    "photo.phash": "hex",
    "photo.dhash": "hex",
    # PRIV-PHOTO (probe/photo_meta.py): a value, or "none"
    "photo.gps": "",
    "photo.camera_serial": "",
    "photo.lens_serial": "",
    "photo.owner_name": "",
}


def probe(path: Path, options: ProbeOptions | None = None) -> Facts:
    """The kind's prober (see probe/__init__.py)."""
    from mediacheck.probe.pixels import probe_photo

    return probe_photo(path)


def probe_many(paths: list[Path], jobs: int | None = None) -> Iterator[Facts]:
    """Many photos in worker processes (hashing is CPU-bound), in the order they finish."""
    from mediacheck.probe.pixels import probe_photos

    return probe_photos(paths, jobs)
