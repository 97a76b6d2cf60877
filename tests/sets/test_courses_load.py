"""Loading the course list: courses.yaml and 课程清单.xlsx into one schema, the JSON Schema
that ships, the templates, and every bad list as a clear error (never a traceback)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import jsonschema
import pytest
import yaml
from openpyxl import Workbook

from mediacheck.profile import load_profile
from mediacheck.sets.course_template import write_templates, xlsx_template, yaml_template
from mediacheck.sets.course_xlsx import HEADERS
from mediacheck.sets.courses import MAX_ALIASES, load_list
from mediacheck.words.catalogue import probe_error_text

PROFILE = load_profile()
SCHEMA = json.loads(
    (Path(__file__).parents[2] / "src/mediacheck/schemas/courses-v1.json").read_text("utf-8")
)

# the issue's example, word for word
ISSUE_EXAMPLE = """\
# courses.yaml
schema: 1
district: 普陀区
courses:
  - id: PT-01
    title: 手机挂号不求人
    level: 提高类                      # 基础类 | 提高类
    topic: 智慧就医
    form: 微课                          # 短视频 | 微课 | 长视频 | 交互模拟
    unit: 长征镇社区学校
    series: {name: 手机就医系列}         # optional
    episodes:
      - {no: 1, title: 下载医院 App, file: lessons/PT-01-01.mp4}   # relative to this file
      - {no: 2, title: 绑定医保卡, file: lessons/PT-01-02.mp4}
  - id: PT-07
    title: 模拟地铁扫码乘车
    level: 基础类
    topic: 智能出行
    form: 交互模拟
    unit: 长征镇社区学校
    url: https://example.org/sim/metro
    needs_support: false                # the platform's 需技术支持 box
    contact: {name: 李老师, phone: "13912345678"}   # required when needs_support is true
