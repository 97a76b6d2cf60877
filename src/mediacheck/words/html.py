"""The words of the reports for people: the HTML report and the CSV/XLSX sheets, zh and en.

Shaped like `catalogue.UI` (key -> {zh, en}, str.format placeholders). Status words
(通过, 警告, 不合格, 提示) and verdicts are `catalogue.UI`'s own, not repeated here.
"""

from __future__ import annotations

from mediacheck.words.catalogue import UI
from mediacheck.words.lang import tr

Text = dict[str, str]

WORDS: dict[str, Text] = {
    # ---- the page
    "title": {"zh": "mediacheck 检查报告", "en": "mediacheck report"},
    "generated": {
        "zh": "生成时间 {when} · mediacheck {version} · 规则：{profile}",
        "en": "Made {when} · mediacheck {version} · rules: {profile}",
    },
    "strict": {
        "zh": "严格模式：警告也算不合格。",
        "en": "Strict mode: warnings count as failures.",
    },
    "overview": {"zh": "总览", "en": "Overview"},
    "subjects": {"zh": "逐项结果", "en": "Results one by one"},
    "col.subject": {"zh": "文件/对象", "en": "File / subject"},
    "col.kind": {"zh": "类型", "en": "Kind"},
    "col.result": {"zh": "结果", "en": "Result"},
    "col.problems": {"zh": "未通过的检查", "en": "Checks not passed"},
    "col.rule": {"zh": "规则", "en": "Rule"},
    "col.check": {"zh": "检查项", "en": "Check"},
    "col.measured": {"zh": "实测", "en": "Measured"},
    "col.expected": {"zh": "要求", "en": "Required"},
    "col.message": {"zh": "说明", "en": "What it means"},
    "problems": {"zh": "需要处理的问题", "en": "What needs attention"},
    "passed_list": {"zh": "已通过的检查（{n} 项）：", "en": "Checks passed ({n}):"},
    "no_checks_ran": {
        "zh": "没有适用于此类文件的检查。",
        "en": "No checks apply to this kind of file.",
    },
    "all_passed": {"zh": "全部 {n} 项检查均通过。", "en": "All {n} checks passed."},
    "file_size": {"zh": "文件大小：{size}", "en": "File size: {size}"},
    "source": {"zh": "来源：{source}", "en": "source: {source}"},
    "clause_of": {"zh": "条款 {spec}", "en": "clause {spec}"},
    "listed": {"zh": "未检查的文件（仅列出）", "en": "Files not checked (listed only)"},
    "listed_note": {
        "zh": "这些文件没有被检查，不代表合格。",
        "en": "These files were not checked; that does not mean they passed.",
    },
    "nothing": {"zh": "没有找到可检查的文件。", "en": "No files to check were found."},
    "root_name": {"zh": "（所选的全部文件）", "en": "(all the files chosen)"},
    "back_to_top": {"zh": "回到总览", "en": "Back to the overview"},
    # ---- video
    "video.chart": {"zh": "每秒码率", "en": "Bitrate, second by second"},
    "video.thumbs": {"zh": "画面预览", "en": "Frames"},
    "chart.axis_time": {"zh": "时间", "en": "time"},
    "chart.band": {"zh": "允许范围 {low} – {high}", "en": "allowed {low} – {high}"},
    "chart.caption": {
        "zh": "灰线：每秒实测值；{window_line}绿色阴影：{band}。超出范围的时段在底部以红色标出。",
        "en": "Grey: each second as measured; {window_line}green: {band}. "
        "Stretches outside the band are marked red along the bottom.",
    },
    "chart.window_line": {
        "zh": "蓝线：每 {window} 秒的平均值（规则按它判断）；",
        "en": "blue: the {window}-second means the rule judges; ",
    },
    "chart.summary": {
        "zh": "共 {seconds} 秒；最低 {low}（在 {at_low}），最高 {high}；"
        "{outside} 个时段超出允许范围。",
        "en": "{seconds} s; lowest {low} (at {at_low}), highest {high}; "
        "{outside} stretch(es) outside the allowed band.",
    },
    "chart.downsampled": {
        "zh": "（为缩小文件，每 {step} 秒取最低值和最高值绘制）",
        "en": "(drawn from the lowest and highest value of every {step} s, to keep the file small)",
    },
    "thumbs.none_tool": {
        "zh": "未显示画面预览：本机没有 ffmpeg。",
        "en": "No frames shown: ffmpeg is not installed here.",
    },
    "thumbs.none_read": {
        "zh": "未显示画面预览：无法从文件中读取画面。",
        "en": "No frames shown: no picture could be read from the file.",
    },
    "thumbs.none_file": {
        "zh": "未显示预览：生成报告时找不到该文件。",
        "en": "No preview: the file was not there when the report was made.",
    },
    "thumbs.at": {"zh": "{time} 处的画面", "en": "frame at {time}"},
    # ---- photos and cases
    "photo.thumb": {"zh": "照片预览：{name}", "en": "Photo: {name}"},
    "photo.no_preview": {
        "zh": "无法显示预览（文件损坏、格式无法解码或尺寸过大）。",
        "en": "No preview (damaged, not decodable here, or too large).",
    },
    "passed_photos": {
        "zh": "全部检查均通过的照片（{n} 张）",
        "en": "Photos that passed every check ({n})",
    },
    "case.duplicates": {"zh": "内容重复的照片", "en": "Repeated photos"},
    "case.similar": {"zh": "非常相似的照片", "en": "Very similar photos"},
    "case.group": {"zh": "第 {n} 组（{count} 张）", "en": "Group {n} ({count} photos)"},
    "case.groups_note": {
        "zh": "同一组的照片被判定为同一张照片（相同文件或缩放、压缩、旋转后的副本），"
        "每组只保留一张。",
        "en": "The photos of one group were judged to be one photo (the same file, or a "
        "resized, recompressed or rotated copy): keep one of each group.",
    },
    "case.similar_note": {
        "zh": "同一组的照片像连拍，审核时可能被视为重复。",
        "en": "The photos of one group look like a burst; a reviewer may count them as repeats.",
    },
    "case.groups_unavailable": {
        "zh": "无法重新读取照片来显示分组：{detail}",
        "en": "The photos could not be read again to show the groups: {detail}",
    },
    # ---- texts
    "text.count": {"zh": "字数统计", "en": "Word count (字数)"},
    "text.zishu": {"zh": "字数（按 Word 统计）", "en": "字数 (as Word counts)"},
    "text.east_asian": {"zh": "中文字符和朝鲜语单词", "en": "East Asian characters"},
    "text.words": {"zh": "非中文单词", "en": "Non-Chinese words"},
    "text.no_spaces": {"zh": "字符数（不计空格）", "en": "Characters (no spaces)"},
    "text.with_spaces": {"zh": "字符数（计空格）", "en": "Characters (with spaces)"},
    "text.paragraphs": {"zh": "段落数", "en": "Paragraphs"},
    "text.encoding": {"zh": "编码", "en": "Encoding"},
    "text.formula": {
        "zh": "字数 = 中文字符和朝鲜语单词 + 非中文单词",
        "en": "字数 = East Asian characters + non-Chinese words",
    },
    "text.unavailable": {
        "zh": "无法重新读取该文字以显示字数明细。",
        "en": "The text could not be read again to show the breakdown.",
    },
    # ---- sheets (CSV / XLSX): the headers, in the order of the columns
    "sheet.subject": {"zh": "文件/对象", "en": "File / subject"},
    "sheet.kind": {"zh": "类型", "en": "Kind"},
    "sheet.result": {"zh": "结果", "en": "Result"},
    "sheet.rule": {"zh": "规则", "en": "Rule"},
    "sheet.clause": {"zh": "条款", "en": "Clause"},
    "sheet.measured": {"zh": "实测", "en": "Measured"},
    "sheet.expected": {"zh": "要求", "en": "Required"},
    "sheet.message": {"zh": "说明", "en": "What it means"},
    "sheet.hint": {"zh": "建议", "en": "What to do"},
    "sheet.title": {"zh": "检查结果", "en": "Results"},
    "sheet.not_checked": {"zh": "未检查", "en": "not checked"},
}

SHEET_COLUMNS = (
    "sheet.subject",
    "sheet.kind",
    "sheet.result",
    "sheet.rule",
    "sheet.clause",
    "sheet.measured",
    "sheet.expected",
    "sheet.message",
    "sheet.hint",
)


def say(key: str, lang: str, **params: object) -> str:
    """A sentence of this module, or a `catalogue.UI` one (status.*, verdict.*)."""
    text = WORDS.get(key) or UI[key]
    return tr(text, lang).format(**params) if params else tr(text, lang)
