"""The sentences of the course list and the link checks (#11), in zh and en.

Shaped like `catalogue.py`, which merges these dicts into its own: `PROBE_ERRORS` (a
course list or an entry that cannot be read), `MISSING` (why a fact has no value),
`VALUE_NAMES` (codes that facts hold, as words) and `UNDECIDED` (reasons a fact was not
decided — "not checked", "check by hand" — with the message and advice the finding shows;
evaluate makes such a finding a warning, never a pass). Placeholders are str.format names;
messages in `UNDECIDED` may cite any fact of the subject, dots as underscores.
"""

from __future__ import annotations

Text = dict[str, str]

# ---- why a course list, or one course of it, could not be read (Facts.error.code)
PROBE_ERRORS: dict[str, Text] = {
    "list_unreadable": {
        "zh": "无法读取课程清单（{detail}）。",
        "en": "The course list cannot be read ({detail}).",
    },
    "list_format": {
        "zh": "不支持这种课程清单格式（{suffix}）：请使用 courses.yaml 或 课程清单.xlsx。",
        "en": "This kind of course list is not supported ({suffix}): use courses.yaml or "
        "课程清单.xlsx.",
    },
    "list_too_large": {
        "zh": "课程清单文件过大（{size} 字节，上限 {limit}），不像是一份课程清单，没有读取。",
        "en": "The course list file is far too large ({size} bytes, limit {limit}) to be a "
        "course list; it was not read.",
    },
    "list_not_yaml": {
        "zh": "课程清单不是有效的 YAML（第 {line} 行附近：{detail}）。请对照模板检查缩进和冒号。",
        "en": "The course list is not valid YAML (near line {line}: {detail}). Compare its "
        "indentation and colons with the template.",
    },
    "list_aliases": {
        "zh": "课程清单中的 YAML 引用（& 和 *）超过 {limit} 个，为安全起见没有读取。",
        "en": "The course list uses more than {limit} YAML references (& and *); it was not "
        "read, for safety.",
    },
    "list_not_mapping": {
        "zh": "课程清单的顶层应是 schema:、district:、courses: 这样的“键: 值”。",
        "en": "A course list starts with keys such as schema:, district: and courses:.",
    },
    "list_unknown_keys": {
        "zh": "课程清单顶层有未知的键：{keys}（可用的键：{known}）。",
        "en": "The course list has unknown top-level key(s): {keys} (known: {known}).",
    },
    "list_schema": {
        "zh": "课程清单的 schema 为 {found}，本程序只支持 schema: 1。",
        "en": "The course list says schema {found}; only schema: 1 is supported.",
    },
    "list_bad_courses": {
        "zh": "courses: 应是课程的列表（每门课程以“- id: …”开头）。",
        "en": "courses: must be a list of courses (each starting with '- id: …').",
    },
    "list_bad_district": {
        "zh": "district:（区）应是文字，例如 普陀区。",
        "en": "district: must be text, for example 普陀区.",
    },
    "list_too_many": {
        "zh": "课程清单有 {count} 个条目，超过可读取的上限 {limit}，没有读取。"
        "每区上传课程不超过 10 门。",
        "en": "The course list holds {count} entries, over the {limit} that are read; it was "
        "not read. A district uploads at most 10 courses.",
    },
    "xlsx_invalid": {
        "zh": "课程清单.xlsx 不是有效的 Excel 工作簿（{detail}）。"
        "请在 Excel 或 WPS 中另存为 .xlsx。",
        "en": "课程清单.xlsx is not a valid Excel workbook ({detail}). Save it again as .xlsx "
        "from Excel or WPS.",
    },
    "xlsx_too_large": {
        "zh": "这个工作簿解压后过大（{size} 字节），为安全起见没有读取。",
        "en": "This workbook unpacks to too much data ({size} bytes); it was not read, for safety.",
    },
    "xlsx_no_header": {
        "zh": "工作表“{sheet}”前 {rows} 行中找不到表头行（含“课程编号”）。"
        "请使用 mediacheck template 生成的模板。",
        "en": "No header row (with 课程编号) in the first {rows} rows of sheet '{sheet}'. Use "
        "the template that mediacheck template writes.",
    },
    "xlsx_unknown_columns": {
        "zh": "表头有未知的列：{keys}（可用的列：{known}）。",
        "en": "The header has unknown column(s): {keys} (known: {known}).",
    },
    # one course of the list (the other courses are still checked)
    "course_not_mapping": {
        "zh": "第 {index} 个课程条目不是“键: 值”的形式。",
        "en": "Course entry {index} is not a set of 'key: value' pairs.",
    },
    "course_unknown_keys": {
        "zh": "课程 {course} 有未知的键：{keys}（可用的键：{known}）。",
        "en": "Course {course} has unknown key(s): {keys} (known: {known}).",
    },
    "course_no_id": {
        "zh": "第 {index} 个课程条目没有课程编号（id）。",
        "en": "Course entry {index} has no id.",
    },
    "course_bad_text": {
        "zh": "课程 {course} 的 {key} 应是文字（现在是 {found}）。",
        "en": "In course {course}, {key} must be text (it is {found}).",
    },
    "course_bad_int": {
        "zh": "课程 {course} 的 {key} 应是正整数（现在是 {found}）。",
        "en": "In course {course}, {key} must be a whole number ≥ 1 (it is {found}).",
    },
    "course_bad_bool": {
        "zh": "课程 {course} 的 {key} 应是 true 或 false（是/否），现在是 {found}。",
        "en": "In course {course}, {key} must be true or false (it is {found}).",
    },
    "course_bad_list": {
        "zh": "课程 {course} 的 {key} 应是列表（每项以“- ”开头）。",
        "en": "In course {course}, {key} must be a list (items start with '- ').",
    },
    "course_bad_mapping": {
        "zh": "课程 {course} 的 {key} 应是“键: 值”的形式，例如 {{name: …}}。",
        "en": "In course {course}, {key} must be 'key: value' pairs, like {{name: …}}.",
    },
    "course_conflict": {
        "zh": "课程 {course} 的“{key}”在不同行填写得不一致（{found}）。",
        "en": "Course {course} gives different values for '{key}' on different rows ({found}).",
    },
}

