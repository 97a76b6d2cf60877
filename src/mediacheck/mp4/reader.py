"""Read the sample tables of an MP4 (ISO BMFF) file without reading its media data.

Bitrate, CBR and frame-rate verdicts must come from the samples, not from header
claims, and for MP4 the index boxes (`moov`, and `moof` when fragmented) hold every
sample's size, file offset and timing. So this reader visits the top-level boxes by
their headers, seeks over `mdat`, and reads only `ftyp`, `moov` and `moof` payloads.

Per-sample data is kept in `array.array` (an hour of 1080p25 + AAC is ~260,000
samples) and built with C-level helpers (`frombytes`, `accumulate`, `repeat`) rather
than per-entry Python loops.

Nothing in a file is trusted: every table's entry count must fit in its box, sizes
must fit in their parent and in the file, and run-length counts are clipped to the
sample count before anything is allocated. Broken structure raises `Mp4Error(code,
detail)`; inconsistencies that still leave usable data become `issues` codes on the
index or the track.

Error codes: `io_error`, `empty_file`, `not_isobmff`, `no_moov`, `box_past_eof`,
`bad_box`. Issue codes (index): `mdat_past_eof` (and `<box>_past_eof`),
`trailing_garbage`, `trailing_bytes`, `multiple_moov`, `no_tracks`, `duplicate_track_id`,
`fragment_for_unknown_track`, `too_many_boxes`. Issue codes (track): `empty_edit`,
`edit_list_only_empty`, `empty_edit_list`, `complex_edit_list`, `bad_edit`, `bad_tfdt`,
`zero_duration`, `mdhd_zero_duration`, `zero_timescale`, `no_samples`,
`too_many_samples`, `stts_count_mismatch`, `ctts_count_mismatch`, `no_stts`,
`stss_out_of_range`, `no_chunk_table`, `bad_stsc`, `samples_without_chunk`,
`chunks_exceed_samples`, `no_sample_entry`, `multiple_sample_entries`,
`short_sample_entry`, `bad_avcC`, `no_sps`, `sps_unreadable`, `bad_esds`,
`bad_audio_specific_config`.
"""

from __future__ import annotations

import math
import os
import struct
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress, islice, repeat
from operator import add, gt, le, lt, mul, sub

__all__ = [
    "Edit",
    "Mp4Error",
    "Mp4Index",
    "Track",
    "avc_profile_name",
    "read_index",
]

# Type codes of exactly 4 and 8 bytes; 'I'/'i' are 4 bytes on every platform CPython
# supports, but check rather than assume.
_U32 = "I" if array("I").itemsize == 4 else "L"
_I32 = "i" if array("i").itemsize == 4 else "l"
_SWAP = sys.byteorder == "little"  # MP4 tables are big-endian

_HDR = struct.Struct(">I4s")
_U16 = struct.Struct(">H")
_U32S = struct.Struct(">I")
_I32S = struct.Struct(">i")
_U64S = struct.Struct(">Q")

# Limits that keep hostile files from costing memory or time.
MAX_DEPTH = 16  # real files nest ~10 deep (moov/trak/mdia/minf/stbl/stsd/avc1/avcC)
MAX_SAMPLES = 10_000_000  # per track; 24 h of 60 fps video is 5.2 M
MAX_INDEX_BOX = 512 * 1024 * 1024  # a 24 h moov is ~50 MB
MAX_TOP_BOXES = 5_000_000
_MAX_TICKS = 1 << 53  # timestamps beyond this are corrupt, and would overflow 'q' arrays


def _fourccs(*words: str) -> frozenset[bytes]:
    return frozenset(w.encode("latin-1") for line in words for w in line.split())


# Boxes that may open an ISO BMFF / QuickTime file. Anything else first is not one.
_FIRST_BOXES = _fourccs("ftyp styp moov mdat free skip wide pnot uuid sidx junk prfl")
_VISUAL = _fourccs(
    "avc1 avc2 avc3 avc4 hvc1 hev1 mp4v av01 vp08 vp09 encv dvh1 dvhe",
    "mjpg jpeg apcn apch apcs apco ap4h s263",
)
_AUDIO = _fourccs("mp4a ac-3 ec-3 Opus fLaC alac enca samr sawb sowt twos lpcm ipcm fpcm .mp3")
# fmt: off
_AAC_RATES = (96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025,
              8000, 7350)
# fmt: on
# profile_idc values whose SPS carries chroma_format_idc and bit depths.
_HIGH_PROFILES = {100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135}
# trun sample_flags bit: sample_is_non_sync_sample
_NON_SYNC = 0x00010000


