"""The records the MP4 reader returns: an index of tracks and their per-sample tables.

No parsing here: `reader.read_index` fills these. Limits that keep hostile files from
costing memory or time live here too, since every stage of the reader applies them.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from itertools import accumulate, compress
from operator import add, mul
from typing import NamedTuple

from mediacheck.mp4.arrays import I32, U32, expand_runs, offsets_from_chunks

# Limits that keep hostile files from costing memory or time.
MAX_DEPTH = 16  # real files nest ~10 deep (moov/trak/mdia/minf/stbl/stsd/avc1/avcC)
MAX_SAMPLES = 10_000_000  # per track; 24 h of 60 fps video is 5.2 M
MAX_INDEX_BOX = 512 * 1024 * 1024  # a 24 h moov is ~50 MB
MAX_TOP_BOXES = 5_000_000
MAX_TICKS = 1 << 53  # timestamps beyond this are corrupt, and would overflow 'q' arrays


class Mp4Error(Exception):
    """The file is not a readable MP4 index. `code` is stable, `detail` is for people."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


class Edit(NamedTuple):
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
    codec: str = ""  # fourcc: avc1, avc3, hvc1, hev1, mp4a, ... (encv/enca: the frma format)
    sample_entry: str = ""  # the entry's own fourcc: encv / enca when encrypted
    encrypted: bool = False  # a protected sample entry (encv, enca): needs a key to play
    protection_scheme: str = ""  # sinf/schm scheme_type: cenc, cbcs, ...
    sample_entry_count: int = 0
    width: int | None = None  # visual sample entry (coded picture size)
    height: int | None = None
    sar: tuple[int, int] | None = None  # pasp hSpacing:vSpacing
    avc_profile: int | None = None  # profile_idc (SPS, else avcC)
    avc_constraints: int | None = None  # constraint_set flags byte
    avc_level: int | None = None  # level_idc, e.g. 40 = level 4.0
    avc_chroma_format: int | None = None  # 0 mono, 1 4:2:0, 2 4:2:2, 3 4:4:4
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
    aac_pce_channels: int | None = None  # channelConfiguration 0: the program config's
    aac_ext_sample_rate: int | None = None  # explicit SBR: the rate SBR decodes to
    sbr: bool | None = None  # SBR signalled present / absent; None = not signalled
    ps: bool | None = None  # parametric stereo signalled (HE-AAC v2)
    esds_avg_bitrate: int | None = None  # header claims, bit/s
    esds_max_bitrate: int | None = None
    sample_rate: int | None = None  # audio sample entry
    channels: int | None = None
    # What the decoder outputs, from the codec's own configuration (AudioSpecificConfig,
    # dac3, dec3, dOps, dfLa, alac, dmlp; AMR and PCM by definition); None = the index
    # cannot say (the sample entry's fields are fixed at 2 channels for AC-3, E-AC-3 and
    # AMR, and Opus decodes at 48 kHz whatever its input rate)
    out_sample_rate: int | None = None
    out_channels: int | None = None
    # per-sample tables, all of length sample_count: `sizes`, and the properties
    # `durations` (decode deltas), `cts_offsets` (composition - decode, signed; None = all
    # zero) and `offsets`.
    sizes: array = field(default_factory=lambda: array(U32))
    sync_samples: array | None = None  # 0-based indexes; None = every sample is sync
    edits: list[Edit] = field(default_factory=list)
    # leading empty edits in this track's timescale: the track starts this late
    edit_delay: int = 0
    # the first real edit's length in this track's timescale; 0 = to the end
    edit_duration: int = 0
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
                per_chunk = expand_runs(runs, per_run, len(chunks), U32)
                self._offsets = offsets_from_chunks(self.sizes, chunks, per_chunk)
                self._chunk_map = None
        return self._offsets

    @property
    def durations(self) -> array:
        """Decode duration of every sample (unsigned ticks)."""
        if self._durations is None:
            runs = self._dur_runs
            self._durations = array(U32) if runs is None else expand_runs(*runs, sum(runs[0]), U32)
        return self._durations

    @durations.setter
    def durations(self, value: array) -> None:
        self._durations = value
        self._dur_runs = None

    @property
    def cts_offsets(self) -> array | None:
        """Composition minus decode time of every sample (signed); None when all zero."""
        if self._cts is None and self._cts_runs is not None:
            self._cts = expand_runs(*self._cts_runs, sum(self._cts_runs[0]), I32)
        return self._cts

    @cts_offsets.setter
    def cts_offsets(self, value: array | None) -> None:
        self._cts = value
        self._cts_runs = None

    def _thaw(self) -> None:
        """Expand the run-length tables and build the offsets, so per-sample data can be
        appended (fragments). Must come before the first sample is appended: the lazily
        built offsets are worked out from the sizes, which then include the fragment's."""
        self.durations = self.durations
        self.cts_offsets = self.cts_offsets
        self.offsets  # noqa: B018 - built now, from the moov's samples only

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

    @property
    def presentation_window(self) -> tuple[int | None, int | None]:
        """[start, end) of the presentation timeline (as `presentation_times`) that the
        edit list shows; None where it is open (no edit list, or to the end)."""
        if not any(e.media_time != -1 for e in self.edits):
            return None, None
        start = self.edit_delay
        return start, (start + self.edit_duration if self.edit_duration else None)

    def decode_span(self) -> int:
        """Ticks from the first decode time to the end of the last sample."""
        if not self.decode_bases:
            return self.duration_ticks
        first, base = self.decode_bases[0]
        start = base if first == 0 else 0
        last, base = self.decode_bases[-1]
        return base + sum(self.durations[last:]) - start

    def decode_times(self) -> array:
        """Decode timestamp of every sample, in timescale units."""
        n = len(self.durations)
        bases = self.decode_bases or [(0, 0)]
        if bases[0][0] != 0:
            bases = [(0, 0), *bases]
        durations = self.durations
        out = array("q")
        for k, (start, base) in enumerate(bases):
            stop = bases[k + 1][0] if k + 1 < len(bases) else n
            if stop > start:
                # a slice, not islice: islice would step over the `start` samples before
                # it, once per fragment (an hour in 2 s fragments took seconds)
                out.extend(accumulate(durations[start : stop - 1], initial=base))
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
    fragment_duration: int = 0  # mehd: the whole movie's length, fragments included
    expected_end: int = 0  # where the sidx boxes say the media they index ends (bytes)
    top_boxes: list[tuple[str, int, int]] = field(default_factory=list)  # type, offset, size
    tracks: list[Track] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)

    @property
    def truncated(self) -> bool:
        """Samples lie past the end of the file, a box after the index is cut off, or the
        index says more fragments follow (mehd, sidx). An mdat whose header claims more
        than the file holds is not enough on its own: when every sample it holds is
        there, nothing is lost."""
        return (
            any(t.truncated for t in self.tracks)
            or any(i.endswith("_past_eof") and i != "mdat_past_eof" for i in self.issues)
            or "fragments_missing" in self.issues
        )

    @property
    def missing_bytes(self) -> int:
        """Sample bytes past the end of the file, or what the sidx says is missing."""
        samples = sum(t.bytes_missing for t in self.tracks)
        return max(samples, self.expected_end - self.file_size)

    @property
    def video_tracks(self) -> list[Track]:
        return [t for t in self.tracks if t.is_video]

    @property
    def audio_tracks(self) -> list[Track]:
        return [t for t in self.tracks if t.is_audio]