# ---- what a list or an entry that cannot be read is, for the measured column
CONTENT_NAMES: dict[str, Text] = {
    "bad_list": {"zh": "无法使用的课程清单", "en": "an unusable course list"},
    "bad_entry": {"zh": "无效的课程条目", "en": "an invalid course entry"},
}

# ---- why one fact has no value
MISSING: dict[str, Text] = {
    "not_declared": {"zh": "未填写", "en": "not given"},
    "offline": {"zh": "未检查（未联网访问）", "en": "not checked (not visited)"},
    "run_time_limit": {"zh": "未检查（总时间已用完）", "en": "not checked (run time limit)"},
    "http_403": {
        "zh": "拒绝访问（HTTP 403），需人工检查",
        "en": "refused (HTTP 403): check by hand",
    },
    "http_other": {"zh": "无法判断的响应，需人工检查", "en": "unclear response: check by hand"},
    "not_html": {"zh": "不是网页，需人工检查", "en": "not a web page: check by hand"},
    "unjudgeable": {
        "zh": "页面内容无法判断，需人工检查",
        "en": "page cannot be judged: check by hand",
    },
    "no_browser": {
        "zh": "脚本生成的页面，本机无浏览器，需人工检查",
        "en": "script-built page, no browser here: check by hand",
    },
    "browser_failed": {"zh": "浏览器打开失败，需人工检查", "en": "browser failed: check by hand"},
}

_BY_HAND_HINT: Text = {
    "zh": "请用手机和电脑的浏览器（在未登录状态下）亲自打开这个链接，确认不需要登录就能使用；"
    "如果需要登录或其他技术对接，请勾选“需技术支持”并填写联系人和电话。",
    "en": "Open the link yourself, logged out, in a phone and a desktop browser and make sure "
    "it works without a login; if it needs a login or other set-up, tick 需技术支持 and give a "
    "contact name and phone.",
}

