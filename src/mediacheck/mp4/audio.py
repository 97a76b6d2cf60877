"""Audio codec configuration: what the decoder outputs, from the codec's own boxes.

An audio sample entry's channel count and rate are not the stream's for every codec:
AC-3, E-AC-3 and AMR entries fix the channel count at 2, Opus decodes at 48 kHz
whatever rate its entry (or its input) had, HE-AAC's AudioSpecificConfig names a core
rate half the output's, and TrueHD writes its rate as a plain 32-bit number. So each
codec's own configuration box is read (esds/AudioSpecificConfig, dac3, dec3, dOps, dfLa,
alac, dmlp), and `output_format` says what plays, or None where the index cannot know
(then a tool that decodes the stream decides).
"""

from __future__ import annotations

import struct

from mediacheck.mp4.codecs import Bits, BitsError
from mediacheck.mp4.model import Track

# fmt: off
_AAC_RATES = (96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025,
              8000, 7350)
# fmt: on
# channelConfiguration -> channels (ISO 14496-3 Table 1.19, with 23001-8's additions)
_AAC_CONFIG_CHANNELS = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 8, 11: 7, 12: 8, 13: 24, 14: 8}
# object types whose AudioSpecificConfig continues with a GASpecificConfig
_GA_TYPES = {1, 2, 3, 4, 6, 7, 17, 19, 20, 21, 22, 23}
_SYNC_SBR, _SYNC_PS = 0x2B7, 0x548
# AC-3 acmod -> full-range channels (1+1 dual mono counts as two)
_AC3_CHANNELS = (2, 1, 2, 3, 3, 4, 4, 5)
_AC3_RATES = (48000, 44100, 32000)
# E-AC-3 dec3 chan_loc, first bit first: Lc/Rc, Lrs/Rrs, Cs, Ts, Lsd/Rsd, Lw/Rw, Lvh/Rvh,
# Cvh, LFE2 (ETSI TS 102 366 Table F.6.1): pairs add two channels
_CHAN_LOC = (2, 2, 1, 1, 2, 2, 2, 1, 1)
# TrueHD channel_assignment bits, lowest first: LR C LFE LRs LRvh LRc LRrs Cs Ts LRsd LRw
# Cvh LFE2
_THD_CHANNELS = (2, 1, 1, 2, 2, 2, 2, 1, 1, 2, 2, 1, 1)
# Codecs whose sample entry holds the real rate and channels (uncompressed audio).
_PCM = frozenset(
    (b"sowt", b"twos", b"lpcm", b"ipcm", b"fpcm", b"in24", b"in32", b"fl32", b"fl64",
     b"raw ", b"NONE", b"ulaw", b"alaw")
)  # fmt: skip
# AMR is mono by definition (3GPP TS 26.244), at a rate fixed by the codec
_AMR = {b"samr": 8000, b"sawb": 16000}


def parse_asc(data: bytes, tr: Track) -> None:
    """AudioSpecificConfig (ISO 14496-3 1.6.2.1): object type, rates, channels, and the
    SBR / PS signalling, hierarchical (object type 5 or 29 first) or backward-compatible
    (a sync extension after the GASpecificConfig)."""
    b = Bits(data[:64])

    def object_type() -> int:
        aot = b.u(5)
        return 32 + b.u(6) if aot == 31 else aot

    def rate() -> int | None:
        idx = b.u(4)
        if idx == 15:
            return b.u(24)
        return _AAC_RATES[idx] if idx < len(_AAC_RATES) else None

    aot = tr.aac_object_type = object_type()
    tr.aac_sample_rate = rate()
    config = tr.aac_channels = b.u(4)
    if aot in (5, 29):
        tr.sbr, tr.ps = True, aot == 29
        tr.aac_ext_sample_rate = rate()
        aot = object_type()  # the core's
        if aot == 22:
            b.u(4)  # extensionChannelConfiguration
    try:  # the rest is optional detail: what was read above stands without it
        channels = _ga_specific_config(b, config, aot) if aot in _GA_TYPES else None
        sync = tr.sbr is None and b.left() >= 16 and b.u(11) == _SYNC_SBR
        if sync and object_type() == 5:
            tr.sbr = bool(b.u(1))
            if tr.sbr:
                tr.aac_ext_sample_rate = rate()
                if b.left() >= 12 and b.u(11) == _SYNC_PS:
                    tr.ps = bool(b.u(1))
    except BitsError:
        channels = None
    if config == 0:
        tr.aac_pce_channels = channels


def _ga_specific_config(b: Bits, config: int, aot: int) -> int | None:
    """GASpecificConfig (14496-3 4.4.1); returns the program config element's channel
    count when channelConfiguration is 0 (the channels are defined there)."""
    b.u(1)  # frameLengthFlag
    if b.u(1):  # dependsOnCoreCoder
        b.u(14)
    extension = b.u(1)
    channels = _program_config_channels(b) if config == 0 else None
    if aot in (6, 20):
        b.u(3)  # layerNr
    if extension:
        if aot == 22:
            b.u(16)  # numOfSubFrame, layer_length
        if aot in (17, 19, 20, 23):
            b.u(3)  # the three resilience flags
        b.u(1)  # extensionFlag3
    return channels