class Mp4Error(Exception):
    """The file is not a readable MP4 index. `code` is stable, `detail` is for people."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Edit:
    segment_duration: int  # in the movie (mvhd) timescale
    media_time: int  # in the track's timescale; -1 marks an empty edit (a delay)
    rate: float


@dataclass
class Track:
    track_id: int = 0
    handler: str = ""  # 'vide', 'soun', ...
    timescale: int = 0  # mdhd
    duration: int = 0  # mdhd, in timescale units (0 in fragmented files)
    language: str = ""
    # tkhd: presentation size (16.16) and display matrix
    tkhd_width: float = 0.0
    tkhd_height: float = 0.0
    rotation: int = 0  # degrees clockwise, as ffmpeg's `rotate` tag: 90/270 swap w and h
    # first sample entry
    codec: str = ""  # fourcc: avc1, avc3, hvc1, hev1, mp4a, ...
    sample_entry_count: int = 0
    width: int | None = None  # visual sample entry (coded picture size)
    height: int | None = None
    sar: tuple[int, int] | None = None  # pasp hSpacing:vSpacing
    avc_profile: int | None = None  # profile_idc (SPS, else avcC)
    avc_constraints: int | None = None  # constraint_set flags byte
    avc_level: int | None = None  # level_idc, e.g. 40 = level 4.0
    avc_chroma_format: int | None = None  # 0 mono, 1 4:2:0, 2 4:2:2, 3 4:4:4 (SPS or hvcC)
    avc_bit_depth_luma: int | None = None
    avc_bit_depth_chroma: int | None = None
    avc_frame_mbs_only: bool | None = None  # False: the stream may carry interlaced fields
    sps_width: int | None = None  # after SPS cropping
    sps_height: int | None = None
    vui_sar: tuple[int, int] | None = None
    vui_timing: tuple[int, int, bool] | None = None  # num_units_in_tick, time_scale, fixed
    object_type_indication: int | None = None  # esds: 0x40 = MPEG-4 audio
    aac_object_type: int | None = None  # 2 = AAC-LC, 5 = SBR (HE-AAC), 29 = PS (HE-AACv2)
    aac_sample_rate: int | None = None  # AudioSpecificConfig (core rate)
    aac_channels: int | None = None  # channelConfiguration (0 = defined in-stream)
    esds_avg_bitrate: int | None = None  # header claims, bit/s
    esds_max_bitrate: int | None = None
    sample_rate: int | None = None  # audio sample entry
    channels: int | None = None
    # per-sample tables, all of length sample_count: `sizes`, and the properties
    # `durations` (decode deltas), `cts_offsets` (composition - decode, signed; None = all
    # zero) and `offsets`.
    sizes: array = field(default_factory=lambda: array(_U32))
    sync_samples: array | None = None  # 0-based indexes; None = every sample is sync
    edits: list[Edit] = field(default_factory=list)
    # leading empty edits in this track's timescale: the track starts this late
    edit_delay: int = 0
    # (first sample index, decode time) where a fragment's tfdt sets the clock
    decode_bases: list[tuple[int, int]] = field(default_factory=list)
    samples_past_eof: int = 0
    bytes_missing: int = 0
    issues: list[str] = field(default_factory=list)
    # File offsets are built on first use from (chunk offsets, chunk runs, samples per
    # chunk of each run, samples held): bitrate and timing never need them, the
    # truncation check works on whole chunks, and building them is most of the read time.
    _offsets: array | None = field(default_factory=lambda: array("q"), repr=False)
    _chunk_map: tuple[array, array, array, int] | None = field(default=None, repr=False)
    # Durations and composition offsets as the moov codes them, (counts, values) runs that
    # add up to exactly sample_count (stts is one run for constant frame rate video): the
    # measurements work on these directly, and the per-sample arrays are expanded on
    # first use only. A fragment's samples end that form (see `_thaw`).
    _dur_runs: tuple[array, array] | None = field(default=None, repr=False)
    _cts_runs: tuple[array, array] | None = field(default=None, repr=False)
    _durations: array | None = field(default=None, repr=False)
    _cts: array | None = field(default=None, repr=False)

    @property
    def offsets(self) -> array:
        """File offset of every sample ('q' array); -1 where the tables give none."""
        if self._offsets is None:
            if self._chunk_map is None:
                self._offsets = array("q")
            else:
                chunks, runs, per_run, _ = self._chunk_map
                per_chunk = _expand_runs(runs, per_run, len(chunks), _U32)
                self._offsets = _offsets_from_chunks(self.sizes, chunks, per_chunk)
                self._chunk_map = None
        return self._offsets

    @property
    def durations(self) -> array:
        """Decode duration of every sample (unsigned ticks)."""
        if self._durations is None:
            runs = self._dur_runs
            self._durations = (
                array(_U32) if runs is None else _expand_runs(*runs, sum(runs[0]), _U32)
            )
        return self._durations

    @durations.setter
    def durations(self, value: array) -> None:
        self._durations = value
        self._dur_runs = None

    @property
    def cts_offsets(self) -> array | None:
        """Composition minus decode time of every sample (signed); None when all zero."""
        if self._cts is None and self._cts_runs is not None:
            self._cts = _expand_runs(*self._cts_runs, sum(self._cts_runs[0]), _I32)
        return self._cts

    @cts_offsets.setter
    def cts_offsets(self, value: array | None) -> None:
        self._cts = value
        self._cts_runs = None

    def _thaw(self) -> None:
        """Expand the run-length tables, so per-sample data can be appended (fragments)."""
        self.durations = self.durations
        self.cts_offsets = self.cts_offsets

    @property
    def has_durations(self) -> bool:
        """Any sample with a non-zero duration."""
        if self._dur_runs is not None:
            return any(compress(self._dur_runs[1], self._dur_runs[0]))
        return any(self.durations)

    @property
    def timing_runs(self) -> tuple[tuple[array, array], tuple[array, array] | None] | None:
        """(duration runs, composition offset runs or None when all zero), or None when
        the samples are not (only) the moov's: then use `durations` and `cts_offsets`."""
        if self._dur_runs is None or self.decode_bases:
            return None
        if self._cts is not None and self._cts_runs is None:
            return None
        return self._dur_runs, self._cts_runs

    @property
    def sample_count(self) -> int:
        return len(self.sizes)

    @property
    def is_video(self) -> bool:
        return self.handler == "vide"

    @property
    def is_audio(self) -> bool:
        return self.handler == "soun"

    @property
    def truncated(self) -> bool:
        return self.samples_past_eof > 0

    @property
    def total_bytes(self) -> int:
        return sum(self.sizes)

    @property
    def duration_ticks(self) -> int:
        """Sum of sample durations: the measured length, whatever mdhd claims."""
        if self._dur_runs is not None:
            return sum(map(mul, *self._dur_runs))
        return sum(self.durations)

    @property
    def pix_fmt(self) -> str | None:
        """ffmpeg-style pixel format name from the SPS (yuv420p, yuv420p10le, ...)."""
        if self.avc_chroma_format is None or self.avc_bit_depth_luma is None:
            return None
        base = {0: "gray", 1: "yuv420p", 2: "yuv422p", 3: "yuv444p"}.get(self.avc_chroma_format)
        if base is None:
            return None
        depth = self.avc_bit_depth_luma
        return base if depth == 8 else f"{base}{depth}le"

    @property
    def presentation_shift(self) -> int:
        """Ticks added to dts+cts by the edit list, the way ffmpeg applies it.

        Leading empty edits delay the track (edit_delay); the first real edit's
        media_time is where presentation starts. Only that simple form is applied (it is what
        muxers write); a longer list is flagged as `complex_edit_list`.
        """
        shift = 0
        for e in self.edits:
            if e.media_time == -1:
                continue  # leading empty edits: edit_delay
            shift -= e.media_time
            break
        return shift + self.edit_delay

    def decode_times(self) -> array:
        """Decode timestamp of every sample, in timescale units."""
        n = len(self.durations)
        bases = self.decode_bases or [(0, 0)]
        if bases[0][0] != 0:
            bases = [(0, 0), *bases]
        out = array("q")
        for k, (start, base) in enumerate(bases):
            stop = bases[k + 1][0] if k + 1 < len(bases) else n
            if stop > start:
                out.extend(accumulate(islice(self.durations, start, stop - 1), initial=base))
        return out

    def presentation_times(self) -> array:
        """dts + cts + edit-list shift: what ffprobe reports as a packet's pts."""
        dts = self.decode_times()
        shift = self.presentation_shift
        cts = self.cts_offsets
        pts = dts if cts is None else array("q", map(add, dts, cts))
        if shift:
            pts = array("q", map(shift.__add__, pts))
        return pts


@dataclass
class Mp4Index:
    file_size: int = 0
    bytes_read: int = 0
    major_brand: str = ""
    minor_version: int = 0
    compatible_brands: list[str] = field(default_factory=list)
    moov_before_mdat: bool = False  # "fast start": playable while downloading
    fragmented: bool = False
    fragment_count: int = 0
    movie_timescale: int = 0
    movie_duration: int = 0  # mvhd (or mehd when fragmented)
    top_boxes: list[tuple[str, int, int]] = field(default_factory=list)  # type, offset, size
    tracks: list[Track] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)

    @property
    def truncated(self) -> bool:
        return any(t.truncated for t in self.tracks) or any(
            i.endswith("_past_eof") for i in self.issues
        )

    @property
    def video_tracks(self) -> list[Track]:
        return [t for t in self.tracks if t.is_video]

    @property
    def audio_tracks(self) -> list[Track]:
        return [t for t in self.tracks if t.is_audio]


def avc_profile_name(profile_idc: int | None, constraints: int | None = None) -> str | None:
    """H.264 profile name as ffprobe spells it."""
    if profile_idc is None:
        return None
    c = constraints or 0
    if profile_idc == 66:
        return "Constrained Baseline" if c & 0x40 else "Baseline"
    if profile_idc == 110 and c & 0x10:
        return "High 10 Intra"
    if profile_idc == 122 and c & 0x10:
        return "High 4:2:2 Intra"
    if profile_idc == 244 and c & 0x10:
        return "High 4:4:4 Intra"
    return {
        77: "Main",
        88: "Extended",
        100: "High",
        110: "High 10",
        122: "High 4:2:2",
        244: "High 4:4:4 Predictive",
        44: "CAVLC 4:4:4",
    }.get(profile_idc, f"profile {profile_idc}")


