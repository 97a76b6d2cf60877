"""Every sentence mediacheck says that is not a rule's own message, in zh and en.

Rule messages live in the profile (rules/*.yaml); these are the words around them:
why a file could not be probed, why a fact is missing, table headings, summaries.
Placeholders use str.format names.
"""

from __future__ import annotations

import re

from mediacheck.words.lang import tr
from mediacheck.words.units import format_value

Text = dict[str, str]

# Why a file could not be probed at all (Facts.error.code).
PROBE_ERRORS: dict[str, Text] = {
    "empty": {
        "zh": "文件是空的（0 字节），可能上传或复制时中断了。",
        "en": "The file is empty (0 bytes); an upload or copy was probably interrupted.",
    },
    "unreadable": {
        "zh": "无法读取该文件（{detail}），请检查文件权限或是否被其他程序占用。",
        "en": "The file cannot be read ({detail}); check its permissions or whether "
        "another program holds it.",
    },
    "not_video": {
        "zh": "这不是视频文件：文件内容是{what}（文件格式由内容决定，不由扩展名决定）。",
        "en": "This is not a video: its content is {what} (the content decides the format, "
        "not the file name).",
    },
    "not_photo": {
        "zh": "这不是图片文件：内容是{what}。",
        "en": "This is not a photo: its content is {what}.",
    },
    "not_text": {
        "zh": "这不是文字文件：内容是{what}。",
        "en": "This is not a text document: its content is {what}.",
    },
    "broken_media": {
        "zh": "文件已损坏，视频工具无法读取（{detail}）。请重新导出。",
        "en": "The file is damaged and video tools cannot read it ({detail}). Export it again.",
    },
    "encrypted": {
        "zh": "文件已加密（DRM：{scheme}），没有密钥无法播放，平台也无法播放。请导出未加密的版本。",
        "en": "The file is encrypted (DRM: {scheme}): it plays only with its key, so the "
        "platform cannot play it. Export a copy without encryption.",
    },
    "truncated_index": {
        "zh": "文件不完整：缺少索引（moov），通常是导出或上传中断造成的。请重新导出。",
        "en": "The file is incomplete: its index (moov) is missing, usually because an "
        "export or upload was interrupted. Export it again.",
    },
    "corrupt_image": {
        "zh": "图片已损坏，无法读取（{detail}）。请使用相机或手机里的原始照片。",
        "en": "The image is damaged and cannot be read ({detail}). Use the original photo "
        "from the camera or phone.",
    },
    "decompression_bomb": {
        "zh": "图片声明的尺寸异常巨大（{pixels} 像素，超过安全上限 {limit}），为安全起见没有打开。",
        "en": "The image claims an enormous size ({pixels} pixels, over the safety limit of "
        "{limit}), so it was not opened.",
    },
    "probe_crashed": {
        "zh": "读取这张图片时处理程序崩溃了，文件很可能已损坏。",
        "en": "Reading this image crashed the worker; the file is most likely damaged.",
    },
    "text_too_large": {
        "zh": "文字文件过大，不像是一篇案例或总结。",
        "en": "The text file is far too large to be a case text or summary.",
    },
    "docx_not_zip": {
        "zh": "文件名是 .docx，但内容不是 Word 文档（不是有效的 zip 包）。"
        "请在 Word 中另存为 .docx。",
        "en": "The name says .docx but the content is not a Word document (not a valid "
        "zip). Save it again as .docx from Word.",
    },
    "docx_too_large": {
        "zh": "这个 Word 文档解压后过大（{document_xml_bytes} 字节），为安全起见没有读取。",
        "en": "This Word document unpacks to too much data ({document_xml_bytes} bytes); it "
        "was not read, for safety.",
    },
    "docx_invalid": {
        "zh": "Word 文档已损坏，无法读取（{detail}）。请在 Word 中打开并重新保存。",
        "en": "The Word document is damaged ({detail}). Open it in Word and save it again.",
    },
    "doc_legacy": {
        "zh": "这是旧版 Word 格式（.doc），请在 Word 中另存为 .docx。",
        "en": "This is the old Word format (.doc); save it as .docx from Word.",
    },
    "timeout": {
        "zh": "读取文件超时（{seconds} 秒），文件可能过大或已损坏。",
        "en": "Reading the file timed out after {seconds} s; it may be damaged.",
    },
    "tool_missing": {
        "zh": "这个文件没有检查：读取 MP4 以外的视频格式需要 {tool}，但找不到它。"
        "pip install mediacheck 会一并装好 FFmpeg；请在同一个环境里重新安装"
        "（pip install --force-reinstall mediacheck），或把系统里的 FFmpeg 加入 PATH。",
        "en": "This file was not checked: videos other than MP4 need {tool}, which was not "
        "found. pip install mediacheck brings FFmpeg along: reinstall it in the same "
        "environment (pip install --force-reinstall mediacheck), or put a system FFmpeg on PATH.",
    },
    "tool_failed": {
        "zh": "{tool} 无法处理该文件：{detail}",
        "en": "{tool} could not process the file: {detail}",
    },
}

