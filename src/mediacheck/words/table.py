"""Words of the table kind (#10), zh and en, shaped like `words/catalogue.py`'s dicts:
the lead folds them into the catalogue (PROBE_ERRORS, CONTENT_NAMES, VALUE_NAMES) and
report/common.py (KIND_NAMES) when merging. Placeholders are the ProbeError params of
`probe/table.py`.
"""

from __future__ import annotations

Text = dict[str, str]

# Why a table could not be read at all (Facts.error.code).
PROBE_ERRORS: dict[str, Text] = {
    "not_table": {
        "zh": "这不是表格：文件内容是{what}（格式由内容决定，不由扩展名决定）。"
        "请用 Excel 或 WPS 打开统计表，另存为 .xlsx。",
        "en": "This is not a spreadsheet: its content is {what} (the content decides the "
        "format, not the file name). Open the statistics table in Excel or WPS and save it "
        "as .xlsx.",
    },
    "table_invalid": {
        "zh": "表格文件已损坏，无法读取（{detail}）。请用 Excel 或 WPS 打开并重新保存为 .xlsx。",
        "en": "The spreadsheet is damaged and cannot be read ({detail}). Open it in Excel or "
        "WPS and save it again as .xlsx.",
    },
    "table_encrypted": {
        "zh": "表格设置了打开密码（已加密），无法读取。请在 Excel/WPS 中取消密码"
        "（文件 → 信息 → 保护工作簿 / 文件 → 文档加密）后另存为 .xlsx。",
        "en": "The spreadsheet is password-protected (encrypted) and cannot be read. Remove "
        "the password in Excel/WPS (File → Info → Protect Workbook / File → Encrypt) and "
        "save it again as .xlsx.",
    },
    "table_too_large": {
        "zh": "这个表格中的“{part}”解压后有 {declared_bytes} 字节（在压缩包里只占 "
        "{compressed_bytes} 字节），远超正常的统计表，可能是“压缩炸弹”，为安全起见没有打开。",
        "en": "In this spreadsheet “{part}” unpacks to {declared_bytes} bytes (from "
        "{compressed_bytes} bytes packed), far beyond any statistics table; it may be a zip "
        "bomb and was not opened, for safety.",
    },
    "table_not_found": {
        "zh": "文件里没有找到统计表：各工作表的前 {rows} 行中都没有统计表的表头"
        "（如“{titles}”等列名）。请使用统一下发的统计表模板（mediacheck template 可生成）。",
        "en": "No statistics table was found: none of the sheets has the table's header "
        "(column titles such as “{titles}”) in its first {rows} rows. Use the official "
        "template (mediacheck template writes one).",
    },
    "table_xls_no_reader": {
        "zh": "这是旧版 Excel 格式（.xls），本机无法读取。请在 Excel/WPS 中另存为 .xlsx。",
        "en": "This is the old Excel format (.xls), which cannot be read here. Save it as "
        ".xlsx from Excel/WPS.",
    },
    "table_xlsb": {
        "zh": "这是 Excel 二进制工作簿（.xlsb），请在 Excel 中另存为 .xlsx。",
        "en": "This is an Excel binary workbook (.xlsb); save it as .xlsx from Excel.",
    },
    "table_csv_encoding": {
        "zh": "CSV 文件的文字编码无法识别（不是 UTF-8、GBK 或 GB18030）。"
        "请用 Excel/WPS 另存为 .xlsx。",
        "en": "The CSV file's text encoding is not recognised (not UTF-8, GBK or GB18030). "
        "Save it as .xlsx from Excel/WPS.",
    },
}

# What a file's content turned out to be (family names from discover/sniff.py).
CONTENT_NAMES: dict[str, Text] = {
    "xlsx": {"zh": " Excel 表格", "en": "an Excel workbook"},
    "xlsb": {"zh": " Excel 二进制工作簿", "en": "an Excel binary workbook"},
    "xls": {"zh": " Excel 97-2003 表格", "en": "an Excel 97-2003 workbook"},
    "csv": {"zh": " CSV 表格", "en": "a CSV table"},
    "doc": {"zh": " Word 97-2003 文档", "en": "a Word 97-2003 document"},
    "pptx": {"zh": " PowerPoint 演示文稿", "en": "a PowerPoint presentation"},
    "ppt": {"zh": " PowerPoint 97-2003 演示文稿", "en": "a PowerPoint 97-2003 presentation"},
    "ofd": {"zh": " OFD 版式文档", "en": "an OFD document"},
    "encrypted": {
        "zh": "加密（设置了密码）的 Office 文件",
        "en": "a password-protected Office file",
    },
}

# Fact values that are codes, as words.
VALUE_NAMES: dict[str, Text] = {
    "xlsx": {"zh": "Excel 表格（.xlsx）", "en": "Excel workbook (.xlsx)"},
    "xls": {"zh": "Excel 97-2003 表格（.xls）", "en": "Excel 97-2003 workbook (.xls)"},
    "csv": {"zh": "CSV 表格", "en": "CSV table"},
    "pdf": {"zh": "PDF 文档", "en": "PDF document"},
    "ofd": {"zh": "OFD 版式文档", "en": "OFD document"},
    "ooxml": {"zh": "Office 文件", "en": "Office file"},
}

# The kind's name in listings (report/common.py KIND_NAMES).
KIND_NAMES: dict[str, Text] = {"table": {"zh": "统计表", "en": "statistics table"}}

# The template and merged-table commands' own sentences.
UI: dict[str, Text] = {
    "template.wrote": {"zh": "已生成：{path}", "en": "Wrote {path}"},
    "template.exists": {
        "zh": "以下文件已经存在，为避免覆盖，没有写入任何文件：{paths}",
        "en": "These files already exist; to overwrite nothing, nothing was written: {paths}",
    },
    "template.kept": {"zh": "已存在，未改动：{path}", "en": "Already there, left as it is: {path}"},
    "template.next": {
        "zh": "填好后用 mediacheck table {table} 检查统计表。",
        "en": "When filled in, check the table with mediacheck table {table}.",
    },
    "merged.wrote": {
        "zh": "已写出汇总表 {path}（{units} 个单位，含合计行）。",
        "en": "Wrote the merged table {path} ({units} units and a 合计 row).",
    },
}
