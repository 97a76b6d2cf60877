"""The course list: `courses.yaml` or `课程清单.xlsx`, loaded into one schema.

Both files describe the same records (the fields the staff type into the platform); the
JSON Schema `schemas/courses-v1.json` describes them as the YAML spells them, and
`CourseList.to_dict()` gives that shape back. Loading never raises: a list that cannot be
read at all comes back with `error` set (not YAML, too many YAML references, too large,
unknown top-level keys…), and one course that cannot be read comes back as an `Entry` with
its own error (unknown keys, wrong types) while the other courses are still checked.
Nothing here judges a course (rules do that, on the facts of sets/course_facts.py).

This module imports only the standard library, PyYAML and the model: profile validation
reads `FACTS` and `LIST_FACTS` from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mediacheck import yamlfile
from mediacheck.model import ProbeError

MAX_BYTES = 5 * 1024 * 1024  # a list of 10 courses is a few kB
# YAML references (*name): a "billion laughs" list is refused. Nothing here walks the
# whole tree, but a low cap keeps any walk small: k references expand at most ~e^(k/e)-fold.
MAX_ALIASES = yamlfile.MAX_ALIASES
MAX_ENTRIES = 2000  # courses read at all; C-COUNT allows 10 per district

TOP_KEYS = ("schema", "district", "courses")
COURSE_KEYS = ("id", "title", "level", "topic", "form", "unit", "series", "episodes", "url",
               "needs_support", "contact")  # fmt: skip
EPISODE_KEYS = ("no", "title", "file")
SERIES_KEYS = ("name",)
CONTACT_KEYS = ("name", "phone")

# Facts of one course (kind "course"), computed by sets/course_facts.py from the list and
# the episodes' video facts. Counts come with a text listing what they count.
FACTS: dict[str, str] = {
    "course.id": "",
    "course.title": "",
    "course.level": "",  # as declared: 基础类 / 提高类 (C-CATEGORY)
    "course.topic": "",
    "course.topic_fit": "",  # topic:listed / topic:unlisted / topic:other_level
    "course.form": "",  # as declared (C-FORMS)
    "course.unit": "",
    "course.series": "",  # the series' name
    "course.interactive": "bool",  # its form is the interactive one
    "course.episodes": "",
    "course.numbering_errors": "",  # C-SERIES: gaps and repeats in 1…N
    "course.numbering_text": "",
    "course.missing_files": "",  # C-FILES: declared but absent (or not given)
    "course.missing_list": "",
    "course.not_video": "",  # C-FILES: present but not a video
    "course.not_video_list": "",
    "course.escaping_paths": "",  # C-FILES: outside the list's folder
    "course.escaping_list": "",
    "course.repeated_files": "",  # C-FILES: listed twice, here or in another course
    "course.repeated_list": "",
    "course.episodes_failing": "",  # C-SERIES: episodes failing a video rule
    "course.episodes_failing_list": "",
    "course.episodes_disagree": "",  # C-SERIES: properties the episodes differ in
    "course.disagreement_text": "",
    "course.episode_duration_min": "s",
    "course.episode_duration_max": "s",
    "course.length_fit": "",  # length:fits / length:too_long / length:too_short (C-FORMS)
    "course.form_range": "",  # the declared form's usual length, e.g. "≤ 15 min"
    "course.url": "",
    "course.needs_support": "bool",  # the platform's 需技术支持 box
    "course.access_declared": "bool",  # an interactive course gives a URL or needs support
    "course.contact_fit": "",  # contact:ok / contact:missing / contact:no_name / …
    "course.contact_text": "",  # name and phone, the phone partly masked
}

# Facts of the list as a whole (kind "course_list").
LIST_FACTS: dict[str, str] = {
    "courses.count": "",  # C-COUNT: course entries in this list
    "courses.duplicate_ids": "",
    "courses.duplicate_ids_list": "",
    "courses.unlisted_videos": "",  # C-FILES: videos beside the list no course declares
    "courses.unlisted_list": "",
}


@dataclass(frozen=True)
class Episode:
    no: int | None = None
    title: str | None = None
    file: str | None = None


@dataclass(frozen=True)
class Contact:
    name: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Series:
    name: str | None = None


@dataclass(frozen=True)
class Course:
    id: str
    title: str | None = None
    level: str | None = None
    topic: str | None = None
    form: str | None = None
    unit: str | None = None
    series: Series | None = None
    episodes: tuple[Episode, ...] = ()
    url: str | None = None
    needs_support: bool | None = None
    contact: Contact | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in COURSE_KEYS:
            value = getattr(self, key)
            if value is None or value == ():
                continue
            if key == "episodes":
                value = [_plain(e, EPISODE_KEYS) for e in value]
            elif key in ("series", "contact"):
                value = _plain(value, SERIES_KEYS if key == "series" else CONTACT_KEYS)
            out[key] = value
        return out


def _plain(record: object, keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: getattr(record, k) for k in keys if getattr(record, k) is not None}


@dataclass(frozen=True)
class Entry:
    """One course entry of the list: a course, or why it cannot be read."""

    index: int  # 1-based position in the list
    id: str  # the declared id, or "" when there is none
    where: str  # "line 12" / "row 4", for people looking for it
    course: Course | None = None
    error: ProbeError | None = None


@dataclass(frozen=True)
class CourseList:
    path: Path
    schema: int = 1
    district: str | None = None
    entries: tuple[Entry, ...] = ()
    error: ProbeError | None = None  # the list as a whole cannot be read

    @property
    def folder(self) -> Path:
        return self.path.parent

    def courses(self) -> list[Course]:
        return [e.course for e in self.entries if e.course is not None]

    def to_dict(self) -> dict[str, Any]:
        """The list as courses.yaml spells it (schemas/courses-v1.json)."""
        out: dict[str, Any] = {"schema": self.schema}
        if self.district is not None:
            out["district"] = self.district
        out["courses"] = [c.to_dict() for c in self.courses()]
        return out

    def subject(self, entry: Entry) -> Path:
        """The entry's name in reports: FILE#ID (FILE#[n] without an id; FILE#ID[n] for an
        id that an earlier entry already used)."""
        earlier = any(e.id == entry.id and e.index < entry.index for e in self.entries)
        if not entry.id:
            return Path(f"{self.path}#[{entry.index}]")
        return Path(f"{self.path}#{entry.id}" + (f"[{entry.index}]" if earlier else ""))


# ---- reading


def load_list(path: Path) -> CourseList:
    """courses.yaml / .yml or 课程清单.xlsx, by name; never raises for a bad file."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as exc:
        return _failed(path, "list_unreadable", detail=exc.strerror or str(exc))
    if size > MAX_BYTES:
        return _failed(path, "list_too_large", size=f"{size:,}", limit=f"{MAX_BYTES:,}")
    if suffix == ".xlsx":
        from mediacheck.sets.course_xlsx import load_xlsx

        return load_xlsx(path)
    if suffix not in (".yaml", ".yml"):
        return _failed(path, "list_format", suffix=suffix or path.name)
    try:
        text = yamlfile.read_text(path, MAX_BYTES)  # never a FIFO, never blocking
    except yamlfile.YamlFileError as exc:
        return _yaml_failure(path, exc)
    data, problem = _parse_yaml(text)
    if problem is not None:
        return CourseList(path=path, error=problem)
    lines = _course_lines(text)
    return from_data(path, data, lambda i: f"line {lines[i]}" if i < len(lines) else "")


