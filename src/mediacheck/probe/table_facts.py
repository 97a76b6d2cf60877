"""The table kind's facts (name -> unit): a leaf module, so that validating a profile
reads them without importing the table reader (openpyxl, xlrd, the seal scanner)."""

from __future__ import annotations

from mediacheck.probe.table_layout import COLUMN_KEYS

SEAL_FACTS: dict[str, str] = {
    "seal.signed": "bool",
    "seal.unchanged": "bool",
    "seal.signatures": "count",
    "seal.format": "",
    "seal.certificate_verified": "bool",
}
FACTS: dict[str, str] = {
    "file.size": "bytes",
    "table.format": "",
    "table.numbers_read": "bool",
    "table.sheet": "",
    "table.sheet_hidden": "bool",
    "table.sheets_with_table": "",
    "table.sheet_rows": "",
    "table.header_row": "",
    "table.columns_found": "",
    "table.columns_missing": "",
    "table.columns_missing_names": "",
    "table.data_rows": "",
    "table.data_rows_capped": "bool",
    **{
        f"table.{kind}_{what}": unit
        for kind in ("blank", "invalid", "text_number", "unsaved_formula")
        for what, unit in (("cells", ""), ("list", ""))
    },  # fmt: skip
    **{f"table.{key}": "" for key in COLUMN_KEYS},
    "table.actions_total": "",
    "table.unit": "",
    "table.unit_filled": "bool",
    "table.date_text": "",
    "table.date": "",
    "table.date_valid": "bool",
    **SEAL_FACTS,
}