def _program_config_channels(b: Bits) -> int:
    """program_config_element (14496-3 4.4.1.1): front, side and back elements (a
    channel pair counts two) and LFE elements."""
    b.u(4 + 2 + 4)  # element_instance_tag, object_type, sampling_frequency_index
    front, side, back = b.u(4), b.u(4), b.u(4)
    lfe, assoc, cc = b.u(2), b.u(3), b.u(4)
    for width in (4, 4, 3):  # mono, stereo and matrix mixdown: a flag and its value
        if b.u(1):
            b.u(width)
    channels = 0
    for _ in range(front + side + back):
        channels += 2 if b.u(1) else 1  # is_cpe
        b.u(4)
    b.u(4 * lfe + 4 * assoc + 5 * cc)
    return channels + lfe


def parse_dac3(data: bytes, tr: Track) -> None:
    """AC3SpecificBox (ETSI TS 102 366 F.4): fscod, bsid, bsmod, acmod, lfeon."""
    if len(data) < 3:
        raise BitsError
    v = int.from_bytes(data[:3], "big")
    fscod, acmod, lfe = v >> 22, (v >> 11) & 7, (v >> 10) & 1
    tr.out_channels = _AC3_CHANNELS[acmod] + lfe
    tr.out_sample_rate = _AC3_RATES[fscod] if fscod < 3 else None


def parse_dec3(data: bytes, tr: Track) -> None:
    """EC3SpecificBox (ETSI TS 102 366 F.6): the first independent substream is the
    programme that plays; its dependent substreams add the channels chan_loc names."""
    b = Bits(data[:64])
    b.u(13)  # data_rate
    b.u(3)  # num_ind_sub: further programmes (another language, commentary), not channels
    fscod = b.u(2)
    b.u(5 + 1 + 1 + 3)  # bsid, reserved, asvc, bsmod
    acmod, lfe = b.u(3), b.u(1)
    b.u(3)  # reserved
    channels = _AC3_CHANNELS[acmod] + lfe
    if b.u(4):  # num_dep_sub
        loc = b.u(9)
        channels += sum(w for k, w in enumerate(_CHAN_LOC) if loc >> (8 - k) & 1)
    tr.out_channels = channels
    tr.out_sample_rate = _AC3_RATES[fscod] if fscod < 3 else None


def parse_dops(data: bytes, tr: Track) -> None:
    """OpusSpecificBox: OutputChannelCount. Opus always decodes at 48 kHz; the box's
    InputSampleRate is only what the encoder was given."""
    if len(data) < 11:
        raise BitsError
    tr.out_channels = data[1]


def parse_dfla(data: bytes, tr: Track) -> None:
    """FLACSpecificBox: the STREAMINFO block's rate and channels."""
    p = 4  # version, flags
    while p + 4 <= len(data):
        kind, size = data[p] & 0x7F, int.from_bytes(data[p + 1 : p + 4], "big")
        if kind == 0 and size >= 18 and p + 4 + 18 <= len(data):
            v = int.from_bytes(data[p + 4 + 10 : p + 4 + 13], "big")
            tr.out_sample_rate = v >> 4 or None
            tr.out_channels = ((v >> 1) & 7) + 1
            return
        if data[p] & 0x80:
            break
        p += 4 + size
    raise BitsError


def parse_alac(data: bytes, tr: Track) -> None:
    """ALACSpecificConfig (after the box's version and flags): numChannels, sampleRate."""
    if len(data) < 28:
        raise BitsError
    tr.out_channels = data[4 + 9]
    tr.out_sample_rate = struct.unpack_from(">I", data, 4 + 20)[0] or None


def parse_dmlp(data: bytes, tr: Track) -> None:
    """MLPSpecificBox (Dolby TrueHD): format_info's rate code and channel assignment."""
    if len(data) < 4:
        raise BitsError
    info = struct.unpack_from(">I", data)[0]
    code = info >> 28
    tr.out_sample_rate = None if code == 0xF else (44100 if code & 8 else 48000) << (code & 7)
    assignment = info & 0x1FFF or (info >> 15) & 0x1F
    tr.out_channels = sum(w for k, w in enumerate(_THD_CHANNELS) if assignment >> k & 1) or None


def output_format(tr: Track, entry: bytes) -> None:
    """Fill out_sample_rate / out_channels for codecs whose configuration boxes do not
    say them (AAC from its parsed AudioSpecificConfig, AMR, PCM, Opus's rate)."""
    if entry == b"mp4a" and tr.aac_object_type is not None:
        _aac_output(tr)
    elif entry in _AMR:
        tr.out_sample_rate, tr.out_channels = _AMR[entry], 1
    elif entry in _PCM:
        tr.out_sample_rate, tr.out_channels = tr.sample_rate or None, tr.channels or None
    elif entry == b"Opus":
        tr.out_sample_rate = 48000


def _aac_output(tr: Track) -> None:
    core = tr.aac_sample_rate
    if tr.sbr:
        tr.out_sample_rate = tr.aac_ext_sample_rate or (2 * core if core else None)
    elif tr.sbr is False or (core and core > 24000):
        tr.out_sample_rate = core
    # else: SBR may be signalled implicitly, inside the stream; a decoder that sees it
    # doubles the core rate (<= 24 kHz), one that does not keeps it. Only decoding a
    # frame tells, so the index leaves the rate unmeasured.
    config = tr.aac_channels
    channels = tr.aac_pce_channels if config == 0 else _AAC_CONFIG_CHANNELS.get(config or -1)
    if channels == 1 and tr.ps:
        channels = 2  # parametric stereo: a mono core decodes to stereo
    tr.out_channels = channels