# Not decided: the finding warns (never passes) with this message and advice.
UNDECIDED: dict[str, dict[str, Text]] = {
    "offline": {
        "message": {
            "zh": "没有访问这个链接（未联网检查），未检查不等于通过：{link_url}",
            "en": "This link was not visited (no online check); not checked is not passed: "
            "{link_url}",
        },
        "hint": {
            "zh": "联网后加 --online 重新检查（或在 .mediacheck.yaml 中写 online: true）。",
            "en": "Check again with --online on a machine with Internet access (or put "
            "online: true in .mediacheck.yaml).",
        },
    },
    "run_time_limit": {
        "message": {
            "zh": "检查的总时间已用完，这个链接没有访问：{link_url}",
            "en": "The run's time limit was used up before this link was visited: {link_url}",
        },
        "hint": {
            "zh": "单独重新检查这份清单，或调大总时间限制。",
            "en": "Check this list again on its own, or allow more time for the whole run.",
        },
    },
    "http_403": {
        "message": {
            "zh": "服务器拒绝了访问（HTTP 403）：可能需要登录，也可能只是拒绝了检查程序。"
            "{link_final_url}",
            "en": "The server refused the visit (HTTP 403): it may need a login, or it may "
            "only refuse automated visitors. {link_final_url}",
        },
        "hint": _BY_HAND_HINT,
    },
    "http_other": {
        "message": {
            "zh": "服务器返回了 HTTP {link_status}，无法判断能否直接打开：{link_final_url}",
            "en": "The server answered HTTP {link_status}; whether it opens directly cannot be "
            "told: {link_final_url}",
        },
        "hint": _BY_HAND_HINT,
    },
    "not_html": {
        "message": {
            "zh": "链接打开的不是网页（{link_content_type}），无法判断是否是可用的交互资源。",
            "en": "The link opens something that is not a web page ({link_content_type}); "
            "whether it is a working interactive resource cannot be told.",
        },
        "hint": _BY_HAND_HINT,
    },
    "unjudgeable": {
        "message": {
            "zh": "页面几乎没有内容，无法判断能否直接使用：{link_final_url}",
            "en": "The page shows almost nothing, so whether it works cannot be told: "
            "{link_final_url}",
        },
        "hint": _BY_HAND_HINT,
    },
    "no_browser": {
        "message": {
            "zh": "页面由脚本生成（空壳页面），需要浏览器才能判断，但本机没有可用的浏览器："
            "{link_final_url}",
            "en": "The page is built by script (an empty shell); judging it needs a browser, and "
            "none is available here: {link_final_url}",
        },
        "hint": {
            "zh": "安装浏览器支持后重新检查：pip install 'mediacheck[links]'，并安装 Chromium"
            "（Debian/Ubuntu：apt-get install chromium）；或亲自在浏览器中打开确认。",
            "en": "Install browser support and check again: pip install 'mediacheck[links]' and "
            "Chromium (Debian/Ubuntu: apt-get install chromium); or open it yourself.",
        },
    },
    "browser_failed": {
        "message": {
            "zh": "用浏览器打开页面失败（{link_evidence}），无法判断：{link_final_url}",
            "en": "Opening the page in the browser failed ({link_evidence}); it cannot be "
            "judged: {link_final_url}",
        },
        "hint": _BY_HAND_HINT,
    },
}

