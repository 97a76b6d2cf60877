"""`mediacheck template`: a courses.yaml (with comments) and a 课程清单.xlsx (headers and
drop-down lists for 层级, 形式 and 需技术支持) to fill in. Both hold the same example
courses, and the lists they offer (levels, forms, topics) come from the profile.

A template never replaces a file: one that exists is kept and reported as kept.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from mediacheck.atomic import write_new  # noqa: F401  (templates never replace a file)
from mediacheck.sets.course_xlsx import HEADERS, SHEET

YAML_NAME = "courses.yaml"
XLSX_NAME = "课程清单.xlsx"
XLSX_ROWS = 500  # rows the drop-down lists cover


def _expected(profile: Any, rule_id: str) -> list[str]:
    rule = next((r for r in profile.rules if r.id == rule_id), None)
    return [str(v) for v in rule.expected] if rule and isinstance(rule.expected, list) else []


def choices(profile: Any) -> dict[str, Any]:
    """The lists a template offers, from the profile (never repeated in code)."""
    section = profile.courses or {}
    categories: dict[str, list[str]] = section.get("categories", {})
    levels = _expected(profile, "C-LEVEL") or list(categories)
    forms = _expected(profile, "C-FORM")
    interactive = section.get("interactive_form") or (forms[-1] if forms else "")
    video_forms = [f for f in forms if f != interactive]
    return {
        "levels": levels,
        "forms": forms,
        "interactive": interactive,
        "video_form": video_forms[1] if len(video_forms) > 1 else (video_forms or [""])[0],
        "categories": categories,
    }


def _topic(c: dict[str, Any], level_index: int) -> tuple[str, str]:
    levels = c["levels"] or ["", ""]
    level = levels[min(level_index, len(levels) - 1)]
    topics = c["categories"].get(level) or [""]
    return level, topics[0]


def example_courses(profile: Any) -> list[dict[str, Any]]:
    """The template's two example courses: a series of videos and an interactive one."""
    c = choices(profile)
    high, high_topic = _topic(c, 1)
    basic, basic_topic = _topic(c, 0)
    return [
        {
            "id": "PT-01", "title": "手机挂号不求人", "level": high, "topic": high_topic,
            "form": c["video_form"], "unit": "长征镇社区学校",
            "series": {"name": "手机就医系列"},
            "episodes": [
                {"no": 1, "title": "下载医院 App", "file": "lessons/PT-01-01.mp4"},
                {"no": 2, "title": "绑定医保卡", "file": "lessons/PT-01-02.mp4"},
            ],
        },
        {
            "id": "PT-07", "title": "模拟地铁扫码乘车", "level": basic, "topic": basic_topic,
            "form": c["interactive"], "unit": "长征镇社区学校",
            "url": "https://example.org/sim/metro", "needs_support": False,
            "contact": {"name": "李老师", "phone": "13912345678"},
        },
    ]  # fmt: skip


def _q(text: str) -> str:
    """A YAML scalar, quoted when plain YAML would misread it."""
    if (
        not text
        or text[0] in "!&*[]{}|>'\"%@`#,?:-"
        or any(ch in text for ch in ":#")
        or (text.lower() in ("yes", "no", "true", "false", "on", "off", "null", "~"))
    ):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def yaml_template(profile: Any) -> str:
    c = choices(profile)
    first, second = example_courses(profile)
    topics = "; ".join(f"{level}: {'、'.join(t)}" for level, t in c["categories"].items())
    lines = [
        "# 课程清单 / course list — mediacheck courses courses.yaml",
        "# 每门课程一项；一门系列课程算一门，各集写在 episodes 下。",
        "# One entry per course; a series is one course, its episodes go under episodes.",
        "# 文件路径相对于本文件所在的文件夹 / file paths are relative to this file's folder.",
        "schema: 1",
        "district: 普陀区",
        "courses:",
        f"  - id: {_q(first['id'])}                    # 课程编号（唯一）/ unique id",
        f"    title: {_q(first['title'])}",
        f"    level: {_q(first['level'])}                  # {' | '.join(c['levels'])}",
        f"    topic: {_q(first['topic'])}                  # 示例 / examples — {topics}",
        f"    form: {_q(first['form'])}                     # {' | '.join(c['forms'])}",
        f"    unit: {_q(first['unit'])}",
        f"    series: {{name: {_q(first['series']['name'])}}}     # 系列课程（可选）/ optional",
        "    episodes:                        # 每集一个视频 / one video per episode",
    ]
    for ep in first["episodes"]:
        lines.append(
            f"      - {{no: {ep['no']}, title: {_q(ep['title'])}, file: {_q(ep['file'])}}}"
        )
    lines += [
        f"  - id: {_q(second['id'])}",
        f"    title: {_q(second['title'])}",
        f"    level: {_q(second['level'])}",
        f"    topic: {_q(second['topic'])}",
        f"    form: {_q(second['form'])}                   # 交互模拟类：填写链接 / give the link",
        f"    unit: {_q(second['unit'])}",
        f"    url: {_q(second['url'])}   # 无需登录即可打开 / opens with no login",
        "    needs_support: false             # 需技术支持（登录、部署等）/ needs set-up",
        f"    contact: {{name: {_q(second['contact']['name'])}, phone: "
        f'"{second["contact"]["phone"]}"}}   # needs_support 为 true 时必填 / required then',
        "",
    ]
    return "\n".join(lines)