def _failed(path: Path, code: str, **params: Any) -> CourseList:
    params.setdefault("what", "bad_list")  # the measured column: "not a usable list"
    return CourseList(path=path, error=ProbeError(code, str(params), params))


def _yaml_failure(path: Path, exc: yamlfile.YamlFileError) -> CourseList:
    from mediacheck.words.errors import ERRORS

    if exc.code == "too_large":
        return _failed(path, "list_too_large", size=f"{exc.params['size']:,}",
                       limit=f"{exc.params['limit']:,}")  # fmt: skip
    detail = ERRORS.get("yaml." + exc.code) or exc.params.get("detail", "")
    return _failed(path, "list_unreadable", detail=detail)


def _parse_yaml(text: str) -> tuple[Any, ProbeError | None]:
    """The data, or the problem: too many references (& and *, counted before anything
    is built: a "billion laughs" list) or not YAML (yamlfile.py, one policy)."""
    try:
        return yamlfile.parse(text, MAX_ALIASES), None
    except yamlfile.YamlFileError as exc:
        if exc.code == "aliases":
            params = {"limit": MAX_ALIASES, "what": "bad_list"}
            return None, ProbeError("list_aliases", str(exc.params["count"]), params)
        line = exc.params.get("line") or "?"
        detail = exc.params.get("problem", "")
        params = {"line": line, "detail": detail, "what": "bad_list"}
        return None, ProbeError("list_not_yaml", detail, params)


def _course_lines(text: str) -> list[int]:
    """Line numbers of the course entries, for "line 12" (from the composed nodes)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if getattr(key, "value", None) == "courses" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def from_data(path: Path, data: Any, where: Any = lambda i: "") -> CourseList:
    """A course list from plain data (parsed YAML, or rows of the workbook)."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return _failed(path, "list_not_mapping")
    unknown = [str(k) for k in data if k not in TOP_KEYS]
    if unknown:
        return _failed(
            path, "list_unknown_keys", keys=", ".join(unknown), known=", ".join(TOP_KEYS)
        )
    schema = data.get("schema", 1)
    if schema != 1 or isinstance(schema, bool):
        return _failed(path, "list_schema", found=str(schema))
    district = data.get("district")
    if district is not None and not isinstance(district, str):
        return _failed(path, "list_bad_district")
    raw = data.get("courses") or []
    if not isinstance(raw, list):
        return _failed(path, "list_bad_courses")
    if len(raw) > MAX_ENTRIES:
        return _failed(path, "list_too_many", count=f"{len(raw):,}", limit=f"{MAX_ENTRIES:,}")
    entries = tuple(_entry(i + 1, item, where(i)) for i, item in enumerate(raw))
    return CourseList(path=path, schema=1, district=district, entries=entries)


