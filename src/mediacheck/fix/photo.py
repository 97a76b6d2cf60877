"""`mediacheck fix` for photos: a photo whose format the profile does not accept becomes a
high-quality JPEG (PNG when it has transparency), upright by its EXIF orientation, in a
format the profile accepts. Never upscales.

The profile decides everything: which formats are accepted (its rules on
``photo.format``, P-FORMAT), so which photos are left alone and which output formats may
be written; and the minimum size (its ``at_least`` rule on ``file.size``, P-SIZE).

A photo under the P-SIZE minimum is not "fixed" by upscaling or by a higher JPEG
quality: that makes bytes, not detail, and P-SIZE exists to get real camera originals.

A photo whose metadata gives away where it was taken or by which device (the profile's
rules on `probe/photo_meta.py`'s facts, PRIV-PHOTO, warn) gets a copy without it:
`photo_strip.py` blanks those tags in place, so the picture is not re-encoded and the
file keeps its size (P-SIZE stays met). The copy is re-probed before it is kept: the
rules that warned must pass, and its pixels must equal the original's. A rule the
profile switched off strips nothing. A photo being converted anyway leaves them out.
"""

from __future__ import annotations

import errno
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from mediacheck.discover import sniff
from mediacheck.evaluate import evaluate, requirement_text
from mediacheck.fix import photo_strip
from mediacheck.fix.files import (
    SUFFIXES,
    USAGE,
    FixError,
    check_output,
    check_source,
    output_for,
    place,
    temp_beside,
)
from mediacheck.model import FAIL, HEADER, PASS, Facts, Finding
from mediacheck.probe.decoders import PLUGINS, pillow_format
from mediacheck.probe.photo_meta import PRIVATE_FACTS
from mediacheck.probe.pixels import format_by_name
from mediacheck.profile import Profile
from mediacheck.sets.case import format_accepted, format_profile
from mediacheck.words.catalogue import CONTENT_NAMES
from mediacheck.words.fix import Text, text
from mediacheck.words.lang import LANGS, tr
from mediacheck.words.units import format_value

# What `encode` can write, in order of preference: JPEG for photographs, PNG to keep
# transparency. The profile must accept the one chosen.
WRITABLE = ("jpeg", "png")
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


@dataclass(frozen=True)
class PhotoOutcome:
    messages: tuple[Text, ...]
    written: Path | None
    exit_code: int


def min_bytes(profile: Profile) -> int | None:
    """The minimum size from the profile's ``at_least`` rule on ``file.size`` (P-SIZE);
    None when the profile has none (then any size will do)."""
    for rule in profile.for_kind("photo"):
        if rule.fact == "file.size" and rule.check == "at_least":
            return int(rule.expected)
    return None


def _size(n: int) -> str:
    return format_value(n, "bytes")


def _format_facts(path: Path, fmt: str) -> Facts:
    facts = Facts(path, "photo")
    facts.set("photo.format", fmt, "", HEADER)
    return facts


def _accepts(formats: Profile, fmt: str) -> bool:
    """Does the profile accept a photo of this format (its rules on photo.format)?"""
    return format_accepted(_format_facts(Path(f"photo.{fmt}"), fmt), formats)


def _because(formats: Profile, src: Path, fmt: str) -> Text:
    """'Because: the rules accept jpeg / png / gif / bmp (P-FORMAT).' from the rules that
    this photo's format fails."""
    result = evaluate(_format_facts(src, fmt), formats)
    failed = {f.rule_id for f in result.findings if f.status == FAIL}
    rules = [r for r in formats.rules if r.id in failed]
    expected = {lang: "; ".join(requirement_text(r)[lang] for r in rules) for lang in LANGS}
    return text("photo.why_format", expected=expected, rule=", ".join(r.id for r in rules))


def _decoder(fmt: str) -> None:
    """FixError unless this installation can decode `fmt` (see probe/decoders.py)."""
    if pillow_format(fmt) is not None:
        return
    if fmt in PLUGINS:
        raise FixError("photo_codec", USAGE, fmt=NAMES.get(fmt, fmt), package=PLUGINS[fmt])
    raise FixError("photo_unreadable", detail=f"no decoder for {NAMES.get(fmt, fmt)} here")


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


