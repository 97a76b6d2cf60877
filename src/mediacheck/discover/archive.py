"""A unit's ``.zip`` unpacked into a temporary folder mediacheck can check (issue #10).

API (the `submission` and `district` commands call it)::

    with unpacked(path) as u:        # Unpacked; the folder is removed on exit, error or Ctrl-C
        u.folder                     # temporary folder holding the extracted members
        u.root                       # the one top folder holding everything (单位名/), else folder
        u.names                      # {extracted path: name shown, "单位/案例/1.jpg"}, files
                                     # and folders; u.shown(path) for any path below folder
        u.problems                   # ArchiveProblem(code, member, params), .text(lang)
        u.encoding                   # how non-ASCII names were decoded: "utf-8-flag",
                                     # "utf-8-extra" (0x7075), "utf-8", "gb18030", "cp437"
                                     # (several joined by "+"), or "ascii"
    is_zip(path)                     # a plain zip by its bytes (an .xlsx/.docx is not one)
    decode_name(raw, utf8_flag, extra) -> (name, how)

Problems, whole zip first (member None; nothing, or not all, unpacked): ``zip.unreadable``,
``zip.not_zip`` (``what``: e.g. ``rar``), ``zip.damaged`` (``detail``), ``zip.empty``,
``zip.too_many``, ``zip.too_large``, ``zip.bomb`` (inflating outran the directory),
``zip.encrypted`` (every file has a password). Then per member, in zip order, each left out:
``zip.escape``, ``zip.bad_name``, ``zip.link``, ``zip.special`` (device, FIFO), ``zip.encrypted``,
``zip.duplicate_name`` (``other``; case-insensitive, as on Windows), ``zip.method``,
``zip.too_large``, ``zip.bomb``, ``zip.damaged``, ``zip.nested`` (its bytes are a zip, RAR or
7z: never opened), ``zip.unwritable``. Each means the zip as sent is not acceptable.

Names: zips from Chinese Windows (Explorer, WinRAR, 360压缩, Bandizip) store GBK names
without the UTF-8 flag (0x800); zipfile reads those as cp437. On every Python (3.10 has no
``metadata_encoding``) the stored bytes are taken back (``encode("cp437")``) and decoded
here: the Unicode Path field (0x7075) when its CRC fits, else strict UTF-8 (many tools omit
the flag), else GB18030, else cp437. Shown names use ``/`` (Windows tools write ``\\``), NFC.

Safety: the user's zip is only read; members go to ``tempfile.mkdtemp()``. A name leaving
the folder (``..``, ``/x``, ``C:\\x``) is refused; on disk names are made portable
(`serve.names`). Links, devices and FIFOs are never made; files are created O_EXCL|O_NOFOLLOW.
Zip-bomb limits are the one policy of `discover.sniff`, applied to the declared sizes and
again to the bytes counted while streaming in 1 MB chunks (zipfile never inflates past a
member's declared size: a lying directory ends in a CRC error). Debris (``__MACOSX/``,
``.DS_Store``…) follows `walk.skipped`: not unpacked, no finding. Members keep their times.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import struct
import tempfile
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from mediacheck.discover import sniff
from mediacheck.discover.walk import skipped
from mediacheck.serve.names import DRIVE, safe_relpath

CHUNK = 1024 * 1024
_OTHER_ARCHIVES = ((b"Rar!\x1a\x07", "rar"), (b"7z\xbc\xaf\x27\x1c", "7z"))
_SUPPORTED = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_SPECIAL = {stat.S_IFCHR, stat.S_IFBLK, stat.S_IFIFO, stat.S_IFSOCK}
_FILETIME_1970 = 116_444_736_000_000_000  # 100 ns ticks from 1601 to 1970


@dataclass(frozen=True)
class ArchiveProblem:
    code: str
    member: str | None = None
    params: dict[str, object] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        """The problem as a sentence in `lang` (zh/en), with the advice what to do."""
        from mediacheck.words.archive import problem_text

        return problem_text(self.code, self.member, self.params, lang)


@dataclass(frozen=True)
class Unpacked:
    folder: Path
    root: Path
    names: dict[Path, str]
    problems: tuple[ArchiveProblem, ...]
    encoding: str

    def shown(self, path: Path) -> str:
        """The name a user knows for `path` (a file or folder below `folder`)."""
        if path in self.names:
            return self.names[path]
        return Path(os.path.relpath(path, self.folder)).as_posix()


@contextmanager
def unpacked(path: str | os.PathLike[str]) -> Iterator[Unpacked]:
    """Unpack `path` into a new temporary folder; the folder is removed afterwards, even
    when the body raises or the user presses Ctrl-C. Never raises for a bad zip."""
    folder = Path(tempfile.mkdtemp(prefix="mediacheck-zip-"))
    try:
        yield _Unpacker(Path(path), folder).run()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def is_zip(path: str | os.PathLike[str]) -> bool:
    """A plain zip by its bytes, damaged or not; an Office or OFD package is not one."""
    try:
        return sniff.sniff(path) == "zip"
    except OSError:
        return False


def raw_name(info: zipfile.ZipInfo) -> bytes:
    """A member's name as stored: zipfile decoded it as UTF-8 (flag set) or cp437."""
    return info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437")


