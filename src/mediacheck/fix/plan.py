"""What `mediacheck fix` will do to one video: facts + profile -> Plan. Pure: no I/O.

The targets (size, frame rate, bitrates, sample rate, channels) are read from the
profile's rules, so a profile that says 3 Mbit/s gets 3 Mbit/s; there is no other source.
When a target the plan needs has no rule (the profile disabled it), the plan says so as
a blocker instead of guessing. The plan does only what the failing rules need, as each
fact's remedy says (`probe/video_facts.py` REMEDIES): a remux (stream copy) when only the
container or the moov position is wrong, audio alone re-encoded when only audio fails,
video re-encoded when video fails. Every step carries what it does and why, in zh and en.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from mediacheck.checks import CHECKS
from mediacheck.evaluate import evaluate, requirement_text
from mediacheck.model import FAIL, WARN, Facts, Finding
from mediacheck.probe.video_facts import FACTS as VIDEO_FACTS
from mediacheck.probe.video_facts import REMEDIES
from mediacheck.profile import Profile, Rule
from mediacheck.words.catalogue import probe_error_text
from mediacheck.words.fix import Text, text
from mediacheck.words.lang import LANGS, tr
from mediacheck.words.units import format_value

# The facts whose rules give an encoder its numbers: a video re-encode needs the first
# three, new or re-encoded audio the last three. A remux needs none.
VIDEO_TARGETS = ("video.display_size", "video.fps", "video.bitrate")
AUDIO_TARGETS = ("audio.sample_rate", "audio.channels", "audio.bitrate")
# What the encoders here can write; a profile asking for anything else cannot be met.
CAN_WRITE: dict[str, tuple[str, ...]] = {
    "video.codec": ("h264",),
    "audio.codec": ("aac-lc", "aac"),
    "container.format": ("mp4",),
    "video.pix_fmt": ("yuv420p",),
    "video.scan": ("progressive",),
    "video.fps_mode": ("cfr",),
    "audio.bitrate_mode": ("cbr",),
    "container.faststart": (True,),
    "audio.channels": (1, 2),
}
# Noise level mixed into re-encoded audio so digital silence does not collapse the AAC
# bitrate. Measured with ffmpeg 5.1's aac at 128k on 2 s silences: −100 dBFS still held
# 128k, −120 dBFS fell to 45k. −80 keeps 20 dB of margin and is ~3 LSB of 16-bit audio.
GUARD_DBFS = -80.0

# Sound this much shorter than the picture is padded with (guarded) silence when the
# audio is re-encoded anyway; below it, encoder priming and frame rounding.
PAD_MIN_S = 0.1

COPY, ENCODE, SILENCE = "copy", "encode", "silence"


@dataclass(frozen=True)
class Step:
    code: str  # e.g. "video.scale"; tests and JSON read it, people read `what`/`why`
    what: Text
    why: Text | None = None


@dataclass(frozen=True)
class Target:
    value: Any
    rule: str  # the id of the rule it came from
    text: Text  # how the requirement reads, e.g. "≥ 1920×1080"


@dataclass(frozen=True)
class VideoSettings:
    frame: tuple[int, int]  # output frame
    picture: tuple[int, int] | None  # the picture inside it; None = let the filter fit it
    fps: Fraction
    bitrate: int
    deinterlace: bool
    pix_fmt: str = "yuv420p"
    profile: str = "high"


@dataclass(frozen=True)
class AudioSettings:
    sample_rate: int
    channels: int
    bitrate: int
    source_channels: int | None
    guard_dbfs: float = GUARD_DBFS
    pad_to: float | None = None  # seconds: the video's length, when the sound is shorter


@dataclass(frozen=True)
class Plan:
    path: Path
    video: str  # copy | encode
    audio: str  # copy | encode | silence
    steps: tuple[Step, ...]
    blockers: tuple[Text, ...]  # why it cannot be fixed; empty when it can
    failing: tuple[str, ...]  # ids of the rules that did not pass (fail or warn)
    video_settings: VideoSettings | None = None
    audio_settings: AudioSettings | None = None
    duration: float | None = None  # seconds, for progress and the default timeout

    @property
    def nothing_to_do(self) -> bool:
        return not self.failing and not self.blockers

    @property
    def can_fix(self) -> bool:
        return not self.blockers and bool(self.failing)

    @property
    def remux_only(self) -> bool:
        return self.video == COPY and self.audio == COPY

    def words(self, lang: str) -> list[str]:
        """The plan as lines for people: each step, then its reason."""
        lines = [tr(b, lang) for b in self.blockers]
        for step in self.steps:
            lines.append("• " + tr(step.what, lang))
            if step.why:
                lines.append("  " + tr(step.why, lang))
        return lines


# ---------------------------------------------------------------- targets from profile


def _rule_on(profile: Profile, fact: str) -> Rule | None:
    return next((r for r in profile.for_kind("video") if r.fact == fact), None)


def target(profile: Profile, fact: str) -> Target | None:
    """The value the profile's rule on `fact` asks for; None when it has no such rule."""
    rule = _rule_on(profile, fact)
    if rule is None or rule.check == "readable":
        return None
    words = requirement_text(rule)
    return Target(CHECKS[rule.check].target(rule.expected), rule.id, words)