def load(src: Path):
    """The photo upright (by its orientation tag) and the EXIF worth keeping."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(src) as opened:
            opened.load()
            img = ImageOps.exif_transpose(opened)  # upright by the orientation tag
            exif = _kept_exif(opened)  # after: it drops the tag from the cached EXIF
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise FixError("photo_unreadable", detail=str(exc)) from exc
    return img, exif


def choose_output(transparent: bool, accepts) -> str | None:
    """The format to write: JPEG for a photograph, PNG to keep transparency, each only
    if the profile accepts it (`accepts(fmt) -> bool`); else the other; None if neither."""
    order = ("png", "jpeg") if transparent else WRITABLE
    return next((fmt for fmt in order if accepts(fmt)), None)


def encode(img, exif, out_fmt: str) -> bytes:
    """The converted photo's bytes in `out_fmt` ("jpeg" or "png")."""
    from PIL import Image

    icc = img.info.get("icc_profile")
    buf = io.BytesIO()
    if out_fmt == "png":
        mode = "RGBA" if _has_transparency(img) else "RGB"
        img = _to_8bit(img)
        img.convert(mode).save(buf, "PNG", icc_profile=icc, exif=exif.tobytes(), optimize=False)
        return buf.getvalue()
    if _has_transparency(img):  # JPEG has no alpha: show transparent parts on white
        rgba = img.convert("RGBA")
        img = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    img = _to_8bit(img)
    img = img.convert("L" if img.mode in ("L", "1") else "RGB")
    img.save(buf, "JPEG", quality=JPEG_QUALITY, subsampling=0, icc_profile=icc, exif=exif.tobytes())
    return buf.getvalue()


def default_name(src: Path, fmt: str) -> str:
    return f"{src.stem}.fixed{SUFFIXES[fmt][0]}"


def _readable(src: Path) -> None:
    """FixError unless the photo decodes completely (a photo in an accepted format that
    cannot be read is a failure, not "nothing to do")."""
    from mediacheck.probe.pixels import probe_photo
    from mediacheck.words.catalogue import probe_error_text

    facts = probe_photo(src, hashes=False)
    if facts.error is not None:
        err = facts.error
        detail = {lang: probe_error_text(err.code, lang, err.params) for lang in LANGS}
        raise FixError("photo_unreadable", detail=detail)
    decodes = facts.get("photo.decodes")
    if decodes is not None and decodes.value is False:
        error = facts.get("photo.decode_error")
        raise FixError("photo_unreadable", detail=str(error.value) if error else "?")


def _named_format(out: Path | None, formats: Profile) -> str | None:
    """The format an output *name* given with -o asks for; FixError when this cannot write
    it or the rules do not accept it. None when no name was given (a folder, or none)."""
    if out is None or out.is_dir():
        return None
    wanted = format_by_name(out)
    if wanted in WRITABLE and _accepts(formats, wanted):
        return wanted
    can = [f for f in WRITABLE if _accepts(formats, f)]
    raise FixError(
        "photo_suffix",
        USAGE,
        path=out,
        formats=" / ".join(NAMES[f] for f in can) or "—",
        suffixes=" / ".join(x for f in can for x in SUFFIXES[f]) or "—",
    )


def _written(out: Path, size: int, minimum: int | None, steps: list[Text]) -> PhotoOutcome:
    if minimum is not None and size < minimum:
        small = text("photo.small", size=_size(size), minimum=_size(minimum))
        steps += [text("photo.written_small", path=out, size=_size(size)), small]
        return PhotoOutcome(tuple(steps), out, 1)
    steps.append(text("photo.written", path=out, size=_size(size)))
    return PhotoOutcome(tuple(steps), out, 0)