def decode_name(raw: bytes, utf8_flag: bool = False, extra: bytes = b"") -> tuple[str, str]:
    """(name, how) from a member's stored name bytes (see the module docstring)."""
    if utf8_flag:
        try:
            return raw.decode("utf-8"), "ascii" if raw.isascii() else "utf-8-flag"
        except UnicodeDecodeError:
            pass  # a flag that lies: decide by the bytes
    data = _extras(extra).get(0x7075, b"")
    if len(data) > 5 and data[0] == 1 and int.from_bytes(data[1:5], "little") == zlib.crc32(raw):
        try:
            name = data[5:].decode("utf-8")
            return name, "ascii" if name.isascii() else "utf-8-extra"
        except UnicodeDecodeError:
            pass
    if raw.isascii():
        return raw.decode("ascii"), "ascii"
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    return raw.decode("cp437"), "cp437"


def _extras(extra: bytes) -> dict[int, bytes]:
    out, at = {}, 0
    while at + 4 <= len(extra):
        kind, size = struct.unpack_from("<HH", extra, at)
        out.setdefault(kind, extra[at + 4 : at + 4 + size])
        at += 4 + size
    return out


def _other_archive(head: bytes) -> str | None:
    return next((name for magic, name in _OTHER_ARCHIVES if head.startswith(magic)), None)


def _directory_size(f) -> tuple[int, int] | None:
    """(entries, directory bytes) from the end record (zip64's too), before zipfile reads
    the whole directory into memory; None when there is no end record."""
    f.seek(0, os.SEEK_END)
    size = f.tell()
    f.seek(size - min(size, 22 + 65535))
    tail = f.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    count, cd_size = struct.unpack_from("<HI", tail, at + 10)
    zip64 = count == 0xFFFF or cd_size == 0xFFFFFFFF
    if zip64 and at >= 20 and tail[at - 20 : at - 16] == b"PK\x06\x07":
        f.seek(struct.unpack_from("<Q", tail, at - 12)[0])
        record = f.read(56)
        if record[:4] == b"PK\x06\x06" and len(record) == 56:
            count, cd_size = struct.unpack_from("<QQ", record, 32)
    return count, cd_size


def _mtime(info: zipfile.ZipInfo) -> float | None:
    """The member's modification time: Unix (0x5455) or NTFS (0x000a) field, else DOS."""
    extras = _extras(info.extra)
    ut = extras.get(0x5455, b"")
    if len(ut) >= 5 and ut[0] & 1:
        return float(struct.unpack_from("<i", ut, 1)[0])
    ntfs = extras.get(0x000A, b"")
    at = 4
    while at + 4 <= len(ntfs):
        tag, size = struct.unpack_from("<HH", ntfs, at)
        if tag == 1 and size >= 24 and at + 12 <= len(ntfs):
            return (struct.unpack_from("<Q", ntfs, at + 4)[0] - _FILETIME_1970) / 1e7
        at += 4 + size
    try:
        return time.mktime((*info.date_time, 0, 0, -1))
    except (OverflowError, ValueError):
        return None


def _encrypted(info: zipfile.ZipInfo) -> bool:
    # bit 0: traditional or AES encryption; bit 6: strong encryption; 99 / 0x9901: WinZip AES
    return bool(info.flag_bits & 0x41) or info.compress_type == 99 or 0x9901 in _extras(info.extra)


class _Limit(Exception):
    """Inflating went past a limit: one member is left out, or (`whole`) all the rest."""

    def __init__(self, code: str, whole: bool = False, **params: object) -> None:
        super().__init__(code)
        self.code, self.whole, self.params = code, whole, params


