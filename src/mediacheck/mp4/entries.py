"""Sample entries (stsd): the codec of a track and its configuration boxes.

Visual entries give the coded size, `pasp` and `avcC` (whose SPS is parsed in
codecs.py); audio entries give the rate and channels the entry declares, and the
codec's own configuration what the decoder outputs (audio.py). Encrypted entries (encv,
enca) are read as their original format, named by sinf/frma.
"""

from __future__ import annotations

import math
import struct

from mediacheck.mp4.audio import (
    output_format,
    parse_alac,
    parse_asc,
    parse_dac3,
    parse_dec3,
    parse_dfla,
    parse_dmlp,
    parse_dops,
)
from mediacheck.mp4.boxes import U16, U32S, children, fits, fourcc, fourccs, need
from mediacheck.mp4.codecs import BitsError, parse_sps
from mediacheck.mp4.model import Track

VISUAL = fourccs(
    "avc1 avc2 avc3 avc4 hvc1 hev1 mp4v av01 vp08 vp09 encv dvh1 dvhe",
    "mjpg jpeg apcn apch apcs apco ap4h s263",
)
AUDIO = fourccs("mp4a ac-3 ec-3 Opus fLaC alac enca samr sawb sowt twos lpcm ipcm fpcm .mp3 mlpa")


def stsd(buf: bytes, s: int, e: int, tr: Track, base: int) -> None:
    need(s, e, 8, "stsd")
    tr.sample_entry_count = U32S.unpack_from(buf, s + 4)[0]
    # Each entry is a box of at least 8 bytes. ffmpeg refuses a count its box cannot hold
    # (it cannot open the file at all), so the index is not one to measure either.
    fits(tr.sample_entry_count, 8, s + 8, e, "stsd")
    if tr.sample_entry_count == 0:
        tr.issues.append("no_sample_entry")
        return
    if tr.sample_entry_count > 1:
        tr.issues.append("multiple_sample_entries")
    for typ, s2, e2 in children(buf, s + 8, e, 6, base):
        tr.codec = tr.sample_entry = fourcc(typ)
        tr.encrypted = typ in (b"encv", b"enca")
        if tr.handler == "vide" or typ in VISUAL:
            visual_entry(buf, s2, e2, tr, base)
        elif tr.handler == "soun" or typ in AUDIO:
            audio_entry(buf, s2, e2, tr, base)
        break  # the first entry describes the stream; others are flagged above


def visual_entry(buf: bytes, s: int, e: int, tr: Track, base: int) -> None:
    if e - s < 78:
        tr.issues.append("short_sample_entry")
        return
    tr.width, tr.height = struct.unpack_from(">HH", buf, s + 24)
    for typ, s2, e2 in children(buf, s + 78, e, 7, base):
        if typ == b"pasp" and e2 - s2 >= 8:
            tr.sar = struct.unpack_from(">II", buf, s2)
        elif typ == b"avcC":
            avcc(buf, s2, e2, tr)
        elif typ == b"hvcC" and e2 - s2 >= 19:
            # HEVCDecoderConfigurationRecord (ISO/IEC 14496-15, 8.3.3): chromaFormat and
            # the bit depths sit at fixed offsets, so the pixel format needs no ffprobe
            tr.avc_chroma_format = buf[s2 + 16] & 3
            tr.avc_bit_depth_luma = (buf[s2 + 17] & 7) + 8
            tr.avc_bit_depth_chroma = (buf[s2 + 18] & 7) + 8
        elif typ == b"sinf":
            sinf(buf, s2, e2, tr, base)


def sinf(buf: bytes, s: int, e: int, tr: Track, base: int) -> None:
    """Protection scheme info of an encrypted entry: frma names the original format (the
    entry's own boxes, avcC or esds, still describe the stream), schm the scheme."""
    for typ, s2, e2 in children(buf, s, e, 8, base):
        if typ == b"frma" and e2 - s2 >= 4:
            tr.codec = fourcc(buf[s2 : s2 + 4])
        elif typ == b"schm" and e2 - s2 >= 8:
            tr.protection_scheme = fourcc(buf[s2 + 4 : s2 + 8]).strip()


