"""Generated units' submissions for the submission and district tests (#10).

A unit is what `mediacheck template` writes (demo/template.py), then filled in as a clerk
would: the statistics table by fixtures/make_tables.py, the summary and the case text as
.docx files of the unit's own words, and the case photos — small generated ones where
the photo rules do not matter (fast), or the 2 MiB fixtures of fixtures/make_photos.py
(hard-linked from the cache, not copied) where a unit must pass.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "fixtures"))
import make_photos  # noqa: E402
import make_tables  # noqa: E402

from mediacheck.demo.template import CASE_NAME, SUMMARY_NAME, TABLE_NAME, write_template  # noqa: E402
from mediacheck.profile import load_profile  # noqa: E402

PROFILE = load_profile()
BIG = tuple(f"photo_{c}" for c in "abcde")  # five distinct 2 MiB photos


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    doc = docx.Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def small_photo(path: Path, seed: int) -> Path:
    """A distinct photo-like JPEG, small (fails P-SIZE, fast to hash)."""
    im = make_photos.scene(seed, size=(360, 240))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(make_photos._jpeg(im))
    return path


def _extra_photo(seed: int) -> Path:
    """A 2 MiB photo beyond make_photos' few distinct ones (a second passing unit needs
    five of its own), cached beside them under a name carrying this recipe's hash."""
    import hashlib
    import inspect

    recipe = hashlib.sha256(inspect.getsource(_extra_photo).encode()).hexdigest()[:8]
    name = f"unit_extra_{seed}-{make_photos.RECIPE}-{recipe}.jpg"
    out = make_photos.cache_root() / "photos" / name
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        data = make_photos._jpeg(make_photos.scene(seed))
        make_photos._write_photo(tmp, data, 2 * make_photos.MIB)
        os.replace(tmp, out)
    return out


def big_photo(path: Path, name: str | int) -> Path:
    """A 2 MiB photo (a fixture's name, or a seed for one of `_extra_photo`'s):
    hard-linked from the cache when the file system allows."""
    src = make_photos.get(name) if isinstance(name, str) else _extra_photo(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, path)
    except OSError:
        shutil.copyfile(src, path)
    return path


def make_unit(
    folder: Path,
    name: str = "长寿路街道",
    *,
    seed: int = 1,
    table: bool = True,
    summary: bool = True,
    case: bool = True,
    photos: int = 5,
    big: bool = False,
    numbers: Mapping[str, Any] | None = None,
    courses: bool = False,
) -> Path:
    """A unit's folder as the template lays it out, filled in. `seed` makes its photos
    and texts its own (two units with different seeds share nothing)."""
    write_template(folder, PROFILE)
    (folder / TABLE_NAME).unlink()
    if table:
        row = dict(numbers or own_numbers(seed))
        make_tables.make_table(folder / TABLE_NAME, rows=(row,), unit=f"普陀区{name}")
    summary_path = folder / SUMMARY_NAME
    case_text = folder / CASE_NAME
    if summary:
        title = f"{name}老年数字教育进社区行动工作总结"
        body = f"{name}开展智能手机课堂 {seed * 7} 场。"
        summary_path.write_bytes(docx_bytes(title, body))
    else:
        summary_path.unlink()
    if case:
        title, body = f"{name}优秀工作案例", f"{name}组织志愿者上门教学，共 {seed * 3} 次。"
        case_text.write_bytes(docx_bytes(title, body))
        add_photos(case_text.parent, photos, seed=seed, big=big)
    else:
        shutil.rmtree(case_text.parent)
    if courses:  # as `mediacheck template` writes them; the district's list is its own
        from mediacheck.sets.course_template import write_templates

        write_templates(folder, PROFILE)
    return folder


def own_numbers(seed: int) -> dict[str, Any]:
    """A unit's row passing every rule, its own (another seed, other numbers)."""
    row = dict(make_tables.GOOD)
    row["attendance_online"] += seed
    row["media_reports"] += seed
    return row


def add_photos(folder: Path, n: int, *, seed: int = 1, big: bool = False,
               start: int = 1) -> list[Path]:  # fmt: skip
    if big:  # seed 1: the fixtures' five; any other: five of its own
        names = BIG if seed == 1 else [1000 * seed + i for i in range(len(BIG))]
        return [big_photo(folder / f"活动照片{start + i}.jpg", names[i % len(names)])
                for i in range(n)]  # fmt: skip
    return [small_photo(folder / f"活动照片{start + i}.jpg", seed * 100 + i) for i in range(n)]


def findings(result: Any) -> dict[str, Any]:
    return {f.rule_id: f for f in result.findings}


def statuses(result: Any, rules: Sequence[str] | None = None) -> dict[str, str]:
    return {f.rule_id: f.status for f in result.findings if rules is None or f.rule_id in rules}