class _Unpacker:
    def __init__(self, path: Path, folder: Path) -> None:
        self.path, self.folder = path, folder
        self.problems: list[ArchiveProblem] = []
        self.names: dict[Path, str] = {}
        self.files: dict[str, str] = {}  # casefolded path on disk -> the name shown
        self.dirs: dict[str, tuple[str, ...]] = {}  # casefolded folder -> its first spelling
        self.encodings: list[str] = []
        self.inflated = 0
        self.times: list[tuple[Path, float]] = []

    def problem(self, code: str, member: str | None = None, **params: object) -> None:
        self.problems.append(ArchiveProblem(code, member, params))

    def result(self) -> Unpacked:
        for where, mtime in reversed(self.times):  # folders last: writing files touches them
            with suppress(OSError, OverflowError, ValueError):
                os.utime(where, (mtime, mtime), follow_symlinks=False)
        names = {p: n for p, n in self.names.items() if os.path.lexists(p)}  # made, not planned
        tops = {p.relative_to(self.folder).parts[0] for p in names}
        root = self.folder / next(iter(tops)) if len(tops) == 1 else self.folder
        root = root if root.is_dir() and not root.is_symlink() else self.folder
        encoding = "+".join(dict.fromkeys(e for e in self.encodings if e != "ascii")) or "ascii"
        return Unpacked(self.folder, root, names, tuple(self.problems), encoding)

    def run(self) -> Unpacked:
        try:
            fmt = sniff.sniff(self.path)
            f = open(self.path, "rb")  # noqa: SIM115  (closed below, on every path)
        except OSError as e:
            self.problem("zip.unreadable", detail=_unreadable(e))
            return self.result()
        with f:
            if fmt != "zip":
                other = _other_archive(f.read(8))
                self.problem("zip.not_zip", what=other or sniff.family(fmt))
                return self.result()
            size = _directory_size(f)
            if size is not None and (
                size[0] > sniff.MAX_ZIP_ENTRIES or size[1] > sniff.MAX_ZIP_DIRECTORY
            ):
                self.problem("zip.too_many", count=size[0], limit=sniff.MAX_ZIP_ENTRIES,
                             directory_bytes=size[1],
                             directory_limit_bytes=sniff.MAX_ZIP_DIRECTORY)  # fmt: skip
                return self.result()
            try:
                zf = zipfile.ZipFile(f)
            except Exception as e:  # zipfile raises many kinds on a damaged directory
                detail = "truncated" if size is None else _damage(e, "directory")
                self.problem("zip.damaged", detail=detail)
                return self.result()
            with zf:
                self.members(zf)
        return self.result()

    def members(self, zf: zipfile.ZipFile) -> None:
        infos = zf.infolist()
        files = [i for i in infos if not i.is_dir()]
        if not files:
            self.problem("zip.empty")
            return
        declared = sum(i.file_size for i in files)
        if declared > sniff.ZIP_MAX_BYTES:
            self.problem("zip.too_large", size_bytes=declared, limit_bytes=sniff.ZIP_MAX_BYTES)
            return
        wanted = [i for i in files if not _debris(i)]
        everything_locked = bool(wanted) and all(_encrypted(i) for i in wanted)
        if everything_locked:  # one password on the whole zip: one finding, not one a file
            self.problem("zip.encrypted", count=len(wanted))
        for info in infos:
            try:
                self.member(zf, info, report_lock=not everything_locked)
            except _Limit as stop:  # the zip inflates past its own directory: stop there
                self.problem(stop.code, **stop.params)
                return

    def member(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, report_lock: bool) -> None:
        name, shown, parts, how = _names(info)
        self.encodings.append(how)
        if shown.startswith("/") or DRIVE.match(shown) or ".." in parts:
            self.problem("zip.escape", name)
            return
        if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in shown):
            self.problem("zip.bad_name", name)
            return
        if not parts or any(skipped(p) for p in parts):
            return  # debris (__MACOSX/, .DS_Store…), as every walk skips it
        shown = "/".join(parts)
        kind = stat.S_IFMT(info.external_attr >> 16)
        if kind == stat.S_IFLNK:
            self.problem("zip.link", shown)
            return
        if kind in _SPECIAL:
            self.problem("zip.special", shown)
            return
        is_dir = info.is_dir() or name.endswith("\\") or kind == stat.S_IFDIR
        where = self.place(shown, is_dir)
        if where is None:
            return
        if is_dir:
            try:
                where.mkdir(mode=0o700, parents=True, exist_ok=True)
                self.keep_time(where, info)
            except OSError as e:
                self.problem("zip.unwritable", shown, detail=e.strerror or str(e))
        elif _encrypted(info):
            if report_lock:
                self.problem("zip.encrypted", shown)
        elif info.compress_type not in _SUPPORTED:
            method = zipfile.compressor_names.get(info.compress_type, str(info.compress_type))
            self.problem("zip.method", shown, method=method)
        else:
            self.extract(zf, info, where, shown)

    def place(self, shown: str, is_dir: bool) -> Path | None:
        """Where a member goes on disk: portable parts, folders merged without regard to
        case as Windows would; None (a finding) when the name is already taken."""
        parts = safe_relpath(shown).parts
        shown_parts = shown.split("/")
        aligned = len(parts) == len(shown_parts)  # no part dropped in making it portable
        disk: tuple[str, ...] = ()
        for i, part in enumerate(parts):
            key = "/".join(parts[: i + 1]).lower()
            last = i == len(parts) - 1
            if key in self.files:  # the same name again, or a file where a folder goes
                self.problem("zip.duplicate_name", shown, other=self.files[key])
                return None
            if last and not is_dir:
                if key in self.dirs:
                    self.problem("zip.duplicate_name", shown, other="/".join(self.dirs[key]))
                    return None
                self.files[key] = shown
                return self.folder.joinpath(*disk, part)
            disk = self.dirs.setdefault(key, (*disk, part))
            where = self.folder.joinpath(*disk)
            self.names.setdefault(where, "/".join(shown_parts[: i + 1]) if aligned else part)
        return self.folder.joinpath(*disk)

    def keep_time(self, where: Path, info: zipfile.ZipInfo) -> None:
        mtime = _mtime(info)
        if mtime is not None:
            self.times.append((where, mtime))

    def extract(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: Path, shown: str) -> None:
        too_big = _too_big(info.compress_size, info.file_size)
        if too_big is not None:
            self.problem(too_big[0], shown, **too_big[1])
            return
        try:
            where.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            fd = os.open(where, flags | getattr(os, "O_BINARY", 0), 0o600)
        except OSError as e:
            code = "zip.bad_name" if e.errno == errno.ENAMETOOLONG else "zip.unwritable"
            self.problem(code, shown, detail=e.strerror or str(e))
            return
        self.names[where] = shown
        try:
            with os.fdopen(fd, "wb") as out:
                head = self.copy(zf, info, out)
        except _Limit as limit:
            self.drop(where)
            if limit.whole:
                raise
            self.problem(limit.code, shown, **limit.params)
            return
        except Exception as e:  # zipfile, zlib, bz2, lzma: a damaged member, many kinds
            self.drop(where)
            self.problem("zip.damaged", shown, detail=_damage(e, "data"))
            return
        nested = _other_archive(head)
        if nested is None and head[:2] == b"PK" and sniff.sniff(where) == "zip":
            nested = "zip"
        if nested is not None:  # reported, never opened: one level of unpacking only
            self.drop(where)
            self.problem("zip.nested", shown, what=nested)
            return
        self.keep_time(where, info)

    def copy(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, out) -> bytes:
        """Stream one member to `out`, counting: the policy's limits hold whatever the
        directory claimed. Returns the member's first bytes."""
        head, count = b"", 0
        with zf.open(info) as src:  # zipfile stops at the declared size and checks the CRC
            while chunk := src.read(CHUNK):
                count += len(chunk)
                self.inflated += len(chunk)
                if self.inflated > sniff.ZIP_MAX_BYTES:
                    raise _Limit("zip.bomb", whole=True, limit_bytes=sniff.ZIP_MAX_BYTES)
                too_big = _too_big(info.compress_size, count)
                if too_big is not None:
                    raise _Limit(too_big[0], **too_big[1])
                head = head or chunk[:16]
                try:
                    out.write(chunk)
                except OSError as e:  # the temporary folder's disk, not the zip
                    raise _Limit("zip.unwritable", detail=e.strerror or str(e)) from None
        return head

    def drop(self, where: Path) -> None:
        self.names.pop(where, None)
        with suppress(OSError):
            os.unlink(where)