# ---- codes that facts hold, as words (link verdicts, advice, course fits)
VALUE_NAMES: dict[str, Text] = {
    "link:open": {"zh": "可直接打开，无需登录", "en": "opens directly, no login"},
    "link:http_401": {"zh": "需要登录（HTTP 401）", "en": "needs a login (HTTP 401)"},
    "link:http_407": {"zh": "需要代理登录（HTTP 407）", "en": "needs a proxy login (HTTP 407)"},
    "link:login_redirect": {"zh": "跳转到登录页", "en": "redirects to a login page"},
    "link:wechat_oauth": {"zh": "跳转到微信授权登录", "en": "redirects to WeChat sign-in"},
    "link:wechat_only": {"zh": "只能在微信中打开", "en": "opens only inside WeChat"},
    "link:password_form": {"zh": "页面要求输入密码", "en": "the page asks for a password"},
    "link:login_words": {"zh": "页面要求登录", "en": "the page asks visitors to log in"},
    "link:meta_login": {
        "zh": "页面自动跳转到登录页",
        "en": "the page forwards to a login page",
    },
    "link:script_login": {
        "zh": "页面脚本跳转到登录页",
        "en": "the page's script goes to a login page",
    },
    "link:api_401": {
        "zh": "页面的数据请求要求登录（HTTP 401）",
        "en": "the page's data requests need a login (HTTP 401)",
    },
    "link:download_apk": {
        "zh": "下载安卓安装包（.apk），不是网页",
        "en": "downloads an app (.apk), not a page",
    },
    "link:download": {"zh": "下载文件，不是网页", "en": "downloads a file, not a page"},
    "link:http_404": {"zh": "页面不存在（HTTP 404）", "en": "no such page (HTTP 404)"},
    "link:http_410": {"zh": "页面已删除（HTTP 410）", "en": "page removed (HTTP 410)"},
    "link:http_5xx": {"zh": "服务器出错（HTTP 5xx）", "en": "server error (HTTP 5xx)"},
    "link:dns_error": {"zh": "域名无法解析", "en": "the host name does not resolve"},
    "link:tls_error": {
        "zh": "证书或加密连接有问题（浏览器会显示安全警告）",
        "en": "certificate or TLS problem (browsers show a warning)",
    },
    "link:connect_error": {"zh": "无法连接服务器", "en": "cannot connect to the server"},
    "link:timeout": {"zh": "超时未响应", "en": "no answer in time"},
    "link:redirect_loop": {"zh": "循环跳转", "en": "redirect loop"},
    "link:too_many_redirects": {"zh": "跳转次数过多", "en": "too many redirects"},
    "link:not_http": {"zh": "不是网页地址（http/https）", "en": "not a web address (http/https)"},
    "link:bad_url": {"zh": "地址格式不正确", "en": "malformed address"},
    "link:private_address": {
        "zh": "内网或本机地址，学员无法访问",
        "en": "a private or local address learners cannot reach",
    },
    # what to do, per verdict (rule messages cite {link_advice})
    "advice:open": {"zh": "", "en": ""},
    "advice:http_401": {
        "zh": "请提供无需登录即可访问的链接（例如体验版、游客模式）。",
        "en": "Give a link that works without a login (a demo or guest mode).",
    },
    "advice:login": {
        "zh": "请提供无需登录即可访问的链接（例如体验版、游客模式），或关闭访问控制。",
        "en": "Give a link that works without a login (a demo or guest mode), or lift the "
        "access control.",
    },
    "advice:wechat": {
        "zh": "学员可能在电脑或手机浏览器中打开：请提供不依赖微信授权的网页链接。",
        "en": "Learners may open it in a desktop or phone browser: give a web link that does "
        "not depend on WeChat sign-in.",
    },
    "advice:download": {
        "zh": "链接应直接打开网页版资源，而不是下载文件或安装包。",
        "en": "The link must open the resource as a web page, not download a file or an app.",
    },
    "advice:not_found": {
        "zh": "链接地址有误或页面已下线：请核对并更新链接。",
        "en": "The address is wrong or the page is gone: check the link and update it.",
    },
    "advice:server": {
        "zh": "服务器暂时出错：请联系资源的技术人员，修复后重新检查。",
        "en": "The server is failing: ask the resource's technical staff, then check again.",
    },
    "advice:network": {
        "zh": "请核对地址；如果只在单位内网可用，学员将无法打开，需部署到公网。",
        "en": "Check the address; if it works only on an internal network, learners cannot "
        "open it: it must be deployed publicly.",
    },
    "advice:tls": {
        "zh": "请让网站管理员更新 HTTPS 证书（过期、域名不符或自签名证书都会让浏览器报警）。",
        "en": "Ask the site's administrator to fix its HTTPS certificate (expired, wrong name "
        "or self-signed certificates make browsers warn).",
    },
    "advice:redirect": {
        "zh": "网站的跳转设置有误：请联系网站管理员修复。",
        "en": "The site's redirects are misconfigured: ask its administrator to fix them.",
    },
    "advice:url": {
        "zh": "请填写以 http:// 或 https:// 开头的网页地址（不要填小程序或 App 内部地址）。",
        "en": "Give a web address starting with http:// or https:// (not an in-app or "
        "mini-program address).",
    },
    "advice:private": {
        "zh": "这是内网或本机地址，学员无法访问：请部署到公网后填写公网地址。",
        "en": "This is an internal or local address learners cannot reach: deploy it publicly "
        "and give the public address.",
    },
    # C-CATEGORY: where the declared topic stands among the notice's examples
    "topic:listed": {"zh": "在本层级的示例中", "en": "among this level's examples"},
    "topic:unlisted": {"zh": "不在通知列举的示例中", "en": "not among the notice's examples"},
    "topic:other_level": {"zh": "属于另一层级的示例", "en": "an example of the other level"},
    # C-FORMS: the declared form against the measured episode lengths
    "length:fits": {"zh": "时长与形式相符", "en": "length fits the form"},
    "length:too_long": {"zh": "比该形式通常的时长长", "en": "longer than the form usually is"},
    "length:too_short": {"zh": "比该形式通常的时长短", "en": "shorter than the form usually is"},
    # I-SUPPORT: the contact of a course that needs technical support
    "contact:ok": {"zh": "联系人和电话齐全", "en": "name and phone given"},
    "contact:missing": {"zh": "没有填写联系人", "en": "no contact given"},
    "contact:no_name": {"zh": "缺少联系人姓名", "en": "no contact name"},
    "contact:no_phone": {"zh": "缺少联系电话", "en": "no contact phone"},
    "contact:bad_phone": {"zh": "电话号码无效", "en": "not a valid phone number"},
}

# verdict code -> which advice
ADVICE: dict[str, str] = {
    "open": "open",
    "http_401": "http_401",
    "http_407": "login",
    "login_redirect": "login",
    "password_form": "login",
    "login_words": "login",
    "meta_login": "login",
    "script_login": "login",
    "api_401": "login",
    "wechat_oauth": "wechat",
    "wechat_only": "wechat",
    "download_apk": "download",
    "download": "download",
    "http_404": "not_found",
    "http_410": "not_found",
    "http_5xx": "server",
    "dns_error": "network",
    "connect_error": "network",
    "timeout": "network",
    "tls_error": "tls",
    "redirect_loop": "redirect",
    "too_many_redirects": "redirect",
    "not_http": "url",
    "bad_url": "url",
    "private_address": "private",
}

# Said when a course ticks 需技术支持 with a contact: its link's findings become notes.
SUPPORT_NOTE: Text = {
    "zh": "（已勾选“需技术支持”并留有联系人，平台技术人员会对接，此项仅供参考。）",
    "en": " (需技术支持 is ticked with a contact, so the platform's staff will set it up; "
    "this is for information only.)",
}