class _Bad(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code, self.params = code, params


def _shown(value: Any) -> str:
    """A wrong value, briefly. Never the repr of a list or mapping: YAML references can
    make a small document a huge tree."""
    if isinstance(value, (list, tuple)):
        return "[…]"
    if isinstance(value, dict):
        return "{…}"
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _text(course: str, key: str, value: Any, numbers_ok: bool = False) -> str | None:
    if value is None:
        return None
    if numbers_ok and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise _Bad("course_bad_text", course=course, key=key, found=_shown(value))
    return value.strip() or None


def _mapping(course: str, key: str, value: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad("course_bad_mapping", course=course, key=key)
    if False in value and "no" not in value:  # YAML 1.1 reads the key `no:` as false
        value = {("no" if k is False else k): v for k, v in value.items()}
    unknown = [str(k) for k in value if k not in keys]
    if unknown:
        raise _Bad("course_unknown_keys", course=course, keys=", ".join(f"{key}.{k}" for k in
                   unknown), known=", ".join(f"{key}.{k}" for k in keys))  # fmt: skip
    return value


def _number(course: str, key: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():  # a spreadsheet's 1.0
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _Bad("course_bad_int", course=course, key=key, found=_shown(value))
    return value


def _bool(course: str, key: str, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise _Bad("course_bad_bool", course=course, key=key, found=_shown(value))


def _entry(index: int, item: Any, where: str) -> Entry:
    if not isinstance(item, dict):
        params = {"index": index, "what": "bad_entry"}
        return Entry(index, "", where, error=ProbeError("course_not_mapping", "", params))
    raw_id = item.get("id")
    cid = str(raw_id).strip() if isinstance(raw_id, (str, int)) and not isinstance(
        raw_id, bool) else ""  # fmt: skip
    name = cid or f"#{index}"
    try:
        unknown = [str(k) for k in item if k not in COURSE_KEYS]
        if unknown:
            raise _Bad("course_unknown_keys", course=name, keys=", ".join(unknown),
                       known=", ".join(COURSE_KEYS))  # fmt: skip
        if not cid:
            if raw_id is not None:
                raise _Bad("course_bad_text", course=name, key="id", found=_shown(raw_id))
            raise _Bad("course_no_id", index=index)
        return Entry(index, cid, where, course=_course(cid, item))
    except _Bad as bad:
        params = {**bad.params, "what": "bad_entry"}
        return Entry(index, cid, where, error=ProbeError(bad.code, "", params))


def _course(cid: str, item: dict[str, Any]) -> Course:
    series = contact = None
    if item.get("series") is not None:
        raw = _mapping(cid, "series", item["series"], SERIES_KEYS)
        series = Series(name=_text(cid, "series.name", raw.get("name")))
    if item.get("contact") is not None:
        raw = _mapping(cid, "contact", item["contact"], CONTACT_KEYS)
        contact = Contact(
            name=_text(cid, "contact.name", raw.get("name")),
            phone=_text(cid, "contact.phone", raw.get("phone"), numbers_ok=True),
        )
    episodes = item.get("episodes") or []
    if not isinstance(episodes, list):
        raise _Bad("course_bad_list", course=cid, key="episodes")
    eps = []
    for n, raw_ep in enumerate(episodes, 1):
        ep = _mapping(cid, f"episodes[{n}]", raw_ep, EPISODE_KEYS)
        eps.append(Episode(
            no=_number(cid, f"episodes[{n}].no", ep.get("no")),
            title=_text(cid, f"episodes[{n}].title", ep.get("title"), numbers_ok=True),
            file=_text(cid, f"episodes[{n}].file", ep.get("file")),
        ))  # fmt: skip
    return Course(
        id=cid,
        title=_text(cid, "title", item.get("title"), numbers_ok=True),
        level=_text(cid, "level", item.get("level")),
        topic=_text(cid, "topic", item.get("topic")),
        form=_text(cid, "form", item.get("form")),
        unit=_text(cid, "unit", item.get("unit")),
        series=series,
        episodes=tuple(eps),
        url=_text(cid, "url", item.get("url")),
        needs_support=_bool(cid, "needs_support", item.get("needs_support")),
        contact=contact,
    )