def _no_target(profile: Profile, fact: str) -> Text:
    """The blocker for a target no rule gives: which fact, and the rule to switch on."""
    what = text("target." + fact)
    off = [rule_id for rule_id, f in profile.disabled.items() if f == fact]
    if off:
        return text("block.no_target", what=what, fact=fact, rule=" / ".join(off))
    return text("block.no_target_rule", what=what, fact=fact)


def _targets(profile: Profile, facts: tuple[str, ...]) -> tuple[dict[str, Target], list[Text]]:
    """The targets of `facts`, and a blocker for each that no rule gives."""
    found = {f: t for f in facts if (t := target(profile, f)) is not None}
    return found, [_no_target(profile, f) for f in facts if f not in found]


def _unsupported(profile: Profile, written: set[str]) -> list[Text]:
    """Rules whose expected value no encoder here can produce, among the facts of what
    is written anew (`written`: remedies, "remux" for the container, "video", "audio")."""
    out = []
    for fact, can in CAN_WRITE.items():
        if REMEDIES.get(fact) not in written:
            continue  # a copied stream keeps what it has
        rule = _rule_on(profile, fact)
        if rule is None or rule.check not in ("equals", "one_of"):
            continue
        wanted = rule.expected if rule.check == "one_of" else [rule.expected]
        norm = {str(w).lower() if isinstance(w, str) else w for w in wanted}
        if not norm & {c.lower() if isinstance(c, str) else c for c in can}:
            out.append(
                text(
                    "block.unsupported_target",
                    fact=fact,
                    expected=" / ".join(map(str, wanted)),
                    can=" / ".join(map(str, can)),
                )
            )
    return out


# ---------------------------------------------------------------- helpers


def _even(x: float) -> int:
    return max(2, int(round(x / 2)) * 2)


def fit(source: tuple[int, int], frame: tuple[int, int]) -> tuple[tuple[int, int], float]:
    """The largest even-sized picture of `source`'s shape inside `frame`, and the scale."""
    w, h = source
    fw, fh = frame
    scale = min(fw / w, fh / h)
    return (min(fw, _even(w * scale)), min(fh, _even(h * scale))), scale


def _fact(facts: Facts, name: str) -> Any:
    f = facts.get(name)
    return None if f is None else f.value


def _fmt(value: Any, fact: str) -> str:
    return format_value(value, VIDEO_FACTS.get(fact, ""))


def _because(findings: list[Finding]) -> Text:
    """'Because: V-CODEC Video codec H.264 (hevc); …' from the findings that did not pass."""
    sep = {"zh": "；", "en": "; "}
    paren = {"zh": "（{}）", "en": " ({})"}
    rules = {
        lang: sep[lang].join(
            f"{f.rule_id} {tr(f.title, lang)}" + paren[lang].format(f.measured_text[lang])
            for f in findings
        )
        for lang in LANGS
    }
    return text("why.rules", rules=rules)


def _px(size: tuple[int, int] | list[int]) -> str:
    return f"{size[0]}×{size[1]}"


# ---------------------------------------------------------------- the plan