def _too_big(compressed: int, size: int) -> tuple[str, dict[str, object]] | None:
    """The problem of a member of `size` bytes from `compressed`, by the one zip policy."""
    reason = sniff.zip_member_bomb(compressed, size)
    if reason == "ratio":
        return "zip.bomb", {"compressed_bytes": compressed, "size_bytes": size,
                            "ratio": sniff.ZIP_MAX_RATIO}  # fmt: skip
    if reason == "size":
        return "zip.too_large", {"size_bytes": size, "limit_bytes": sniff.ZIP_MAX_MEMBER_BYTES}
    return None


def _names(info: zipfile.ZipInfo) -> tuple[str, str, list[str], str]:
    """(decoded name, name shown with "/" and NFC, its parts, how it was decoded)."""
    name, how = decode_name(raw_name(info), bool(info.flag_bits & 0x800), info.extra)
    shown = unicodedata.normalize("NFC", name.replace("\\", "/"))
    return name, shown, [p for p in shown.split("/") if p not in ("", ".")], how


def _debris(info: zipfile.ZipInfo) -> bool:
    return any(skipped(p) for p in _names(info)[2])


def _damage(e: BaseException, otherwise: str) -> str:
    """What is wrong, as a DETAILS key of words/archive.py (never zipfile's English)."""
    if "CRC" in str(e):
        return "crc"
    if isinstance(e, (EOFError, zlib.error)) or "truncated" in str(e).lower():
        return "truncated"
    return otherwise


def _unreadable(e: OSError) -> str:
    if isinstance(e, sniff.NotAFile) or e.errno == errno.EISDIR:
        return "not_a_file"
    return {errno.ENOENT: "missing", errno.EACCES: "denied", errno.EPERM: "denied"}.get(
        e.errno or 0, e.strerror or str(e)
    )