def _write(src: Path, out: Path, data: bytes, verify: Callable[[Path], None], force: bool) -> None:
    """`data` to a temp file beside `out`, checked by `verify`, then put in place (`place`:
    never over an existing file unless `force`): `out` never holds a half-written or
    unverified photo."""
    tmp = temp_beside(out)
    try:
        try:
            tmp.write_bytes(data)
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise FixError("disk_full", path=out) from exc
            raise FixError("write", path=out, detail=exc.strerror or str(exc)) from exc
        verify(tmp)
        place(tmp, out, force)
    finally:
        tmp.unlink(missing_ok=True)


def fix_photo(
    src: Path, out: Path | None, profile: Profile, *, force: bool = False, dry_run: bool = False
) -> PhotoOutcome:
    """Convert one photo, or strip what it gives away; raises FixError for paths and
    unreadable files. `out`: the name (its extension may pick PNG over JPEG), a folder,
    or None (beside the input)."""
    check_source(src)
    try:
        fmt = sniff.sniff(src)
    except OSError as exc:
        raise FixError("photo_unreadable", detail=exc.strerror or str(exc)) from exc
    if fmt not in sniff.PHOTO_FORMATS:
        what = CONTENT_NAMES.get(sniff.family(fmt), CONTENT_NAMES["unknown"])
        raise FixError("not_media", path=src, what=what)
    formats = format_profile(profile)
    minimum = min_bytes(profile)
    size = src.stat().st_size
    name = NAMES.get(fmt, fmt)
    if _accepts(formats, fmt):
        _readable(src)
        private = private_findings(src, profile)
        if private:
            return _strip(src, out, fmt, profile, private, force=force, dry_run=dry_run)
        if minimum is not None and size < minimum:
            small = text("photo.small", size=_size(size), minimum=_size(minimum))
            return PhotoOutcome((small,), None, 1)
        return PhotoOutcome((text("photo.ok_format", path=src, source=name),), None, 0)
    _decoder(fmt)
    named = _named_format(out, formats)
    if named is not None:  # refuse a bad name before the slow decode
        check_output(src, out, force, named)
    why = _because(formats, src, fmt)
    img, exif = load(src)
    transparent = _has_transparency(img)
    out_fmt = named or choose_output(transparent, lambda f: _accepts(formats, f))
    if out_fmt is None:  # the profile accepts nothing this can write: say so, do not guess
        can = " / ".join(NAMES[f] for f in WRITABLE)
        return PhotoOutcome((text("photo.no_output", can=can), why), None, 1)
    target = output_for(src, out, default_name(src, out_fmt))
    check_output(src, target, force, out_fmt)
    private = private_findings(src, profile)
    if private:
        photo_strip.clean_exif(exif, {fact for fact, _ in private})
    data = encode(img, exif, out_fmt)
    steps = [text("photo.convert", source=name, target=NAMES[out_fmt]), why]
    if transparent:
        steps.append(text("photo.why_png" if out_fmt == "png" else "photo.flattened"))
    elif out_fmt != WRITABLE[0]:
        key = "photo.as_named" if named else "photo.why_not_jpeg"
        steps.append(text(key, target=NAMES[out_fmt]))
    if private:
        steps += [text("photo.strip_converted", items=_items(private)), _because_private(private)]
    if dry_run:
        return PhotoOutcome(tuple(steps), None, 0)

    def verify(tmp: Path) -> None:
        if sniff.sniff(tmp) != out_fmt:  # verify by content, like every check does
            raise FixError("photo_verify", target=NAMES[out_fmt])
        _verify_rules(tmp, profile, private)

    _write(src, target, data, verify, force)
    return _written(target, len(data), minimum, steps)


# ---------------------------------------------------------------- location and device identity

Private = list[tuple[str, Finding]]  # (fact, the finding of its rule that did not pass)


def private_findings(src: Path, profile: Profile) -> Private:
    """The profile's rules on location and device identity (PRIV-PHOTO) that did not pass
    on `src`, with the fact each reads: what fix takes out. A photo that cannot be probed
    has nothing to strip."""
    from mediacheck.probe.pixels import probe_photo

    facts = probe_photo(src, hashes=False)
    if facts.error is not None:
        return []
    on = {r.id: r.fact for r in profile.for_kind("photo") if r.fact in PRIVATE_FACTS}
    found = [(on[f.rule_id], f) for f in evaluate(facts, profile).findings
             if f.rule_id in on and f.status != PASS]  # fmt: skip
    return sorted(found, key=lambda pair: PRIVATE_FACTS.index(pair[0]))


