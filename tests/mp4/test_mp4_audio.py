"""Audio channels and rates from the codec's own configuration (issue #13, items 2 and 8):
AC-3 / E-AC-3 / AMR entries say 2 channels whatever the stream has, HE-AAC names its
core rate, Opus decodes at 48 kHz, TrueHD writes its rate as a 32-bit integer."""

from __future__ import annotations

import struct

import pytest
from mp4files import audio_entry, box, fbox, ffprobe_json, mp4a, synth, write_file
from mp4patch import patched

from mediacheck.app import check_one
from mediacheck.model import FAIL, Facts
from mediacheck.mp4 import read_index
from mediacheck.probe.mp4 import index_facts
from mediacheck.probe.video import probe_video
from mediacheck.profile import load_profile

PROFILE = load_profile()


def ffprobe_audio(path) -> dict:
    return ffprobe_json(path, "-show_streams", "-select_streams", "a:0")["streams"][0]


def audio_facts(path) -> Facts:
    facts = Facts(path=path, kind="video")
    index_facts(read_index(path), facts)
    return facts


@pytest.mark.parametrize(
    ("name", "codec", "channels"), [("ac3_51", "ac3", 6), ("eac3_51", "eac3", 6),
                                    ("ac3_mono", "ac3", 1)],
)  # fmt: skip
def test_ac3_channels_come_from_dac3_and_dec3(media, name, codec, channels):
    path = media(name)
    a = read_index(path).audio_tracks[0]
    # ffmpeg 5 writes the sample entry's fixed 2 (the trap); newer muxers may write the
    # real count: either way the count must come from dac3/dec3
    assert a.out_channels == ffprobe_audio(path)["channels"] == channels
    assert a.out_sample_rate == int(ffprobe_audio(path)["sample_rate"]) == 48000
    facts = audio_facts(path)
    assert facts.get("audio.codec").value == codec
    assert facts.get("audio.channels").value == channels
    f = next(f for f in check_one(path, PROFILE, "video").findings if f.rule_id == "A-CHANNELS")
    assert f.status == FAIL and f.measured.value == channels


def _ec3(dec3: bytes) -> bytes:
    return fbox(b"stsd", struct.pack(">I", 1) + audio_entry(b"ec-3", box(b"dec3", dec3)))


def _audio_file(tmp_path, stsd: bytes, name: str = "a.mp4"):
    data = synth(sizes=(10,) * 4, stts=((4, 1536),), timescale=48000, handler=b"soun", stsd=stsd)
    return write_file(tmp_path, data, name)


@pytest.mark.parametrize(
    ("loc", "channels"),
    [(None, 6), (0b010000000, 8), (0b000010000, 8), (0b001100000, 8), (0b100000001, 9)],
)
def test_dec3_dependent_substreams_add_their_channels(tmp_path, loc, channels):
    """5.1 in the independent substream; a dependent one adds the chan_loc locations
    (Lrs/Rrs, Lsd/Rsd, Cs + Ts, Lc/Rc + LFE2)."""
    bits = f"{448:013b}" + "000" + "00" + "01000" + "0" + "0" + "000" + "111" + "1" + "000"
    bits += "0000" + "0" if loc is None else "0001" + f"{loc:09b}"
    dec3 = int(bits.ljust(48, "0"), 2).to_bytes(6, "big")
    tr = read_index(_audio_file(tmp_path, _ec3(dec3))).audio_tracks[0]
    assert (tr.codec, tr.channels, tr.out_channels, tr.out_sample_rate) == (
        "ec-3", 2, channels, 48000,
    )  # fmt: skip


@pytest.mark.parametrize(("fourcc", "rate", "codec"), [(b"samr", 8000, "amr-nb"),
                                                      (b"sawb", 16000, "amr-wb")])  # fmt: skip
def test_amr_is_mono_whatever_its_entry_says(tmp_path, fourcc, rate, codec):
    stsd = fbox(b"stsd", struct.pack(">I", 1) + audio_entry(fourcc, box(b"damr", bytes(9))))
    path = _audio_file(tmp_path, stsd)
    tr = read_index(path).audio_tracks[0]
    assert (tr.channels, tr.out_channels, tr.out_sample_rate) == (2, 1, rate)
    facts = audio_facts(path)
    assert facts.get("audio.codec").value == codec and facts.get("audio.channels").value == 1


def test_unknown_codec_is_not_measured(tmp_path):
    """A codec whose configuration is not read: no channel count from the entry's 2."""
    stsd = fbox(b"stsd", struct.pack(">I", 1) + audio_entry(b"dtsc", box(b"ddts", bytes(20))))
    facts = audio_facts(_audio_file(tmp_path, stsd))
    assert "audio.channels" not in facts.values and facts.missing["audio.channels"] == "unknown"
    assert "audio.sample_rate" not in facts.values


def test_opus_channels_from_dops_and_always_48k(media, tmp_path):
    path = media("opus_51")
    a = read_index(path).audio_tracks[0]
    assert (a.out_channels, a.out_sample_rate) == (6, 48000)
    fa = ffprobe_audio(path)
    assert (fa["channels"], int(fa["sample_rate"])) == (6, 48000)

    def input_rate_16k(data: bytearray) -> None:
        """As another muxer may write it: the entry and dOps at the encoder's 16 kHz."""
        entry = data.index(b"Opus") - 4
        struct.pack_into(">I", data, entry + 8 + 24, 16000 << 16)
        dops = data.index(b"dOps") + 4
        struct.pack_into(">I", data, dops + 4, 16000)

    patched_path = patched(path, tmp_path, input_rate_16k)
    b = read_index(patched_path).audio_tracks[0]
    assert b.sample_rate == 16000 and b.out_sample_rate == 48000
    assert int(ffprobe_audio(patched_path)["sample_rate"]) == 48000