def make_plan(facts: Facts, profile: Profile) -> Plan:
    """Decide what to do with one video. Pure: reads facts and profile only."""
    path = facts.path
    if facts.error is not None:
        err = facts.error
        detail = {lang: probe_error_text(err.code, lang, err.params) for lang in LANGS}
        return Plan(path, COPY, COPY, (), (text("block.unreadable", detail=detail),), ())

    result = evaluate(facts, profile)
    bad = [f for f in result.findings if f.status in (FAIL, WARN)]
    rules = {r.id: r for r in profile.rules}
    failing = tuple(f.rule_id for f in bad)
    if not bad:
        return Plan(path, COPY, COPY, (), (), ())

    blockers: list[Text] = []
    video_reasons: list[Finding] = []
    audio_reasons: list[Finding] = []
    container_bad = False
    for f in bad:
        remedy = REMEDIES.get(rules[f.rule_id].fact or "")
        if remedy == "block":  # file.truncated, file.missing_bytes
            blockers.append(text("block.truncated"))
        elif remedy == "remux":
            container_bad = True
        elif remedy == "streams":
            continue  # decided from the counts below
        elif remedy == "video":
            video_reasons.append(f)
        elif remedy == "audio":
            audio_reasons.append(f)
        elif remedy == "pad" and _short_audio(facts):
            audio_reasons.append(f)  # re-encoding the sound pads it to the picture's length
        elif f.status == FAIL:
            # an error rule this plan has no remedy for (a new fact): say so, do not guess
            blockers.append(text("block.rule", rule=f.rule_id, title=f.title))

    n_video = _fact(facts, "video.streams") or 0
    n_audio = _fact(facts, "audio.streams") or 0
    if n_video == 0:
        blockers.append(text("block.no_video"))
    # what is written anew: always the container; video and audio only when encoded
    encode_audio = n_audio == 0 or bool(audio_reasons)
    written = {"remux"} | ({"video"} if video_reasons else set())
    written |= {"audio"} if encode_audio else set()
    blockers.extend(_unsupported(profile, written))
    # the numbers the encoders need, only for what will be encoded
    needed = (VIDEO_TARGETS if video_reasons else ()) + (AUDIO_TARGETS if encode_audio else ())
    targets, missing = _targets(profile, needed)
    blockers.extend(missing)
    # one "truncated" even when two rules say it
    blockers = list({tr(b, "en"): b for b in blockers}.values())
    if blockers:
        return Plan(path, COPY, COPY, (), tuple(blockers), failing)

    steps: list[Step] = []
    duration = _fact(facts, "video.duration") or _fact(facts, "audio.duration")

    # ---- video
    video_settings = None
    if video_reasons:
        video_settings, vsteps = _video_steps(facts, targets, video_reasons)
        steps.extend(vsteps)
        video = ENCODE
    else:
        steps.append(Step("video.copy", text("step.video.copy"), text("why.video_ok")))
        video = COPY
    if n_video > 1:
        steps.append(
            Step("video.extra", text("step.video.extra", count=n_video - 1), text("why.extra"))
        )

    # ---- audio
    audio_settings = None
    if n_audio == 0:
        audio = SILENCE
        audio_settings = _audio_settings(facts, targets)
        # what is done (the target's value) and why (the rule's words): both from the rules
        rate_t, ch_t = targets["audio.sample_rate"], targets["audio.channels"]
        rate = _fmt(audio_settings.sample_rate, "audio.sample_rate")
        layout = _layout(audio_settings.channels)
        why = text("why.no_audio", rate=rate_t.text, rate_rule=rate_t.rule, channels=ch_t.text,
                   channels_rule=ch_t.rule)  # fmt: skip
        steps.append(Step("audio.silent", text("step.audio.silent", rate=rate, layout=layout), why))
    elif audio_reasons:
        audio = ENCODE
        audio_settings, asteps = _audio_steps(facts, targets, audio_reasons)
        steps.extend(asteps)
    else:
        audio = COPY
        steps.append(Step("audio.copy", text("step.audio.copy"), text("why.audio_ok")))
    if n_audio > 1:
        steps.append(
            Step("audio.extra", text("step.audio.extra", count=n_audio - 1), text("why.extra"))
        )

    # ---- container: always a fresh MP4 with moov first
    if video == COPY and audio == COPY:
        # a remux: the copy steps would only repeat it
        steps = [s for s in steps if s.code not in ("video.copy", "audio.copy")]
        why = text("why.container" if container_bad else "why.streams_ok")
        steps.insert(0, Step("remux", text("step.remux"), why))
    elif container_bad:
        steps.append(Step("container", text("step.container")))
    return Plan(
        path=path,
        video=video,
        audio=audio,
        steps=tuple(steps),
        blockers=(),
        failing=failing,
        video_settings=video_settings,
        audio_settings=audio_settings,
        duration=float(duration) if duration else None,
    )


