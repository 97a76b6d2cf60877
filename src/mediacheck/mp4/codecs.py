"""Video codec configuration inside sample entries: the H.264 SPS, and the bit reader.

Bit-level parsers over a few dozen bytes each; they fill a Track's codec fields and
raise BitsError when the bits run out or a value is impossible. Audio: audio.py.
"""

from __future__ import annotations

from mediacheck.mp4.model import Track

# profile_idc values whose SPS carries chroma_format_idc and bit depths.
_HIGH_PROFILES = {100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135}


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


class BitsError(Exception):
    pass


class Bits:
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
            raise BitsError
        v = int(self.s[self.p : q], 2)
        self.p = q
        return v

    def ue(self) -> int:
        i = self.s.find("1", self.p)
        if i < 0 or i - self.p > 31:
            raise BitsError
        lz = i - self.p
        self.p = i + 1
        return (1 << lz) - 1 + self.u(lz)

    def left(self) -> int:
        return len(self.s) - self.p

    def se(self) -> int:
        k = self.ue()
        return (k + 1) // 2 if k & 1 else -(k // 2)


def parse_sps(nal: bytes, tr: Track) -> None:
    """Fill the track's AVC fields from a sequence parameter set NAL unit."""
    # Emulation prevention: 00 00 03 xx carries 00 00 xx. Non-overlapping replace is
    # exactly right because the 03 is consumed before the scan resumes.
    rbsp = nal[1:1024].replace(b"\x00\x00\x03", b"\x00\x00")
    b = Bits(rbsp)
    profile = b.u(8)
    tr.avc_profile = profile
    tr.avc_constraints = b.u(8)
    tr.avc_level = b.u(8)
    b.ue()  # seq_parameter_set_id
    chroma, depth_l, depth_c = 1, 8, 8
    if profile in _HIGH_PROFILES:
        chroma = b.ue()
        if chroma > 3:
            raise BitsError
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
            raise BitsError
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
