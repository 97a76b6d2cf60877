"""`mediacheck template FOLDER`: an empty submission a clerk can fill in.

Writes the statistics table as .xlsx in the notice's layout (title, 单位/日期, the
two-row merged header, one empty data row, the remarks), and skeletons of the work
summary (工作总结.docx) and the case (案例/案例.docx) with the rules written in them.
Every value — titles, column names, the 2000-字 limit, 5 photos, 2M — comes from the
profile. Nothing that exists is ever overwritten: when any target exists, nothing is
written and `TemplateExists` names them all.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

from mediacheck.atomic import write_new
from mediacheck.probe.table_layout import Layout
from mediacheck.profile import Profile
from mediacheck.sets.table_writer import workbook_bytes
from mediacheck.words.units import format_value

TABLE_NAME = "统计表.xlsx"
SUMMARY_NAME = "工作总结.docx"
CASE_NAME = str(Path("案例") / "案例.docx")


class TemplateExists(Exception):
    """Targets that already exist; nothing was written."""

    def __init__(self, paths: list[Path]) -> None:
        super().__init__(", ".join(map(str, paths)))
        self.paths = paths


@dataclass(frozen=True)
class Limits:
    """The rules a clerk must know, read from the profile (None when a rule is off)."""

    chars: int | None  # T-LENGTH
    photos: int | None  # P-COUNT
    photo_bytes: int | None  # P-SIZE
    formats: list[str] | None  # P-FORMAT


def limits(profile: Profile) -> Limits:
    rules = {r.id: r for r in profile.rules}

    def expected(rule_id: str):
        rule = rules.get(rule_id)
        return None if rule is None else rule.expected

    return Limits(expected("T-LENGTH"), expected("P-COUNT"), expected("P-SIZE"),
                  expected("P-FORMAT"))  # fmt: skip


def _docx(title: str, lines: list[str]) -> bytes:
    import docx

    doc = docx.Document()
    doc.add_heading(title, level=1)
    for line in lines:
        para = doc.add_paragraph(line)
        if line.startswith("【"):
            for run in para.runs:
                run.italic = True
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def summary_bytes(layout: Layout, lim: Limits) -> bytes:
    rules = ["【填写要求，提交前请删除本段】",
             "【请各街道镇、各相关单位形成老年数字教育进社区行动总结报告一份，"
             "体现本年度工作特色、亮点和成效。】"]  # fmt: skip
    if lim.chars:
        rules.append(f"【字数在 {lim.chars} 字以内（按 Word“字数统计”中的“字数”计算）。】")
    rules.append(f"【数据统计见《{layout.title}》（{TABLE_NAME}）。】")
    body = ["一、基本情况", "", "二、特色与亮点", "", "三、工作成效", "", "四、下一步打算", ""]
    return _docx("2024 年老年数字教育进社区行动工作总结", rules + body)


def case_bytes(lim: Limits) -> bytes:
    rules = ["【填写要求，提交前请删除本段】",
             "【提供基层行动优秀案例 1 个，坚持问题导向，针对基层工作中存在的实际问题进行"
             "创新性的探索和实践，具有鲜明的特色和亮点。】"]  # fmt: skip
    if lim.chars:
        rules.append(f"【字数控制在 {lim.chars} 字以内。】")
    photo = []
    if lim.photos:
        photo.append(f"{lim.photos} 张以上照片，照片内容不重复")
    if lim.formats:
        names = {"jpeg": "jpg"}
        photo.append("格式为 " + "、".join(names.get(f, f) for f in lim.formats))
    if lim.photo_bytes:
        photo.append(f"单张照片不小于 {format_value(lim.photo_bytes, 'bytes')}")
    if photo:
        rules.append("【照片放在本文件夹中：" + "，".join(photo) + "。】")
    body = ["案例名称：", "", "一、问题与背景", "", "二、主要做法", "", "三、成效与启示", ""]
    return _docx("优秀工作案例", rules + body)


def _write_new(path: Path, data: bytes) -> None:
    if not write_new(path, data):
        raise TemplateExists([path])


def write_template(folder: Path, profile: Profile) -> list[Path]:
    """Write the empty submission into `folder` (made if missing); the paths written."""
    layout = profile.tables.get("statistics")
    if layout is None:
        raise ValueError("the profile has no 'tables: statistics:' layout")
    lim = limits(profile)
    files = {
        folder / TABLE_NAME: workbook_bytes(layout, [], empty_rows=1),
        folder / SUMMARY_NAME: summary_bytes(layout, lim),
        folder / CASE_NAME: case_bytes(lim),
    }
    existing = [p for p in files if os.path.lexists(p)]
    if existing:
        raise TemplateExists(existing)
    for path, data in files.items():
        _write_new(path, data)
    return list(files)