def _video_steps(
    facts: Facts, targets: dict[str, Target], reasons: list[Finding]
) -> tuple[VideoSettings, list[Step]]:
    steps = [Step("video.encode", text("step.video.encode"), _because(reasons))]
    res = targets["video.display_size"]
    fps_t = targets["video.fps"]
    rate_t = targets["video.bitrate"]
    frame = (int(res.value[0]), int(res.value[1]))
    fps = Fraction(str(fps_t.value)).limit_denominator(1001)
    bitrate = int(rate_t.value)

    rotation = _fact(facts, "video.rotation") or 0
    if rotation % 360:
        steps.append(
            Step("video.rotate", text("step.video.rotate", degrees=rotation), text("why.rotation"))
        )

    scan = _fact(facts, "video.scan")
    deinterlace = scan == "interlaced"
    if deinterlace:
        steps.append(
            Step("video.deinterlace", text("step.video.deinterlace"), text("why.interlaced"))
        )

    src_fps = _fact(facts, "video.fps")
    mode = str(_fact(facts, "video.fps_mode") or "").upper()
    if mode == "VFR" or src_fps is None or abs(float(src_fps) - float(fps)) > 1e-3:
        source = _fmt(src_fps, "video.fps") if src_fps else "?"
        if mode == "VFR":
            source = {
                lang: f"{source} ({tr({'zh': '可变', 'en': 'variable'}, lang)})" for lang in LANGS
            }
        steps.append(
            Step(
                "video.fps",
                text("step.video.fps", source=source, fps=f"{float(fps):g}"),
                text("why.target", expected=fps_t.text, rule=fps_t.rule),
            )
        )

    display = _fact(facts, "video.display_size")
    picture: tuple[int, int] | None = None
    if display:
        src = (int(display[0]), int(display[1]))
        picture, scale = fit(src, frame)
        why = text("why.fit", expected=res.text, rule=res.rule, frame=_px(frame))
        if scale > 1.001:
            steps.append(
                Step(
                    "video.upscale",
                    text("step.video.upscale", source=_px(src), size=_px(picture)),
                    why,
                )
            )
        elif picture != src:
            steps.append(
                Step(
                    "video.scale", text("step.video.scale", source=_px(src), size=_px(picture)), why
                )
            )
        if picture != frame:
            where = (
                "where.sides"
                if picture[1] == frame[1]
                else "where.top_bottom"
                if picture[0] == frame[0]
                else "where.around"
            )
            steps.append(
                Step("video.pad", text("step.video.pad", frame=_px(frame), where=text(where)))
            )

    pix_fmt = _fact(facts, "video.pix_fmt")
    if pix_fmt and pix_fmt != "yuv420p":
        steps.append(Step("video.pixfmt", text("step.video.pixfmt", source=pix_fmt)))

    steps.append(
        Step(
            "video.bitrate",
            text("step.video.bitrate", rate=_fmt(bitrate, "video.bitrate")),
            text("why.target", expected=rate_t.text, rule=rate_t.rule),
        )
    )
    settings = VideoSettings(
        frame=frame, picture=picture, fps=fps, bitrate=bitrate, deinterlace=deinterlace
    )
    return settings, steps


def _layout(channels: int) -> Text:
    """'stereo' for 2 channels, as the steps name it."""
    if channels in (1, 2):
        return text(f"layout.{channels}")
    return text("layout.n", channels=channels)


def _audio_settings(facts: Facts, targets: dict[str, Target]) -> AudioSettings:
    channels = _fact(facts, "audio.channels")
    return AudioSettings(
        sample_rate=int(targets["audio.sample_rate"].value),
        channels=int(targets["audio.channels"].value),
        bitrate=int(targets["audio.bitrate"].value),
        source_channels=int(channels) if channels else None,
        pad_to=_short_audio(facts),
    )


def _short_audio(facts: Facts) -> float | None:
    """The video's length when the sound ends noticeably earlier (re-encoding pads it)."""
    vd, ad = _fact(facts, "video.duration"), _fact(facts, "audio.duration")
    if vd and ad and vd - ad > PAD_MIN_S:
        return float(vd)
    return None


def _audio_steps(
    facts: Facts, targets: dict[str, Target], reasons: list[Finding]
) -> tuple[AudioSettings, list[Step]]:
    s = _audio_settings(facts, targets)
    rate = _fmt(s.sample_rate, "audio.sample_rate")
    bitrate = _fmt(s.bitrate, "audio.bitrate")
    layout = _layout(s.channels)
    encode = text("step.audio.encode", rate=rate, layout=layout, bitrate=bitrate)
    steps = [Step("audio.encode", encode, _because(reasons))]
    src_rate = _fact(facts, "audio.sample_rate")
    if src_rate and int(src_rate) != s.sample_rate:
        steps.append(
            Step(
                "audio.resample",
                text("step.audio.resample", source=_fmt(src_rate, "audio.sample_rate"), rate=rate),
            )
        )
    if s.source_channels == 1 and s.channels == 2:
        steps.append(Step("audio.mono", text("step.audio.mono")))
    elif s.source_channels and s.source_channels > s.channels:
        downmix = text("step.audio.downmix", channels=s.source_channels, layout=layout)
        steps.append(Step("audio.downmix", downmix))
    if s.pad_to:
        gap = s.pad_to - float(_fact(facts, "audio.duration") or 0)
        steps.append(Step("audio.pad", text("step.audio.pad", gap=_fmt(gap, "av.duration_diff"))))
    steps.append(
        Step("audio.guard", text("step.audio.guard", dbfs=f"{s.guard_dbfs:g}", bitrate=bitrate))
    )
    return s, steps
