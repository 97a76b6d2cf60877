"""The sentences of a unit's .zip (`discover/archive.py`, #10), in zh and en.

Shaped like `catalogue.py`, which merges these dicts into its own: `UI` holds one
sentence per problem code (``zip.damaged`` about the whole zip, ``zip.damaged.member``
about one member), `CONTENT_NAMES` the archive formats a file may turn out to be.
`DETAILS` words the ``detail`` codes. Placeholders: ``{member}`` (the name as in the zip)
and the problem's params, filled by `problem_text` (sizes as "600 MiB", "1,234 字节").
"""

from __future__ import annotations

Text = dict[str, str]

_REZIP: Text = {
    "zh": "请在 Windows 中右击单位的文件夹，选“发送到 → 压缩(zipped)文件夹”重新压缩，"
    "或者直接检查文件夹。",
    "en": "Zip the unit's folder again (in Windows: right-click → Send to → Compressed "
    "(zipped) folder), or check the folder itself.",
}


def _then(zh: str, en: str) -> Text:
    """A sentence followed by the advice to zip the folder again."""
    return {"zh": zh + _REZIP["zh"], "en": en + " " + _REZIP["en"]}


UI: dict[str, Text] = {
    "zip.unreadable": {
        "zh": "无法读取这个压缩包（{detail}）。",
        "en": "The zip cannot be read ({detail}).",
    },
    "zip.not_zip": _then(
        "这个文件名为 .zip，但内容是{what}，不是 ZIP 压缩包。",
        "This file is named .zip, but its content is {what}, not a ZIP archive.",
    ),
    "zip.damaged": {
        "zh": "压缩包已损坏或不完整（{detail}），无法解压；可能是下载或复制没有完成。"
        "请重新复制或重新压缩后再发送。",
        "en": "The zip is damaged or incomplete ({detail}) and cannot be unpacked; a "
        "download or copy may not have finished. Copy it or zip it again, and send it anew.",
    },
    "zip.damaged.member": _then(
        "压缩包中的“{member}”已损坏（{detail}），没有解压。",
        "“{member}” in the zip is damaged ({detail}) and was not unpacked.",
    ),
    "zip.empty": {
        "zh": "压缩包是空的，里面没有任何文件。",
        "en": "The zip is empty: it holds no files.",
    },
    "zip.too_many": {
        "zh": "压缩包列出了 {count} 个条目（目录 {directory_bytes}），"
        "超过安全上限（{limit} 个条目，目录 {directory_limit_bytes}），没有解压。"
        "一个单位的材料不会有这么多文件：请检查是否压缩错了文件夹。",
        "en": "The zip lists {count} entries (a directory of {directory_bytes}), above the "
        "safety limit ({limit} entries, {directory_limit_bytes} of directory); nothing was "
        "unpacked. A unit's materials are never that many files: check that the right folder "
        "was zipped.",
    },
    "zip.too_large": {
        "zh": "压缩包解压后共有 {size_bytes}，超过安全上限 {limit_bytes}，没有解压。"
        "请自行解压，然后检查解压出的文件夹。",
        "en": "The zip unpacks to {size_bytes}, above the safety limit of {limit_bytes}; "
        "nothing was unpacked. Unpack it yourself and check the folder.",
    },
    "zip.too_large.member": {
        "zh": "压缩包中的“{member}”解压后有 {size_bytes}，超过单个文件的安全上限 {limit_bytes}，"
        "没有解压。",
        "en": "“{member}” in the zip unpacks to {size_bytes}, above the safety limit of "
        "{limit_bytes} for one file; it was not unpacked.",
    },
    "zip.bomb": {
        "zh": "压缩包解压出的数据超出了它自己声明的大小（超过 {limit_bytes}），像是“压缩炸弹”，"
        "为安全起见已停止解压。",
        "en": "The zip inflates to more than its own directory declares (beyond "
        "{limit_bytes}), like a zip bomb; unpacking was stopped, for safety.",
    },
    "zip.bomb.member": {
        "zh": "压缩包中的“{member}”从 {compressed_bytes} 解压成 {size_bytes}（压缩比超过 "
        "{ratio}:1），像是“压缩炸弹”，为安全起见没有解压。",
        "en": "“{member}” in the zip inflates from {compressed_bytes} to {size_bytes} (more "
        "than {ratio}:1), like a zip bomb; it was not unpacked, for safety.",
    },
    "zip.encrypted": {
        "zh": "压缩包设置了密码（已加密，共 {count} 个文件），无法检查。请解压后不设密码重新压缩，"
        "或者直接发送文件夹。",
        "en": "The zip is password-protected (encrypted, {count} files) and cannot be "
        "checked. Unpack it and send it unencrypted: zip it again without a password, or "
        "send the folder.",
    },
    "zip.encrypted.member": {
        "zh": "压缩包中的“{member}”设置了密码（已加密），无法检查，没有解压。请解压后不设密码"
        "重新压缩。",
        "en": "“{member}” in the zip is password-protected (encrypted) and cannot be "
        "checked; it was not unpacked. Unpack it and zip it again without a password.",
    },
    "zip.nested.member": {
        "zh": "压缩包中的“{member}”本身又是{what}，里面的文件不会被检查。"
        "请把它解压成文件夹、放在原处，再重新压缩整个单位的文件夹。",
        "en": "“{member}” in the zip is itself {what}; what it holds is not checked. Unpack "
        "it into a folder in its place, then zip the unit's folder again.",
    },
    "zip.escape.member": _then(
        "压缩包中“{member}”的路径指向压缩包以外（含“..”、以“/”开头或带盘符），为安全起见没有解压。",
        "The path of “{member}” in the zip points outside it (“..”, a leading “/” or a "
        "drive letter); it was not unpacked, for safety.",
    ),
    "zip.bad_name.member": {
        "zh": "压缩包中“{member}”的名称含有控制字符或过长，不能作为文件名，没有解压。"
        "请给它改名后重新压缩。",
        "en": "The name of “{member}” in the zip holds control characters or is too long to "
        "be a file name; it was not unpacked. Rename it and zip the folder again.",
    },
    "zip.link.member": {
        "zh": "压缩包中的“{member}”是一个符号链接，不是文件本身，没有解压。请放入文件本身。",
        "en": "“{member}” in the zip is a symbolic link, not the file itself; it was not "
        "unpacked. Put the file itself in the zip.",
    },
    "zip.special.member": {
        "zh": "压缩包中的“{member}”是设备或管道之类的特殊条目，不是普通文件，没有解压。",
        "en": "“{member}” in the zip is a device, pipe or other special entry, not an "
        "ordinary file; it was not unpacked.",
    },
    "zip.duplicate_name.member": {
        "zh": "压缩包中的“{member}”与“{other}”同名（Windows 不区分大小写），只解压了先出现的"
        "“{other}”。请给其中一个改名后重新压缩。",
        "en": "“{member}” and “{other}” in the zip have the same name (Windows does not "
        "tell upper from lower case); only “{other}”, which comes first, was unpacked. "
        "Rename one and zip the folder again.",
    },
    "zip.method.member": {
        "zh": "压缩包中的“{member}”使用了无法读取的压缩方式（{method}），没有解压。"
        "请用压缩软件以 ZIP 标准方式（Deflate）重新压缩，或者直接检查文件夹。",
        "en": "“{member}” in the zip uses a compression method that cannot be read here "
        "({method}); it was not unpacked. Zip the folder again with the standard ZIP method "
        "(Deflate) of your zip program, or check the folder itself.",
    },
    "zip.unwritable.member": {
        "zh": "无法把“{member}”解压到临时文件夹（{detail}），可能是磁盘空间不足。",
        "en": "“{member}” could not be unpacked into the temporary folder ({detail}); the "
        "disk may be full.",
    },
}

