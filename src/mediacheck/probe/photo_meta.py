"""What a photo says about where it was taken and by which device (PRIV-PHOTO), read from
its metadata alone: EXIF (GPS IFD, Exif IFD serial numbers, a Fujifilm maker note) and
the XMP packet. Nothing here decodes pixels; it reads what Pillow parsed on opening.

Facts set (all ``header``; a value, or ``"none"`` when the photo carries none):

``photo.gps``            where: "31.23°N 121.47°E", to two decimals (about 1 km), so a
                         report does not itself carry the exact spot. From EXIF GPS
                         latitude/longitude, else XMP exif:GPSLatitude/GPSLongitude.
``photo.camera_serial``  the body's serial number, masked (``01******89``): EXIF
                         BodySerialNumber (0xA431), DNG CameraSerialNumber (0xC62F),
                         a Fujifilm maker note's serial, XMP aux:SerialNumber or
                         exifEX:BodySerialNumber.
``photo.lens_serial``    the lens's, masked: EXIF LensSerialNumber (0xA435), XMP
                         aux:LensSerialNumber or exifEX:LensSerialNumber.
``photo.owner_name``     the camera owner's name as set in the camera, masked (``张*``):
                         EXIF CameraOwnerName (0xA430), XMP aux:OwnerName or
                         exifEX:CameraOwnerName.

Serials and names are masked because a report travels (CI logs, e-mails): it names what
is there without repeating it. A damaged EXIF block leaves all four absent
(``exif_unreadable``): not known is never "none".

Not read: maker notes other than Fujifilm's (each vendor's own format; `mediacheck fix`
removes the maker note whole when it strips device identity), IPTC place names.
"""

from __future__ import annotations

import contextlib
import html
import math
import re
import struct
import warnings
import zlib
from collections.abc import Mapping
from typing import Any

NONE = "none"
# The facts of this module, in the order fix names them.
PRIVATE_FACTS = ("photo.gps", "photo.camera_serial", "photo.lens_serial", "photo.owner_name")

# EXIF tags (CIPA DC-008): sub-directories, and the identity tags within them.
EXIF_IFD, GPS_IFD, MAKER_NOTE = 0x8769, 0x8825, 0x927C
OWNER_NAME, BODY_SERIAL, LENS_SERIAL = 0xA430, 0xA431, 0xA435
DNG_CAMERA_SERIAL = 0xC62F  # in IFD0 of DNG and some TIFFs
FUJIFILM_SERIAL = 0x0010  # InternalSerialNumber in a Fujifilm maker note
GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON = 1, 2, 3, 4

_ERRORS = (OSError, SyntaxError, ValueError, EOFError, KeyError, TypeError, IndexError,
           ZeroDivisionError, struct.error, zlib.error)  # fmt: skip

# XMP properties by local name (any namespace prefix), per fact. aux: is Adobe's
# namespace, exifEX: the CIPA one; "SerialNumber"/"OwnerName" alone only under aux:.
_XMP_NAMES = {
    "camera_serial": ("aux:SerialNumber", "BodySerialNumber"),
    "lens_serial": ("LensSerialNumber",),
    "owner_name": ("aux:OwnerName", "CameraOwnerName"),
    "lat": ("GPSLatitude",),
    "lon": ("GPSLongitude",),
}


def xmp_property(xmp: str, name: str) -> str | None:
    """The value of an XMP property written as an attribute (``aux:SerialNumber="…"``) or
    a simple element; `name` with a prefix matches that prefix, without one any prefix."""
    prefix, _, local = name.rpartition(":")
    qname = re.escape(prefix) + ":" + local if prefix else r"[\w.-]+:" + local
    # case-insensitive: DJI drones write drone-dji:GpsLatitude
    m = re.search(rf"(?<![\w:.-]){qname}\s*=\s*(['\"])(.*?)\1", xmp, re.S | re.I)
    if m is None:
        m = re.search(rf"<({qname})(?:\s[^>]*)?>([^<]*)</\1>", xmp, re.S | re.I)
    if m is None:
        return None
    value = html.unescape(m.group(2)).strip()
    return value or None


def _xmp_text(data: Any) -> str:
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    return data if isinstance(data, str) else ""


# ---------------------------------------------------------------- values


def _text(value: Any) -> str | None:
    """An identity tag's value as text; None when it is empty or a placeholder (some
    cameras write all zeros or spaces when no serial is set)."""
    if isinstance(value, tuple) and len(value) == 1:
        value = value[0]
    if isinstance(value, str) and not value.isascii():
        # Pillow reads EXIF ASCII as Latin-1; cameras write UTF-8 there
        with contextlib.suppress(UnicodeError):
            value = value.encode("latin-1").decode("utf-8")
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = value.replace("\x00", " ").strip()
    if not value or set(value) <= {"0", " ", "-", "\ufffd"}:
        return None
    return value


def mask_serial(value: str) -> str:
    """``0123456789`` -> ``01******89``: the length and both ends, enough to tell two
    cameras apart in a report, not enough to be the serial."""
    n = len(value)
    if n >= 8:
        return value[:2] + "*" * (n - 4) + value[-2:]
    if n >= 4:
        return "*" * (n - 2) + value[-2:]
    return "*" * n


def mask_name(value: str) -> str:
    """``张三`` -> ``张*``: the first character only."""
    return value[0] + "*" * (len(value) - 1) if len(value) > 1 else "*"


