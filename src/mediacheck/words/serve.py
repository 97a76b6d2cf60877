"""The words of `mediacheck serve`: its page, its progress and its refusals, zh and en.

Shaped like `catalogue.UI`. The page's script gets the `PAGE` words of one language as
JSON; the server's answers (`ERRORS`) are sentences a clerk can act on.
"""

from __future__ import annotations

from mediacheck.words.lang import tr

Text = dict[str, str]

PAGE: dict[str, Text] = {
    "title": {"zh": "mediacheck 本机检查", "en": "mediacheck on this computer"},
    "intro": {
        "zh": "选择或拖入要检查的文件或文件夹（视频、照片、案例文字）。文件只交给本机上运行的 "
        "mediacheck，不会发到网络上；检查完后临时副本立即删除。",
        "en": "Pick or drop the files or folders to check (videos, photos, case texts). They "
        "go only to mediacheck running on this computer, never to the internet; the temporary "
        "copies are deleted as soon as the check is done.",
    },
    "drop": {"zh": "把文件或文件夹拖到这里", "en": "Drop files or folders here"},
    "or": {"zh": "或者", "en": "or"},
    "pick_files": {"zh": "选择文件…", "en": "Choose files…"},
    "pick_folder": {"zh": "选择文件夹…", "en": "Choose a folder…"},
    "chosen": {"zh": "已选择 {n} 个文件，共 {size}。", "en": "{n} file(s) chosen, {size} in all."},
    "start": {"zh": "开始检查", "en": "Check them"},
    "again": {"zh": "检查另一批", "en": "Check another batch"},
    "uploading": {
        "zh": "正在交给本机的 mediacheck：{pct}%",
        "en": "Handing over to mediacheck: {pct}%",
    },
    "queued": {"zh": "排队等待检查…", "en": "Waiting to be checked…"},
    "checking": {
        "zh": "正在检查：{done} / {total} 个文件",
        "en": "Checking: {done} of {total} file(s)",
    },
    "reporting": {"zh": "正在生成报告…", "en": "Making the report…"},
    "done": {"zh": "检查完成。", "en": "Done."},
    "download": {"zh": "下载报告（HTML）", "en": "Download the report (HTML)"},
    "download_xlsx": {"zh": "下载表格（Excel）", "en": "Download the sheet (Excel)"},
    "download_csv": {"zh": "下载表格（CSV）", "en": "Download the sheet (CSV)"},
    "report_frame": {"zh": "检查报告", "en": "The report"},
    "failed": {"zh": "检查没有完成：{message}", "en": "The check did not finish: {message}"},
    "lost": {
        "zh": "与本机的 mediacheck 失去联系。它可能已被关闭，请重新启动 mediacheck serve。",
        "en": "Lost contact with mediacheck on this computer. It may have been closed; start "
        "mediacheck serve again.",
    },
    "nothing": {"zh": "请先选择文件或文件夹。", "en": "Choose files or a folder first."},
    "too_big": {
        "zh": "所选文件共 {size}，超过了上限 {limit}。请分批检查。",
        "en": "The files chosen come to {size}, over the limit of {limit}. Check them in batches.",
    },
    "limits": {
        "zh": "上限：每批 {total}，单个文件 {file}。",
        "en": "Limits: {total} per batch, {file} per file.",
    },
    "privacy": {
        "zh": "仅限本机访问（127.0.0.1）。关闭此页面会取消正在进行的检查并删除临时文件。",
        "en": "Reachable from this computer only (127.0.0.1). Closing this page cancels a "
        "check in progress and deletes its temporary files.",
    },
}

ERRORS: dict[str, Text] = {
    "forbidden_host": {
        "zh": "拒绝访问：此页面只能通过本机地址（127.0.0.1 或 localhost）打开。",
        "en": "Refused: this page can only be opened at this computer's own address "
        "(127.0.0.1 or localhost).",
    },
    "forbidden_origin": {
        "zh": "拒绝访问：请求来自其他网站。",
        "en": "Refused: the request came from another web site.",
    },
    "bad_token": {
        "zh": "页面已过期，请刷新页面后重试。",
        "en": "This page has expired; reload it and try again.",
    },
    "no_files": {"zh": "没有收到任何文件。", "en": "No files were received."},
    "not_multipart": {
        "zh": "上传格式不正确（需要 multipart/form-data）。",
        "en": "The upload is not multipart/form-data.",
    },
    "too_large": {
        "zh": "上传内容超过上限 {limit}，已拒收，没有保存。请分批检查。",
        "en": "The upload is over the limit of {limit}; it was refused and not kept. Check "
        "the files in batches.",
    },
    "file_too_large": {
        "zh": "文件“{name}”超过单个文件上限 {limit}，已拒收。",
        "en": "The file '{name}' is over the per-file limit of {limit}; refused.",
    },
    "too_many_files": {
        "zh": "文件太多（上限 {limit} 个），请分批检查。",
        "en": "Too many files (at most {limit}); check them in batches.",
    },
    "no_space": {
        "zh": "本机临时文件夹的剩余空间不足（需要 {need}，只剩 {free}）。",
        "en": "Not enough free space in the temporary folder ({need} needed, {free} free).",
    },
    "bad_upload": {
        "zh": "上传的数据不完整或格式有误，请重试。",
        "en": "The upload was incomplete or malformed; try again.",
    },
    "busy": {
        "zh": "正在进行的检查太多，请稍后再试。",
        "en": "Too many checks are running; try again in a moment.",
    },
    "no_job": {
        "zh": "找不到这次检查（可能已过期或已取消）。",
        "en": "This check is not known (it may have expired or been cancelled).",
    },
    "not_ready": {"zh": "报告还没有生成。", "en": "The report is not ready yet."},
    "crashed": {
        "zh": "检查时出现意外错误（{detail}）。其他批次不受影响。",
        "en": "An unexpected error stopped the check ({detail}). Other batches are unaffected.",
    },
}

CONSOLE: dict[str, Text] = {
    "listening": {
        "zh": "mediacheck 本机检查页面：{url}\n临时文件夹：{tmp}\n"
        "按 Ctrl+C 退出（临时文件会被删除）。",
        "en": "mediacheck page: {url}\nTemporary folder: {tmp}\nPress Ctrl+C to stop "
        "(the temporary files are deleted).",
    },
    "port_busy": {
        "zh": "端口 {port} 已被占用，请用 --port 换一个端口（或 --port 0 自动选择）。",
        "en": "Port {port} is in use; choose another with --port (or --port 0 for any free one).",
    },
    "cancelled": {
        "zh": "已取消一次检查（页面已关闭），其临时文件已删除。",
        "en": "A check was cancelled (its page was closed); its temporary files are deleted.",
    },
    "stopped": {"zh": "已退出，临时文件已删除。", "en": "Stopped; temporary files deleted."},
    "bad_size": {
        "zh": "无法理解的大小“{value}”（例如 4GB、500MB）。",
        "en": "Cannot read the size '{value}' (try 4GB or 500MB).",
    },
}


def page_words(lang: str) -> dict[str, str]:
    return {key: tr(text, lang) for key, text in PAGE.items()}


def error_text(code: str, lang: str, **params: object) -> str:
    return tr(ERRORS[code], lang).format(**params)


def console(key: str, lang: str, **params: object) -> str:
    return tr(CONSOLE[key], lang).format(**params)
