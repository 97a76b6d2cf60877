"""The video kind's facts: every name a video prober may set, its unit, and the remedy
`mediacheck fix` applies when a rule on it fails.

A leaf module (no imports of ours), so the MP4 reader's facts, ffprobe's and the packet
scan's can all name the stream facts without importing the video prober.
"""

from __future__ import annotations

# name -> unit. Profiles are validated against these, so a typo in a rule's `fact:` is
# caught before any file is probed.
FACTS: dict[str, str] = {
    "file.size": "bytes",
    "file.truncated": "",  # samples or data past the end of the file
    "file.missing_bytes": "bytes",
    "container.format": "",  # mp4, mov, 3gp, matroska, avi, …
    "container.brand": "",  # ftyp major brand
    "container.faststart": "",  # moov before mdat
    "container.fragmented": "",
    "container.encrypted": "",  # a protected track (encv/enca): plays only with a key
    "video.streams": "",
    "video.codec": "",  # h264, hevc, …
    "video.profile": "",
    "video.display_size": "px",  # [w, h] after rotation and sample aspect ratio
    "video.rotation": "°",
    "video.bitrate": "bit/s",
    "video.bitrate_declared": "bit/s",
    "video.bitrate_per_second": "bit/s",  # list: bits in each whole second
    "video.fps": "fps",
    "video.fps_mode": "",  # CFR / VFR
    "video.fps_min": "fps",
    "video.fps_max": "fps",
    "video.pix_fmt": "",
    "video.scan": "",  # progressive / interlaced
    "video.duration": "s",
    "audio.streams": "",
    "audio.codec": "",  # aac-lc, he-aac, mp3, …
    "audio.sample_rate": "Hz",
    "audio.channels": "",
    "audio.bitrate": "bit/s",
    "audio.bitrate_declared": "bit/s",
    "audio.bitrate_per_second": "bit/s",  # list: bits in each whole second
    "audio.bitrate_mode": "",  # CBR / VBR as the header (MediaInfo) labels it
    "audio.duration": "s",
    "av.duration_diff": "s",
    "decode.errors": "",  # from a full decode (--deep)
    "decode.error_list": "",  # the first few, "12.5 s: message"
    # set only when MediaInfo could not read the file: the limits it had, "10 s / 512 MB"
    "mediainfo.limit": "",
}

# What `fix` does about a failing rule on each fact (fix/plan.py reads this):
#   block   cannot be repaired from this file (a truncated copy: fetch the original)
#   remux   a fresh MP4 container, streams copied
#   video   re-encode the picture          audio  re-encode the sound
#   streams decided from the track counts  pad    re-encoding the sound pads it
# A fact with no remedy makes a failing error rule a blocker that `fix` names.
REMEDIES: dict[str, str] = {
    "file.truncated": "block",
    "file.missing_bytes": "block",
    "video.streams": "streams",
    "audio.streams": "streams",
    "av.duration_diff": "pad",
}
REMEDIES |= {n: "remux" for n in FACTS if n.startswith("container.")}
REMEDIES |= {n: "video" for n in FACTS if n.startswith("video.") and n != "video.streams"}
REMEDIES |= {n: "audio" for n in FACTS if n.startswith("audio.") and n != "audio.streams"}


def stream_facts(stream: str) -> list[str]:
    """The facts of one stream ("video", "audio"): all absent when the track is."""
    return [n for n in FACTS if n.startswith(stream + ".")]