def _fourcc(b: bytes) -> str:
    return b.decode("latin-1")


def _printable(b: bytes) -> bool:
    return all(32 <= c < 127 or c == 0xA9 for c in b)


class _BitsError(Exception):
    pass


class _Bits:
    """MSB-first bit reader for SPS and AudioSpecificConfig (both tiny)."""

    __slots__ = ("s", "p")

    def __init__(self, data: bytes) -> None:
        self.s = "".join(map("{:08b}".format, data))
        self.p = 0

    def u(self, n: int) -> int:
        if n == 0:
            return 0
        q = self.p + n
        if q > len(self.s):
            raise _BitsError
        v = int(self.s[self.p : q], 2)
        self.p = q
        return v

    def ue(self) -> int:
        i = self.s.find("1", self.p)
        if i < 0 or i - self.p > 31:
            raise _BitsError
        lz = i - self.p
        self.p = i + 1
        return (1 << lz) - 1 + self.u(lz)

    def se(self) -> int:
        k = self.ue()
        return (k + 1) // 2 if k & 1 else -(k // 2)


def _parse_sps(nal: bytes, tr: Track) -> None:
    """Fill the track's AVC fields from a sequence parameter set NAL unit."""
    # Emulation prevention: 00 00 03 xx carries 00 00 xx. Non-overlapping replace is
    # exactly right because the 03 is consumed before the scan resumes.
    rbsp = nal[1:1024].replace(b"\x00\x00\x03", b"\x00\x00")
    b = _Bits(rbsp)
    profile = b.u(8)
    tr.avc_profile = profile
    tr.avc_constraints = b.u(8)
    tr.avc_level = b.u(8)
    b.ue()  # seq_parameter_set_id
    chroma, depth_l, depth_c = 1, 8, 8
    if profile in _HIGH_PROFILES:
        chroma = b.ue()
        if chroma > 3:
            raise _BitsError
        if chroma == 3:
            b.u(1)  # separate_colour_plane_flag
        depth_l = b.ue() + 8
        depth_c = b.ue() + 8
        b.u(1)  # qpprime_y_zero_transform_bypass_flag
        if b.u(1):  # seq_scaling_matrix_present_flag
            for i in range(8 if chroma != 3 else 12):
                if b.u(1):
                    last = nxt = 8
                    for _ in range(16 if i < 6 else 64):
                        if nxt:
                            nxt = (last + b.se() + 256) % 256
                        last = nxt or last
    tr.avc_chroma_format = chroma
    tr.avc_bit_depth_luma = depth_l
    tr.avc_bit_depth_chroma = depth_c
    b.ue()  # log2_max_frame_num_minus4
    poc_type = b.ue()
    if poc_type == 0:
        b.ue()
    elif poc_type == 1:
        b.u(1)
        b.se()
        b.se()
        cycle = b.ue()
        if cycle > 255:
            raise _BitsError
        for _ in range(cycle):
            b.se()
    b.ue()  # max_num_ref_frames
    b.u(1)  # gaps_in_frame_num_value_allowed_flag
    mbs_w = b.ue() + 1
    map_h = b.ue() + 1
    frame_mbs_only = b.u(1)
    tr.avc_frame_mbs_only = bool(frame_mbs_only)
    if not frame_mbs_only:
        b.u(1)  # mb_adaptive_frame_field_flag
    b.u(1)  # direct_8x8_inference_flag
    crop = (0, 0, 0, 0)
    if b.u(1):
        crop = (b.ue(), b.ue(), b.ue(), b.ue())
    sub_w = 2 if chroma in (1, 2) else 1
    sub_h = 2 if chroma == 1 else 1
    unit_x = sub_w if chroma else 1
    unit_y = (sub_h if chroma else 1) * (2 - frame_mbs_only)
    tr.sps_width = mbs_w * 16 - unit_x * (crop[0] + crop[1])
    tr.sps_height = (2 - frame_mbs_only) * map_h * 16 - unit_y * (crop[2] + crop[3])
    if not b.u(1):  # vui_parameters_present_flag
        return
    if b.u(1):  # aspect_ratio_info_present_flag
        idc = b.u(8)
        if idc == 255:
            tr.vui_sar = (b.u(16), b.u(16))
        elif 0 < idc < len(_SAR_TABLE):
            tr.vui_sar = _SAR_TABLE[idc]
    if b.u(1):  # overscan_info_present_flag
        b.u(1)
    if b.u(1):  # video_signal_type_present_flag
        b.u(4)
        if b.u(1):
            b.u(24)
    if b.u(1):  # chroma_loc_info_present_flag
        b.ue()
        b.ue()
    if b.u(1):  # timing_info_present_flag
        tr.vui_timing = (b.u(32), b.u(32), bool(b.u(1)))


# fmt: off
_SAR_TABLE = ((0, 1), (1, 1), (12, 11), (10, 11), (16, 11), (40, 33), (24, 11), (20, 11),
              (32, 11), (80, 33), (18, 11), (15, 11), (64, 33), (160, 99), (4, 3), (3, 2),
              (2, 1))
# fmt: on


def _parse_asc(data: bytes, tr: Track) -> None:
    """AudioSpecificConfig (ISO 14496-3 1.6.2.1): object type, rate, channels."""
    b = _Bits(data[:64])

    def object_type() -> int:
        aot = b.u(5)
        return 32 + b.u(6) if aot == 31 else aot

    def rate() -> int | None:
        idx = b.u(4)
        if idx == 15:
            return b.u(24)
        return _AAC_RATES[idx] if idx < len(_AAC_RATES) else None

    tr.aac_object_type = object_type()
    tr.aac_sample_rate = rate()
    tr.aac_channels = b.u(4)


def _u32_array(mv: memoryview, start: int, count: int, code: str = _U32) -> array:
    a = array(code)
    a.frombytes(mv[start : start + 4 * count])
    if _SWAP:
        a.byteswap()
    return a


def _expand_runs(counts: array, values: array, n: int, code: str) -> array:
    """Run-length (count, value) table -> n values; never allocates past n."""
    if len(counts) and counts.count(1) == len(counts):
        out = array(code, values[:n])
    elif len(counts) <= 64:
        out = array(code)
        for c, v in zip(counts, values, strict=False):
            room = n - len(out)
            if room <= 0:
                break
            out.extend(array(code, [v]) * min(c, room))
    else:
        out = array(code, islice(chain.from_iterable(map(repeat, values, counts)), n))
    return out


def _offsets_from_chunks(sizes: array, chunks: array, per_chunk: array) -> array:
    """offset[i] = chunk_offset[c] + sizes of the samples before i in chunk c.

    As prefix sums P: offset[i] = P[i] + (chunk_offset[c] - P[first sample of c]), so
    the per-chunk term is expanded with C iterators instead of a Python loop.
    """
    n = len(sizes)
    prefix = array("q", accumulate(sizes, initial=0))
    firsts = map(min, accumulate(per_chunk, initial=0), repeat(n))
    deltas = map(sub, chunks, map(prefix.__getitem__, firsts))
    out = array(
        "q", islice(map(add, prefix, chain.from_iterable(map(repeat, deltas, per_chunk))), n)
    )
    if len(out) < n:
        out.extend(repeat(-1, n - len(out)))
    return out


