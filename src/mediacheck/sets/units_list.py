"""`units.yaml`: the units a district expects a submission from (SUB-DISTRICT).

    schema: 1                # optional
    district: 普陀区          # optional: the merged table's 单位
    units:
      - 长寿路街道             # a unit's name: its folder or zip is named so
      - {name: 宜川路街道, folder: 宜川}   # folder: the folder or zip name when it differs

Validated strictly before anything is read: a mistake is a `UnitsError` naming the file
(exit 2), like a bad `.mediacheck.yaml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mediacheck.errors import MediacheckError, yaml_detail

NAMES = ("units.yaml", "units.yml")
TOP_KEYS = ("schema", "district", "units")
ENTRY_KEYS = ("name", "folder")
MAX_BYTES = 1024 * 1024  # a district has a few dozen units


class UnitsError(MediacheckError):
    """A units.yaml that cannot be used; the message names the file."""

    def __init__(self, path: Path, code: str, **params: Any) -> None:
        super().__init__(code, path=path, **params)

    def text(self, lang: str) -> str:
        return f"{self.params['path']}: {super().text(lang)}"


@dataclass(frozen=True)
class Expected:
    name: str
    folder: str | None = None  # the folder's or zip's name, when it is not `name`


@dataclass(frozen=True)
class UnitsList:
    path: Path
    units: tuple[Expected, ...]
    district: str | None = None


def find_units(folder: Path) -> Path | None:
    return next((folder / n for n in NAMES if (folder / n).is_file()), None)


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value).strip()
    return text or None


def load_units(path: Path) -> UnitsList:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UnitsError(path, "units.shape")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise UnitsError(path, "units.unreadable", detail=exc.strerror or str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise UnitsError(path, "units.unreadable", detail="not UTF-8 text") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UnitsError(path, "units.yaml", detail=yaml_detail(exc)) from exc
    if isinstance(data, list):  # a bare list of names reads as the units
        data = {"units": data}
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise UnitsError(path, "units.shape")
    unknown = [str(k) for k in data if k not in TOP_KEYS]
    if unknown:
        raise UnitsError(path, "units.unknown_keys", keys=", ".join(unknown),
                         known=", ".join(TOP_KEYS))  # fmt: skip
    if data.get("schema", 1) != 1 or (
        data.get("district") is not None and _text(data["district"]) is None
    ):
        raise UnitsError(path, "units.shape")
    units: list[Expected] = []
    seen: set[str] = set()
    for index, item in enumerate(data["units"], start=1):
        if isinstance(item, dict):
            if (
                set(item) - set(ENTRY_KEYS)
                or _text(item.get("name")) is None
                or (item.get("folder") is not None and _text(item["folder"]) is None)
            ):
                raise UnitsError(path, "units.entry", index=index)
            entry = Expected(str(_text(item["name"])), _text(item.get("folder")))
        elif _text(item) is not None:
            entry = Expected(str(_text(item)))
        else:
            raise UnitsError(path, "units.entry", index=index)
        if entry.name in seen:
            raise UnitsError(path, "units.twice", name=entry.name)
        seen.add(entry.name)
        units.append(entry)
    district = _text(data.get("district"))
    return UnitsList(path=path, units=tuple(units), district=district)
