"""`.mediacheck.yaml`: a repository's own settings for `mediacheck check`.

Found by walking from the current folder upward (the first one wins). Validated as
strictly as profiles, before any file is read: an unknown key or a wrong type is a
`ConfigError` naming the file and the key, and the command exits 2. Options given on the
command line win over the file.

Globs (`include`, `exclude`, `cases`, `summaries`) are matched against paths relative to
the folder holding the config file, as `.gitignore` reads them (pathspec): a pattern without `/`
matches a name at any depth (`Thumbs.db`, `*.tmp`, `drafts`), one with `/` is anchored
(`cases/*`, `lessons/**/*.mp4`), `build/` matches folders only, `!keep.mp4` takes a path
back out. A file inside an excluded folder is excluded too, also when it is named on the
command line (as pre-commit names staged files).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mediacheck import yamlfile
from mediacheck.errors import MediacheckError

if TYPE_CHECKING:
    import pathspec

CONFIG_NAME = ".mediacheck.yaml"
OTHER_FILES = ("list", "fail")
LANGS = ("zh", "en")


class ConfigError(MediacheckError):
    """A config file that cannot be used; the message names the file and the key."""

    def __init__(self, path: Path, code: str, **params: Any) -> None:
        super().__init__(code, path=path, **params)

    def text(self, lang: str) -> str:
        return f"{self.params['path']}: {super().text(lang)}"


@dataclass(frozen=True)
class Config:
    path: Path | None = None  # the file it came from; None: no file, defaults
    profile: str | None = None  # a shipped name, or a path relative to the config file
    include: tuple[str, ...] = ()  # empty: every file
    exclude: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()  # folders whose files form one case (set rules)
    summaries: tuple[str, ...] = ()  # texts, or folders of texts, that are work summaries
    lang: str | None = None
    formats: tuple[str, ...] = ()  # "FMT" or "FMT:FILE", as for --format
    jobs: int | None = None
    strict: bool = False
    other_files: str = "list"  # files of no known kind: listed, or failed
    online: bool = False  # visit interactive courses' links (mediacheck courses)

    @property
    def root(self) -> Path:
        """Where the globs are anchored: the config file's folder, else the current one."""
        return self.path.parent if self.path is not None else Path.cwd()

    def profile_ref(self) -> str | None:
        """The profile as `load_profile` wants it: a path relative to the config file
        when such a file exists, else the name as written (a shipped profile)."""
        if self.profile is None or self.path is None:
            return self.profile
        beside = self.path.parent / self.profile
        return str(beside) if beside.is_file() else self.profile

    def is_excluded(self, rel: str, is_dir: bool = False) -> bool:
        return bool(self.exclude) and matches(self.exclude, rel, is_dir)

    def is_included(self, rel: str) -> bool:
        return not self.include or matches(self.include, rel)

    def is_case(self, rel: str) -> bool:
        return bool(self.cases) and matches(self.cases, rel, is_dir=True)

    def is_summary(self, rel: str, is_dir: bool = False) -> bool:
        """Declared a work summary (T-SUMMARY): the text itself, or a folder it is in."""
        return bool(self.summaries) and matches(self.summaries, rel, is_dir)


def find_config(start: Path | None = None) -> Path | None:
    """The nearest `.mediacheck.yaml` from `start` (default: the current folder) upward."""
    here = (start or Path.cwd()).absolute()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if os.path.lexists(candidate) and not candidate.is_dir():
            return candidate  # a FIFO or a broken link is said, not silently passed over
    return None


def _strings(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(path, "config.strings", key=key)
    return tuple(value)


def load_config(path: Path) -> Config:
    try:
        data = yamlfile.load(path)  # regular, small, UTF-8, few references (yamlfile.py)
    except yamlfile.YamlFileError as exc:
        code, params = yamlfile.as_error(exc, "config")
        raise ConfigError(path, code, **params) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(path, "config.not_mapping")
    known = {
        "profile", "include", "exclude", "cases", "lang", "format", "jobs", "strict",
        "other_files", "online", "summaries",
    }  # fmt: skip
    unknown = sorted(str(k) for k in data if k not in known)
    if unknown:
        names = ", ".join(f"'{k}'" for k in unknown)
        raise ConfigError(path, "config.unknown_keys", keys=names, known=", ".join(sorted(known)))
    profile = data.get("profile")
    if profile is not None and not (isinstance(profile, str) and profile):
        raise ConfigError(path, "config.profile")
    lang = data.get("lang")
    if lang is not None and lang not in LANGS:
        raise ConfigError(path, "config.lang", known=", ".join(LANGS))
    jobs = data.get("jobs")
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise ConfigError(path, "config.jobs")
    strict = data.get("strict", False)
    if not isinstance(strict, bool):
        raise ConfigError(path, "config.bool", key="strict")
    online = data.get("online", False)
    if not isinstance(online, bool):
        raise ConfigError(path, "config.bool", key="online")
    other = data.get("other_files", "list")
    if other not in OTHER_FILES:
        raise ConfigError(path, "config.other_files", known=", ".join(OTHER_FILES))
    formats: tuple[str, ...] = ()
    if "format" in data:
        formats = tuple(
            part.strip()
            for item in _strings(path, "format", data["format"])
            for part in item.split(",")
            if part.strip()
        )
    globs = {k: _strings(path, k, data[k]) if k in data else () for k in
             ("include", "exclude", "cases", "summaries")}  # fmt: skip
    for key, patterns in globs.items():
        for pattern in patterns:
            try:
                if re.search(r"(?<!\\)\[(?![^\]]*\])", pattern):
                    # git matches nothing with an unclosed '[': say so, never pass quietly
                    raise ValueError("an unclosed '['")
                _spec((pattern,))
            except (ValueError, re.error) as exc:  # pathspec's GitWildMatchPatternError
                raise ConfigError(
                    path, "config.pattern", key=key, pattern=repr(pattern), detail=str(exc)
                ) from exc
    return Config(
        path=path.absolute(),
        profile=profile,
        include=globs["include"],
        exclude=globs["exclude"],
        cases=globs["cases"],
        summaries=globs["summaries"],
        lang=lang,
        formats=formats,
        jobs=jobs,
        strict=strict,
        other_files=other,
        online=online,
    )


def discover_config(explicit: Path | None = None, start: Path | None = None) -> Config:
    """The config to use: `explicit` (--config), else the nearest file, else defaults."""
    path = explicit if explicit is not None else find_config(start)
    if path is None:
        return Config()
    if not os.path.lexists(path) or path.is_dir():
        raise ConfigError(path, "config.missing")
    return load_config(path)


@lru_cache(maxsize=256)
def _spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    """Patterns read as .gitignore reads them (pathspec's implementation of git's rules):
    the one path policy, for the walk, for files named on the command line and for
    pre-commit's lists alike. Imported only when a config has patterns."""
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns)


def matches(pattern: str | tuple[str, ...], rel: str, is_dir: bool = False) -> bool:
    """Does `rel` (a `/`-separated path relative to the config folder) match? A list of
    patterns may negate (`!keep.mp4`); a folder is asked about as `rel/`."""
    patterns = (pattern,) if isinstance(pattern, str) else pattern
    return _spec(patterns).match_file(rel + "/" if is_dir and not rel.endswith("/") else rel)


def relative_to_root(path: Path, root: Path) -> str | None:
    """`path` relative to `root` with `/` separators, or None when it lies outside."""
    rel = os.path.relpath(path, root)  # relpath makes both absolute itself
    if rel == os.curdir:
        return ""
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return rel.replace(os.sep, "/")