def _fit_runs(counts: array, values: array, n: int, pad: int) -> tuple[array, array]:
    """Run-length (count, value) table -> one whose counts add up to exactly n: cut where
    the table claims more, or a last run of `pad` where it claims fewer (as _expand_runs
    and its callers' padding would expand it). Never allocates past the table's size."""
    total = sum(counts)
    if total == n:
        return counts, values
    counts, values = array(counts.typecode, counts), array(values.typecode, values)
    if total < n:
        counts.append(n - total)
        values.append(pad)
        return counts, values
    left = n
    for k, c in enumerate(counts):
        if c >= left:
            counts[k] = left
            del counts[k + 1 :], values[k + 1 :]
            break
        left -= c
    return counts, values


_LITTLE = sys.byteorder == "little"
# _AT_LEAST[t]: translate table mapping bytes >= t to 1 and the rest to 0
_AT_LEAST = [bytes(t) + b"\x01" * (256 - t) for t in range(256)]


def _byte_column(raw: bytes, width: int, k: int) -> bytes:
    """Byte k (0 = least significant) of every `width`-byte item of an array's bytes."""
    return raw[(k if _LITTLE else width - 1 - k) :: width]


def _ones(mask: bytes) -> Iterator[range]:
    """The runs of 1 bytes in a 0/1 mask, found with bytes.find (C speed)."""
    i = mask.find(1)
    while i >= 0:
        j = mask.find(0, i)
        if j < 0:
            j = len(mask)
        yield range(i, j)
        i = mask.find(1, j)


def _max_bound(values: array) -> int:
    """An upper bound on the items of an unsigned array, from its highest non-zero byte
    column (16 or 256 times its place value): C-speed bytes operations, where max()
    boxes every item (~5 ms for an hour of audio frames)."""
    raw, width, n = values.tobytes(), values.itemsize, len(values)
    for k in range(width - 1, -1, -1):
        col = _byte_column(raw, width, k)
        if col.count(0) != n:
            return (256 if 1 in col.translate(_AT_LEAST[16]) else 16) << (8 * k)
    return 1


def _indexes_above(values: array, limit: int) -> list[int]:
    """Indexes i (ascending) with values[i] > limit >= 0 or values[i] < 0; exact.

    Candidates come from byte columns: any non-zero byte above limit's top byte, or that
    byte at least limit's. In a well-formed file only the offsets within about 16 MB of
    `limit` are candidates, and only those are compared one by one.
    """
    width, n = values.itemsize, len(values)
    top = (limit.bit_length() - 1) // 8 if limit > 0 else 0
    if top >= width:  # unsigned items (signed ones are 8 bytes, limits are < 2**63)
        return []
    raw = values.tobytes()
    found: set[int] = set()
    for k in range(top + 1, width):
        col = _byte_column(raw, width, k)
        if col.count(0) != n:
            for r in _ones(col.translate(_AT_LEAST[1])):
                found.update(r)
    for r in _ones(_byte_column(raw, width, top).translate(_AT_LEAST[limit >> (8 * top)])):
        found.update(r)
    return [i for i in sorted(found) if values[i] > limit or values[i] < 0]


def _chunk_samples(
    cands: list[int], runs: array, per_run: array, held: int
) -> list[tuple[int, int]]:
    """(first sample, sample count) of each chunk in `cands` (ascending), from the runs of
    chunks (runs[j] chunks of per_run[j] samples). Walks the runs from the end, since
    the chunks asked about are the last ones of the file."""
    out = []
    j = len(runs) - 1
    c_end = sum(runs)
    s_end = held
    for c in reversed(cands):
        while c < c_end - runs[j]:
            c_end -= runs[j]
            s_end -= runs[j] * per_run[j]
            j -= 1
        out.append((s_end - (c_end - c) * per_run[j], per_run[j]))
    out.reverse()
    return out


def _past_eof(tr: Track, size: int) -> tuple[int, int]:
    """(samples, bytes) of sample data that lies outside a file of `size` bytes.

    A chunk's samples lie back to back from its offset, so a chunk at 0 <= offset <=
    size - (most samples in a chunk) * (bound on a sample's size) is wholly inside the
    file. Only the chunks above that (the last few in a well-formed file) or at a
    negative offset are looked at sample by sample; finding them costs C-speed scans of
    the chunk offsets' bytes rather than a Python-level pass over every chunk or sample.
    """
    sizes = tr.sizes
    n = len(sizes)
    items: list[tuple[int, int]] = []
    past = missing = 0
    if tr._chunk_map is not None:
        chunks, runs, per_run, held = tr._chunk_map
        limit = size - _max_bound(per_run) * _max_bound(sizes)
        cands = _indexes_above(chunks, limit) if limit >= 0 else list(range(len(chunks)))
        for c, (first, count) in zip(
            cands, _chunk_samples(cands, runs, per_run, held), strict=True
        ):
            o = chunks[c]
            for sz in sizes[min(first, n) : min(first + count, n)]:
                items.append((o, sz))
                o += sz
        if held < n:  # samples no chunk holds have no offset (-1, as `offsets` gives)
            past, missing = n - held, sum(sizes[held:])
    else:
        offs = tr.offsets
        big = max(sizes)
        cand = set(compress(range(n), map(gt, offs, repeat(size - big))))
        cand.update(compress(range(n), map(lt, offs, repeat(0))))
        items = [(offs[i], sizes[i]) for i in sorted(cand)]
    for o, sz in items:
        if o < 0 or o + sz > size:
            past += 1
            missing += sz if o < 0 or o >= size else o + sz - size
    return past, missing


# The reader's scratch records are plain classes: a dataclass costs ~1 ms of import
# time each (its methods are generated and compiled at start-up), for nothing here.
class _Tables:
    def __init__(self) -> None:
        self.sizes: array | None = None
        self.uniform_size = 0
        self.count = 0
        self.stts: array | None = None
        self.ctts: array | None = None
        self.stsc: array | None = None
        self.chunks: array | None = None
        self.stss: array | None = None


class _Trex:
    __slots__ = ("duration", "size", "flags")

    def __init__(self, duration: int = 0, size: int = 0, flags: int = 0) -> None:
        self.duration, self.size, self.flags = duration, size, flags


