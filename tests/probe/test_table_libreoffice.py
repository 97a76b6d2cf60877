"""Tables re-saved by LibreOffice headless, as real tables come from Excel and WPS
(different XML: shared strings, <dimension>, computed formula values, .xls via xlrd).
Skipped only where soffice is not installed (apt-get install libreoffice-calc-nogui)."""

from __future__ import annotations

import shutil
from pathlib import Path

import make_tables as mt
import pytest

from mediacheck.discover.sniff import sniff
from mediacheck.evaluate import evaluate
from mediacheck.model import FAIL, PASS, WARN
from mediacheck.probe import table
from mediacheck.profile import load_profile

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) is not installed",
)
PROFILE = load_profile()
SOURCES = {
    "good": lambda p: mt.make_table(p),
    "shapes": lambda p: mt.make_table(p, notes_above=3, start_col=2, wrapped=True,
                                      instruction_sheet=True, fullwidth_header=True),
    "formula": lambda p: mt.make_table(p, rows=({**mt.GOOD, "attendance_offline": "=H5*5+200"},)),
    "bad": lambda p: mt.make_table(p, rows=({**mt.GOOD, "readers": "约3000", "media_reports": -1,
                                             "actions_street": None},)),
    "hidden": lambda p: mt.make_table(p, hidden=True),
    "two_rows": lambda p: mt.make_table(p, rows=(mt.GOOD, mt.GOOD)),
    "empty": lambda p: mt.make_table(p, rows=(), unit=None, date=None),
}  # fmt: skip


@pytest.fixture(scope="module")
def resaved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    src = tmp_path_factory.mktemp("lo-src")
    made = [make(src / f"{name}.xlsx") for name, make in SOURCES.items()]
    out: dict[str, dict[str, Path]] = {}
    for fmt in ("xlsx", "xls"):
        paths = mt.resave(made, tmp_path_factory.mktemp(f"lo-{fmt}"), fmt)
        assert paths is not None
        out[fmt] = {name: path for name, path in zip(SOURCES, paths, strict=True)}
    return out


def statuses(path: Path) -> dict[str, str]:
    facts = table.probe(path)
    assert facts.error is None, facts.error
    return {f.rule_id: f.status for f in evaluate(facts, PROFILE).findings}


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_good_table(resaved, fmt: str) -> None:
    path = resaved[fmt]["good"]
    assert sniff(path) == fmt
    got = statuses(path)
    assert got.pop("S-SEAL") == WARN
    assert set(got.values()) == {PASS}, got
    facts = table.probe(path)
    assert facts.values["table.format"].value == fmt
    assert facts.values["table.unit"].value == mt.UNIT
    assert facts.values["table.date"].value == "2024-10-28"
    assert facts.values["table.readers"].value == 600


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_every_shape_found(resaved, fmt: str) -> None:
    facts = table.probe(resaved[fmt]["shapes"])
    assert facts.error is None
    assert facts.values["table.columns_missing"].value == 0
    assert facts.values["table.blank_cells"].value == 0
    assert facts.values["table.sheet"].value == "统计表"


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_formula_saved_by_libreoffice_passes(resaved, fmt: str) -> None:
    facts = table.probe(resaved[fmt]["formula"])
    assert facts.values["table.unsaved_formula_cells"].value == 0
    assert facts.values["table.attendance_offline"].value == 600 * 5 + 200


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_bad_cells(resaved, fmt: str) -> None:
    facts = table.probe(resaved[fmt]["bad"])
    assert facts.values["table.blank_list"].value == "D5"
    assert facts.values["table.invalid_list"].value == "H5 = “约3000”, K5 = -1"


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_hidden_two_rows_empty(resaved, fmt: str) -> None:
    assert statuses(resaved[fmt]["hidden"])["S-TABLE-VISIBLE"] == WARN
    assert statuses(resaved[fmt]["two_rows"])["S-TABLE-ONE-ROW"] == FAIL
    empty = statuses(resaved[fmt]["empty"])
    assert empty["S-TABLE-FILLED"] == FAIL and empty["S-TABLE-UNIT"] == FAIL


def test_template_resaved(tmp_path: Path) -> None:
    from mediacheck.demo.template import write_template

    written = write_template(tmp_path / "unit", PROFILE)
    (path,) = mt.resave([written[0]], tmp_path / "lo", "xlsx")
    facts = table.probe(path)
    assert facts.values["table.columns_missing"].value == 0
    assert facts.values["table.blank_cells"].value == 11