def avcc(buf: bytes, s: int, e: int, tr: Track) -> None:
    if e - s < 7:
        tr.issues.append("bad_avcC")
        return
    tr.avc_profile, tr.avc_constraints, tr.avc_level = buf[s + 1], buf[s + 2], buf[s + 3]
    n_sps = buf[s + 5] & 31
    if n_sps == 0:
        tr.issues.append("no_sps")
        return
    ln = U16.unpack_from(buf, s + 6)[0]
    if s + 8 + ln > e or ln < 4:
        tr.issues.append("bad_avcC")
        return
    try:
        parse_sps(buf[s + 8 : s + 8 + ln], tr)
    except BitsError:
        tr.issues.append("sps_unreadable")


def audio_entry(buf: bytes, s: int, e: int, tr: Track, base: int) -> None:
    if e - s < 28:
        tr.issues.append("short_sample_entry")
        return
    version = U16.unpack_from(buf, s + 8)[0]
    tr.channels = U16.unpack_from(buf, s + 16)[0]
    tr.sample_rate = U32S.unpack_from(buf, s + 24)[0] >> 16
    if tr.codec == "mlpa":  # TrueHD writes its rate as a plain 32-bit integer
        tr.sample_rate = U32S.unpack_from(buf, s + 24)[0]
    kids = s + 28
    if version == 1:  # QuickTime sound description v1: 16 more bytes
        kids += 16
    elif version == 2:  # QuickTime v2: real rate and channels further on
        if e - s < 64:
            tr.issues.append("short_sample_entry")
            return
        rate = struct.unpack_from(">d", buf, s + 32)[0]
        tr.sample_rate = int(rate) if math.isfinite(rate) and 0 < rate < 1e7 else None
        tr.channels = U32S.unpack_from(buf, s + 40)[0]
        kids = s + 64
    if kids > e:
        tr.issues.append("short_sample_entry")
        return
    for typ, s2, e2 in children(buf, kids, e, 7, base):
        if typ == b"wave":  # QuickTime wraps esds (and others) in wave
            for t3, s3, e3 in children(buf, s2, e2, 8, base):
                audio_config(buf, t3, s3, e3, tr)
        elif typ == b"sinf":
            sinf(buf, s2, e2, tr, base)
        else:
            audio_config(buf, typ, s2, e2, tr)
    output_format(tr, tr.codec.encode("latin-1"))


_CONFIGS = {b"dac3": parse_dac3, b"dec3": parse_dec3, b"dOps": parse_dops,
            b"dfLa": parse_dfla, b"alac": parse_alac, b"dmlp": parse_dmlp}  # fmt: skip


def audio_config(buf: bytes, typ: bytes, s: int, e: int, tr: Track) -> None:
    """One configuration box of an audio entry: esds, or the codec's own (see audio.py)."""
    if typ == b"esds":
        esds(buf, s, e, tr)
        return
    parse = _CONFIGS.get(typ)
    if parse is not None:
        try:
            parse(buf[s:e], tr)
        except (BitsError, IndexError, struct.error):
            tr.issues.append(f"bad_{fourcc(typ)}")


def esds(buf: bytes, s: int, e: int, tr: Track) -> None:
    p = s + 4  # version/flags
    try:
        while p < e:
            tag = buf[p]
            p += 1
            ln = 0
            for _ in range(4):  # expandable length: 7 bits a byte
                c = buf[p]
                p += 1
                ln = (ln << 7) | (c & 0x7F)
                if not c & 0x80:
                    break
            body_end = min(p + ln, e)
            if tag == 0x03:  # ES_Descriptor: descend into its sub-descriptors
                fl = buf[p + 2]
                p += 3
                if fl & 0x80:
                    p += 2
                if fl & 0x40:
                    p += 1 + buf[p]
                if fl & 0x20:
                    p += 2
                continue
            if tag == 0x04:  # DecoderConfigDescriptor
                tr.object_type_indication = buf[p]
                tr.esds_max_bitrate, tr.esds_avg_bitrate = struct.unpack_from(">II", buf, p + 5)
                p += 13
                continue
            if tag == 0x05:  # DecoderSpecificInfo = AudioSpecificConfig
                if tr.object_type_indication in (0x40, 0x66, 0x67, 0x68, None):
                    try:
                        parse_asc(buf[p:body_end], tr)
                    except BitsError:
                        tr.issues.append("bad_audio_specific_config")
                return
            p = body_end
    except (IndexError, struct.error):
        tr.issues.append("bad_esds")