def _degrees(value: Any) -> float | None:
    """EXIF GPS degrees, minutes, seconds (rationals) -> decimal degrees."""
    parts = value if isinstance(value, (tuple, list)) else (value,)
    total = 0.0
    for part, scale in zip(parts, (1, 60, 3600), strict=False):
        x = float(part)  # IFDRational; a zero denominator reads as nan
        if not math.isfinite(x) or x < 0:
            return None
        total += x / scale
    return total if parts else None


def _signed(degrees: float | None, ref: Any, negative: str) -> float | None:
    if degrees is None:
        return None
    ref = _text(ref) or ""
    return -degrees if ref[:1].upper() == negative else degrees


_NUM = r"(\d+(?:\.\d+)?)"
_XMP_COORD = re.compile(rf"^\s*([+-]?){_NUM}(?:,{_NUM})?(?:,{_NUM})?\s*([NSEW])?\s*$")


def xmp_degrees(value: str | None) -> float | None:
    """XMP GPS coordinate: ``31,13.8N`` or ``31,13,48N`` (XMP spec), or decimal degrees."""
    if not value:
        return None
    m = _XMP_COORD.match(value.upper())
    if m is None:
        return None
    sign, deg, minutes, seconds, ref = m.groups()
    out = float(deg) + float(minutes or 0) / 60 + float(seconds or 0) / 3600
    return -out if ref in ("S", "W") or sign == "-" else out


def position_text(lat: float | None, lon: float | None) -> str | None:
    """``31.23°N 121.47°E``; None for no position (absent, out of range, or 0°, 0°: what
    some phones write with location switched off)."""
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None
    if lat == 0 and lon == 0:
        return None
    ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
    return f"{abs(lat):.2f}°{ns} {abs(lon):.2f}°{ew}"


# ---------------------------------------------------------------- reading


def exif_identity(exif: Mapping[int, Any], get_ifd) -> dict[str, str | None]:
    """GPS position and identity tags from an EXIF (Pillow's Image.Exif and its get_ifd)."""
    gps = get_ifd(GPS_IFD) if GPS_IFD in exif else {}
    sub = get_ifd(EXIF_IFD) if EXIF_IFD in exif else {}
    lat = _signed(_degrees(gps[GPS_LAT]), gps.get(GPS_LAT_REF), "S") if GPS_LAT in gps else None
    lon = _signed(_degrees(gps[GPS_LON]), gps.get(GPS_LON_REF), "W") if GPS_LON in gps else None
    camera = _text(sub.get(BODY_SERIAL)) or _text(exif.get(DNG_CAMERA_SERIAL))
    note = sub.get(MAKER_NOTE)
    if camera is None and isinstance(note, bytes) and note.startswith(b"FUJIFILM"):
        camera = _text(get_ifd(MAKER_NOTE).get(FUJIFILM_SERIAL))  # the one Pillow parses
    return {
        "gps": position_text(lat, lon),
        "camera_serial": camera,
        "lens_serial": _text(sub.get(LENS_SERIAL)),
        "owner_name": _text(sub.get(OWNER_NAME)),
    }


def xmp_identity(xmp: str) -> dict[str, str | None]:
    found = {key: next(filter(None, (xmp_property(xmp, n) for n in names)), None)
             for key, names in _XMP_NAMES.items()}  # fmt: skip
    lat, lon = xmp_degrees(found.pop("lat")), xmp_degrees(found.pop("lon"))
    out = {key: _text(value) for key, value in found.items()}
    return {"gps": position_text(lat, lon), **out}


def identity(im: Any) -> dict[str, str | None] | None:
    """What an opened Pillow image's metadata says (raw values, not masked); None when
    its EXIF block is damaged."""
    from PIL import Image

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            raw = im.info.get("exif")
            if isinstance(raw, bytes) and raw:
                # a fresh parse, so that Pillow's warnings about this block are seen here
                exif = Image.Exif()
                exif.load(raw)
            else:  # a TIFF's own tags, a PNG's legacy text chunk
                exif = im.getexif()
            found = exif_identity(exif, exif.get_ifd)
    except _ERRORS:
        return None
    # Pillow reads past a broken directory with "Corrupt EXIF data" and returns nothing:
    # that is not known, not "none". (Its "Possibly corrupt EXIF MakerNote" is not this.)
    if any(str(w.message).startswith("Corrupt EXIF") for w in caught):
        return None
    xmp = _xmp_text(im.info.get("xmp") or im.info.get("XML:com.adobe.xmp"))
    if xmp:
        for key, value in xmp_identity(xmp).items():
            found[key] = found[key] or value
    return found


def set_facts(im: Any, facts: Any, source: str) -> None:
    """The four facts of the module docstring on `facts`."""
    found = identity(im)
    if found is None:
        facts.absent_all(PRIVATE_FACTS, "exif_unreadable")
        return
    gps, owner = found["gps"], found["owner_name"]
    camera, lens = found["camera_serial"], found["lens_serial"]
    facts.set("photo.gps", gps or NONE, "", source)
    facts.set("photo.camera_serial", mask_serial(camera) if camera else NONE, "", source)
    facts.set("photo.lens_serial", mask_serial(lens) if lens else NONE, "", source)
    facts.set("photo.owner_name", mask_name(owner) if owner else NONE, "", source)