def test_truehd_rate_and_channels_from_dmlp(media):
    path = media("truehd")
    a = read_index(path).audio_tracks[0]
    fa = ffprobe_audio(path)
    assert a.codec == "mlpa" and a.sample_rate == 48000  # a 32-bit integer, not 16.16
    assert (a.out_sample_rate, a.out_channels) == (int(fa["sample_rate"]), fa["channels"])
    assert audio_facts(path).get("audio.codec").value == "truehd"


@pytest.mark.parametrize(
    ("name", "channels", "rate"), [("flac", 2, 44100), ("alac", 1, 32000), ("pcm", 1, 22050)]
)
def test_lossless_and_pcm_configuration(variant, name, channels, rate):
    path = variant(name)
    a = read_index(path).audio_tracks[0]
    fa = ffprobe_audio(path)
    assert (a.out_channels, a.out_sample_rate) == (fa["channels"], int(fa["sample_rate"]))
    assert (a.out_channels, a.out_sample_rate) == (channels, rate)


# --- HE-AAC: the AudioSpecificConfig of ffmpeg's 24 kHz AAC-LC, patched ------------------------

# ffmpeg writes 5 bytes: AOT 2, 24 kHz, stereo, GASpecificConfig, then an explicit "no
# SBR" (sync extension 0x2b7, AOT 5, sbrPresentFlag 0)
ASC_LC = "00010" + "0110" + "0010" + "000" + "01010110111" + "00101" + "0"
PATCHES = {
    # hierarchical: AOT 5 (SBR), core 24 kHz, stereo, extension 48 kHz, core AOT 2
    "explicit": ("00101" + "0110" + "0010" + "0011" + "00010" + "000", "he-aac", 48000, 2),
    # backward compatible: AOT 2 ... 0x2b7, AOT 5, sbrPresentFlag 1, extension 48 kHz
    "compatible": (ASC_LC[:-1] + "1" + "0011", "he-aac", 48000, 2),
    # AOT 29 (PS) with a mono core: decodes to stereo
    "ps": ("11101" + "0110" + "0001" + "0011" + "00010" + "000", "he-aac-v2", 48000, 2),
    # as written: SBR explicitly absent, so 24 kHz is the output rate
    "lc": (ASC_LC, "aac-lc", 24000, 2),
}


def _with_asc(bits: str):
    def patch(data: bytearray) -> None:
        at = data.index(bytes.fromhex("05808080051310")) + 5  # DecoderSpecificInfo, 5 bytes
        data[at : at + 5] = int(bits.ljust(40, "0"), 2).to_bytes(5, "big")

    return patch


@pytest.mark.parametrize("kind", PATCHES)
def test_he_aac_reports_the_output_rate(media, tmp_path, kind):
    bits, codec, rate, channels = PATCHES[kind]
    path = patched(media("aac_24k"), tmp_path, _with_asc(bits))
    a = read_index(path).audio_tracks[0]
    assert a.aac_sample_rate == 24000  # the core's
    facts = audio_facts(path)
    assert facts.get("audio.codec").value == codec
    assert facts.get("audio.sample_rate").value == rate == int(ffprobe_audio(path)["sample_rate"])
    assert facts.get("audio.channels").value == channels


def test_implicit_sbr_is_left_to_the_decoder(media, tmp_path):
    """No SBR signalling at all: whether 24 kHz doubles is in the stream, not the index.
    The index says "not measured", and ffprobe, which decodes the first frames, decides
    (24 kHz here: the stream has no SBR data)."""
    path = patched(media("aac_24k"), tmp_path, _with_asc(ASC_LC[:16]))
    a = read_index(path).audio_tracks[0]
    assert a.sbr is None and a.out_sample_rate is None
    facts = audio_facts(path)
    assert "audio.sample_rate" not in facts.values and "audio.codec" not in facts.values
    probed = probe_video(path)
    assert probed.get("audio.sample_rate").value == 24000
    assert probed.get("audio.sample_rate").source in ("ffprobe", "ffmpeg")  # not the index


def test_program_config_element_channels(tmp_path):
    """channelConfiguration 0: the PCE lists front C + L/R pair, a back pair and an LFE."""
    pce = "0000" + "01" + "0011" + "0010" + "0000" + "0001" + "01" + "000" + "0000"
    pce += "0" + "0" + "0"  # no mixdowns
    pce += "0" + "0000" + "1" + "0001"  # front: SCE, CPE
    pce += "1" + "0010"  # back: CPE
    pce += "0000"  # LFE
    bits = "00010" + "0011" + "0000" + "000" + pce
    asc = int(bits.ljust(-(-len(bits) // 8) * 8, "0"), 2).to_bytes(-(-len(bits) // 8), "big")
    stsd = fbox(b"stsd", struct.pack(">I", 1) + mp4a(asc))
    tr = read_index(_audio_file(tmp_path, stsd)).audio_tracks[0]
    assert (tr.aac_channels, tr.aac_pce_channels, tr.out_channels) == (0, 6, 6)