"""


def write(tmp_path: Path, text: str, name: str = "courses.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _yaml_data(text: str) -> object:
    """Plain data as a JSON-Schema validator sees it (YAML 1.1 reads the key `no:` as
    false; the loader maps it back, and so does this)."""

    def fix(node: object) -> object:
        if isinstance(node, dict):
            return {("no" if k is False else k): fix(v) for k, v in node.items()}
        if isinstance(node, list):
            return [fix(v) for v in node]
        return node

    return fix(yaml.safe_load(text))


def error_text(clist, lang: str = "en") -> str:
    err = clist.error
    return probe_error_text(err.code, lang, err.params)


def test_issue_example_loads_and_validates(tmp_path):
    jsonschema.validate(_yaml_data(ISSUE_EXAMPLE), SCHEMA)
    clist = load_list(write(tmp_path, ISSUE_EXAMPLE))
    assert clist.error is None
    assert clist.district == "普陀区"
    first, second = clist.courses()
    assert first.episodes[1].no == 2 and first.episodes[1].file == "lessons/PT-01-02.mp4"
    assert first.series.name == "手机就医系列"
    assert second.needs_support is False and second.contact.phone == "13912345678"
    assert [e.where for e in clist.entries] == ["line 5", "line 15"]
    assert str(clist.subject(clist.entries[1])).endswith("courses.yaml#PT-07")
    jsonschema.validate(clist.to_dict(), SCHEMA)


def test_templates_load_into_the_same_schema_and_validate(tmp_path):
    written = write_templates(tmp_path, PROFILE)
    assert all(written.values())
    from_yaml = load_list(tmp_path / "courses.yaml")
    from_xlsx = load_list(tmp_path / "课程清单.xlsx")
    assert from_yaml.error is None and from_xlsx.error is None
    assert all(e.error is None for e in (*from_yaml.entries, *from_xlsx.entries))
    assert from_yaml.to_dict() == from_xlsx.to_dict()
    jsonschema.validate(_yaml_data((tmp_path / "courses.yaml").read_text("utf-8")), SCHEMA)
    jsonschema.validate(from_xlsx.to_dict(), SCHEMA)
    # the lists offered come from the profile
    text = yaml_template(PROFILE)
    assert "基础类 | 提高类" in text and "短视频 | 微课 | 长视频 | 交互模拟" in text


def test_xlsx_template_has_dropdowns(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "t.xlsx"
    path.write_bytes(xlsx_template(PROFILE))
    sheet = load_workbook(path).active
    formulas = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert '"基础类,提高类"' in formulas
    assert '"短视频,微课,长视频,交互模拟"' in formulas
    assert [c.value for c in sheet[2]] == list(HEADERS)


def test_templates_never_overwrite(tmp_path):
    mine = write(tmp_path, "schema: 1\ncourses: []\n")
    written = write_templates(tmp_path, PROFILE)
    assert written[mine] is False
    assert mine.read_text("utf-8") == "schema: 1\ncourses: []\n"
    assert written[tmp_path / "课程清单.xlsx"] is True
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


# ---- bad lists: each a clear error naming what is wrong


def test_not_yaml(tmp_path):
    clist = load_list(write(tmp_path, "courses:\n  - id: PT-01\n    title: [unclosed\n"))
    assert clist.error.code == "list_not_yaml"
    assert "not valid YAML" in error_text(clist)
    assert "不是有效的 YAML" in error_text(clist, "zh")


def test_yaml_bomb_is_refused_before_it_is_built(tmp_path):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    clist = load_list(write(tmp_path, "\n".join(lines) + "\ncourses: *a9\n"))
    assert clist.error.code == "list_aliases"
    assert str(MAX_ALIASES) in error_text(clist)


def test_unknown_keys_name_the_key_and_the_course(tmp_path):
    text = ISSUE_EXAMPLE.replace("    title: 模拟地铁扫码乘车", "    tilte: 模拟地铁扫码乘车")
    text = text.replace("{no: 2, title: 绑定医保卡,", "{no: 2, titel: 绑定医保卡,")
    clist = load_list(write(tmp_path, text))
    assert clist.error is None  # the rest of the list is still read
    first, second = clist.entries
    assert first.error.code == second.error.code == "course_unknown_keys"
    assert "PT-01" in probe_error_text(first.error.code, "en", first.error.params)
    assert "episodes[2].titel" in probe_error_text(first.error.code, "en", first.error.params)
    message = probe_error_text(second.error.code, "zh", second.error.params)
    assert "PT-07" in message and "tilte" in message


def test_unknown_top_level_key(tmp_path):
    clist = load_list(write(tmp_path, "schema: 1\ndistrikt: 普陀区\ncourses: []\n"))
    assert clist.error.code == "list_unknown_keys"
    assert "distrikt" in error_text(clist)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("- just\n- a list\n", "list_not_mapping"),
        ("schema: 2\ncourses: []\n", "list_schema"),
        ("courses: {id: PT-01}\n", "list_bad_courses"),
        ("courses:\n  - just text\n", None),  # one bad entry, list still read
    ],
)
def test_list_shapes(tmp_path, text, code):
    clist = load_list(write(tmp_path, text))
    assert (clist.error.code if clist.error else None) == code
    if code is None:
        assert clist.entries[0].error.code == "course_not_mapping"


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("    episodes: lessons/a.mp4", "course_bad_list"),
        ("    needs_support: maybe", "course_bad_bool"),
        ("    level: [基础类]", "course_bad_text"),
        ("    contact: 李老师 13912345678", "course_bad_mapping"),
    ],
)
def test_wrong_types_name_the_course(tmp_path, line, code):
    clist = load_list(write(tmp_path, f"courses:\n  - id: PT-03\n{line}\n"))
    entry = clist.entries[0]
    assert entry.error.code == code
    assert "PT-03" in probe_error_text(entry.error.code, "zh", entry.error.params)


def test_a_thousand_courses_load_quickly_enough(tmp_path):
    body = "".join(
        f"  - {{id: PT-{i:04d}, title: 课程{i}, level: 基础类, topic: 手机入门, form: 微课,"
        f" episodes: [{{no: 1, file: lessons/{i}.mp4}}]}}\n"
        for i in range(1000)
    )
    start = time.monotonic()
    clist = load_list(write(tmp_path, "schema: 1\ncourses:\n" + body))
    assert clist.error is None and len(clist.entries) == 1000
    assert time.monotonic() - start < 30  # a bound against a hang, not a benchmark


def test_far_too_many_entries_is_refused(tmp_path):
    clist = load_list(write(tmp_path, "courses:\n" + "  - {id: X}\n" * 2001))
    assert clist.error.code == "list_too_many"


def test_other_formats_and_missing_files(tmp_path):
    assert load_list(write(tmp_path, "a,b\n", "courses.csv")).error.code == "list_format"
    assert load_list(tmp_path / "nope.yaml").error.code == "list_unreadable"
    bad = tmp_path / "课程清单.xlsx"
    bad.write_bytes(b"not a zip at all")
    clist = load_list(bad)
    assert clist.error.code == "xlsx_invalid"
    assert "Excel" in error_text(clist)


# ---- the workbook layout


def _book(tmp_path: Path, rows: list[list[object]], name: str = "课程清单.xlsx") -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


HEAD = ["课程编号", "课程名称", "层级（基础类/提高类）", "主题", "形式", "集序号", "视频文件",
        "需技术支持", "联系人", "联系电话"]  # fmt: skip


def test_xlsx_rows_per_episode_blank_id_continues(tmp_path):
    path = _book(tmp_path, [
        ["区", "普陀区"],
        [],
        HEAD,
        ["PT-01", "手机挂号", "提高类", "智慧就医", "微课", 1, "lessons/a.mp4"],
        [None, None, None, None, None, 2.0, "lessons/b.mp4"],  # a merged 课程编号 cell
        ["PT-01", "手机挂号", None, None, None, 3, "lessons/c.mp4"],  # repeated: fine
        [],
        ["PT-07", "地铁", "基础类", "智能出行", "交互模拟", None, None, "是", "李老师",
         13912345678],
    ])  # fmt: skip
    clist = load_list(path)
    assert clist.error is None and clist.district == "普陀区"
    first, second = clist.courses()
    assert [(e.no, e.file) for e in first.episodes] == [
        (1, "lessons/a.mp4"), (2, "lessons/b.mp4"), (3, "lessons/c.mp4")]  # fmt: skip
    assert first.level == "提高类"  # the header's note in brackets is ignored
    assert second.needs_support is True and second.contact.phone == "13912345678"
    assert second.episodes == ()
    assert [e.where for e in clist.entries] == ["row 4", "row 8"]


def test_xlsx_conflicting_rows_and_unknown_columns(tmp_path):
    path = _book(tmp_path, [
        HEAD,
        ["PT-01", "手机挂号", "提高类", "智慧就医", "微课", 1, "a.mp4"],
        ["PT-01", "别的名字", None, None, None, 2, "b.mp4"],
        ["PT-02", "看病", "基础类", "手机入门", "微课", 1, "c.mp4"],
    ])  # fmt: skip
    clist = load_list(path)
    bad, good = clist.entries
    assert bad.error.code == "course_conflict"
    text = probe_error_text(bad.error.code, "en", bad.error.params)
    assert "PT-01" in text and "课程名称" in text and "别的名字" in text
    assert good.course is not None

    clist = load_list(_book(tmp_path, [[*HEAD, "备注栏"]], "x.xlsx"))
    assert clist.error.code == "xlsx_unknown_columns" and "备注栏" in error_text(clist)
    clist = load_list(_book(tmp_path, [["名称", "层级"]] * 3, "y.xlsx"))
    assert clist.error.code == "xlsx_no_header"
