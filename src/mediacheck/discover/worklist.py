"""What `mediacheck check` will do: walk the paths, apply the config, sniff each file's
kind by content, and sort everything into jobs (a file, or a case folder), files only
listed, and problems found on the way (an unreadable folder, a symlink loop).

Nothing is probed here; only the first bytes of each file are read (`sniff`).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from mediacheck.discover import sniff
from mediacheck.discover.config import Config, relative_to_root
from mediacheck.discover.walk import MissingPath, walk
from mediacheck.model import FAIL, FileResult, Finding
from mediacheck.report.common import Listed
from mediacheck.words.lang import visible

Text = dict[str, str]

# Problems of the run itself, outside any profile. Each is an error: a file or folder
# that could not be checked must not pass a CI build silently.
RUN_RULES: dict[str, dict[str, Text]] = {
    "PATH-READABLE": {
        "title": {"zh": "能否读取", "en": "Readable"},
        "hint": {
            "zh": "检查文件或文件夹的权限，以及符号链接是否指向自身或已失效。",
            "en": "Check the permissions of the file or folder, and whether a symbolic "
            "link points back to itself or nowhere.",
        },
    },
    "FILE-KIND": {
        "title": {"zh": "文件类型", "en": "Kind of file"},
        "hint": {
            "zh": "只上传视频、照片和文字文件；或在 .mediacheck.yaml 中排除此文件（exclude）。",
            "en": "Upload only videos, photos and texts, or exclude this file in "
            ".mediacheck.yaml (exclude:).",
        },
    },
    "CHECK-CRASHED": {
        "title": {"zh": "检查过程出错", "en": "Check crashed"},
        "hint": {
            "zh": "这是 mediacheck 的问题，不一定是文件的问题。请把这条信息报告给维护者。",
            "en": "This is a problem in mediacheck, not necessarily in the file. Please "
            "report this message to the maintainers.",
        },
    },
}

MESSAGES: dict[str, Text] = {
    "unreadable": {"zh": "无法读取：{detail}", "en": "Cannot be read: {detail}"},
    "special": {
        "zh": "不是普通文件（是管道、设备或套接字），为安全起见没有读取",
        "en": "Not a regular file (a pipe, device or socket); not read, for safety",
    },
    "loop": {
        "zh": "符号链接循环（链接最终指回自身），无法读取",
        "en": "Symbolic link loop (the link ends up pointing at itself); cannot be read",
    },
    "dangling": {
        "zh": "符号链接指向的文件不存在",
        "en": "Symbolic link to a file that does not exist",
    },
    "vanished": {
        "zh": "文件在检查过程中被删除或移走了",
        "en": "The file was deleted or moved while it was being checked",
    },
    "folder": {"zh": "无法列出文件夹内容：{detail}", "en": "Cannot list the folder: {detail}"},
    "other_kind": {
        "zh": "不是视频、照片或文字文件（内容为 {what}）",
        "en": "Not a video, photo or text (its content is {what})",
    },
    "crashed": {
        "zh": "检查时出现内部错误：{detail}",
        "en": "Internal error while checking: {detail}",
    },
}


def problem(
    path: Path, rule_id: str, message: str, kind: str = "other", **params: str
) -> FileResult:
    """A one-finding FileResult for a problem of the run (not of a profile rule)."""
    rule = RUN_RULES[rule_id]
    shown = {k: visible(v) for k, v in params.items()}  # a name in a tool's complaint
    text = {lang: MESSAGES[message][lang].format(**shown) for lang in ("zh", "en")}
    dash = {"zh": "—", "en": "—"}
    finding = Finding(
        path=path,
        rule_id=rule_id,
        spec=rule_id,
        severity="error",
        status=FAIL,
        title=rule["title"],
        measured=None,
        measured_text=dash,
        expected=None,
        expected_text=dash,
        check="readable",
        message=text,
        hint=rule["hint"],
    )
    return FileResult(path=path, kind=kind, findings=(finding,))


def os_problem(path: Path, exc: OSError, folder: bool = False) -> FileResult:
    if isinstance(exc, sniff.NotAFile):
        return problem(path, "PATH-READABLE", "special")
    if exc.errno == errno.ELOOP:
        return problem(path, "PATH-READABLE", "loop")
    if isinstance(exc, FileNotFoundError) and not folder:
        gone = "dangling" if os.path.islink(path) else "vanished"
        return problem(path, "PATH-READABLE", gone)
    detail = exc.strerror or str(exc)
    return problem(path, "PATH-READABLE", "folder" if folder else "unreadable", detail=detail)


class FileJob(NamedTuple):
    path: Path
    kind: str


class CaseJob(NamedTuple):
    """A set of files checked together: a case folder (members found by the walker), or
    the photos named to `mediacheck photos` (members given, no text expected)."""

    folder: Path
    members: tuple[Path, ...] | None = None
    texts: bool = True  # a case has a text; a bare set of photos does not


@dataclass
class WorkList:
    jobs: list[FileJob | CaseJob] = field(default_factory=list)
    listed: list[Listed] = field(default_factory=list)
    problems: list[FileResult] = field(default_factory=list)

    def shard(self, k: int, n: int) -> WorkList:
        """Every n-th unit of the sorted work, starting at the k-th (1-based): the same
        split on every machine of a CI matrix, whatever order the files were found in."""
        units: list[tuple[str, object]] = [(_key(j), j) for j in self.jobs]
        units += [(str(i.path), i) for i in self.listed]
        units += [(str(p.path), p) for p in self.problems]
        units.sort(key=lambda u: u[0])
        mine = [u for i, (_, u) in enumerate(units) if i % n == k - 1]
        return WorkList(
            jobs=[u for u in mine if isinstance(u, (FileJob, CaseJob))],
            listed=[u for u in mine if isinstance(u, Listed)],
            problems=[u for u in mine if isinstance(u, FileResult)],
        )


def _key(job: FileJob | CaseJob) -> str:
    return str(job.path if isinstance(job, FileJob) else job.folder)


class Changes(NamedTuple):
    """What git says changed: files to check, and files deleted (which still change the
    verdict of the case folder they were in: a case can drop below 5 photos)."""

    changed: frozenset[str]  # absolute paths
    deleted: frozenset[str]


def build(
    paths: Iterable[Path],
    config: Config,
    *,
    checkable: Callable[[str], bool],
    case_rules: bool,
    changes: Changes | None = None,
    only: str | None = None,
) -> WorkList:
    """Sort `paths` into work. `checkable(kind)` says whether a prober exists for a kind;
    `case_rules` whether case folders get their own check (else their files are checked
    one by one). `only` is a kind command's kind: files named are checked as that kind
    (a wrong one is that prober's finding), files in folders only when of that kind, the
    rest left out silently; `only="case"` makes each folder named a case. Missing paths
    raise `MissingPath` before anything is read."""
    paths = list(paths)
    for path in paths:
        if not os.path.lexists(path):
            raise MissingPath(path)
    root = config.root
    work = WorkList()
    seen: set[str] = set()
    cases: dict[str, Path] = {}

    def case_of(path: Path) -> Path | None:
        """The configured case folder `path` lies in (the outermost match), if any."""
        if not config.cases:
            return None
        rel = relative_to_root(path, root)
        if not rel:
            return None
        parts = rel.split("/")
        for i in range(1, len(parts) + 1):
            if config.is_case("/".join(parts[:i])):
                folder = Path(root, *parts[:i])
                # The path itself matching is a case only when it is a folder.
                if i < len(parts) or folder.is_dir():
                    # Keep the folder in the form the user gave the path (relative stays
                    # relative) when the lexical parent is the same folder.
                    given = path
                    for _ in range(len(parts) - i):
                        given = given.parent
                    same = os.path.abspath(given) == os.path.abspath(folder)
                    return given if same else folder
        return None

    def take_file(path: Path, explicit: bool) -> None:
        key = os.path.realpath(path)
        if key in seen:
            return
        seen.add(key)
        rel = relative_to_root(path, root)
        if rel is not None and config.is_excluded(rel):
            if explicit:
                work.listed.append(Listed(path, "other", "excluded"))
            return
        if changes is not None and os.path.abspath(path) not in changes.changed:
            return
        # Case folders before `include`: a case's photos and text belong to it even when
        # `include` only names videos.
        case = case_of(path) if case_rules else None
        if case is not None:
            cases.setdefault(os.path.abspath(case), case)
            return
        if rel is not None and not config.is_included(rel):
            if explicit:
                work.listed.append(Listed(path, "other", "excluded"))
            return
        try:
            sniff.regular(path)
        except OSError as exc:  # a FIFO or device, a dangling link, a loop: a finding
            work.problems.append(os_problem(path, exc))
            return
        if only is not None and explicit:
            work.jobs.append(FileJob(path, only))
            return
        try:
            kind = sniff.kind_of(path)
        except OSError as exc:
            work.problems.append(os_problem(path, exc))
            return
        if only is not None:
            # of that kind, or named as one (a JPEG called lesson.mp4 among the lessons is
            # that prober's finding, "not a video", never silently left out)
            if kind == only or sniff.named_kind(path) == only:
                work.jobs.append(FileJob(path, only))
            return
        if checkable(kind):
            work.jobs.append(FileJob(path, kind))
        elif kind == "other" and config.other_files == "fail":
            fmt = sniff.sniff(path)
            work.problems.append(problem(path, "FILE-KIND", "other_kind", what=fmt))
        else:
            work.listed.append(Listed(path, kind, "no_checks"))

    def walk_folder(top: Path) -> None:
        def on_error(exc: OSError) -> None:
            where = Path(exc.filename) if exc.filename else top
            work.problems.append(os_problem(where, exc, folder=True))

        def excluded(folder: Path) -> bool:
            rel = relative_to_root(folder, root)
            return bool(rel) and config.is_excluded(rel, is_dir=True)

        def symlinked(folder: Path) -> None:
            if changes is None and only is None:
                work.listed.append(Listed(folder, "folder", "symlink_dir"))

        def entered(folder: Path) -> None:
            # a configured case folder is a case even when empty: P-COUNT then says so
            rel = relative_to_root(folder, root)
            wanted = changes is None or _touches(folder, changes)
            if case_rules and rel and config.cases and config.is_case(rel) and wanted:
                cases.setdefault(os.path.abspath(folder), folder)

        for path in walk(top, on_error=on_error, prune=excluded, on_symlink_dir=symlinked,
                         on_dir=entered):  # fmt: skip
            take_file(path, explicit=False)

    for path in paths:
        if path.is_dir() and only == "case":
            cases.setdefault(os.path.abspath(path), path)
            continue
        if path.is_dir():
            rel = relative_to_root(path, root)
            if case_rules and rel is not None and config.cases and case_of(path / "x") == path:
                # A case folder named directly: checked as one case.
                if changes is None or _touches(path, changes):
                    cases.setdefault(os.path.abspath(path), path)
                continue
            walk_folder(path)
        else:
            take_file(path, explicit=True)

    if changes is not None:
        # A deleted photo changes its case's verdict although no file in it changed.
        for folder in {case_of(Path(p)) for p in changes.deleted} - {None}:
            assert folder is not None
            rel = relative_to_root(folder, root)
            if not folder.is_dir() or (rel and config.is_excluded(rel)):
                continue  # the whole case was deleted, or is not checked anyway
            if any(_under(folder, p) for p in paths):
                # git names it from the top of the repository; show it like the rest.
                rel = os.path.relpath(folder)
                shown = Path(rel) if not rel.startswith(os.pardir) else folder
                cases.setdefault(os.path.abspath(folder), shown)
    work.jobs += [CaseJob(folder) for folder in cases.values()]
    if only is None:  # check: by path; a kind command keeps the order it was given
        work.jobs.sort(key=_key)
    work.listed.sort(key=lambda i: str(i.path))
    work.problems.sort(key=lambda p: str(p.path))
    return work


def _touches(folder: Path, changes: Changes) -> bool:
    prefix = os.path.abspath(folder) + os.sep
    return any(p.startswith(prefix) for p in changes.changed | changes.deleted)


def _under(folder: Path, given: Path) -> bool:
    a, b = os.path.abspath(folder), os.path.abspath(given)
    return a == b or a.startswith(b.rstrip(os.sep) + os.sep) or b.startswith(a + os.sep)


def case_members(folder: Path) -> list[Path]:
    """The files of a case folder, by the one walker (hidden files and junk skipped)."""
    return list(walk(folder))
