"""One base for every problem that stops a run before or instead of checking (exit 2):
a missing path, a bad profile or config, a usage mistake, a missing tool, a git error.

Each carries a code and parameters; `text(lang)` words it from the catalogue
(`words/catalogue.py` ERRORS), so the one handler in `cli/` can say it in the user's
language. Problems of a single file are never errors: they are findings.
"""

from __future__ import annotations

from typing import Any


class MediacheckError(Exception):
    exit_code = 2

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        from mediacheck.words.catalogue import error_text

        return error_text(self.code, lang, self.params)


class UsageError(MediacheckError):
    """A command line or option value that cannot be used."""


def yaml_detail(exc: Exception) -> str:
    """Where a YAML file went wrong, for a person: the problem and its line and column."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or ""
    return f"{problem} (line {mark.line + 1}, column {mark.column + 1})" if mark else problem


class ToolMissing(Exception):
    """A program mediacheck needs is not installed: exit 2 with install advice."""

    def __init__(self, tool: str) -> None:
        super().__init__(tool)
        self.tool = tool


class ToolTimeout(Exception):
    def __init__(self, tool: str, seconds: float) -> None:
        super().__init__(f"{tool} timed out after {seconds:g} s")
        self.tool = tool
        self.seconds = seconds
