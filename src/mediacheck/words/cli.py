# ruff: noqa: E501  (a catalogue of sentences: one per line reads best)
"""The command line's own words: help texts of every command and option (`HELP`, keyed
by the names the commands give), and click's messages in Chinese (`CLICK_ZH`, keyed by
click's English, which click asks for through gettext)."""

from __future__ import annotations

Text = dict[str, str]

HELP: dict[str, Text] = {
    "help.main": {
        "zh": "检查老年数字教育课程视频、案例照片和文字是否符合 2024 年上海市老年数字教育进社区行动的上传要求。\n\n退出码：0 全部合格，1 有文件不合格（加 --strict 时警告也算），2 用法、配置、规则或缺少工具的问题。",
        "en": "Check lesson videos, case photos and texts against the upload rules of the Shanghai 2024 elderly digital education programme (老年数字教育进社区行动).\n\nExit status: 0 nothing failed, 1 a file failed (or warned, with --strict), 2 usage, config, profile or missing-tool problems.",
    },
    "help.video": {
        "zh": "检查课程视频（文件，或在文件夹中查找视频）。",
        "en": "Check lesson videos (files, or folders searched for videos).",
    },
    "help.photos": {
        "zh": "检查案例照片（文件，或在文件夹中查找照片）：格式、大小，以及全部照片中不重复且至少 5 张。",
        "en": "Check case photos (files, or folders searched for photos): format, size, and no repeats and at least 5 distinct among them all.",
    },
    "help.text": {
        "zh": "检查案例文字和工作总结（.docx、.txt、.md）：字数不超过 2000。",
        "en": "Check case texts and work summaries (.docx, .txt, .md): 字数 at most 2000.",
    },
    "help.case": {
        "zh": "检查案例文件夹：文字、每张照片，以及整个案例。",
        "en": "Check case folders: the text, each photo, and the case as a whole.",
    },
    "help.check": {
        "zh": "为 CI 检查文件和文件夹：按内容判断每个文件（视频、照片、文字），配置的案例文件夹按案例检查。无法识别的文件只列出，不算不合格。\n\n退出码：0 全部合格，1 有文件不合格（加 --strict 时警告也算），2 用法、配置、规则、git 或缺少工具的问题。",
        "en": "Check files and folders for CI: each file by its content (video, photo, text), configured case folders as cases. Files of no known kind are listed, not failed.\n\nExit status: 0 nothing failed, 1 a file failed (or warned, with --strict), 2 usage, config, profile, git or missing-tool problems.",
    },
    "help.table": {
        "zh": "检查单位的统计表（.xlsx、.xls、.csv，或盖章的 PDF/OFD 副本）：11 列齐全、数字规范、前后一致、已盖电子章。",
        "en": "Check a unit's statistics table (.xlsx, .xls, .csv, or its sealed PDF/OFD copy): all 11 columns, whole numbers, consistent, sealed.",
    },
    "help.courses": {
        "zh": "检查全区的课程清单（courses.yaml 或 课程清单.xlsx）：类别、形式、门数、系列、文件，每集视频，以及（加 --online）交互模拟的链接。",
        "en": "Check the district's course list (courses.yaml or 课程清单.xlsx): levels, forms, count, series, files, each episode's video and, with --online, the interactive links.",
    },
    "help.submission": {
        "zh": "检查一个单位的全部材料（文件夹或它的 .zip 压缩包）：统计表、工作总结、案例各一份，不缺不重，并逐一检查。",
        "en": "Check a unit's whole submission (its folder or a .zip of it): one statistics table, one work summary and one case, nothing missing or twice, each checked.",
    },
    "help.district": {
        "zh": "检查全区汇总的文件夹（每个单位一个文件夹或 .zip，加课程清单和可选的 units.yaml 名单）：各单位材料、谁还没交、全区课程门数、各单位之间重复的照片和文字、统计表合计。",
        "en": "Check the district's folder (one folder or .zip per unit, the course list and an optional units.yaml): every unit's submission, who has not sent, the district's course count, photos and texts repeated between units, the tables' totals.",
    },
    "help.table_out": {
        "zh": "把全区汇总的统计表（每个单位一行，加合计行）写入这个 .xlsx 文件。",
        "en": "Write the district's merged statistics table (one row per unit and a 合计 row) to this .xlsx file.",
    },
    "help.template": {
        "zh": "在文件夹中生成空白材料：统计表、工作总结、案例、课程清单（已有的文件不会被覆盖）。",
        "en": "Write empty forms into a folder: the statistics table, work summary, case and course list (existing files are never replaced).",
    },
    "help.online": {
        "zh": "访问交互模拟课程的链接并判断能否免登录打开（默认：配置文件中的 online，否则不访问）。",
        "en": "Visit interactive courses' links and judge whether they open without a login (default: the config's online, else not visited).",
    },
    "help.allow_private": {
        "zh": "允许访问本机和内网地址（测试、内网平台）；默认这类链接不合格，因为学员打不开。",
        "en": "Allow loopback and private addresses (tests, intranets); by default such links fail, since learners cannot open them.",
    },
    "help.serve": {
        "zh": "在本机打开一个网页（只在 127.0.0.1）：选择或拖入文件、文件夹，查看检查结果并下载报告；文件只传到本机，检查后删除。",
        "en": "Open a local page (127.0.0.1 only): pick or drop files or a folder, see the verdict, download the report; files go only to this machine and are removed afterwards.",
    },
    "help.port": {
        "zh": "127.0.0.1 上的端口（0：任一空闲端口）。",
        "en": "Port on 127.0.0.1 (0: any free port).",
    },
    "help.no_browser": {"zh": "不自动打开浏览器。", "en": "Do not open the page in a browser."},
    "help.max_upload": {
        "zh": "一次上传的上限（全部文件合计），如 4GB、500MB。",
        "en": "Largest upload (all files of one batch together), e.g. 4GB, 500MB.",
    },
    "help.max_file": {
        "zh": "单个文件的上限（默认与 --max-upload 相同）。",
        "en": "Largest single file (default: the same as --max-upload).",
    },
    "help.abandon": {
        "zh": "页面多少秒没有响应后取消正在进行的检查。",
        "en": "Seconds without a poll after which a running check is cancelled.",
    },
    "help.version": {"zh": "显示版本并退出。", "en": "Show the version and exit."},
    "help.rules": {
        "zh": "列出规则配置中的规则，以及每条规则依据的条款。",
        "en": "List the rules of a profile, with the spec clause each one enforces.",
    },
    "help.demo": {
        "zh": "生成一段合格和一段不合格的短课程视频，并检查两者。",
        "en": "Make a compliant and a failing short lesson, and check both.",
    },
    "help.fix": {
        "zh": "让课程视频（或照片）符合要求：写出一个新文件，原文件不会被修改，保留前先检查结果。照片里的拍摄位置和相机序列号会被去掉，画面不重新压缩。\n\n可一次给出多个文件，逐个修复；某个文件修不好时会说明原因，然后继续下一个。\n\n退出码：0 结果全部合格（或无需修改），1 有文件无法修好，2 用法或缺少工具的问题，128 + 信号编号 被中断（Ctrl-C 为 130，SIGTERM 为 143）。",
        "en": "Make a lesson video (or a photo) meet the rules: writes a new file, never touches the original, and checks the result before keeping it. A photo's location and camera serials are taken out, without re-compressing the picture.\n\nSeveral files may be given; each is fixed in turn, and one that cannot be fixed is said and the next goes on.\n\nExit status: 0 every result passes (or nothing needed fixing), 1 a file could not be fixed, 2 usage or missing-tool problems, 128 + the signal number when stopped (130 Ctrl-C, 143 SIGTERM).",
    },
    "help.fix_output": {
        "zh": "写到哪里：一个文件名（视频须以 .mp4 结尾；照片 .jpg 或 .png），或一个已有的文件夹（默认：原文件旁的 名称.fixed.mp4；照片为 名称.fixed.jpg 或 .png）。",
        "en": "Where to write: a file name (.mp4 for a video; .jpg or .png for a photo) or an existing folder (default: NAME.fixed.mp4 beside the input; photos: NAME.fixed.jpg or .png).",
    },
    "help.fix_force": {
        "zh": "输出文件已存在时替换它。",
        "en": "Replace the output file if it exists.",
    },
    "help.fix_dry_run": {
        "zh": "只显示计划和 ffmpeg 命令（照片：会去掉哪些信息），不写任何文件。",
        "en": "Show the plan and the ffmpeg command (photos: what would be taken out); write nothing.",
    },
    "help.fix_preset": {
        "zh": "重新编码视频时 x264 的速度与质量取舍。",
        "en": "x264 speed/quality trade-off when re-encoding video.",
    },
    "help.fix_timeout": {
        "zh": "超过这么久就停止（默认：120 秒 + 课程时长的 20 倍）。",
        "en": "Stop after this long (default: 120 s + 20 × the lesson's length).",
    },
    "help.profile": {
        "zh": "检查依据的规则：已安装的规则名或 YAML 文件（默认：配置文件中的，否则 shanghai-2024）。",
        "en": "Rules to check against: a shipped profile name or a YAML file (default: the config's, else shanghai-2024).",
    },
    "help.lang": {
        "zh": "报告语言（默认：配置文件、$MEDIACHECK_LANG、系统语言）。",
        "en": "Language of the report (default: the config's, $MEDIACHECK_LANG, then the locale).",
    },
    "help.format": {
        "zh": "报告格式：{formats}。可重复或用逗号分隔；“:文件”把该格式写入文件（“-”为标准输出）。默认：{default}。",
        "en": "Report format(s): {formats}. Repeat or comma-separate; ':FILE' writes that format to FILE ('-': standard output). Default: {default}.",
    },
    "help.output": {
        "zh": "不带“:文件”的那个格式写入此文件。",
        "en": "File for the one format given without ':FILE'.",
    },
    "help.strict": {
        "zh": "警告也算不合格（退出码 1）。",
        "en": "Warnings fail the run too (exit 1).",
    },
    "help.config": {
        "zh": "配置文件（默认：从当前文件夹向上找到的第一个 .mediacheck.yaml）。",
        "en": "Config file (default: the nearest .mediacheck.yaml from here upward).",
    },
    "help.jobs": {
        "zh": "并行进程数（默认：配置文件中的，否则 CPU 核数）。",
        "en": "Worker processes (default: the config's, else the number of cores).",
    },
    "help.deep": {
        "zh": "同时用 ffmpeg 解码每一帧并报告解码错误（较慢：约为实时的 20 倍速）。",
        "en": "Also decode every frame with ffmpeg and report decode errors (slow: about 20x real time).",
    },
    "help.details": {
        "zh": "画出实测的逐秒码率及其允许范围。",
        "en": "Draw the measured per-second bitrates against their bands.",
    },
    "help.changed_since": {
        "zh": "只检查 git 报告自 REF 以来新增、修改、改名的文件（以及未跟踪的文件）。",
        "en": "Only files git reports added/modified/renamed since REF (plus untracked).",
    },
    "help.shard": {
        "zh": "只检查全部工作分成 N 份中的第 K 份。",
        "en": "Check only the K-th of N slices of the work.",
    },
    "help.cache_dir": {
        "zh": "缓存文件夹：检查结果和校验过的规则配置"
        "（默认：$XDG_CACHE_HOME/mediacheck 或 ~/.cache/mediacheck）。",
        "en": "Cache folder: results, and validated profiles "
        "(default: $XDG_CACHE_HOME/mediacheck or ~/.cache/mediacheck).",
    },
    "help.no_cache": {
        "zh": "不读也不写缓存（检查结果和校验过的规则配置）。",
        "en": "Neither read nor write the cache (results and validated profiles).",
    },
    "help.keep": {
        "zh": "把示例课程写入此文件夹，而不是临时文件夹。",
        "en": "Write the sample lessons to this folder instead of a temporary one.",
    },
    "help.rules_format": {
        "zh": "输出方式：table（终端）或 markdown（README 中的规则表）。",
        "en": "Output: table (terminal) or markdown (the README's rule tables).",
    },
}

CLICK_ZH: dict[str, str] = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示此帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看帮助。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Did you mean {possibility}?": "您是指 {possibility} 吗？",
    "(Did you mean one of: {possibilities}?)": "（您是指以下之一吗：{possibilities}？）",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "{value!r} is not one of {choices}.": "{value!r} 不是 {choices} 之一。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的布尔值。可用：{states}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是一个文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是一个文件夹。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 无法写入。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 无法执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "integer": "整数",
    "float": "小数",
    "Aborted!": "已中止！",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "unknown error": "未知错误",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，但只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，但给了 {len} 个。",
    "Do you want to continue?": "要继续吗？",
}
