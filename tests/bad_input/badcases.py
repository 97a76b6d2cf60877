"""The bad-input battery's cases, as data: what to build, which command meets it, and what
a person must read then (zh and en). The driver is test_bad_input.py.

Each case builds its bad input in an empty folder `work` (`make(work) -> Path`, the bad
path). Beside it the driver puts the good file of the case's `good` kind (from the fixture
scripts), which must still be checked and reported as such. The command's words
`{bad}`, `{good}`, `{dir}` (the work folder) and `{out}` (a scratch folder outside it)
are filled in. `said` is what must be in the output, by language; `exit` the exit
statuses allowed.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import make_fixtures
import make_photos
import make_tables

Text = dict[str, str]


@dataclass(frozen=True)
class Case:
    id: str
    command: tuple[str, ...]
    make: Callable[[Path], Path]
    said: Text
    exit: frozenset[int] = frozenset({1})
    good: str | None = None  # a key of GOOD, placed beside the bad input
    good_said: Text | None = None  # what its report says, when not GOOD's words
    good_checked: bool = True  # False: the run refuses before checking anything
    in_work: bool = False  # run inside the work folder (a config is found from there)
    adds: tuple[str, ...] = ()  # names the command may write into the work folder
    unprivileged: bool = False  # needs permissions that bite (root: DAC capabilities dropped)
    interrupt: int | None = None  # a signal sent once ffmpeg runs (fix)
    env: dict[str, str] = field(default_factory=dict)


# ------------------------------------------------------------------ good files


def _table(path: Path) -> Path:
    return make_tables.make_table(path)


@dataclass(frozen=True)
class Good:
    name: str  # its file name in the work folder
    make: Callable[[Path], object]  # writes it at a path
    said: Text  # what its report says, on the line that names it
    shown: str | None = None  # the name that line carries, when not `name`


PASSES = {"zh": "符合要求", "en": "meets the requirements"}
WARNS = {"zh": "基本符合，有警告", "en": "passes, with warnings"}
GOOD: dict[str, Good] = {
    "video": Good("good.mp4", lambda p: shutil.copyfile(make_fixtures.get("compliant"), p), PASSES),
    "photo": Good("good.jpg", lambda p: shutil.copyfile(make_photos.get("photo_a"), p), PASSES),
    "text": Good("good.txt", lambda p: shutil.copyfile(make_photos.get("utf8_txt"), p), PASSES),
    # a good table without an electronic seal: S-SEAL warns
    "table": Good("good.xlsx", _table, WARNS),
    # a quick remux (moov at the end), checked after it is written
    "fix": Good(
        "good.mp4",
        lambda p: shutil.copyfile(make_fixtures.get("moov_at_end"), p),
        {"zh": "复查通过", "en": "it passes the checks"},
        shown="good.fixed.mp4",
    ),
}


# ------------------------------------------------------------------ makers


def named(name: str, how: Callable[[Path], object]) -> Callable[[Path], Path]:
    def make(work: Path) -> Path:
        path = work / name
        how(path)
        return path

    return make


def empty(path: Path) -> None:
    path.write_bytes(b"")


def binary(path: Path) -> None:
    path.write_bytes(b"\xff\xfe\x00garbage \x80\x81")


def fifo(path: Path) -> None:
    os.mkfifo(path)


def link_to(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


def unix_socket(path: Path) -> None:
    # a socket's path must stay short: bind in the folder, by a relative name
    here = os.getcwd()
    os.chdir(path.parent)
    try:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(path.name)
        sock.close()  # the file stays
    finally:
        os.chdir(here)


def loop(path: Path) -> None:
    path.symlink_to(path.name)


def dangling(path: Path) -> None:
    path.symlink_to("nothing-here.bin")


def copy_of(get: Callable[[], Path]) -> Callable[[Path], None]:
    return lambda path: shutil.copyfile(get(), path)


def video(name: str) -> Callable[[Path], None]:
    return copy_of(lambda: make_fixtures.get(name))


def photo(name: str) -> Callable[[Path], None]:
    return copy_of(lambda: make_photos.get(name))


def unreadable(how: Callable[[Path], object]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        how(path)
        path.chmod(0)

    return make


def unreadable_folder(work: Path) -> Path:
    folder = work / "locked"
    folder.mkdir()
    shutil.copyfile(make_photos.get("photo_b"), folder / "inside.jpg")
    folder.chmod(0)
    return folder


def billion_laughs(key: str) -> Callable[[Path], None]:
    """Nine lines under `key` (one the file may hold) that expand to 9^9 strings."""

    def make(path: Path) -> None:
        lines = [f"{key}:", '  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        for i in range(1, 10):
            lines.append(f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    return make


def deep_yaml(path: Path) -> None:
    path.write_text("rules: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")


def huge_profile(path: Path) -> None:
    # 40 MB: a rule list no person wrote; reading it must be refused, not parsed for minutes
    body = "".join(f"  R-{i}: {{enabled: false}}\n" for i in range(1_600_000))
    path.write_text("extends: shanghai-2024\nrules:\n" + body, encoding="utf-8")


def zip_bomb_xlsx(path: Path) -> None:
    make_tables.make_zip_bomb_xlsx(path)


def stuffed_xlsx(path: Path) -> None:
    make_tables.make_stuffed_xlsx(path)


def encrypted_xlsx(path: Path) -> None:
    make_tables.make_encrypted_xlsx(path)


def garbage_png(path: Path) -> None:
    ihdr = struct.pack(">IIBBBBB", 2000, 1500, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk + os.urandom(3 << 20))


def deep_folders(work: Path) -> Path:
    """An empty lesson 1,100 folders down (os.walk recurses: a RecursionError once)."""
    here = os.getcwd()
    os.chdir(work)
    try:
        for _ in range(1100):
            os.mkdir("d")
            os.chdir("d")
        Path("deep.mp4").write_bytes(b"")
    finally:
        os.chdir(here)
    return work


def box_size_lie(path: Path) -> None:
    """The compliant lesson with its moov box claiming 4 GB: an index past the file's end."""
    data = bytearray(make_fixtures.get("compliant").read_bytes())
    at = data.find(b"moov") - 4
    data[at : at + 4] = struct.pack(">I", 0xFFFFFF00)
    path.write_bytes(bytes(data))