def _joined(parts: list[Text]) -> Text:
    sep = {"zh": "、", "en": ", "}
    return {lang: sep[lang].join(p[lang] for p in parts) for lang in LANGS}


def _items(private: Private) -> Text:
    """'the GPS position (31.23°N 121.47°E), the camera serial number (01******89)'."""
    parts = [text("item." + fact, value=f.measured_text) for fact, f in private if f.measured]
    if any(f.measured is None for _, f in private):  # not readable: said once, not per fact
        parts.append(text("item.photo.unreadable"))
    return _joined(parts)


def _because_private(private: Private) -> Text:
    """'Because: P-PRIV-GPS Location (GPS), …' from the rules that warned."""
    rules = _joined([{lang: f"{f.rule_id} {tr(f.title, lang)}" for lang in LANGS}
                     for _, f in private])  # fmt: skip
    return text("why.rules", rules=rules)


def _verify_rules(path: Path, profile: Profile, private: Private) -> None:
    """FixError unless every rule that warned on the original passes on `path`."""
    if not private:
        return
    from mediacheck.probe.pixels import probe_photo

    facts = probe_photo(path, hashes=False)
    if facts.error is not None:
        raise FixError("photo_strip_verify", detail=facts.error.code)
    wanted = {f.rule_id for _, f in private}
    still = [f for f in evaluate(facts, profile).findings
             if f.rule_id in wanted and f.status != PASS]  # fmt: skip
    if still:
        detail = {lang: ", ".join(f"{f.rule_id} {f.measured_text[lang]}" for f in still)
                  for lang in LANGS}  # fmt: skip
        raise FixError("photo_strip_verify", detail=detail)


def same_pixels(a: Path, b: Path) -> bool:
    """Both files decode to the same picture: mode, size and every pixel."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Corrupt EXIF", UserWarning)  # the original's
        with Image.open(a) as x, Image.open(b) as y:
            return x.mode == y.mode and x.size == y.size and x.tobytes() == y.tobytes()


def _strip(src: Path, out: Path | None, fmt: str, profile: Profile, private: Private, *,
           force: bool, dry_run: bool) -> PhotoOutcome:  # fmt: skip
    """A copy of an accepted photo without what `private` found, nothing re-encoded."""
    items, why = _items(private), _because_private(private)
    if fmt not in photo_strip.STRIPPERS:
        return PhotoOutcome((text("photo.strip_format", source=NAMES.get(fmt, fmt)), why), None, 1)
    try:
        stripped = photo_strip.strip(src.read_bytes(), fmt, {fact for fact, _ in private})
    except photo_strip.StripError as exc:
        raise FixError("photo_unreadable", detail=str(exc)) from exc
    if not stripped.removed:
        return PhotoOutcome((text("photo.strip_nothing", items=items),), None, 1)
    steps = [text("photo.strip", items=items)]
    if "maker_note" in stripped.removed:
        steps.append(text("photo.strip_maker_note"))
    if "damaged_exif" in stripped.removed:
        steps.append(text("photo.strip_damaged"))
    steps += [why, text("photo.strip_kept")]
    out = output_for(src, out, default_name(src, fmt))
    check_output(src, out, force, fmt)
    if dry_run:
        return PhotoOutcome((*steps, text("photo.dry_run", path=out)), None, 0)

    def verify(tmp: Path) -> None:
        _verify_rules(tmp, profile, private)
        if not same_pixels(src, tmp):
            raise FixError("photo_strip_verify", detail=text("photo.pixels_changed"))

    _write(src, out, stripped.data, verify, force)
    rules = ", ".join(f.rule_id for _, f in private)
    steps.append(text("photo.strip_verified", rules=rules))
    outcome = _written(out, len(stripped.data), min_bytes(profile), steps)
    return replace(outcome, messages=(*outcome.messages, text("photo.strip_replace")))