# What a file's content turned out to be, for "this is not a video: it is …".
CONTENT_NAMES: dict[str, Text] = {
    "empty": {"zh": "空文件", "en": "an empty file"},
    "text": {"zh": "文本", "en": "text"},
    "jpeg": {"zh": " JPEG 图片", "en": "a JPEG image"},
    "png": {"zh": " PNG 图片", "en": "a PNG image"},
    "gif": {"zh": " GIF 图片", "en": "a GIF image"},
    "bmp": {"zh": " BMP 图片", "en": "a BMP image"},
    "webp": {"zh": " WebP 图片", "en": "a WebP image"},
    "heic": {"zh": " HEIC 图片", "en": "a HEIC image"},
    "avif": {"zh": " AVIF 图片", "en": "an AVIF image"},
    "tiff": {"zh": " TIFF 图片", "en": "a TIFF image"},
    "pdf": {"zh": " PDF 文档", "en": "a PDF document"},
    "zip": {"zh": " ZIP 压缩包", "en": "a ZIP archive"},
    "docx": {"zh": " Word 文档", "en": "a Word document"},
    "mp4": {"zh": " MP4 视频", "en": "an MP4 video"},
    "mov": {"zh": " QuickTime 视频", "en": "a QuickTime video"},
    "matroska": {"zh": " MKV 视频", "en": "an MKV video"},
    "webm": {"zh": " WebM 视频", "en": "a WebM video"},
    "avi": {"zh": " AVI 视频", "en": "an AVI video"},
    "mpeg-ts": {"zh": " MPEG-TS 视频", "en": "an MPEG-TS video"},
    "mpeg-ps": {"zh": " MPEG 视频", "en": "an MPEG video"},
    "flv": {"zh": " FLV 视频", "en": "an FLV video"},
    "wav": {"zh": " WAV 音频", "en": "a WAV audio file"},
    "unknown": {"zh": "无法识别的数据", "en": "data of no known kind"},
}

# Fact values that are codes, as words.
VALUE_NAMES: dict[str, Text] = {
    "progressive": {"zh": "逐行", "en": "progressive"},
    "interlaced": {"zh": "隔行", "en": "interlaced"},
    "CFR": {"zh": "恒定帧率 CFR", "en": "constant (CFR)"},
    "VFR": {"zh": "可变帧率 VFR", "en": "variable (VFR)"},
    "CBR": {"zh": "恒定码率 CBR", "en": "constant (CBR)"},
    "VBR": {"zh": "可变码率 VBR", "en": "variable (VBR)"},
}

# Yes/no facts whose plain yes/no would mislead ("truncated: no" for a good file).
BOOL_NAMES: dict[str, tuple[Text, Text]] = {  # fact -> (true, false)
    "file.truncated": ({"zh": "被截断", "en": "truncated"}, {"zh": "完整", "en": "complete"}),
    "container.faststart": ({"zh": "索引在前", "en": "index first"},
                            {"zh": "索引在后", "en": "index last"}),
    "photo.animated": ({"zh": "动图", "en": "animated"}, {"zh": "静态图片", "en": "still"}),
    "photo.decodes": ({"zh": "可完整解码", "en": "decodes"},
                      {"zh": "无法完整解码", "en": "does not decode"}),
}  # fmt: skip
BOOL_WORDS: dict[str, tuple[str, str]] = {"zh": ("是", "否"), "en": ("yes", "no")}

