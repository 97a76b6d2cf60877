"""Reporters: a run's findings as table, JSON, JUnit, GitHub, SARIF, GitLab.

`REPORTERS` is the registry: name -> module. Each module has
``render(run: RunResult, ctx: ReportContext) -> str`` (and ``BINARY = True`` with
``-> bytes`` for formats that are not text). Modules are imported when a run asks for
their format, so a run pays only for the formats it writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mediacheck.profile import Profile
    from mediacheck.report.common import Listed

REPORTERS: dict[str, str] = {
    "table": "mediacheck.report.table",
    "json": "mediacheck.report.json",
    "junit": "mediacheck.report.junit",
    "github": "mediacheck.report.github",
    "sarif": "mediacheck.report.sarif",
    "gitlab": "mediacheck.report.gitlab",
    "html": "mediacheck.report.html",  # one self-contained page for people (#12)
    "csv": "mediacheck.report.csv",  # one row per subject and rule, Chinese headers
    "xlsx": "mediacheck.report.xlsx",  # the same as a workbook (BINARY)
}


@dataclass(frozen=True)
class ReportContext:
    """Everything a reporter may need beyond the findings."""

    lang: str
    root: Path  # file names are shown relative to it (the repository, else the cwd)
    profile: Profile | None = None
    strict: bool = False  # warnings fail
    listed: tuple[Listed, ...] = ()  # files seen but not checked
    cached: int = 0  # results that came from the cache
    every_file: bool = True  # table: full tables for passing files too (else one line)
    details: bool = False  # table: draw measured per-second series
    to_file: bool = False  # for a program, not a terminal: a file or a pipe (compact)
    shard: tuple[int, int] | None = None  # --shard K/N


def reporter(name: str) -> ModuleType:
    return import_module(REPORTERS[name])
