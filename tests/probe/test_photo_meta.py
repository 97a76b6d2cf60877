"""Location and device identity read from a photo's metadata (probe/photo_meta.py), on the
fixtures of fixtures/make_photos.py and on EXIF written by Pillow."""

from __future__ import annotations

import io
import sys
import warnings
from pathlib import Path

import pytest
from PIL import Image
from PIL.TiffImagePlugin import IFDRational as R

from mediacheck.probe import photo_meta
from mediacheck.probe.photo_meta import (
    identity,
    mask_name,
    mask_serial,
    position_text,
    xmp_degrees,
    xmp_identity,
)
from mediacheck.probe.pixels import probe_photo

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fixtures"))  # not a package
import make_photos  # noqa: E402


def jpeg_with(exif: Image.Exif | bytes | None = None, xmp: str | None = None) -> Image.Image:
    buf = io.BytesIO()
    kw = {}
    if exif is not None:
        kw["exif"] = exif if isinstance(exif, bytes) else exif.tobytes()
    if xmp is not None:
        kw["xmp"] = xmp.encode()
    Image.new("RGB", (32, 24)).save(buf, "JPEG", **kw)
    return Image.open(io.BytesIO(buf.getvalue()))


def facts_of(name: str) -> dict[str, object]:
    facts = probe_photo(make_photos.get(name), hashes=False)
    return {n: facts.values[n].value for n in photo_meta.PRIVATE_FACTS}


def test_a_camera_original_says_where_and_with_what_masked():
    assert facts_of("private_jpg") == {
        "photo.gps": "31.23°N 121.47°E",
        "photo.camera_serial": "01******89",
        "photo.lens_serial": "LS****99",
        "photo.owner_name": "张*",  # UTF-8 in an EXIF ASCII tag, as cameras write it
    }


def test_a_photo_without_metadata_says_none():
    assert set(facts_of("photo_a").values()) == {"none"}


def test_reading_them_decodes_no_pixel():
    with Image.open(make_photos.get("private_jpg")) as im:
        assert identity(im)["gps"] == "31.23°N 121.47°E"
        assert im._im is None  # Pillow decodes on load(); nothing has called it


@pytest.mark.parametrize(
    ("lat", "lat_ref", "lon", "lon_ref", "text"),
    [
        ((31, 13, 48), "N", (121, 28, 1), "E", "31.23°N 121.47°E"),
        ((33, 52, 4), "S", (151, 12, 26), "E", "33.87°S 151.21°E"),  # Sydney
        ((40, 42, 46), "N", (74, 0, 21), "W", "40.71°N 74.01°W"),  # New York
        ((31.2304,), "N", (121.4737,), "E", "31.23°N 121.47°E"),  # degrees only
    ],
)
def test_gps_hemispheres_and_forms(lat, lat_ref, lon, lon_ref, text):
    exif = Image.Exif()
    exif[0x8825] = {1: lat_ref, 2: tuple(R(v) for v in lat), 3: lon_ref,
                    4: tuple(R(v) for v in lon)}  # fmt: skip
    assert identity(jpeg_with(exif))["gps"] == text


def test_no_position_is_none():
    assert position_text(0.0, 0.0) is None  # a phone with location off
    assert position_text(91.0, 10.0) is None and position_text(None, 10.0) is None
    exif = Image.Exif()
    exif[0x8825] = {0: b"\x02\x03\x00\x00", 29: "2024:10:28"}  # a date, no position
    assert identity(jpeg_with(exif))["gps"] is None
    zero = Image.Exif()
    zero[0x8825] = {1: "N", 2: (R(0, 0), R(0, 0), R(0, 0)), 3: "E", 4: (R(0, 0),) * 3}
    assert identity(jpeg_with(zero))["gps"] is None  # 0/0 rationals: no position


def test_placeholder_serials_are_no_serials():
    exif = Image.Exif()
    exif[0x8769] = {0xA431: "0000000000", 0xA435: "   ", 0xA430: ""}
    found = identity(jpeg_with(exif))
    assert found["camera_serial"] is found["lens_serial"] is found["owner_name"] is None


def test_dng_camera_serial_in_ifd0():
    exif = Image.Exif()
    exif[0xC62F] = "SN-4455667788"
    assert identity(jpeg_with(exif))["camera_serial"] == "SN-4455667788"


def test_xmp_attribute_and_element_forms():
    xmp = make_photos.PRIVATE_XMP
    found = xmp_identity(xmp)
    assert found["gps"] == "31.23°N 121.47°E"
    assert (found["camera_serial"], found["lens_serial"]) == ("0123456789", "LS778899")
    cipa = ('<rdf:Description xmlns:exifEX="http://cipa.jp/exif/1.0/" '
            "exifEX:BodySerialNumber='B-77' exifEX:CameraOwnerName='Li &amp; Wang'/>")  # fmt: skip
    found = xmp_identity(cipa)
    assert (found["camera_serial"], found["owner_name"]) == ("B-77", "Li & Wang")
    dji = '<rdf:Description drone-dji:GpsLatitude="+31.2304" drone-dji:GpsLongitude="-121.4737"/>'
    assert xmp_identity(dji)["gps"] == "31.23°N 121.47°W"  # a DJI drone's own spelling
    # "SerialNumber" of another namespace is not the camera's
    assert xmp_identity('<x tiff:SerialNumber="1234"/>')["camera_serial"] is None


def test_xmp_coordinates():
    assert xmp_degrees("31,13.8N") == pytest.approx(31.23)
    assert xmp_degrees("121,28,1.5W") == pytest.approx(-121.4670833)
    assert xmp_degrees("31.5") == 31.5
    assert xmp_degrees("north") is None and xmp_degrees("") is None


def test_masks_never_show_the_value():
    assert mask_serial("0123456789") == "01******89"
    assert mask_serial("ABC123") == "****23" and mask_serial("A1") == "**"
    assert mask_name("张三") == "张*" and mask_name("X") == "*"


def test_a_damaged_exif_block_is_not_known_rather_than_none(tmp_path):
    import struct

    tiff = b"II*\x00" + struct.pack("<I", 0x7FFFFFF0) + bytes(40)
    segment = b"\xff\xe1" + struct.pack(">H", 2 + 6 + len(tiff)) + b"Exif\x00\x00" + tiff
    buf = io.BytesIO()
    Image.new("RGB", (32, 24)).save(buf, "JPEG")
    path = tmp_path / "damaged.jpg"
    path.write_bytes(buf.getvalue()[:2] + segment + buf.getvalue()[2:])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing of Pillow's reaches the user's terminal
        facts = probe_photo(path, hashes=False)
    assert facts.error is None and facts.values["photo.decodes"].value is True
    assert all(facts.missing[n] == "exif_unreadable" for n in photo_meta.PRIVATE_FACTS)


def test_formats_without_a_decoder_say_so():
    from mediacheck.probe.decoders import pillow_format

    if pillow_format("heic") is not None:
        pytest.skip("pillow-heif is installed here")
    facts = probe_photo(make_photos.get("heic"), hashes=False)
    assert all(facts.missing[n] == "format_not_supported" for n in photo_meta.PRIVATE_FACTS)
