"""S-SEAL: signed PDF, OFD and Office files recognised; unchanged since signing checked
from the byte ranges and digests; genuineness never claimed."""

from __future__ import annotations

import shutil
from pathlib import Path

import make_tables as mt
import pytest

from mediacheck.evaluate import evaluate
from mediacheck.model import FAIL, INFO, WARN
from mediacheck.probe import table
from mediacheck.probe.seal import pdf_seal, seal_of
from mediacheck.profile import load_profile

PROFILE = load_profile()


def findings(path: Path) -> dict:
    return {f.rule_id: f for f in evaluate(table.probe(path), PROFILE).findings}


@pytest.fixture(scope="module")
def signed_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return mt.make_signed_pdf(tmp_path_factory.mktemp("seal") / "统计表（盖章）.pdf")


def test_signed_pdf_unchanged(signed_pdf: Path) -> None:
    seal = pdf_seal(signed_pdf)
    assert seal.signatures == 1 and seal.unchanged is True
    assert "digest matches" in seal.detail
    got = findings(signed_pdf)
    assert got["S-SEAL"].status == "pass"
    assert got["S-SEAL-UNCHANGED"].status == "pass"
    genuine = got["S-SEAL-GENUINE"]
    assert genuine.status == INFO
    assert "无法在这里判断" in genuine.message["zh"]
    assert "cannot be decided here" in genuine.message["en"]
    assert got["S-TABLE-COPY"].status == INFO  # its numbers are not read
    assert not any(r.startswith(("S-TABLE-FILLED", "S-CONSISTENT")) for r in got)


def test_pdf_edited_after_signing(tmp_path: Path, signed_pdf: Path) -> None:
    path = mt.append_pdf_update(Path(shutil.copy(signed_pdf, tmp_path / "a.pdf")))
    seal = pdf_seal(path)
    assert seal.unchanged is False and "added after signing" in seal.detail
    got = findings(path)
    assert got["S-SEAL-UNCHANGED"].status == FAIL
    assert "S-SEAL-GENUINE" not in got


def test_pdf_tampered_inside_the_signed_ranges(tmp_path: Path, signed_pdf: Path) -> None:
    path = mt.tamper_pdf(Path(shutil.copy(signed_pdf, tmp_path / "a.pdf")))
    seal = pdf_seal(path)
    assert seal.unchanged is False and "digest differs" in seal.detail


def test_unsigned_pdf_warns(tmp_path: Path) -> None:
    got = findings(mt.make_unsigned_pdf(tmp_path / "a.pdf"))
    assert got["S-SEAL"].status == WARN
    assert "加盖单位电子章" in got["S-SEAL"].message["zh"]
    assert set(got) & {"S-SEAL-UNCHANGED", "S-SEAL-GENUINE"} == set()


def test_pdf_placeholder_not_filled_is_no_signature(tmp_path: Path, signed_pdf: Path) -> None:
    raw = signed_pdf.read_bytes()
    b = raw.index(b"/Contents <") + len(b"/Contents <")
    c = raw.index(b">", b)
    path = tmp_path / "a.pdf"
    path.write_bytes(raw[:b] + b"0" * (c - b) + raw[c:])
    assert pdf_seal(path).signatures == 0


@pytest.mark.parametrize(
    ("options", "signatures", "unchanged"),
    [
        ({}, 1, True),
        ({"method": "MD5"}, 1, True),
        ({"method": "SHA1"}, 1, True),
        ({"tamper": True}, 1, False),
        ({"signed": False}, 0, None),
    ],
)
def test_ofd(tmp_path: Path, options: dict, signatures: int, unchanged) -> None:
    path = mt.make_ofd(tmp_path / "统计表.ofd", **options)
    seal = seal_of(path, "ofd")
    assert (seal.signatures, seal.unchanged) == (signatures, unchanged)
    got = findings(path)
    assert got["S-SEAL"].status == ("pass" if signatures else WARN)


def test_office_signature(tmp_path: Path) -> None:
    good = mt.make_office_signed_xlsx(tmp_path / "a.xlsx")
    seal = seal_of(good, "xlsx")
    assert seal.signatures == 1 and seal.unchanged is True
    assert seal.detail == "3/3 digests match"  # the .rels reference is skipped
    got = findings(good)
    assert got["S-SEAL-GENUINE"].status == INFO and got["S-TABLE-FILLED"].status == "pass"
    bad = mt.make_office_signed_xlsx(tmp_path / "b.xlsx", tamper=True)
    assert seal_of(bad, "xlsx").unchanged is False
    assert findings(bad)["S-SEAL-UNCHANGED"].status == FAIL


def test_unsigned_xlsx_and_csv_warn(tmp_path: Path) -> None:
    assert findings(mt.make_table(tmp_path / "a.xlsx"))["S-SEAL"].status == WARN
    assert findings(mt.make_csv(tmp_path / "a.csv"))["S-SEAL"].status == WARN
