"""`mediacheck submission` and `mediacheck district` on the command line (#10): exit
codes, every report format on the new subjects (SARIF and JUnit against the official
schemas), the merged table written and read back, and inputs never replaced."""

from __future__ import annotations

import csv
import io
import json
import sys
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from mediacheck.cli import cli
from mediacheck.report import REPORTERS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sets"))
from units_helpers import make_unit, own_numbers  # noqa: E402

SCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "schemas"


def run(*args: str):
    return CliRunner().invoke(cli, ["--lang", "en", *args] if args[0] == "--help" else list(args),
                              env={"COLUMNS": "200", "MEDIACHECK_LANG": ""})  # fmt: skip


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two units (small photos: their cases fail P-SIZE), a missing one, 11 courses."""
    d = tmp_path_factory.mktemp("district")
    make_unit(d / "长寿路街道", seed=1)
    make_unit(d / "宜川路街道", "宜川路街道", seed=2)
    (d / "units.yaml").write_text("units: [长寿路街道, 宜川路街道, 甘泉路街道]\n", encoding="utf-8")
    lines = ["courses:"] + [f"  - {{id: C{i}, title: 课程{i}, level: 基础类, topic: 手机入门, "
                            f"form: 微课}}" for i in range(11)]  # fmt: skip
    (d / "courses.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d


def test_a_complete_unit_exits_0_and_a_failing_one_1(tmp_path: Path) -> None:
    good = make_unit(tmp_path / "good", big=True)
    result = run("submission", "--jobs", "1", "--lang", "zh", str(good))
    assert result.exit_code == 0, result.output
    assert "SUB-TABLE" in result.output and "统计表.xlsx（按内容）" in result.output
    bad = make_unit(tmp_path / "bad", summary=False)
    result = run("submission", "--jobs", "1", "--lang", "en", str(bad))
    assert result.exit_code == 1 and "No work summary was found" in result.output
    missing = run("submission", "--lang", "en", str(tmp_path / "nope"))
    assert missing.exit_code == 2 and "No such file or folder" in missing.output


def test_a_zip_on_the_command_line(tmp_path: Path) -> None:
    import make_archives as ma

    zipped = ma.windows_zip(make_unit(tmp_path / "u" / "长寿路街道"), tmp_path / "长寿路街道.zip")
    sarif, report = tmp_path / "r.sarif", tmp_path / "r.json"
    result = run("submission", "--jobs", "1", "--format", f"sarif:{sarif},json:{report}",
                 str(zipped))  # fmt: skip
    assert result.exit_code == 1, result.output  # small photos fail P-SIZE
    paths = [f["path"] for f in json.loads(report.read_text(encoding="utf-8"))["files"]]
    assert f"{zipped}!/长寿路街道/案例/活动照片1.jpg" in paths and paths[-1] == str(zipped)
    _sarif(sarif)
    results = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert any(".zip%21/" in u for u in uris)


def test_a_report_never_replaces_a_file_of_the_unit(tmp_path: Path) -> None:
    unit = make_unit(tmp_path / "u")
    table = unit / "统计表.xlsx"
    before = table.read_bytes()
    result = run("submission", "--format", "json", "-o", str(table), str(unit))
    assert result.exit_code == 2 and table.read_bytes() == before


@pytest.mark.parametrize("fmt", list(REPORTERS))
def test_every_format_shows_the_units_and_the_district(dist: Path, tmp_path: Path,
                                                      fmt: str) -> None:  # fmt: skip
    out = tmp_path / f"report.{fmt}"
    result = run("district", "--jobs", "2", "--lang", "en", "--format", f"{fmt}:{out}", str(dist))
    assert result.exit_code == 1, result.output
    assert "Checked" in result.output  # the summary line when every report went to a file
    if fmt == "xlsx":
        from openpyxl import load_workbook

        text = "\n".join(str(c.value) for ws in load_workbook(out) for row in ws.iter_rows()
                         for c in row if c.value is not None)  # fmt: skip
    else:
        text = out.read_text(encoding="utf-8")
    for subject in ("长寿路街道", "DISTRICT-MISSING", "C-COUNT"):
        assert subject in text, (fmt, subject)
    if fmt in ("table", "json", "junit", "html"):  # the others list what did not pass
        assert "SUB-TABLE" in text
    if fmt in ("csv", "xlsx", "html"):  # the subjects' kinds, in words
        assert "unit's submission" in text.replace("&#x27;", "'") and "district" in text
    check = CHECKS.get(fmt)
    if check:
        check(out)


def _json(out: Path) -> None:
    data = json.loads(out.read_text(encoding="utf-8"))
    schema_file = resources.files("mediacheck") / "schemas" / "report-v1.json"
    jsonschema.validate(data, json.loads(schema_file.read_text(encoding="utf-8")))
    kinds = [f["kind"] for f in data["files"]]
    assert kinds[-1] == "district" and kinds.count("submission") == 2
    district = data["files"][-1]
    missing = next(f for f in district["findings"] if f["rule"] == "DISTRICT-MISSING")
    assert missing["status"] == "fail" and missing["measured"]["value"] == 1
    assert missing["spec"] == "SUB-DISTRICT"


def _sarif(out: Path) -> None:
    schema_file = SCHEMAS / "sarif-schema-2.1.0.json"
    if not schema_file.is_file():
        pytest.skip(f"the official SARIF schema is not at {schema_file}")
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, json.loads(schema_file.read_text(encoding="utf-8")))
    rules = {r["id"] for r in data["runs"][0]["tool"]["driver"]["rules"]}
    assert {"SUB-TABLE", "DISTRICT-MISSING", "C-COUNT"} <= rules


def _junit(out: Path) -> None:
    lxml_etree = pytest.importorskip("lxml.etree")
    xsd = SCHEMAS / "jenkins-junit-10.xsd"
    if not xsd.is_file():
        pytest.skip(f"Jenkins' XSD is not at {xsd}")
    schema = lxml_etree.XMLSchema(lxml_etree.parse(str(xsd)))
    assert schema.validate(lxml_etree.parse(str(out))), schema.error_log
    suites = [s.get("name") for s in ET.parse(out).getroot()]
    assert "长寿路街道" in {Path(s).name for s in suites}


def _csv(out: Path) -> None:
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert any("DISTRICT-MISSING" in row for row in rows)


def _gitlab(out: Path) -> None:
    issues = json.loads(out.read_text(encoding="utf-8"))
    assert {"DISTRICT-MISSING", "C-COUNT"} <= {i["check_name"] for i in issues}


CHECKS = {"json": _json, "sarif": _sarif, "junit": _junit, "csv": _csv, "gitlab": _gitlab}


def test_the_merged_table_totals_right(dist: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "汇总" / "统计表（全区）.xlsx"
    result = run("district", "--jobs", "2", "--lang", "zh", "--table-out", str(out), str(dist))
    assert result.exit_code == 1 and "已写出汇总表" in result.output
    ws = load_workbook(out).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    units = {r[0]: r[1:12] for r in rows if r and r[0] in ("长寿路街道", "宜川路街道", "合计")}
    one, two = own_numbers(1), own_numbers(2)
    assert units["长寿路街道"] == list(one.values())
    assert units["合计"] == [a + b for a, b in zip(one.values(), two.values(), strict=True)]
    # written again over its own last copy, as -o replaces a report
    again = run("district", "--jobs", "2", "--table-out", str(out), str(dist))
    assert again.exit_code == 1 and out.is_file()


def test_the_merged_table_never_replaces_an_input(dist: Path, tmp_path: Path) -> None:
    table = dist / "长寿路街道" / "统计表.xlsx"
    before = table.read_bytes()
    into = run("district", "--lang", "en", "--table-out", str(table), str(dist))
    assert into.exit_code == 2 and "being checked" in into.output
    assert table.read_bytes() == before
    report = tmp_path / "r.xlsx"
    same = run("district", "--lang", "en", "--format", f"xlsx:{report}", "--table-out",
               str(report), str(dist))  # fmt: skip
    assert same.exit_code == 2 and "same file" in same.output
    wrong = run("district", "--lang", "en", "--table-out", str(tmp_path / "t.csv"), str(dist))
    assert wrong.exit_code == 2 and ".xlsx" in wrong.output


def test_a_bad_units_yaml_exits_2(tmp_path: Path) -> None:
    (tmp_path / "units.yaml").write_text("units: [a, a]\n", encoding="utf-8")
    result = run("district", "--lang", "zh", str(tmp_path))
    assert result.exit_code == 2 and "出现了两次" in result.output and "units.yaml" in result.output


def test_help_in_both_languages() -> None:
    for lang, words in (("zh", "一个单位的全部材料"), ("en", "a unit's whole submission")):
        result = CliRunner().invoke(cli, ["submission", "--help", "--lang", lang])
        assert result.exit_code == 0 and words in result.output
    result = CliRunner().invoke(cli, ["district", "--help", "--lang", "zh"])
    assert "汇总的统计表" in result.output and "--table-out" in result.output