def ftyp_then_noise(path: Path) -> None:
    path.write_bytes(struct.pack(">I", 24) + b"ftypisom" + bytes(12) + os.urandom(1 << 20))


def zip_flagged(source: Callable[[], Path], member: str, flag: int) -> Callable[[Path], None]:
    """A copy of an Office file whose `member` claims to be encrypted (flag bit 0) in the
    zip directory: no Office file has such a member."""

    def make(path: Path) -> None:
        data = bytearray(source().read_bytes())
        at = data.find(b"PK\x01\x02")
        while at >= 0:
            n = struct.unpack("<H", data[at + 28 : at + 30])[0]
            if data[at + 46 : at + 46 + n] == member.encode():
                flags = struct.unpack("<H", data[at + 8 : at + 10])[0]
                struct.pack_into("<H", data, at + 8, flags | flag)
            at = data.find(b"PK\x01\x02", at + 46)
        path.write_bytes(bytes(data))

    return make


def bzip2_xlsx(path: Path) -> None:
    """A good table re-packed with bzip2 members (zipfile can; Office never does)."""
    import zipfile

    plain = make_tables.make_table(path.with_name("plain.tmp.xlsx"))
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    plain.unlink()


def case_with(member: str, how: Callable[[Path], object]) -> Callable[[Path], Path]:
    """The passing case folder (case_ok) with one bad member added; the folder is {bad}."""

    def make(work: Path) -> Path:
        folder = work / "案例一"
        shutil.copytree(make_photos.get("case_ok"), folder)
        how(folder / member)
        return folder

    return make


def config(text_or_make: str | Callable[[Path], None]) -> Callable[[Path], Path]:
    """A .mediacheck.yaml in the work folder; {bad} is the folder checked."""

    def make(work: Path) -> Path:
        path = work / ".mediacheck.yaml"
        if callable(text_or_make):
            text_or_make(path)
        else:
            path.write_text(text_or_make, encoding="utf-8")
        return work

    return make


def courses_list(how: Callable[[Path], object], name: str = "courses.yaml"):
    return named(name, how)


def template_blocker(work: Path) -> Path:
    path = work / "forms"
    path.write_text("a file where the forms folder should be", encoding="utf-8")
    return path


def existing_forms(work: Path) -> Path:
    folder = work / "forms"
    folder.mkdir()
    (folder / "courses.yaml").write_text("# mine: keep me\n", encoding="utf-8")
    return folder


