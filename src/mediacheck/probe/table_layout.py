"""The statistics table's layout (附件 3 §1) as the profile states it: title, 单位/日期
labels, the 11 columns with their groups, the remarks. Pure: a validated record.

The *texts* are spec values and live in the profile's ``tables: statistics:`` section;
Python only knows the column *keys*, because each key is a fact name
(``table.total_committees`` …) that rules name. The profile must map exactly these keys.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple

# The table's columns in the notice's order: fact keys, never shown to users.
COLUMN_KEYS = (
    "total_committees",  # 辖区内居村委总数
    "covered_committees",  # 行动覆盖居村委数量
    "actions_district",  # 区机构行动次数
    "actions_street",  # 街镇机构行动次数
    "actions_committee",  # 居村委行动次数
    "courses_offline",  # 线下课程
    "resources_digital",  # 数字资源
    "readers",  # 读本（折页等）
    "attendance_offline",  # 线下行动参与人次
    "attendance_online",  # 线上人次
    "media_reports",  # 宣传报道次数
)
LAYOUT_KEYS = {
    "title", "unit_label", "date_label", "columns", "offline_actions", "end_markers",
    "total_label", "unit_column", "remarks",
}  # fmt: skip


class Column(NamedTuple):
    key: str
    title: str
    group: str | None  # None: the column spans both header rows (宣传报道次数)


class Layout(NamedTuple):
    title: str
    unit_label: str  # 单位
    date_label: str  # 日期
    columns: tuple[Column, ...]
    offline_actions: tuple[str, ...]  # keys summed into table.actions_total
    end_markers: tuple[str, ...]  # a row starting with one of these ends the data rows
    total_label: str  # 合计 (the district's merged table)
    unit_column: str  # the merged table's first column: one row per unit
    remarks: tuple[str, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def groups(self) -> list[tuple[str | None, list[Column]]]:
        """Consecutive columns sharing a group, in order (for the two-row header)."""
        out: list[tuple[str | None, list[Column]]] = []
        for col in self.columns:
            if out and out[-1][0] == col.group and col.group is not None:
                out[-1][1].append(col)
            else:
                out.append((col.group, [col]))
        return out


def _text(where: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: '{key}' must be a non-empty text")
    return value


def _texts(where: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"{where}: '{key}' must be a list of texts")
    return tuple(_text(where, key, v) for v in value)


def layout_from(data: Any, where: str) -> Layout:
    """A `Layout` from the profile's ``tables.statistics`` mapping; ValueError names the
    problem (the profile loader turns it into a ProfileError)."""
    if not isinstance(data, dict):
        raise ValueError(f"{where}: a mapping of layout keys")
    unknown = set(data) - LAYOUT_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    missing = LAYOUT_KEYS - set(data)
    if missing:
        raise ValueError(f"{where}: missing key(s) {', '.join(sorted(missing))}")
    cols = data["columns"]
    if not isinstance(cols, dict) or list(cols) != list(COLUMN_KEYS):
        raise ValueError(f"{where}: 'columns' must map exactly, in order: {', '.join(COLUMN_KEYS)}")
    columns = []
    for key, body in cols.items():
        if not isinstance(body, dict) or "title" not in body or set(body) - {"title", "group"}:
            raise ValueError(f"{where}: column '{key}' is {{title: …, group: …}}")
        group = body.get("group")
        columns.append(
            Column(
                key,
                _text(where, f"columns.{key}.title", body["title"]),
                None if group is None else _text(where, f"columns.{key}.group", group),
            )
        )
    offline = _texts(where, "offline_actions", data["offline_actions"])
    if not set(offline) <= set(COLUMN_KEYS):
        raise ValueError(f"{where}: 'offline_actions' names keys of 'columns'")
    return Layout(
        title=_text(where, "title", data["title"]),
        unit_label=_text(where, "unit_label", data["unit_label"]),
        date_label=_text(where, "date_label", data["date_label"]),
        columns=tuple(columns),
        offline_actions=offline,
        end_markers=_texts(where, "end_markers", data["end_markers"]),
        total_label=_text(where, "total_label", data["total_label"]),
        unit_column=_text(where, "unit_column", data["unit_column"]),
        remarks=_texts(where, "remarks", data["remarks"]),
    )


def tables_from(value: Any, where: str) -> dict[str, Layout]:
    """The profile's whole ``tables:`` section (today one table, ``statistics``)."""
    if value is None:
        return {}
    if not isinstance(value, dict) or set(value) - {"statistics"}:
        raise ValueError(f"{where}: 'tables' holds 'statistics' only")
    return {name: layout_from(body, f"{where}: tables.{name}") for name, body in value.items()}


@lru_cache(maxsize=1)
def default_layout() -> Layout:
    """The shipped default profile's layout, for a probe called without a profile."""
    from mediacheck.profile import load_profile  # the profile imports this module

    layout = load_profile().tables.get("statistics")
    if layout is None:
        raise ValueError("the default profile has no 'tables: statistics:' section")
    return layout