class _Reader:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = path
        self.idx = Mp4Index()
        self.trex: dict[int, _Trex] = {}
        self.by_id: dict[int, Track] = {}
        self.sync_lists: dict[int, list[int]] = {}
        self.moov_counts: dict[int, int] = {}  # samples described by the moov itself
        self.sample_budget = 0  # set from the file size: see build_samples / trun

    # -- box iteration over an in-memory index box ---------------------------------

    def children(self, buf: bytes, start: int, end: int, depth: int, base: int):
        """Yield (type, payload start, end) for the boxes in buf[start:end]."""
        if depth > MAX_DEPTH:
            raise Mp4Error("bad_box", f"boxes nested more than {MAX_DEPTH} deep at byte {base}")
        pos = start
        while end - pos >= 8:
            size, typ = _HDR.unpack_from(buf, pos)
            hdr = 8
            if size == 1:
                if end - pos < 16:
                    raise Mp4Error(
                        "bad_box", f"'{_fourcc(typ)}' box at byte {base + pos} cut short"
                    )
                size = _U64S.unpack_from(buf, pos + 8)[0]
                hdr = 16
            elif size == 0:
                size = end - pos  # runs to the end of its parent
            if size < hdr:
                raise Mp4Error(
                    "bad_box",
                    f"'{_fourcc(typ)}' box at byte {base + pos} has size {size}, "
                    f"smaller than its {hdr}-byte header",
                )
            if pos + size > end:
                raise Mp4Error(
                    "bad_box",
                    f"'{_fourcc(typ)}' box at byte {base + pos} (size {size}) runs past "
                    "the box that contains it",
                )
            yield typ, pos + hdr, pos + size
            pos += size

    # -- moov ------------------------------------------------------------------------

    def moov(self, buf: bytes, base: int) -> None:
        mv = memoryview(buf)
        for typ, s, e in self.children(buf, 0, len(buf), 1, base):
            if typ == b"mvhd":
                self.need(s, e, 20, "mvhd")
                if buf[s] == 1:
                    self.need(s, e, 32, "mvhd")
                    self.idx.movie_timescale = _U32S.unpack_from(buf, s + 20)[0]
                    self.idx.movie_duration = _U64S.unpack_from(buf, s + 24)[0]
                else:
                    self.idx.movie_timescale, self.idx.movie_duration = struct.unpack_from(
                        ">II", buf, s + 12
                    )
            elif typ == b"trak":
                tr = self.trak(buf, mv, s, e, base)
                if tr.track_id in self.by_id:
                    self.idx.issues.append("duplicate_track_id")
                self.by_id[tr.track_id] = tr
                self.moov_counts[tr.track_id] = tr.sample_count
                self.idx.tracks.append(tr)
            elif typ == b"mvex":
                self.idx.fragmented = True
                for t2, s2, e2 in self.children(buf, s, e, 2, base):
                    if t2 == b"trex":
                        self.need(s2, e2, 24, "trex")
                        tid, _sdi, d, sz, fl = struct.unpack_from(">5I", buf, s2 + 4)
                        self.trex[tid] = _Trex(d, sz, fl)
                    elif t2 == b"mehd":
                        self.need(s2, e2, 8, "mehd")
                        if buf[s2] == 1:
                            self.need(s2, e2, 12, "mehd")
                            self.idx.movie_duration = _U64S.unpack_from(buf, s2 + 4)[0]
                        else:
                            self.idx.movie_duration = _U32S.unpack_from(buf, s2 + 4)[0]

    @staticmethod
    def need(s: int, e: int, n: int, name: str) -> None:
        if e - s < n:
            raise Mp4Error("bad_box", f"'{name}' box is {e - s} bytes, needs at least {n}")

    def trak(self, buf: bytes, mv: memoryview, s: int, e: int, base: int) -> Track:
        tr = Track()
        tables = _Tables()
        for typ, s2, e2 in self.children(buf, s, e, 2, base):
            if typ == b"tkhd":
                self.tkhd(buf, s2, e2, tr)
            elif typ == b"edts":
                for t3, s3, e3 in self.children(buf, s2, e2, 3, base):
                    if t3 == b"elst":
                        self.elst(buf, s3, e3, tr)
            elif typ == b"mdia":
                for t3, s3, e3 in self.children(buf, s2, e2, 3, base):
                    if t3 == b"mdhd":
                        self.mdhd(buf, s3, e3, tr)
                    elif t3 == b"hdlr":
                        self.need(s3, e3, 12, "hdlr")
                        tr.handler = _fourcc(buf[s3 + 8 : s3 + 12])
                    elif t3 == b"minf":
                        for t4, s4, e4 in self.children(buf, s3, e3, 4, base):
                            if t4 == b"stbl":
                                self.stbl(buf, mv, s4, e4, tr, tables, base)
        self.build_samples(tr, tables)
        if tr.edits and all(ed.media_time == -1 for ed in tr.edits):
            tr.issues.append("edit_list_only_empty")
        elif any(ed.media_time == -1 for ed in tr.edits):
            tr.issues.append("empty_edit")
        if sum(1 for ed in tr.edits if ed.media_time != -1) > 1:
            tr.issues.append("complex_edit_list")
        if tr.timescale == 0:
            tr.issues.append("zero_timescale")
        return tr

    def tkhd(self, buf: bytes, s: int, e: int, tr: Track) -> None:
        v1 = buf[s] == 1 if e > s else False
        off = s + (4 + 8 + 8 if v1 else 4 + 4 + 4)
        self.need(s, e, (off - s) + 4 + 4 + (8 if v1 else 4) + 16 + 36 + 8, "tkhd")
        tr.track_id = _U32S.unpack_from(buf, off)[0]
        m = off + 4 + 4 + (8 if v1 else 4) + 16
        a, b = struct.unpack_from(">ii", buf, m)
        if a or b:
            tr.rotation = int(round(-math.degrees(math.atan2(b, a)))) % 360
        w, h = struct.unpack_from(">II", buf, m + 36)
        tr.tkhd_width = w / 65536
        tr.tkhd_height = h / 65536

    def mdhd(self, buf: bytes, s: int, e: int, tr: Track) -> None:
        if e > s and buf[s] == 1:
            self.need(s, e, 34, "mdhd")
            tr.timescale = _U32S.unpack_from(buf, s + 20)[0]
            tr.duration = _U64S.unpack_from(buf, s + 24)[0]
            lang = _U16.unpack_from(buf, s + 32)[0]
        else:
            self.need(s, e, 22, "mdhd")
            tr.timescale, tr.duration = struct.unpack_from(">II", buf, s + 12)
            lang = _U16.unpack_from(buf, s + 20)[0]
        if lang:
            tr.language = "".join(chr(((lang >> k) & 31) + 0x60) for k in (10, 5, 0))

    def elst(self, buf: bytes, s: int, e: int, tr: Track) -> None:
        self.need(s, e, 8, "elst")
        v1 = buf[s] == 1
        n = _U32S.unpack_from(buf, s + 4)[0]
        step = 20 if v1 else 12
        self.fits(n, step, s + 8, e, "elst")
        fmt = struct.Struct(">Qqhh" if v1 else ">Iihh")
        if n == 0:
            tr.issues.append("empty_edit_list")
        for i in range(n):
            d, t, ri, rf = fmt.unpack_from(buf, s + 8 + i * step)
            if d > _MAX_TICKS or not -1 <= t <= _MAX_TICKS:
                tr.issues.append("bad_edit")  # would overflow 64-bit timestamps later
                continue
            tr.edits.append(Edit(d, t, ri + rf / 65536))

    @staticmethod
    def fits(n: int, step: float, start: int, end: int, name: str) -> None:
        """An entry count must be backed by bytes in the box: never trust the claim."""
        if n * step > end - start:
            raise Mp4Error(
                "bad_box",
                f"'{name}' claims {n} entries but its box holds only {end - start} bytes",
            )

    def stbl(
        self,
        buf: bytes,
        mv: memoryview,
        s: int,
        e: int,
        tr: Track,
        t: _Tables,
        base: int,
    ) -> None:
        for typ, s2, e2 in self.children(buf, s, e, 5, base):
            if typ == b"stsd":
                self.stsd(buf, s2, e2, tr, base)
                continue
            if typ not in (b"stsz", b"stz2", b"stts", b"ctts", b"stsc", b"stco", b"co64", b"stss"):
                continue
            self.need(s2, e2, 8, _fourcc(typ))
            if typ == b"stsz":
                self.need(s2, e2, 12, "stsz")
                t.uniform_size, t.count = struct.unpack_from(">II", buf, s2 + 4)
                if t.uniform_size == 0:
                    self.fits(t.count, 4, s2 + 12, e2, "stsz")
                    t.sizes = _u32_array(mv, s2 + 12, t.count)
                continue
            if typ == b"stz2":
                self.need(s2, e2, 12, "stz2")
                bits = buf[s2 + 7]
                t.count = _U32S.unpack_from(buf, s2 + 8)[0]
                t.sizes = self.stz2(buf, mv, s2 + 12, e2, bits, t.count)
                continue
            n = _U32S.unpack_from(buf, s2 + 4)[0]
            p = s2 + 8
            if typ == b"stts":
                self.fits(n, 8, p, e2, "stts")
                t.stts = _u32_array(mv, p, 2 * n)
            elif typ == b"ctts":
                self.fits(n, 8, p, e2, "ctts")
                t.ctts = _u32_array(mv, p, 2 * n, _I32)  # signed in practice, either version
            elif typ == b"stsc":
                self.fits(n, 12, p, e2, "stsc")
                t.stsc = _u32_array(mv, p, 3 * n)
            elif typ == b"stco":
                self.fits(n, 4, p, e2, "stco")
                # kept 32-bit: widening 90,000 offsets to 'q' costs 5 ms, and offsets
                # are only built (as 'q') on demand
                t.chunks = _u32_array(mv, p, n)
            elif typ == b"co64":
                self.fits(n, 8, p, e2, "co64")
                a = array("q")
                a.frombytes(mv[p : p + 8 * n])
                if _SWAP:
                    a.byteswap()
                t.chunks = a
            elif typ == b"stss":
                self.fits(n, 4, p, e2, "stss")
                t.stss = _u32_array(mv, p, n)

    def stz2(self, buf: bytes, mv: memoryview, p: int, e: int, bits: int, n: int) -> array:
        if bits not in (4, 8, 16):
            raise Mp4Error("bad_box", f"'stz2' field size {bits} is not 4, 8 or 16")
        self.fits(n, bits / 8, p, e, "stz2")
        if bits == 16:
            h = array("H")
            h.frombytes(mv[p : p + 2 * n])
            if _SWAP:
                h.byteswap()
            return array(_U32, h)
        raw = bytes(mv[p : p + (n * bits + 7) // 8])
        if bits == 8:
            return array(_U32, iter(raw))  # iter: a bytes initializer would be raw memory
        # 4-bit: high nibble first; split with translate tables instead of a loop
        out = bytearray(2 * len(raw))
        out[0::2] = raw.translate(_HI_NIBBLE)
        out[1::2] = raw.translate(_LO_NIBBLE)
        return array(_U32, iter(out[:n]))

    def stsd(self, buf: bytes, s: int, e: int, tr: Track, base: int) -> None:
        self.need(s, e, 8, "stsd")
        tr.sample_entry_count = _U32S.unpack_from(buf, s + 4)[0]
        if tr.sample_entry_count == 0:
            tr.issues.append("no_sample_entry")
            return
        if tr.sample_entry_count > 1:
            tr.issues.append("multiple_sample_entries")
        for typ, s2, e2 in self.children(buf, s + 8, e, 6, base):
            tr.codec = _fourcc(typ)
            if tr.handler == "vide" or typ in _VISUAL:
                self.visual_entry(buf, s2, e2, tr, base)
            elif tr.handler == "soun" or typ in _AUDIO:
                self.audio_entry(buf, s2, e2, tr, base)
            break  # the first entry describes the stream; others are flagged above

    def visual_entry(self, buf: bytes, s: int, e: int, tr: Track, base: int) -> None:
        if e - s < 78:
            tr.issues.append("short_sample_entry")
            return
        tr.width, tr.height = struct.unpack_from(">HH", buf, s + 24)
        for typ, s2, e2 in self.children(buf, s + 78, e, 7, base):
            if typ == b"pasp" and e2 - s2 >= 8:
                tr.sar = struct.unpack_from(">II", buf, s2)
            elif typ == b"avcC":
                self.avcc(buf, s2, e2, tr)
            elif typ == b"hvcC" and e2 - s2 >= 19:
                # HEVCDecoderConfigurationRecord (ISO/IEC 14496-15, 8.3.3): chromaFormat and
                # the bit depths sit at fixed offsets, so the pixel format needs no ffprobe
                tr.avc_chroma_format = buf[s2 + 16] & 3
                tr.avc_bit_depth_luma = (buf[s2 + 17] & 7) + 8
                tr.avc_bit_depth_chroma = (buf[s2 + 18] & 7) + 8

    def avcc(self, buf: bytes, s: int, e: int, tr: Track) -> None:
        if e - s < 7:
            tr.issues.append("bad_avcC")
            return
        tr.avc_profile, tr.avc_constraints, tr.avc_level = buf[s + 1], buf[s + 2], buf[s + 3]
        n_sps = buf[s + 5] & 31
        if n_sps == 0:
            tr.issues.append("no_sps")
            return
        ln = _U16.unpack_from(buf, s + 6)[0]
        if s + 8 + ln > e or ln < 4:
            tr.issues.append("bad_avcC")
            return
        try:
            _parse_sps(buf[s + 8 : s + 8 + ln], tr)
        except _BitsError:
            tr.issues.append("sps_unreadable")

    def audio_entry(self, buf: bytes, s: int, e: int, tr: Track, base: int) -> None:
        if e - s < 28:
            tr.issues.append("short_sample_entry")
            return
        version = _U16.unpack_from(buf, s + 8)[0]
        tr.channels = _U16.unpack_from(buf, s + 16)[0]
        tr.sample_rate = _U32S.unpack_from(buf, s + 24)[0] >> 16
        kids = s + 28
        if version == 1:  # QuickTime sound description v1: 16 more bytes
            kids += 16
        elif version == 2:  # QuickTime v2: real rate and channels further on
            if e - s < 64:
                tr.issues.append("short_sample_entry")
                return
            rate = struct.unpack_from(">d", buf, s + 32)[0]
            tr.sample_rate = int(rate) if math.isfinite(rate) and 0 < rate < 1e7 else None
            tr.channels = _U32S.unpack_from(buf, s + 40)[0]
            kids = s + 64
        if kids > e:
            tr.issues.append("short_sample_entry")
            return
        for typ, s2, e2 in self.children(buf, kids, e, 7, base):
            if typ == b"esds":
                self.esds(buf, s2, e2, tr)
            elif typ == b"wave":  # QuickTime wraps esds in wave
                for t3, s3, e3 in self.children(buf, s2, e2, 8, base):
                    if t3 == b"esds":
                        self.esds(buf, s3, e3, tr)

    def esds(self, buf: bytes, s: int, e: int, tr: Track) -> None:
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
                            _parse_asc(buf[p:body_end], tr)
                        except _BitsError:
                            tr.issues.append("bad_audio_specific_config")
                    return
                p = body_end
        except (IndexError, struct.error):
            tr.issues.append("bad_esds")

    # -- per-sample arrays from the sample tables -------------------------------------

    def build_samples(self, tr: Track, t: _Tables) -> None:
        n = t.count
        # A table-less (uniform size) count is not backed by bytes: bound it by the file.
        if n > MAX_SAMPLES or (t.sizes is None and n * max(t.uniform_size, 1) > self.sample_budget):
            tr.issues.append("too_many_samples")
            return
        if t.sizes is not None:
            tr.sizes = t.sizes
            n = len(t.sizes)
        elif n:
            tr.sizes = array(_U32, [t.uniform_size]) * n
        if n == 0:
            return

        # decode durations and composition offsets: kept as runs (see Track)
        if t.stts is None or not len(t.stts):
            tr.issues.append("no_stts")
            tr._dur_runs = (array(_U32, [n]), array(_U32, [0]))
        else:
            counts, deltas = t.stts[0::2], t.stts[1::2]
            if sum(counts) != n:
                tr.issues.append("stts_count_mismatch")
            tr._dur_runs = _fit_runs(counts, deltas, n, deltas[-1])

        if t.ctts is not None and len(t.ctts):
            counts = array(_U32, t.ctts[0::2].tobytes())
            vals = t.ctts[1::2]
            if sum(counts) != n:
                tr.issues.append("ctts_count_mismatch")
            counts, vals = _fit_runs(counts, vals, n, 0)
            if any(compress(vals, counts)):
                tr._cts_runs = (counts, vals)

        # sync samples
        if t.stss is not None:
            if len(t.stss) and (min(t.stss) < 1 or max(t.stss) > n):
                tr.issues.append("stss_out_of_range")
            tr.sync_samples = array(_U32, (i - 1 for i in t.stss if 1 <= i <= n))

        self.chunk_map(tr, t, n)

    def chunk_map(self, tr: Track, t: _Tables, n: int) -> None:
        """Samples per chunk from stsc, as runs of chunks; file offsets on first use."""
        chunks = t.chunks
        if chunks is None or t.stsc is None or not len(t.stsc) or not len(chunks):
            tr.issues.append("no_chunk_table")
            tr._offsets = array("q", [-1]) * n
            return
        nc = len(chunks)
        first = t.stsc[0::3]
        spc = t.stsc[1::3]
        # chunks per stsc entry = distance to the next entry's first chunk
        if first[0] == 1 and not any(map(le, first[1:], first)):
            runs = array(_U32, map(sub, first[1:], first))
        else:
            tr.issues.append("bad_stsc")
            runs = array(
                _U32,
                (max(0, min(b, nc + 1) - a) for a, b in zip(first, first[1:], strict=False)),
            )
        runs.append(max(0, nc + 1 - first[-1]))
        runs, spc = _fit_runs(runs, spc, nc, 0)  # chunks past the table hold no samples
        held = sum(map(mul, runs, spc))
        if held < n:
            tr.issues.append("samples_without_chunk")
        elif held > n:
            tr.issues.append("chunks_exceed_samples")
        tr._offsets = None  # built lazily by Track.offsets
        tr._chunk_map = (chunks, runs, spc, held)

    # -- fragments ----------------------------------------------------------------------

    def moof(self, buf: bytes, moof_start: int, base: int) -> None:
        """`moof_start` is the box's first byte: trun data offsets count from there."""
        mv = memoryview(buf)
        data_end = moof_start  # where the previous traf's data ended
        first = True
        for typ, s, e in self.children(buf, 0, len(buf), 1, base):
            if typ == b"traf":
                data_end = self.traf(buf, mv, s, e, moof_start, data_end, first, base)
                first = False

    def traf(
        self,
        buf: bytes,
        mv: memoryview,
        s: int,
        e: int,
        moof_start: int,
        prev_end: int,
        first: bool,
        base: int,
    ) -> int:
        tr: Track | None = None
        base_offset = moof_start if first else prev_end
        d_dur = d_size = d_flags = 0
        pos = base_offset
        for typ, s2, e2 in self.children(buf, s, e, 2, base):
            if typ == b"tfhd":
                self.need(s2, e2, 8, "tfhd")
                fl = int.from_bytes(buf[s2 + 1 : s2 + 4], "big")
                tid = _U32S.unpack_from(buf, s2 + 4)[0]
                tr = self.by_id.get(tid)
                if tr is None:
                    self.idx.issues.append("fragment_for_unknown_track")
                    return prev_end
                trex = self.trex.get(tid, _Trex())
                d_dur, d_size, d_flags = trex.duration, trex.size, trex.flags
                p = s2 + 8
                need = 8 + sum(
                    w for bit, w in ((1, 8), (2, 4), (8, 4), (0x10, 4), (0x20, 4)) if fl & bit
                )
                self.need(s2, e2, need, "tfhd")
                if fl & 0x1:
                    base_offset = _U64S.unpack_from(buf, p)[0]
                    p += 8
                elif fl & 0x20000:  # default-base-is-moof
                    base_offset = moof_start
                if fl & 0x2:
                    p += 4
                if fl & 0x8:
                    d_dur = _U32S.unpack_from(buf, p)[0]
                    p += 4
                if fl & 0x10:
                    d_size = _U32S.unpack_from(buf, p)[0]
                    p += 4
                if fl & 0x20:
                    d_flags = _U32S.unpack_from(buf, p)[0]
                pos = base_offset
            elif tr is None:
                continue
            elif typ == b"tfdt":
                self.need(s2, e2, 8, "tfdt")
                if buf[s2] == 1:
                    self.need(s2, e2, 12, "tfdt")
                    t0 = _U64S.unpack_from(buf, s2 + 4)[0]
                else:
                    t0 = _U32S.unpack_from(buf, s2 + 4)[0]
                if t0 > _MAX_TICKS:
                    tr.issues.append("bad_tfdt")
                else:
                    tr.decode_bases.append((tr.sample_count, t0))
            elif typ == b"trun":
                pos = self.trun(buf, mv, s2, e2, tr, base_offset, pos, d_dur, d_size, d_flags)
        return pos

    def trun(
        self,
        buf: bytes,
        mv: memoryview,
        s: int,
        e: int,
        tr: Track,
        base_offset: int,
        pos: int,
        d_dur: int,
        d_size: int,
        d_flags: int,
    ) -> int:
        self.need(s, e, 8, "trun")
        fl = int.from_bytes(buf[s + 1 : s + 4], "big")
        count = _U32S.unpack_from(buf, s + 4)[0]
        p = s + 8
        if fl & 0x1:
            self.need(s, e, p - s + 4, "trun")
            pos = base_offset + _I32S.unpack_from(buf, p)[0]
            p += 4
        first_flags = None
        if fl & 0x4:
            self.need(s, e, p - s + 4, "trun")
            first_flags = _U32S.unpack_from(buf, p)[0]
            p += 4
        present = [bit for bit in (0x100, 0x200, 0x400, 0x800) if fl & bit]
        k = len(present)
        self.fits(count, 4 * k, p, e, "trun")
        n0 = tr.sample_count
        # With per-sample fields the count is backed by bytes (checked above); without,
        # a claim must at least be in proportion to the file's size.
        if n0 + count > MAX_SAMPLES or (not k and count * max(d_size, 1) > self.sample_budget):
            raise Mp4Error("bad_box", f"'trun' claims {count} samples, more than the file can hold")
        if count == 0:
            return pos
        table = _u32_array(mv, p, count * k)
        cols = {bit: table[j::k] for j, bit in enumerate(present)}
        sizes = cols.get(0x200) or array(_U32, [d_size]) * count
        durs = cols.get(0x100) or array(_U32, [d_dur]) * count
        tr._thaw()
        tr.sizes.extend(sizes)
        tr.durations.extend(durs)
        offs = array("q", accumulate(sizes, initial=pos))
        end = offs.pop()
        tr.offsets.extend(offs)
        if 0x800 in cols:
            cts = array(_I32, cols[0x800].tobytes())
            if tr.cts_offsets is None:
                tr.cts_offsets = array(_I32, bytes(4 * n0))
            tr.cts_offsets.extend(cts)
        elif tr.cts_offsets is not None:
            tr.cts_offsets.extend(array(_I32, bytes(4 * count)))
        syncs = self.sync_lists.setdefault(tr.track_id, [])
        if 0x400 in cols:
            flags = cols[0x400]
            if first_flags is not None:
                flags[0] = first_flags
            syncs.extend(n0 + i for i, f in enumerate(flags) if not f & _NON_SYNC)
        else:
            start = 0
            if first_flags is not None:
                if not first_flags & _NON_SYNC:
                    syncs.append(n0)
                start = 1
            if not d_flags & _NON_SYNC:
                syncs.extend(range(n0 + start, n0 + count))
        return end

    # -- top level -------------------------------------------------------------------

    def read(self) -> Mp4Index:
        try:
            f = open(self.path, "rb", buffering=0)  # noqa: SIM115 - closed below
        except OSError as e:
            raise Mp4Error("io_error", str(e)) from None
        with f:
            try:
                return self.scan(f)
            except OSError as e:
                raise Mp4Error("io_error", str(e)) from None
            except (struct.error, IndexError, ValueError, OverflowError) as e:
                # Safety net: a malformed table we did not anticipate is still a clear error.
                raise Mp4Error("bad_box", f"malformed index ({type(e).__name__}: {e})") from None

    def scan(self, f) -> Mp4Index:
        idx = self.idx
        size = os.fstat(f.fileno()).st_size
        idx.file_size = size
        # Samples claimed without a per-sample table may be at most about this many
        # bytes in all: room for a file truncated to half, plus slack for tiny files.
        self.sample_budget = 2 * size + 1_000_000
        if size == 0:
            raise Mp4Error("empty_file", "the file is empty")
        pos = 0
        moov_at = first_mdat = -1
        moofs: list[tuple[int, int, bytes]] = []

        def read_at(at: int, n: int) -> bytes:
            f.seek(at)
            data = f.read(n)
            idx.bytes_read += len(data)
            return data

        while pos < size:
            if len(idx.top_boxes) >= MAX_TOP_BOXES:
                idx.issues.append("too_many_boxes")
                break
            if size - pos < 8:
                idx.issues.append("trailing_bytes")
                break
            head = read_at(pos, 16)
            box_size, typ = _HDR.unpack_from(head)
            hdr = 8
            name = _fourcc(typ)
            if pos == 0 and typ not in _FIRST_BOXES:
                raise Mp4Error("not_isobmff", f"the file starts with {head[:8]!r}, not an MP4 box")
            if not _printable(typ):
                if moov_at < 0:
                    raise Mp4Error("bad_box", f"unreadable box type {typ!r} at byte {pos}")
                idx.issues.append("trailing_garbage")
                break
            if box_size == 1:
                if len(head) < 16:
                    raise Mp4Error("bad_box", f"'{name}' box at byte {pos} cut short")
                box_size = _U64S.unpack_from(head, 8)[0]
                hdr = 16
            elif box_size == 0:
                box_size = size - pos  # "to the end of the file"
            if box_size < hdr:
                if moov_at < 0:
                    raise Mp4Error(
                        "bad_box",
                        f"'{name}' box at byte {pos} has size {box_size}, "
                        f"smaller than its {hdr}-byte header",
                    )
                idx.issues.append("trailing_garbage")
                break
            idx.top_boxes.append((name, pos, box_size))
            end = pos + box_size
            if end > size:
                if typ in (b"moov", b"ftyp") or (typ == b"moof" and moov_at < 0):
                    raise Mp4Error(
                        "box_past_eof",
                        f"'{name}' box at byte {pos} claims {box_size} bytes but the file "
                        f"ends {end - size} bytes short",
                    )
                # mdat (or a fragment) cut off: the file is truncated; what the index
                # says about the missing samples is still worth reporting.
                idx.issues.append(f"{name}_past_eof")
                if typ == b"mdat" and first_mdat < 0:
                    first_mdat = pos
                break
            if typ == b"ftyp":
                body = read_at(pos + hdr, min(box_size - hdr, 4096))
                if len(body) >= 8:
                    idx.major_brand = _fourcc(body[:4])
                    idx.minor_version = _U32S.unpack_from(body, 4)[0]
                    idx.compatible_brands = [
                        _fourcc(body[i : i + 4]) for i in range(8, len(body) - 3, 4)
                    ]
            elif typ == b"moov":
                if moov_at >= 0:
                    idx.issues.append("multiple_moov")
                else:
                    if box_size > MAX_INDEX_BOX:
                        raise Mp4Error("bad_box", f"'moov' box claims {box_size} bytes")
                    moov_at = pos
                    self.moov(read_at(pos + hdr, box_size - hdr), pos + hdr)
            elif typ == b"moof":
                if box_size > MAX_INDEX_BOX:
                    raise Mp4Error("bad_box", f"'moof' box claims {box_size} bytes")
                moofs.append((pos, hdr, read_at(pos + hdr, box_size - hdr)))
            elif typ == b"mdat" and first_mdat < 0:
                first_mdat = pos
            pos = end

        if moov_at < 0:
            cut = any(i.endswith("_past_eof") for i in idx.issues)
            raise Mp4Error(
                "no_moov",
                "no 'moov' index box"
                + (
                    "; the media data runs past the end of the file, so the file was "
                    "probably cut off before its index was written"
                    if cut
                    else ""
                ),
            )
        idx.moov_before_mdat = first_mdat < 0 or moov_at < first_mdat
        for at, hdr, body in moofs:
            self.moof(body, at, at + hdr)
        idx.fragment_count = len(moofs)
        if moofs:
            idx.fragmented = True
        if not idx.tracks:
            idx.issues.append("no_tracks")
        for tr in idx.tracks:
            self.finish(tr)
        return idx

    def finish(self, tr: Track) -> None:
        delay = 0
        for e in tr.edits:
            if e.media_time != -1:
                break
            delay += e.segment_duration
        mts = self.idx.movie_timescale
        if delay and mts and tr.timescale:
            # movie -> track timescale, rounded to nearest as ffmpeg's av_rescale does
            tr.edit_delay = (delay * tr.timescale + mts // 2) // mts
        syncs = self.sync_lists.get(tr.track_id)
        n = tr.sample_count
        if syncs is not None:
            base = tr.sync_samples
            if base is None:
                # samples from the moov, where no stss means all sync
                base = array(_U32, range(self.moov_counts.get(tr.track_id, 0)))
            merged = array(_U32, base or ())
            merged.extend(syncs)
            tr.sync_samples = None if len(merged) == n else merged
        if n and tr.timescale and not tr.has_durations:
            tr.issues.append("zero_duration")
        elif n == 0 and not self.idx.fragmented:
            tr.issues.append("no_samples")
        if tr.duration == 0 and n and not self.idx.fragmented:
            tr.issues.append("mdhd_zero_duration")
        if n:
            tr.samples_past_eof, tr.bytes_missing = _past_eof(tr, self.idx.file_size)


_HI_NIBBLE = bytes(i >> 4 for i in range(256))
_LO_NIBBLE = bytes(i & 15 for i in range(256))


def read_index(path: str | os.PathLike[str]) -> Mp4Index:
    """Read the box structure and sample tables of an MP4 file; never reads `mdat`.

    Raises Mp4Error for input that is not a readable MP4 index.
    """
    return _Reader(path).read()