def xlsx_template(profile: Any) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    c = choices(profile)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(["区", "普陀区"])
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for course in example_courses(profile):
        rows = course.get("episodes") or [{}]
        for n, ep in enumerate(rows):
            head = n == 0  # the course's own columns on its first row only
            support = course.get("needs_support")
            sheet.append([
                course["id"],
                course["title"] if head else None,
                course["level"] if head else None,
                course["topic"] if head else None,
                course["form"] if head else None,
                course["unit"] if head else None,
                (course.get("series") or {}).get("name") if head else None,
                course.get("url") if head else None,
                ("是" if support else "否") if head and support is not None else None,
                (course.get("contact") or {}).get("name") if head else None,
                (course.get("contact") or {}).get("phone") if head else None,
                ep.get("no"), ep.get("title"), ep.get("file"),
            ])  # fmt: skip
    column = {name: get_column_letter(i + 1) for i, name in enumerate(HEADERS)}
    for name, options in (
        ("层级", c["levels"]),
        ("形式", c["forms"]),
        ("需技术支持", ["是", "否"]),
    ):
        if not options:
            continue
        rule = DataValidation(type="list", formula1='"' + ",".join(options) + '"',
                              allow_blank=True, showDropDown=False)  # fmt: skip
        rule.error, rule.errorTitle = f"请从列表中选择：{'、'.join(options)}", name
        rule.prompt, rule.promptTitle = " / ".join(options), name
        sheet.add_data_validation(rule)
        rule.add(f"{column[name]}3:{column[name]}{XLSX_ROWS}")
    for i, name in enumerate(HEADERS, 1):
        sheet.column_dimensions[get_column_letter(i)].width = 24 if name == "视频文件" else 14
    sheet.column_dimensions[column["链接"]].width = 32
    sheet.freeze_panes = "A3"
    notes = book.create_sheet("说明")
    for line in (
        "每集一行：课程的名称、层级、主题、形式等只需在它的第一行填写；课程编号每行都填（或合并单元格）。",
        "One row per episode: fill the course's columns on its first row; repeat 课程编号 "
        "(or merge its cells).",
        "视频文件的路径相对于本表格所在的文件夹，例如 lessons/PT-01-01.mp4。",
        "Video paths are relative to this workbook's folder, e.g. lessons/PT-01-01.mp4.",
        "交互模拟类课程填写链接；需要登录或部署的，需技术支持选“是”并填写联系人和电话。",
        "An interactive course gives its link; one that needs a login or set-up says 是 under "
        "需技术支持 and gives a contact and phone.",
        "检查：mediacheck courses 课程清单.xlsx（加 --online 访问链接）。",
        "Check it: mediacheck courses 课程清单.xlsx (add --online to visit the links).",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_templates(folder: Path, profile: Any) -> dict[Path, bool]:
    """Both templates into `folder`; each path -> True (written) or False (kept as it was)."""
    folder = Path(folder)
    return {
        folder / YAML_NAME: write_new(folder / YAML_NAME, yaml_template(profile).encode()),
        folder / XLSX_NAME: write_new(folder / XLSX_NAME, xlsx_template(profile)),
    }