# Where a measured value came from (model.py's source names).
SOURCE_NAMES: dict[str, Text] = {
    "measured": {"zh": "实测", "en": "measured"},
    "header": {"zh": "文件头", "en": "header"},
    "ffprobe": {"zh": "ffprobe", "en": "ffprobe"},
    "mediainfo": {"zh": "MediaInfo", "en": "MediaInfo"},
    "pillow": {"zh": "Pillow", "en": "Pillow"},
    "filesystem": {"zh": "文件系统", "en": "filesystem"},
    "declared": {"zh": "填报", "en": "declared"},
}

# Kinds of subjects and of listed files.
KIND_NAMES: dict[str, Text] = {
    "video": {"zh": "视频", "en": "video"},
    "photo": {"zh": "照片", "en": "photo"},
    "text": {"zh": "文字", "en": "text"},
    "case": {"zh": "案例", "en": "case"},
    "other": {"zh": "其他", "en": "other"},
    "folder": {"zh": "文件夹", "en": "folder"},
}

LISTED_REASONS: dict[str, Text] = {
    "no_checks": {"zh": "此类文件（{kind}）暂无检查项，仅列出",
                  "en": "no checks for this kind of file ({kind}); listed only"},
    "excluded": {"zh": "已被配置文件排除", "en": "excluded by the config file"},
    "symlink_dir": {"zh": "指向文件夹的符号链接，未进入（避免循环）",
                    "en": "symbolic link to a folder, not followed (links can loop)"},
}  # fmt: skip


