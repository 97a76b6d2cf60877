"""The commands every user meets: Chinese help and click messages, every format on every
checking command (SARIF against the official schema), template, table and courses."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from mediacheck.cli import cli

SCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "schemas"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "200", **(env or {})})


def test_help_is_chinese_under_a_chinese_locale():
    result = run("video", "--help", env={"LANG": "zh_CN.UTF-8", "MEDIACHECK_LANG": ""})
    assert result.exit_code == 0
    assert "用法:" in result.output and "检查课程视频" in result.output
    assert "显示此帮助并退出" in result.output and "报告格式" in result.output
    assert "Show this message" not in result.output


def test_click_usage_errors_are_chinese():
    missing = run("video", "--lang", "zh")
    assert missing.exit_code == 2 and "缺少参数" in missing.output
    unknown = run("video", "--lang", "zh", "--colour", "x.mp4")
    assert unknown.exit_code == 2 and "没有选项" in unknown.output
    assert "Error" not in unknown.output


def test_gettext_order_puts_language_first():
    from mediacheck.words.lang import pick_lang

    assert pick_lang(None, {"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}) == "zh"
    assert pick_lang(None, {"LC_ALL": "en_US.UTF-8", "LANGUAGE": "zh_CN"}) == "zh"
    assert pick_lang(None, {"LANG": "zh_TW.UTF-8"}) == "zh"


def test_mediacheck_errors_are_chinese(media, tmp_path):
    bad = run("video", "--lang", "zh", "--format", "xml", str(media("compliant")))
    assert bad.exit_code == 2 and "未知的报告格式" in bad.output
    shard = run("check", "--lang", "zh", "--shard", "5/2", str(tmp_path))
    assert shard.exit_code == 2 and "--shard 的格式" in shard.output
    profile = tmp_path / "p.yaml"
    profile.write_text("extends: shanghai-2024\nrules:\n  V-RES: {colour: red}\n", encoding="utf-8")
    prof = run("video", "--lang", "zh", "--profile", str(profile), str(media("compliant")))
    assert prof.exit_code == 2 and "未知的键" in prof.output and "[V-RES]" in prof.output


def test_every_command_reads_the_config(media, tmp_path, monkeypatch):
    (tmp_path / ".mediacheck.yaml").write_text("lang: zh\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("video", str(media("res_720p")), env={"MEDIACHECK_LANG": ""})
    assert "分辨率" in result.output


def test_video_sarif_follows_the_official_schema(media, tmp_path):
    schema_file = SCHEMAS / "sarif-schema-2.1.0.json"
    if not schema_file.is_file():
        pytest.skip(f"the official SARIF schema is not at {schema_file}")
    out = tmp_path / "r.sarif"
    result = run("video", "--format", f"sarif:{out}", str(media("res_720p")))
    assert result.exit_code == 1
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(out.read_text(encoding="utf-8")), schema)


@pytest.mark.parametrize("fmt", ["table", "json", "junit", "github", "sarif", "gitlab"])
def test_every_kind_command_takes_every_format(media, fmt):
    result = run("text", "--format", fmt, "--lang", "en", str(media("compliant")))
    assert result.exit_code == 1, result.output  # a video is not a text
    assert result.output.strip()


def test_a_report_never_replaces_an_input(media, tmp_path):
    lesson = tmp_path / "good.mp4"
    lesson.write_bytes(media("compliant").read_bytes())
    before = lesson.read_bytes()
    result = run("check", "--format", "json", "-o", str(lesson), str(lesson))
    assert result.exit_code == 2
    assert lesson.read_bytes() == before


def test_template_then_table_and_courses(tmp_path):
    folder = tmp_path / "unit"
    first = run("template", "--lang", "zh", str(folder))
    assert first.exit_code == 0 and "已生成" in first.output
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    wanted = {"统计表.xlsx", "工作总结.docx", "案例/案例.docx", "courses.yaml", "课程清单.xlsx"}
    assert wanted <= names
    table = folder / "统计表.xlsx"
    before = table.read_bytes()
    again = run("template", "--lang", "zh", str(folder))
    assert again.exit_code == 0 and table.read_bytes() == before  # never replaced
    empty = run("table", "--lang", "zh", str(table))
    assert empty.exit_code == 1 and "S-TABLE-FILLED" in empty.output
    listed = run("courses", "--lang", "zh", "--format", "json", str(folder / "courses.yaml"))
    report = json.loads(listed.output)
    link = [f for r in report["files"] for f in r["findings"] if f["rule"] == "I-LINK"]
    assert link and all(f["status"] != "pass" for f in link)  # offline: not checked
