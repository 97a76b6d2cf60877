# ruff: noqa: E501  (a catalogue of sentences: one per line reads best)
"""Words of a unit's submission and of the district (#10), zh and en, shaped like
`words/catalogue.py`'s dicts and folded into it (PROBE_ERRORS, MISSING, KIND_NAMES, UI,
UNDECIDED) and into `words/errors.py` (ERRORS). Rules' own messages are in the profile.
"""

from __future__ import annotations

Text = dict[str, str]

# How a file's role in the submission was decided (sets/roles.py BY_*), after its name.
ROLE_HOW: dict[str, Text] = {
    "config": {"zh": "按配置文件", "en": "by the config"},
    "folder": {"zh": "按所在文件夹", "en": "by its folder"},
    "name": {"zh": "按名称", "en": "by name"},
    "title": {"zh": "按标题", "en": "by title"},
    "content": {"zh": "按内容", "en": "by content"},
}

# What an "other" file is, after its name in the list of other files.
OTHER_WHAT: dict[str, Text] = {
    "course_list": {
        "zh": "课程清单，由区里统一检查",
        "en": "a course list: the district checks it",
    },
    "no_header": {
        "zh": "表格中没有统计表表头",
        "en": "a sheet without the statistics table's header",
    },
    "unsigned_copy": {"zh": "没有电子章的 PDF/OFD", "en": "a PDF/OFD without an electronic seal"},
    "loose_photo": {"zh": "照片不在案例文件夹中", "en": "a photo outside the case folder"},
    "loose_case_text": {
        "zh": "案例文字不在案例文件夹中",
        "en": "a case text outside the case folder",
    },
    "other": {"zh": "其他文件", "en": "another kind of file"},
}

UI: dict[str, Text] = {
    "kind.submission": {"zh": "单位材料（整体）", "en": "A unit's submission as a whole"},
    "kind.district": {"zh": "全区汇总（整体）", "en": "The district's submissions as a whole"},
    "submission.sealed_copy": {"zh": "盖章副本：{name}", "en": "sealed copy: {name}"},
    "submission.seal_in_copy": {
        "zh": "这份表格本身没有电子章；本单位材料中有已盖电子章的副本：{names}。",
        "en": "This file itself carries no electronic seal; the submission holds a sealed copy: {names}.",
    },
    "submission.how": {"zh": "{name}（{how}）", "en": "{name} ({how})"},
    "submission.what": {"zh": "{name}（{what}）", "en": "{name} ({what})"},
    "submission.archive_problem": {"zh": "{member}：{text}", "en": "{member}: {text}"},
    "district.course_list": {
        "zh": "{path}（全区课程清单）",
        "en": "{path} (the district's course list)",
    },
}

# The subjects' names in listings (report/common.py, the HTML and spreadsheet reports).
KIND_NAMES: dict[str, Text] = {
    "submission": {"zh": "单位材料", "en": "unit's submission"},
    "district": {"zh": "全区汇总", "en": "district"},
}

# Why a submission could not be read at all (Facts.error.code).
PROBE_ERRORS: dict[str, Text] = {
    "not_submission": {
        "zh": "这不是单位材料的文件夹或 .zip 压缩包：内容是{what}。",
        "en": "This is no unit's folder or .zip: its content is {what}.",
    },
    # the zip's own sentences (words/archive.py), one per language, as the params carry them
    "archive_failed": {"zh": "{text_zh}", "en": "{text_en}"},
}

# Why a fact has no value (Facts.missing[name]), as the measured column reads it.
MISSING: dict[str, Text] = {
    "no_units_list": {"zh": "没有 units.yaml 名单", "en": "no units.yaml list"},
    "no_course_list": {"zh": "没有课程清单", "en": "no course list"},
    "course_list_unreadable": {"zh": "课程清单无法读取", "en": "the course list cannot be read"},
}

# Reasons a fact was not decided: a warning ("not checked"), never a pass.
UNDECIDED: dict[str, dict[str, Text]] = {
    "no_units_list": {
        "message": {
            "zh": "文件夹中没有 units.yaml（应交材料的单位名单），无法判断哪些单位还没有交；未检查不等于通过。",
            "en": "The folder holds no units.yaml (the list of units expected to send), so who has not sent cannot be told; not checked is not passed.",
        },
        "hint": {
            "zh": "在这个文件夹中写 units.yaml，列出全区应交材料的单位，例如：units: [长寿路街道, 宜川路街道]",
            "en": "Write units.yaml into this folder listing every unit expected to send, e.g. units: [长寿路街道, 宜川路街道]",
        },
    },
    "no_course_list": {
        "message": {
            "zh": "文件夹中没有全区的课程清单（courses.yaml 或 课程清单.xlsx），全区课程门数没有检查；未检查不等于通过。",
            "en": "The folder holds no district course list (courses.yaml or 课程清单.xlsx), so the district's course count was not checked; not checked is not passed.",
        },
        "hint": {
            "zh": "把全区的课程清单放进这个文件夹（mediacheck template 可生成模板）。",
            "en": "Put the district's course list into this folder (mediacheck template writes one).",
        },
    },
}

UNDECIDED["course_list_unreadable"] = {
    "message": {
        "zh": "全区的课程清单无法读取（原因见课程清单的检查结果），全区课程门数没有检查；未检查不等于通过。",
        "en": "The district's course list cannot be read (its own results say why), so the district's course count was not checked; not checked is not passed.",
    },
    "hint": {
        "zh": "按课程清单的检查结果改好后重新检查。",
        "en": "Correct the course list as its results say and check again.",
    },
}

# Problems that stop `mediacheck district` before anything is read (exit 2).
ERRORS: dict[str, Text] = {
    "units.unreadable": {
        "zh": "无法读取 units.yaml：{detail}",
        "en": "cannot read units.yaml: {detail}",
    },
    "units.yaml": {
        "zh": "units.yaml 不是有效的 YAML：{detail}",
        "en": "units.yaml is not valid YAML: {detail}",
    },
    "units.shape": {
        "zh": "units.yaml 应写成“units: [单位名称, …]”（可另有 schema: 1 和 district: 区名）",
        "en": "units.yaml reads 'units: [unit name, …]' (with schema: 1 and district: NAME if wanted)",
    },
    "units.unknown_keys": {
        "zh": "units.yaml 中有未知的键：{keys}（可用：{known}）",
        "en": "units.yaml has unknown key(s): {keys} (known: {known})",
    },
    "units.entry": {
        "zh": "units.yaml 第 {index} 个单位应是名称，或“{{name: 名称, folder: 文件夹名}}”",
        "en": "unit {index} of units.yaml is a name, or '{{name: NAME, folder: FOLDER}}'",
    },
    "units.twice": {
        "zh": "units.yaml 中“{name}”出现了两次",
        "en": "'{name}' is listed twice in units.yaml",
    },
    "submission.no_section": {
        "zh": "规则配置 {profile} 中没有 submission: 部分（如何区分工作总结和案例），请在其中写 extends: shanghai-2024",
        "en": "the profile {profile} has no submission: section (how the summary is told from the case); give it extends: shanghai-2024",
    },
    "usage.table_out_is_input": {
        "zh": "汇总表不能写到被检查的文件上：{file}",
        "en": "the merged table cannot be written over a file being checked: {file}",
    },
    "usage.table_out_is_report": {
        "zh": "汇总表和报告不能写到同一个文件：{file}",
        "en": "the merged table and a report cannot go to the same file: {file}",
    },
    "usage.table_out_suffix": {
        "zh": "汇总表写成 .xlsx 文件：{file}",
        "en": "the merged table is an .xlsx file: {file}",
    },
}