def value_text(value: object, unit: str, lang: str, fact: str | None = None) -> str:
    """One fact's value as people read it, in `lang`: the one renderer of values."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        if fact in BOOL_NAMES:
            return tr(BOOL_NAMES[fact][0 if value else 1], lang)
        return BOOL_WORDS[lang][0 if value else 1]
    if isinstance(value, str) and value in VALUE_NAMES:
        return tr(VALUE_NAMES[value], lang)
    return format_value(value, unit, lang)


def source_text(source: str, lang: str) -> str:
    return tr(SOURCE_NAMES[source], lang) if source in SOURCE_NAMES else source


# Why one fact has no value (Facts.missing[name]).
MISSING: dict[str, Text] = {
    "no_video": {"zh": "没有视频轨道", "en": "no video track"},
    "no_audio": {"zh": "没有音频轨道", "en": "no audio track"},
    "unknown": {"zh": "无法测量", "en": "could not be measured"},
    "not_reported": {"zh": "文件中没有这项信息", "en": "the file does not say"},
    "format_not_allowed": {"zh": "格式不被接受，未读取", "en": "format not accepted, not read"},
    "format_not_supported": {"zh": "本机无法解码该格式", "en": "no decoder for it here"},
    "not_photo": {"zh": "不是图片", "en": "not a photo"},
    "corrupt_image": {"zh": "图片已损坏", "en": "the image is damaged"},
    "decompression_bomb": {"zh": "尺寸异常，未打开", "en": "absurd size, not opened"},
    "decode_failed": {"zh": "无法解码", "en": "does not decode"},
    "corrupt_timing": {"zh": "时间戳损坏，无法测量", "en": "corrupt timestamps, cannot measure"},
    "too_short": {"zh": "太短，无法测量", "en": "too short to measure"},
    "mediainfo_failed": {
        "zh": "MediaInfo 未能读取，未检查",
        "en": "MediaInfo could not read it: not checked",
    },
}

UI: dict[str, Text] = {
    "status.pass": {"zh": "通过", "en": "pass"},
    "status.not_checked": {"zh": "未检查", "en": "not checked"},
    "status.warn": {"zh": "警告", "en": "warning"},
    "status.fail": {"zh": "不合格", "en": "FAIL"},
    "status.info": {"zh": "提示", "en": "info"},
    "col.status": {"zh": "结果", "en": "Result"},
    "col.rule": {"zh": "规则", "en": "Rule"},
    "col.check": {"zh": "检查项", "en": "Check"},
    "col.measured": {"zh": "实测", "en": "Measured"},
    "col.expected": {"zh": "要求", "en": "Required"},
    "col.advice": {"zh": "说明与建议", "en": "What it means / what to do"},
    "verdict.pass": {"zh": "符合要求", "en": "meets the requirements"},
    "verdict.warn": {"zh": "基本符合，有警告", "en": "passes, with warnings"},
    "verdict.fail": {"zh": "不符合要求", "en": "does not meet the requirements"},
    "summary": {
        "zh": "共检查 {files} 个文件：{passed} 个合格，{warned} 个有警告，{failed} 个不合格。",
        "en": "Checked {files} file(s): {passed} passed, {warned} with warnings, {failed} failed.",
    },
    "cached": {"zh": "（其中 {n} 个结果来自缓存）", "en": "({n} result(s) from the cache)"},
    "checking": {"zh": "检查中", "en": "Checking"},
    "readable": {"zh": "可以读取", "en": "readable"},
    "kind.video": {"zh": "课程视频", "en": "Lesson videos"},
    "kind.photo": {"zh": "案例照片", "en": "Case photos"},
    "kind.text": {"zh": "案例文字与工作总结", "en": "Case texts and work summaries"},
    "kind.case": {"zh": "案例（整体）", "en": "A case as a whole"},
    "kind.table": {"zh": "统计表", "en": "Statistics tables"},
    "kind.course_list": {"zh": "课程清单（整体）", "en": "The course list as a whole"},
    "kind.course": {"zh": "每门课程", "en": "Each course"},
    "kind.link": {"zh": "交互模拟链接", "en": "Interactive links"},
    "severity.error": {"zh": "错误", "en": "error"},
    "severity.warning": {"zh": "警告", "en": "warning"},
    "severity.info": {"zh": "提示", "en": "info"},
    "doc.rule": {"zh": "规则", "en": "rule"},
    "doc.clause": {"zh": "条款", "en": "clause"},
    "doc.severity": {"zh": "级别", "en": "severity"},
    "doc.requirement": {"zh": "要求", "en": "requirement"},
    "doc.how": {"zh": "如何判断", "en": "how it is decided"},
    "summary.nothing": {"zh": "没有找到可检查的文件。", "en": "No files to check were found."},
    "source": {"zh": "来源", "en": "source"},
    "details.scale": {
        "zh": "共 {seconds} 秒，每格 {step} 秒（取最低值）；红色 = 超出范围",
        "en": "{seconds} s, {step} s per bar (lowest value); red = outside the band",
    },
    "steady.too_short": {
        "zh": "只有 {seconds} 秒，不足一个 {window} 秒的时段，无法判断是否稳定",
        "en": "only {seconds} s, less than one {window}-s window: steadiness not judged",
    },
    "steady.too_short_hint": {
        "zh": "无需处理：长于 {window} 秒的课程会逐个 {window} 秒时段检查码率是否稳定。",
        "en": "Nothing to do: in lessons longer than {window} s, each {window}-s window "
        "is checked.",
    },
    "steady.measured": {
        "zh": "{low} – {high}，{share}% 的 {window} 秒时段在范围内",
        "en": "{low} – {high}; {share}% of {window}-s windows in band",
    },
    "missing_path": {"zh": "路径不存在：{path}", "en": "No such file or folder: {path}"},
    "tool_missing": {
        "zh": "找不到 {tool}，mediacheck 做这项工作需要它（检查 MP4 视频不需要 FFmpeg）。\n"
        "pip install mediacheck 会一并装好 FFmpeg（imageio-ffmpeg）和 MediaInfo（pymediainfo），"
        "请在同一个 Python 环境里重新安装：pip install --force-reinstall mediacheck。"
        "系统里已有的 FFmpeg 或 MediaInfo 也可以用：把它加入 PATH。"
        "所用平台没有这两个安装包时，请从 ffmpeg.org 和 mediaarea.net 下载安装。",
        "en": "{tool} was not found; mediacheck needs it for this (MP4 videos are checked "
        "without FFmpeg).\n"
        "pip install mediacheck brings FFmpeg (imageio-ffmpeg) and MediaInfo (pymediainfo) "
        "along: reinstall it in the same Python environment with "
        "pip install --force-reinstall mediacheck. A FFmpeg or MediaInfo already on the system "
        "works too: put it on PATH. Where no such package exists for your platform, install "
        "them from ffmpeg.org and mediaarea.net.",
    },
    "profile_error": {"zh": "规则配置文件有误：{error}", "en": "Profile error: {error}"},
}


# ---- the words of the newer kinds live beside them: words/links.py (courses and links),
# words/table.py (the statistics table), words/archive.py (a unit's .zip), words/privacy.py
# (PRIV-*), words/submission.py (a unit's and the district's submissions); one catalogue
# all the same.
from mediacheck.words import archive as _archive  # noqa: E402
from mediacheck.words import links as _links  # noqa: E402
from mediacheck.words import privacy as _privacy  # noqa: E402
from mediacheck.words import submission as _submission  # noqa: E402
from mediacheck.words import table as _table  # noqa: E402

for _part in (_links, _table, _archive, _privacy, _submission):
    PROBE_ERRORS.update(getattr(_part, "PROBE_ERRORS", {}))
    CONTENT_NAMES.update(getattr(_part, "CONTENT_NAMES", {}))
    MISSING.update(getattr(_part, "MISSING", {}))
    VALUE_NAMES.update(getattr(_part, "VALUE_NAMES", {}))
    KIND_NAMES.update(getattr(_part, "KIND_NAMES", {}))
    UI.update(getattr(_part, "UI", {}))
# Reasons a fact was not decided: evaluate shows a warning ("not checked", "check by hand")
# with this message and hint instead of the rule's, never a pass.
UNDECIDED: dict[str, dict[str, Text]] = {**_links.UNDECIDED, **_submission.UNDECIDED}
UNDECIDED["mediainfo_failed"] = {  # probe/mediainfo.py: a hostile file hit its limits
    "message": {
        "zh": "MediaInfo 未能在 {mediainfo_limit} 的限度内读完这个文件，而这条规则要用它读出的"
        "信息：没有检查（未检查不等于通过）。",
        "en": "MediaInfo could not read this file within {mediainfo_limit}, and this rule needs "
        "what it reads: not checked (not checked is not passed).",
    },
    "hint": {
        "zh": "文件的索引可能已损坏：请重新导出视频，或自己用 MediaInfo 打开看看；用 MediaInfo "
        "审核的平台很可能同样读不了它。",
        "en": "The file's index may be damaged: export the video again, or open it in "
        "MediaInfo yourself; a platform that checks with MediaInfo will likely fail to read "
        "it too.",
    },
}
# ----


def say(key: str, lang: str, **params: object) -> str:
    return tr(UI[key], lang).format(**params)


def probe_error_text(code: str, lang: str, params: dict[str, object]) -> str:
    template = PROBE_ERRORS.get(code, PROBE_ERRORS["tool_failed"])
    values = _Blank(params)
    what = values.get("what")
    if isinstance(what, str) and what in CONTENT_NAMES:
        values["what"] = tr(CONTENT_NAMES[what], lang)
    for key, value in list(values.items()):
        if isinstance(value, dict):  # a {zh, en} text of ours
            values[key] = tr(value, lang)
        elif isinstance(value, str):
            values[key] = _for_people(value)
    text = tr(template, lang).format_map(values)
    # a detail nobody could give leaves no empty brackets behind ("damaged ()")
    return re.sub(r"\s*(\(\s*\)|（\s*）)", "", text).strip()


def _for_people(detail: str) -> str:
    """A tool's complaint without Python's internals (`<_io.BytesIO object at 0x7f…>`)
    or terminal control characters a file name may carry."""
    detail = re.sub(r"<[\w.]+ object at 0x[0-9a-fA-F]+>", "the file", detail)
    return "".join(ch if ch.isprintable() else "\ufffd" for ch in detail)


class _Blank(dict):
    """format_map values: a parameter a prober did not give reads as empty, not a crash."""

    def __missing__(self, key: str) -> str:
        return ""


def missing_text(reason: str, lang: str) -> str:
    return tr(MISSING.get(reason, MISSING["unknown"]), lang)


def fill(template: Text, lang: str, values: dict[str, Text | str]) -> str:
    """A {zh, en} template in `lang`, its {placeholders} filled from `values` (each a
    {zh, en} text or a plain string); a value nobody gave reads "—", never "{name}"."""
    picked = {k: tr(v, lang) if isinstance(v, dict) else v for k, v in values.items()}
    return tr(template, lang).format_map(_Dash(picked))


class _Dash(dict):
    def __missing__(self, key: str) -> str:
        return "—"


def error_text(code: str, lang: str, params: dict[str, object]) -> str:
    """A run-stopping problem (errors.MediacheckError), in `lang`."""
    from mediacheck.words.errors import ERRORS

    values = _Blank({k: tr(v, lang) if isinstance(v, dict) else v for k, v in params.items()})
    return tr(ERRORS.get(code, {"zh": code, "en": code}), lang).format_map(values)