def output_into(name: str) -> Callable[[Path], Path]:
    """{bad} is a report path: an input itself, or inside a folder that does not exist."""
    return lambda work: work / name


def bytes_named(name: bytes, how: Callable[[Path], object]) -> Callable[[Path], Path]:
    """A name that is not UTF-8 (Python holds its bytes as lone surrogates)."""

    def make(work: Path) -> Path:
        path = work / os.fsdecode(name)
        how(path)
        return path

    return make


def _file(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("a file where the cache folder should be", encoding="utf-8")
    return path


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


def _read_only(folder: Path) -> Path:
    folder.mkdir(parents=True)
    folder.chmod(0o555)
    return folder


# ------------------------------------------------------------------ the words people read


def same(words: str) -> Text:
    """Words that read the same in both languages (a file name, a signal's name)."""
    return {"zh": words, "en": words}


NOT_REGULAR = {"zh": "不是普通文件", "en": "not a regular file"}  # compared ignoring case
CANNOT_READ = {"zh": "无法读取", "en": "cannot be read"}
DANGLING = {"zh": "符号链接指向的文件不存在", "en": "symbolic link to a file that does not exist"}
NO_TEXT = {"zh": "文字材料是空的", "en": "the text is empty"}
TRUNCATED = {"zh": "被截断", "en": "truncated"}
HUGE_IMAGE = {"zh": "异常巨大", "en": "enormous size"}
NOT_DOCX = {"zh": "不是 Word 文档", "en": "not a Word document"}
NOT_YAML = {"zh": "不是有效的 YAML", "en": "not valid YAML"}
TOO_LARGE = {"zh": "文件过大", "en": "far too large"}
NOT_UTF8 = {"zh": "不是 UTF-8", "en": "not UTF-8"}
NOT_FOLLOWED = {"zh": "未进入（避免循环）", "en": "not followed (links can loop)"}
WRONG_EXTENSION = {"zh": "扩展名不对", "en": "wrong extension"}
CANNOT_READ_PHOTO = {"zh": "无法读取这张照片", "en": "Cannot read this photo"}
LOOP = {"zh": "符号链接循环", "en": "Symbolic link loop"}
DENIED = {"zh": "Permission denied", "en": "Permission denied"}
EMPTY = {"zh": "文件是空的", "en": "The file is empty"}
NOT_VIDEO = {"zh": "这不是视频文件", "en": "This is not a video"}
ZIP_BOMB = {"zh": "压缩炸弹", "en": "zip bomb"}
BIG_DOCX = {"zh": "解压后过大", "en": "unpacks to too much data"}
PASSWORD = {"zh": "密码", "en": "password"}
ALIASES = {"zh": "引用（& 和 *）", "en": "references (& and *)"}


def V(*args: str) -> tuple[str, ...]:
    return args


# fmt: off
CASES: list[Case] = [
    # ---- FIFOs, devices, sockets: never opened, each a finding by name
    Case("fifo-mp4-video", V("video", "{dir}"), named("bad.mp4", fifo), NOT_REGULAR,
         good="video"),
    Case("fifo-jpg-photos", V("photos", "{bad}", "{good}"), named("bad.jpg", fifo),
         NOT_REGULAR, good="photo"),
    Case("fifo-txt-text", V("text", "{dir}"), named("bad.txt", fifo), NOT_REGULAR,
         good="text"),
    Case("fifo-xlsx-table", V("table", "{bad}", "{good}"), named("bad.xlsx", fifo),
         NOT_REGULAR, good="table"),
    Case("fifo-in-case", V("case", "{bad}"), case_with("坏.jpg", fifo), NOT_REGULAR),
    Case("fifo-mp4-check", V("check", "--no-cache", "{dir}"), named("bad.mp4", fifo),
         NOT_REGULAR, good="video"),
    Case("fifo-mp4-fix", V("fix", "{bad}", "{good}"), named("bad.mp4", fifo), NOT_REGULAR,
         exit=frozenset({2}), good="fix", adds=("good.fixed.mp4",)),
    Case("dev-zero-jpg-photos", V("photos", "{dir}"), named("zero.jpg", link_to("/dev/zero")),
         NOT_REGULAR, good="photo"),
    Case("dev-zero-txt-text", V("text", "{bad}", "{good}"),
         named("zero.txt", link_to("/dev/zero")), NOT_REGULAR, good="text"),
    Case("dev-zero-mp4-check", V("check", "--cache-dir", "{out}/cache", "{dir}"),
         named("zero.mp4", link_to("/dev/zero")), NOT_REGULAR, good="video"),
    Case("dev-null-mp4-video", V("video", "{dir}"), named("null.mp4", link_to("/dev/null")),
         NOT_REGULAR, good="video"),
    Case("socket-mp4-video", V("video", "{dir}"), named("sock.mp4", unix_socket),
         NOT_REGULAR, good="video"),
    Case("fifo-courses", V("courses", "{bad}"), courses_list(fifo), NOT_REGULAR),
    Case("fifo-profile", V("video", "--profile", "{bad}", "{good}"), named("p.yaml", fifo),
         NOT_REGULAR, exit=frozenset({2})),
    Case("fifo-config", V("check", "--no-cache", "."), config(fifo), NOT_REGULAR,
         exit=frozenset({2}), in_work=True),
    # ---- links that lead nowhere or round in circles
    Case("loop-video", V("video", "{dir}"), named("loop.mp4", loop), LOOP, good="video"),
    Case("loop-photos", V("photos", "{dir}"), named("loop.jpg", loop), LOOP, good="photo"),
    Case("dangling-text", V("text", "{dir}"), named("gone.txt", dangling), DANGLING,
         good="text"),
    Case("dangling-in-case", V("case", "{bad}"), case_with("gone.jpg", dangling), DANGLING),
    Case("folder-link-to-parent-check", V("check", "--no-cache", "{dir}"),
         named("up", link_to(".")), NOT_FOLLOWED, good="video", exit=frozenset({0})),
    # ---- permissions (as root: DAC capabilities dropped for the run)
    Case("unreadable-mp4-video", V("video", "{dir}"),
         named("locked.mp4", unreadable(video("compliant"))), DENIED, good="video",
         unprivileged=True),
    Case("unreadable-folder-photos", V("photos", "{dir}"), unreadable_folder, DENIED,
         good="photo", unprivileged=True),
    Case("unreadable-xlsx-table", V("table", "{bad}", "{good}"),
         named("locked.xlsx", unreadable(_table)), DENIED, good="table", unprivileged=True),
    Case("unreadable-png-fix", V("fix", "{bad}", "{good}"),
         named("locked.png", unreadable(photo("resaved_a_png"))), DENIED,
         exit=frozenset({2}), good="fix", adds=("good.fixed.mp4",), unprivileged=True),
    Case("read-only-cache-check", V("check", "--cache-dir", "{out}/ro", "{dir}"),
         lambda w: _read_only(w.parent / "out" / "ro"), PASSES, good="video",
         exit=frozenset({0}), unprivileged=True),
    # ---- names
    Case("newline-name-video", V("video", "{dir}"),
         named("第一课\n##[error]x.mp4", video("truncated")), same("第一课\\n##[error]x.mp4"),
         good="video"),
    Case("escape-name-photos", V("photos", "{dir}"),
         named("\x1b[2J\x1b[31mred.jpg", photo("small")), same("\\x1b[2J"), good="photo"),
    Case("invalid-utf8-name-every-format",
         V("check", "--no-cache", "--format", "table", "--format", "json:{out}/r.json",
           "--format", "junit:{out}/r.xml", "--format", "sarif:{out}/r.sarif",
           "--format", "html:{out}/r.html", "--format", "xlsx:{out}/r.xlsx",
           "--format", "csv:{out}/r.csv", "--format", "gitlab:{out}/r.gitlab.json", "{dir}"),
         bytes_named(b"\xe8\xaf\xbe\xff.mp4", video("truncated")), same("\\xff.mp4"),
         good="video"),
    Case("invalid-utf8-name-text", V("text", "{dir}"),
         bytes_named(b"\xff\xfe\xb0.txt", photo("over_2000_txt")),
         same("\\xff\\xfe\\xb0.txt"), good="text"),
    Case("workflow-command-name-github",
         V("check", "--no-cache", "--format", "github", "{dir}"),
         named("::error::pwned.mp4", video("truncated")), same("::stop-commands::"),
         good="video", good_said={"zh": "[提示]", "en": "[info]"}),
    Case("long-name-video", V("video", "{dir}"), named("课" * 80 + ".mp4", video("truncated")),
         same("课" * 80), good="video"),
    # ---- contents
    Case("empty-mp4", V("video", "{dir}"), named("empty.mp4", empty), EMPTY, good="video"),
    Case("empty-jpg", V("photos", "{bad}", "{good}"), named("empty.jpg", empty), EMPTY,
         good="photo"),
    Case("empty-txt", V("text", "{dir}"), named("empty.txt", empty), NO_TEXT, good="text"),
    Case("empty-xlsx", V("table", "{bad}", "{good}"), named("empty.xlsx", empty), EMPTY,
         good="table"),
    Case("truncated-mp4", V("video", "{dir}"), named("cut.mp4", video("truncated")),
         TRUNCATED, good="video"),
    Case("jpeg-as-mp4", V("video", "{dir}"), named("photo.mp4", video("jpeg_as_mp4")),
         NOT_VIDEO, good="video"),
    Case("bad-crc-png", V("photos", "{bad}", "{good}"), named("crc.png", photo("bad_crc_png")),
         same("bad CRC"), good="photo"),
    Case("decompression-bomb-png", V("photos", "{bad}", "{good}"),
         named("bomb.png", photo("bomb_png")), HUGE_IMAGE, good="photo"),
    Case("zip-bomb-xlsx", V("table", "{bad}", "{good}"), named("bomb.xlsx", zip_bomb_xlsx),
         ZIP_BOMB, good="table"),
    Case("stuffed-xlsx", V("table", "{bad}", "{good}"), named("stuffed.xlsx", stuffed_xlsx),
         ZIP_BOMB, good="table"),
    Case("zip-bomb-docx", V("text", "{dir}"), named("bomb.docx", photo("zipbomb_docx")),
         BIG_DOCX, good="text"),
    Case("lying-docx", V("text", "{dir}"), named("lying.docx", photo("zipbomb_lying_docx")),
         BIG_DOCX, good="text"),
    Case("encrypted-xlsx", V("table", "{bad}", "{good}"), named("locked.xlsx", encrypted_xlsx),
         PASSWORD, good="table"),
    Case("text-as-docx", V("text", "{dir}"), named("case.docx", photo("not_zip_docx")),
         NOT_DOCX, good="text"),
    Case("mp4-moov-size-lies", V("video", "{dir}"), named("lie.mp4", box_size_lie),
         {"zh": "视频", "en": "video"}, good="video"),
    Case("mp4-ftyp-then-noise", V("video", "{dir}"), named("noise.mp4", ftyp_then_noise),
         {"zh": "视频", "en": "video"}, good="video"),
    Case("deep-folders-video", V("video", "{dir}"), deep_folders, EMPTY, good="video"),
    Case("docx-as-xlsx", V("table", "{bad}", "{good}"),
         named("统计表.xlsx", make_tables.make_docx_named_xlsx), {"zh": "Word", "en": "Word"},
         good="table"),
    Case("encrypted-member-docx", V("text", "{dir}"),
         named("case.docx", zip_flagged(lambda: make_photos.get("case_docx"),
                                        "word/document.xml", 0x1)), NOT_DOCX, good="text"),
    Case("bzip2-members-xlsx", V("table", "{bad}", "{good}"), named("bz.xlsx", bzip2_xlsx),
         {"zh": "已损坏", "en": "damaged"}, good="table"),
    Case("legacy-doc", V("text", "{dir}"), named("case.doc", photo("legacy_doc")),
         {"zh": ".doc", "en": ".doc"}, good="text"),
    # ---- profiles, configs, course lists
    Case("billion-laughs-profile", V("video", "--profile", "{bad}", "{good}"),
         named("bomb.yaml", billion_laughs("clauses")), ALIASES, exit=frozenset({2}),
         good="video", good_checked=False),
    Case("billion-laughs-config", V("check", "--no-cache", "."),
         config(billion_laughs("include")), ALIASES, exit=frozenset({2}), in_work=True),
    Case("deep-yaml-profile", V("rules", "--profile", "{bad}"), named("deep.yaml", deep_yaml),
         NOT_YAML, exit=frozenset({2})),
    Case("deep-yaml-config", V("check", "--no-cache", "."), config(deep_yaml), NOT_YAML,
         exit=frozenset({2}), in_work=True),
    Case("huge-profile", V("rules", "--profile", "{bad}"), named("huge.yaml", huge_profile),
         TOO_LARGE, exit=frozenset({2})),
    Case("binary-profile", V("rules", "--profile", "{bad}"), named("bin.yaml", binary),
         NOT_UTF8, exit=frozenset({2})),
    Case("billion-laughs-courses", V("courses", "{bad}"),
         courses_list(billion_laughs("courses")), ALIASES),
    Case("not-yaml-courses", V("courses", "{bad}"),
         courses_list(lambda p: p.write_text("courses:\n  - id: [unclosed\n", "utf-8")),
         {"zh": "不是有效的 YAML", "en": "not valid YAML"}),
    Case("folder-profile", V("rules", "--profile", "{bad}"), lambda w: _folder(w / "p.yaml"),
         {"zh": "找不到规则配置", "en": "profile not found"}, exit=frozenset({2})),
    Case("missing-path", V("video", "{out}/missing.mp4", "{good}"), lambda w: w / "x",
         {"zh": "missing.mp4", "en": "missing.mp4"}, exit=frozenset({2}), good="video",
         good_checked=False),
    # ---- reports aimed at inputs, into missing folders
    Case("report-onto-input", V("video", "--format", "json", "-o", "{good}", "{good}"),
         output_into("good.mp4"), {"zh": "报告不能写到被检查的文件上",
                                   "en": "a report cannot be written over a file being checked"},
         exit=frozenset({2}), good="video", good_checked=False),
    Case("report-into-missing-folder",
         V("video", "--format", "json", "-o", "{out}/nowhere/report.json", "{good}"),
         lambda w: w / "good.mp4", {"zh": "1 个合格", "en": "1 passed"}, exit=frozenset({0}),
         good="video", good_checked=False),
    # ---- fixes
    Case("fix-interrupted", V("fix", "--preset", "veryslow", "{bad}"),
         named("lesson.mp4", video("fps_30")), same("SIGTERM"),
         exit=frozenset({128 + signal.SIGTERM}), interrupt=signal.SIGTERM),
    Case("fix-avi-name", V("fix", "-o", "{out}/x.avi", "{bad}"),
         named("lesson.mp4", video("mov")), WRONG_EXTENSION, exit=frozenset({2})),
    Case("fix-unreadable-png", V("fix", "{bad}", "{good}"), named("photo.png", garbage_png),
         CANNOT_READ_PHOTO, good="fix", adds=("good.fixed.mp4",)),
    Case("fix-truncated", V("fix", "{bad}", "{good}"), named("cut.mp4", video("truncated")),
         {"zh": "无法修复", "en": "Cannot fix it"}, good="fix", adds=("good.fixed.mp4",)),
    Case("fix-text-as-mp4", V("fix", "{bad}", "{good}"), named("t.mp4", video("text_as_mp4")),
         {"zh": "无法修复", "en": "Cannot fix"}, exit=frozenset({1, 2}), good="fix",
         adds=("good.fixed.mp4",)),
    Case("fix-ffmpeg-fails", V("fix", "--profile", "{bad}", "{good}"),
         named("seven.yaml", lambda p: p.write_text(
             "extends: shanghai-2024\nrules:\n  A-RATE: {expected: 7}\n", "utf-8")),
         {"zh": "ffmpeg 处理失败", "en": "ffmpeg failed"}, good="fix",
         good_said={"zh": "ffmpeg", "en": "ffmpeg"}, good_checked=False),
    # ---- the cache
    Case("cache-folder-is-a-file", V("check", "--cache-dir", "{bad}", "{dir}"),
         lambda w: _file(w.parent / "out" / "cachefile"),
         {"zh": "是一个文件", "en": "is a file"}, exit=frozenset({2}), good="video",
         good_checked=False),
    # ---- template
    Case("template-onto-a-file", V("template", "{bad}"), template_blocker,
         {"zh": "是一个文件", "en": "is a file"}, exit=frozenset({2})),
    Case("template-keeps-existing", V("template", "{bad}"), existing_forms,
         {"zh": "已存在，未改动", "en": "Already there, left as it is"}, exit=frozenset({0}),
         adds=("forms/统计表.xlsx", "forms/工作总结.docx", "forms/课程清单.xlsx",
               "forms/案例/案例.docx", "forms/案例")),
]
# fmt: on
