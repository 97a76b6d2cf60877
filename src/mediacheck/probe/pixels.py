"""Decode one photo (Pillow): what it is, whether it decodes, hashes for P-UNIQUE.

`probe_photo(path)` returns a `Facts` (kind ``photo``); it never raises for a bad file.
`probe_photos(paths, jobs)` does the same for many files in worker processes.

Facts set (name — unit — source — meaning):

``file.size``                   bytes  filesystem  size on disk
``file.sha256``                 hex    measured    SHA-256 of the bytes (exact copies)
``photo.format``                —      header      format by content (`sniff`): jpeg, png,
                                                   gif, bmp, webp, heic, avif, tiff, text,
                                                   unknown, …
``photo.format_by_name``        —      filesystem  format the extension promises (jpeg for
                                                   .jpg/.jpeg, png, …; else the bare suffix,
                                                   "" when there is none)
``photo.format_matches_name``   bool   measured    content and extension agree
``photo.width``/``.height``     px     pillow      stored size
``photo.display_width``/        px     pillow      size as shown, after EXIF orientation
``photo.display_height``
``photo.pixels``                px     pillow      width × height
``photo.mode``                  —      pillow      Pillow mode: RGB, L, P, CMYK, I;16, RGBA…
``photo.bit_depth``             bits   header/     bits per channel (PNG from IHDR, else
                                       pillow      from the mode)
``photo.has_alpha``             bool   pillow      alpha channel or palette transparency
``photo.animated``              bool   pillow      more than one frame (GIF, APNG)
``photo.frames``                count  pillow      number of frames
``photo.orientation``           —      header      EXIF Orientation 1…8 (1 when absent)
``photo.decodes``               bool   measured    every checked frame decodes completely
                                                   (truncated files fail here)
``photo.decode_error``          —      pillow      the decoder's message when it did not
``photo.phash``                 hex    measured    256-bit DCT perceptual hash (imagehash's
                                                   phash, hash_size 16: probe/photo_hash.py),
                                                   after EXIF rotation
``photo.dhash``                 hex    measured    256-bit gradient hash (imagehash's dhash,
                                                   hash_size 16), after EXIF rotation
``photo.gps``, ``.camera_serial``, —   header     location and device identity in the
``.lens_serial``, ``.owner_name``              metadata, masked, or "none"
                                                   (`photo_meta.py`, PRIV-PHOTO)

`probe/photo.py`'s `FACTS` maps each of these names to its unit.

Which formats are accepted is not decided here: P-FORMAT is a rule on ``photo.format``,
and the profile says. Every photo format Pillow here can open (`probe/decoders.py`: jpeg,
png, gif, bmp, webp, tiff, avif; heic/heif when pillow-heif is installed) is decoded, so a
profile that allows WebP gets its WebP photos measured like any other.

Facts that could not be measured are recorded as absent with a reason:
``format_not_supported`` (no decoder here, e.g. HEIC without pillow-heif), ``not_photo``,
``corrupt_image``, ``decompression_bomb``, ``decode_failed``.

ProbeError codes (``Facts.error``; size/format facts above are still set where known):

``unreadable``          missing, or cannot be read: permissions, a directory, I/O error
                        (params: ``detail``)
``empty``               zero bytes
``not_photo``           content is no image format at all (params: ``what`` = the
                        `sniff.family` of the content, ``format``, ``ext``) — e.g. a
                        text file named ``.png``
``corrupt_image``       the signature is right but Pillow cannot parse the header
                        (params: ``detail``, ``format``)
``decompression_bomb``  the header claims more pixels than Pillow's safety limit
                        (params: ``pixels``, ``limit``); nothing is decoded
``probe_crashed``       (from `probe_photos`) the worker process died on this file

Speed: JPEGs are decoded with Pillow's ``draft`` (libjpeg's scaled IDCT, 1/8 size), which
still reads the whole entropy-coded stream, so truncation is still detected while the
hashes come from a small image. That Huffman pass is the floor: for a 4 MB 12-MP JPEG it is
most of even a full decode, so draft mode saves ~2× there, and hashing the small image
instead of the full one saves the rest (benchmarks/bench_photos.py measures it against a
full decode + imagehash on the full image, and against `djpeg -scale 1/8`). Other formats
are fully decoded, then box-reduced before hashing. One read of the file serves both
SHA-256 and the decoder.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import struct
import warnings
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageFile, UnidentifiedImageError

from mediacheck.discover.sniff import PHOTO_FORMATS, family, sniff
from mediacheck.model import FILESYSTEM, HEADER, MEASURED, PILLOW, Facts, ProbeError
from mediacheck.probe import photo_meta
from mediacheck.probe.decoders import pillow_format
from mediacheck.probe.photo_hash import dhash, phash

READ_WHOLE_LIMIT = 64 * 1024 * 1024  # files up to this size are read into memory once
MAX_FRAMES_CHECKED = 300  # decode check of animations stops here (GIF seeks are sequential)

_EXT_FORMAT = {
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".jpe": "jpeg",
    ".jfif": "jpeg",
    ".png": "png",
    ".gif": "gif",
    ".bmp": "bmp",
    ".dib": "bmp",
    ".webp": "webp",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".heic": "heic",
    ".heif": "heif",
    ".avif": "avif",
}
_MODE_BITS = {"1": 1, "I;16": 16, "I;16L": 16, "I;16B": 16, "I;16N": 16, "I": 32, "F": 32}
# Errors Pillow's decoders raise on damaged data.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, zlib.error)


def format_by_name(path: str | os.PathLike[str]) -> str:
    """Format the file name promises: ``jpeg`` for ``.JPG``, else the bare suffix."""
    suffix = Path(path).suffix.lower()
    return _EXT_FORMAT.get(suffix, suffix.lstrip("."))


def probe_photo(path: str | os.PathLike[str], *, hashes: bool = True) -> Facts:
    """Facts about one photo file (see the module docstring for names and codes)."""
    path = Path(path)
    facts = Facts(path, "photo")
    by_name = format_by_name(path)
    facts.set("photo.format_by_name", by_name, "", FILESYSTEM)
    try:
        size = path.stat().st_size
    except OSError as e:
        facts.error = _unreadable(e)
        return facts
    facts.set("file.size", size, "bytes", FILESYSTEM)
    data: bytes | None = None
    try:
        fmt = sniff(path)
        if fmt != "empty":
            # One read serves SHA-256 and the decoder; only huge files are streamed twice.
            if size <= READ_WHOLE_LIMIT:
                data = path.read_bytes()
                digest = hashlib.sha256(data).hexdigest()
            else:
                digest = _sha256(path)
            facts.set("file.sha256", digest, "hex", MEASURED)
    except OSError as e:  # PermissionError, IsADirectoryError, EIO…
        facts.error = _unreadable(e)
        return facts
    facts.set("photo.format", fmt, "", HEADER)
    facts.set("photo.format_matches_name", _same_format(fmt, by_name), "bool", MEASURED)
    if fmt == "empty":
        facts.error = ProbeError("empty")
        return facts
    if fmt not in PHOTO_FORMATS:
        facts.error = ProbeError(
            "not_photo",
            f"content is {fmt}",
            {"what": family(fmt), "format": fmt, "ext": path.suffix},
        )
        _all_absent(facts, "not_photo")
        return facts
    pillow_name = pillow_format(fmt)
    if pillow_name is None:  # e.g. HEIC without pillow-heif: P-FORMAT still judges the format
        _all_absent(facts, "format_not_supported")
        return facts
    with _strict_truncation(), warnings.catch_warnings():
        # Between 1× and 2× Pillow's pixel limit it only warns; we record photo.pixels
        # instead and let rules decide. Beyond 2× it raises, handled below.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        # Pillow's "Corrupt EXIF data" would reach the user's terminal; photo_meta reads
        # the block again and records it as unreadable instead.
        warnings.filterwarnings("ignore", "Corrupt EXIF", UserWarning)
        _probe_pixels(path, data, fmt, pillow_name, facts, hashes)
    return facts


def _probe_pixels(
    path: Path, data: bytes | None, fmt: str, pillow_name: str, facts: Facts, hashes: bool
) -> None:
    source = io.BytesIO(data) if data is not None else path
    try:
        im = Image.open(source, formats=[pillow_name])
    except Image.DecompressionBombError as e:
        facts.error = ProbeError("decompression_bomb", str(e), _bomb_params(path, fmt, str(e)))
        _all_absent(facts, "decompression_bomb")
        return
    except PermissionError as e:
        facts.error = _unreadable(e)
        return
    except (UnidentifiedImageError, *_DECODE_ERRORS) as e:
        # Pillow's "cannot identify image file <_io.BytesIO object at 0x…>" says nothing
        # a person can use beyond this
        unknown = isinstance(e, UnidentifiedImageError)
        detail = "no image can be read from its data" if unknown else f"{type(e).__name__}: {e}"
        facts.error = ProbeError("corrupt_image", detail, {"detail": detail, "format": fmt})
        _all_absent(facts, "corrupt_image")
        return
    with im:
        w, h = im.size
        orientation = _orientation(im)
        facts.set("photo.width", w, "px", PILLOW)
        facts.set("photo.height", h, "px", PILLOW)
        facts.set("photo.pixels", w * h, "px", PILLOW)
        facts.set("photo.orientation", orientation, "", HEADER)
        photo_meta.set_facts(im, facts, HEADER)  # GPS, serials: metadata only (PRIV-PHOTO)
        swapped = orientation in (5, 6, 7, 8)
        facts.set("photo.display_width", h if swapped else w, "px", PILLOW)
        facts.set("photo.display_height", w if swapped else h, "px", PILLOW)
        facts.set("photo.mode", im.mode, "", PILLOW)
        png_bits = _png_bit_depth(path) if fmt == "png" else None
        if png_bits is not None:
            facts.set("photo.bit_depth", png_bits, "bits", HEADER)
        else:
            facts.set("photo.bit_depth", _MODE_BITS.get(im.mode, 8), "bits", PILLOW)
        facts.set("photo.has_alpha", _has_alpha(im), "bool", PILLOW)
        # An MPO (some cameras' JPEG + depth map or preview) holds extra pictures, not
        # animation frames: the photo is the first one.
        frames = 1 if im.format == "MPO" else getattr(im, "n_frames", 1)
        facts.set("photo.animated", frames > 1, "bool", PILLOW)
        facts.set("photo.frames", frames, "count", PILLOW)

        if fmt == "jpeg":
            # Scaled DCT decode: ~1/8 of the pixels, same entropy decode, so a
            # truncated stream still fails. CMYK JPEGs ignore the mode request.
            im.draft("L", (128, 128))
        try:
            im.load()
            small = _hash_input(im, orientation) if hashes else None
            for i in range(1, min(frames, MAX_FRAMES_CHECKED)):
                im.seek(i)
                im.load()
        except Image.DecompressionBombError as e:  # an animation frame larger than the limit
            facts.error = ProbeError("decompression_bomb", str(e), _bomb_params(path, fmt, str(e)))
            return
        except _DECODE_ERRORS as e:
            facts.set("photo.decodes", False, "bool", MEASURED)
            facts.set("photo.decode_error", f"{type(e).__name__}: {e}", "", PILLOW)
            facts.absent("photo.phash", "decode_failed")
            facts.absent("photo.dhash", "decode_failed")
            return
        crc = None
        if fmt == "png":
            with io.BytesIO(data) if data is not None else open(path, "rb") as f:
                crc = _png_crc_error(f)
        if crc is not None:  # Pillow skips the CRCs of image data: damage it decodes anyway
            facts.set("photo.decodes", False, "bool", MEASURED)
            facts.set("photo.decode_error", crc, "", MEASURED)
            facts.absent("photo.phash", "decode_failed")
            facts.absent("photo.dhash", "decode_failed")
            return
        facts.set("photo.decodes", True, "bool", MEASURED)
        if small is not None:
            facts.set("photo.phash", phash(small), "hex", MEASURED)
            facts.set("photo.dhash", dhash(small), "hex", MEASURED)


# What ImageOps.exif_transpose does for each EXIF orientation; applied here to the
# small grayscale image instead of the full decode (same result, far less copying).
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _hash_input(im: Image.Image, orientation: int) -> Image.Image:
    """Small grayscale image as displayed (EXIF orientation applied) for the hashes."""
    if im.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I"):
        # Pillow's I;16 → L conversion clips at 255 instead of scaling.
        top = 65535 if im.mode.startswith("I;16") else (im.getextrema()[1] or 1)
        im = im.convert("I").point(lambda v: v * (255 / top))
    elif _has_alpha(im):
        # Transparent pixels have arbitrary colour underneath: show them on white.
        rgba = im.convert("RGBA")
        im = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    im = im.convert("L")
    # Box-reduce big decodes first: LANCZOS from 12 MP down to 64×64 costs ~0.3 s.
    factor = min(im.size) // 256
    if factor > 1:
        im = im.reduce(factor)
    method = _TRANSPOSE.get(orientation)
    return im.transpose(method) if method is not None else im


def _has_alpha(im: Image.Image) -> bool:
    return "A" in im.getbands() or "transparency" in im.info


def _orientation(im: Image.Image) -> int:
    try:
        value = im.getexif().get(0x0112, 1)
    except _DECODE_ERRORS:  # a damaged EXIF block is not a damaged photo
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _png_crc_error(f: BinaryIO) -> str | None:
    """Where a PNG chunk's CRC-32 does not match its bytes, None when all do. Pillow checks
    the CRCs of the header chunks but skips those of the image data (IDAT), so damage
    there can still "decode". Streamed, 1 MB at a time; crc32 runs at GB/s."""
    f.seek(8)
    while len(head := f.read(8)) == 8:
        pos = f.tell() - 8
        length, kind = struct.unpack(">I", head[:4])[0], head[4:]
        crc, left = zlib.crc32(kind), length
        while left > 0 and (piece := f.read(min(left, 1 << 20))):
            crc, left = zlib.crc32(piece, crc), left - len(piece)
        stored = f.read(4)
        if left or len(stored) < 4:
            return None  # cut short: the decoder has said so already
        if crc != struct.unpack(">I", stored)[0]:
            name = kind.decode("ascii", "replace")
            return f"bad CRC in the {name} chunk at byte {pos}: the file is damaged"
        if kind == b"IEND":
            return None
    return None


def _png_bit_depth(path: Path) -> int | None:
    # Pillow reduces 16-bit RGB PNGs to 8-bit "RGB", so read IHDR's bit depth directly.
    with open(path, "rb") as f:
        head = f.read(26)
    return head[24] if len(head) == 26 and head[12:16] == b"IHDR" else None


def _bomb_params(path: Path, fmt: str, message: str) -> dict[str, int]:
    params = {"limit": 2 * (Image.MAX_IMAGE_PIXELS or 0)}
    # Pillow: "Image size (N pixels) exceeds limit of M pixels, could be ..."
    m = re.search(r"\((\d+) pixels\)", message)
    if m:
        params["pixels"] = int(m.group(1))
    if fmt == "png":
        with open(path, "rb") as f:
            head = f.read(24)
        if len(head) == 24 and head[12:16] == b"IHDR":
            w, h = struct.unpack(">II", head[16:24])
            params |= {"width": w, "height": h, "pixels": w * h}
    return params


def _unreadable(e: OSError) -> ProbeError:
    return ProbeError("unreadable", str(e), {"detail": e.strerror or str(e)})


def _same_format(content: str, by_name: str) -> bool:
    if content == by_name:
        return True
    return {content, by_name} <= {"heic", "heif"}


def _all_absent(facts: Facts, reason: str) -> None:
    for name in ("photo.width", "photo.height", "photo.decodes", "photo.phash", "photo.dhash",
                 *photo_meta.PRIVATE_FACTS):  # fmt: skip
        facts.absent(name, reason)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def _strict_truncation() -> Iterator[None]:
    # Someone may have set the global to True; a truncated file must fail here.
    saved = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = saved


# ---------------------------------------------------------------- many files


def _probe_chunk(paths: list[Path], hashes: bool) -> list[Facts]:
    return [probe_photo(p, hashes=hashes) for p in paths]


def probe_photos(
    paths: Iterable[str | os.PathLike[str]],
    jobs: int | None = None,
    *,
    hashes: bool = True,
    chunk_size: int | None = None,
) -> Iterator[Facts]:
    """`probe_photo` over many files in `jobs` worker processes, yielding as chunks finish.

    Results come in completion order (one `Facts` per input path; sort them if order
    matters). ``jobs=None`` uses every CPU; ``jobs<=1`` or a single path runs in this
    process. If a worker dies (a decoder crash, the OOM killer), the files of the lost
    chunks are re-probed one at a time, and the file that kills a worker again gets
    ``ProbeError("probe_crashed")``; every other file still gets its facts.
    """
    todo = [Path(p) for p in paths]
    jobs = (os.cpu_count() or 1) if jobs is None else jobs
    jobs = max(1, min(jobs, len(todo)))
    if jobs == 1:
        for p in todo:
            yield probe_photo(p, hashes=hashes)
        return
    if chunk_size is None:
        # Several chunks per worker keeps both busy to the end; chunks amortise IPC.
        chunk_size = max(1, min(16, len(todo) // (jobs * 4)))
    chunks = [todo[i : i + chunk_size] for i in range(0, len(todo), chunk_size)]
    retry: list[list[Path]] = []
    yield from _run_chunks(chunks, jobs, hashes, retry)
    if retry:
        yield from _isolate([p for chunk in retry for p in chunk], hashes)


def _isolate(paths: list[Path], hashes: bool) -> Iterator[Facts]:
    """Re-probe files of a crashed pool one by one, in one worker, to find the culprit.

    With a single worker taking tasks in order, the first task that fails is the one that
    killed it; the ones after it only went down with the pool and are tried again.
    """
    todo = list(paths)
    while todo:
        ex = ProcessPoolExecutor(max_workers=1)
        try:
            futures = [ex.submit(_probe_chunk, [p], hashes) for p in todo]
            rest: list[Path] = []
            for k, fut in enumerate(futures):
                try:
                    results = fut.result()
                except BrokenProcessPool:
                    facts = Facts(todo[k], "photo")
                    detail = "the worker process died on this file"
                    facts.error = ProbeError("probe_crashed", detail, {"detail": detail})
                    yield facts
                    rest = todo[k + 1 :]
                    break
                yield from results
            todo = rest
        finally:
            ex.shutdown(wait=True, cancel_futures=True)


def _run_chunks(
    chunks: list[list[Path]],
    jobs: int,
    hashes: bool,
    failed: list[list[Path]],
) -> Iterator[Facts]:
    ex = ProcessPoolExecutor(max_workers=min(jobs, len(chunks)))
    try:
        pending: dict[Future[list[Facts]], list[Path]] = {
            ex.submit(_probe_chunk, c, hashes): c for c in chunks
        }
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                chunk = pending.pop(fut)
                try:
                    results = fut.result()
                except BrokenProcessPool:
                    failed.append(chunk)
                    continue
                yield from results
    finally:
        # An abandoned generator must not leave workers grinding through the queue.
        ex.shutdown(wait=True, cancel_futures=True)
