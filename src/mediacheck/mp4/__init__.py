"""The ISO BMFF (MP4) reader: sample tables without media data. No facts, no rules.

Bitrate, CBR and frame-rate verdicts must come from the samples, not from header
claims, and for MP4 the index boxes (`moov`, and `moof` when fragmented) hold every
sample's size, file offset and timing. So the reader visits the top-level boxes by
their headers, seeks over `mdat`, and reads only `ftyp`, `moov` and `moof` payloads.

Modules, each importing only those above it:

- `arrays`: C-speed helpers over `array.array` tables
- `model`: Mp4Error, Edit, Track, Mp4Index and the limits on hostile input
- `codecs`: the H.264 SPS and the bit reader
- `audio`: what an audio decoder outputs, from the codec's own configuration boxes
- `boxes`: box headers inside an index box, and one read's state
- `tables`: a track's sample tables (stbl) and the truncation count
- `entries`: sample entries (stsd) and their configuration boxes
- `moov`, `fragments`: the movie box, and moof/traf/trun
- `reader`: the top-level walk and `read_index`

Nothing in a file is trusted: every table's entry count must fit in its box, sizes
must fit in their parent and in the file, and run-length counts are clipped to the
sample count before anything is allocated. Broken structure raises `Mp4Error(code,
detail)`; inconsistencies that still leave usable data become `issues` codes on the
index or the track.

Error codes: `io_error`, `empty_file`, `not_isobmff`, `no_moov`, `box_past_eof`,
`bad_box`. Issue codes (index): `mdat_past_eof` (and `<box>_past_eof`; `sidx_past_eof`:
the segment index says the media runs on), `fragments_missing` (the mehd says the movie
lasts longer), `bad_sidx`, `trailing_garbage`, `trailing_bytes`, `multiple_moov`,
`no_tracks`, `duplicate_track_id`, `fragment_for_unknown_track`, `too_many_boxes`.
Issue codes (track): `empty_edit`,
`edit_list_only_empty`, `empty_edit_list`, `complex_edit_list`, `bad_edit`, `bad_tfdt`,
`zero_duration`, `mdhd_zero_duration`, `zero_timescale`, `no_samples`,
`too_many_samples`, `stts_count_mismatch`, `ctts_count_mismatch`, `no_stts`,
`stss_out_of_range`, `no_chunk_table`, `bad_stsc`, `samples_without_chunk`,
`chunks_exceed_samples`, `no_sample_entry`, `multiple_sample_entries`,
`short_sample_entry`, `bad_avcC`, `no_sps`, `sps_unreadable`, `bad_esds`,
`bad_audio_specific_config`, `bad_<box>` for an unreadable dac3, dec3, dOps, dfLa, alac or
dmlp.
"""

from mediacheck.mp4.codecs import avc_profile_name
from mediacheck.mp4.model import Edit, Mp4Error, Mp4Index, Track
from mediacheck.mp4.reader import read_index

__all__ = [
    "Edit",
    "Mp4Error",
    "Mp4Index",
    "Track",
    "avc_profile_name",
    "read_index",
]