# What a file named .zip may really be (besides the catalogue's own content names).
CONTENT_NAMES: dict[str, Text] = {
    "rar": {"zh": " RAR 压缩包", "en": "a RAR archive"},
    "7z": {"zh": " 7z 压缩包", "en": "a 7z archive"},
}

# The ``detail`` of a damaged zip or member, as words.
DETAILS: dict[str, Text] = {
    "crc": {"zh": "校验值不符", "en": "its checksum does not match its data"},
    "truncated": {"zh": "数据不完整", "en": "its data is cut short"},
    "missing": {"zh": "文件不存在", "en": "there is no such file"},
    "denied": {"zh": "没有读取权限", "en": "permission to read it is denied"},
    "not_a_file": {"zh": "这不是普通文件", "en": "it is not an ordinary file"},
    "directory": {"zh": "文件目录损坏", "en": "its list of contents is damaged"},
    "data": {"zh": "数据损坏", "en": "its data is damaged"},
}


def problem_text(code: str, member: str | None, params: dict[str, object], lang: str) -> str:
    """An `ArchiveProblem` as a sentence in `lang`: the member's sentence when one is named."""
    from mediacheck.words.catalogue import CONTENT_NAMES, fill
    from mediacheck.words.units import format_value

    values: dict[str, Text | str] = {"member": _printable(member or "")}
    for key, value in params.items():
        if key == "what":
            values[key] = CONTENT_NAMES.get(str(value), CONTENT_NAMES["unknown"])
        elif key == "detail":
            values[key] = DETAILS.get(str(value)) or _printable(str(value))
        elif key.endswith("_bytes") and isinstance(value, int) and value >= 1048576:
            values[key] = f"{value / 1048576:.1f}".removesuffix(".0") + " MiB"
        elif key.endswith("_bytes") and isinstance(value, int):
            values[key] = format_value(value, "bytes", lang)
        else:
            values[key] = _printable(str(value))
    named = UI.get(f"{code}.member") if member is not None else None
    return fill(named or UI.get(code) or UI[f"{code}.member"], lang, values)


def _printable(text: str) -> str:
    """A name as it can be shown: control characters (a terminal's escapes) replaced."""
    return "".join(ch if ch.isprintable() else "\ufffd" for ch in text)
