"""A multipart upload streamed straight into a job's folder, within limits.

python-multipart's push parser gets the request body chunk by chunk as it arrives; each
file part is written to its safe place (`names.place`) as it comes, never held in memory
and never spooled anywhere else (Starlette's `request.form()` would spool to the
system's temp folder). The limits are checked before a byte is read (a declared
Content-Length over the cap, or over the free disk space, is refused at once) and again
on every chunk (a body that lies about its length, or is chunked, is cut off the moment
it passes the cap). On any refusal the caller removes the job folder: nothing of a
refused upload stays on disk.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from mediacheck.serve import names

FIELD = b"files"  # the form field the page sends files in
MULTIPART_OVERHEAD = 1 << 20  # headers and boundaries a declared length may add to the files


@dataclass(frozen=True)
class Limits:
    total: int  # bytes per upload (all files together)
    per_file: int
    files: int = 10_000


class Refused(Exception):
    """The upload is refused: `code` is a words.serve.ERRORS key, `status` the HTTP status."""

    def __init__(self, code: str, status: int, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.status = status
        self.params = params


@dataclass
class Received:
    files: list[Path] = field(default_factory=list)
    total: int = 0


def precheck(content_length: str | None, folder: Path, limits: Limits) -> None:
    """Refuse from the headers alone, before reading the body."""
    if content_length is None:
        return  # chunked: counted as it arrives
    try:
        declared = int(content_length)
    except ValueError:
        raise Refused("bad_upload", 400) from None
    if declared > limits.total + MULTIPART_OVERHEAD:
        raise Refused("too_large", 413, limit=limits.total)
    free = shutil.disk_usage(folder).free
    if declared > free:
        raise Refused("no_space", 507, need=declared, free=free)


class _Parts:
    """The parser's callbacks: headers of each part, then its bytes into its file."""

    def __init__(self, folder: Path, limits: Limits) -> None:
        self.folder, self.limits = folder, limits
        self.got = Received()
        self.header_name = bytearray()
        self.header_value = bytearray()
        self.headers: dict[bytes, bytes] = {}
        self.out: BinaryIO | None = None
        self.part_size = 0
        self.part_name = ""

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self.part_begin,
            "on_header_field": lambda d, s, e: self.header_name.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self.header_value.extend(d[s:e]),
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
            "on_part_data": self.part_data,
            "on_part_end": self.part_end,
        }

    def part_begin(self) -> None:
        self.headers = {}
        self.part_size = 0

    def header_end(self) -> None:
        self.headers[bytes(self.header_name).lower()] = bytes(self.header_value)
        self.header_name.clear()
        self.header_value.clear()

    def headers_finished(self) -> None:
        _, params = parse_options_header(self.headers.get(b"content-disposition", b""))
        filename = params.get(b"filename")
        if params.get(b"name") != FIELD or filename is None:
            return  # another field: its bytes are counted against the cap, not kept
        if len(self.got.files) >= self.limits.files:
            raise Refused("too_many_files", 413, limit=self.limits.files)
        self.part_name = filename.decode("utf-8", errors="replace")
        try:
            target = names.place(self.folder, self.part_name)
        except names.UnsafeName:
            raise Refused("bad_upload", 400) from None
        self.out = open(target, "xb")  # noqa: SIM115 - closed in part_end or close()
        self.got.files.append(target)

    def part_data(self, data: bytes, start: int, end: int) -> None:
        size = end - start
        self.part_size += size
        self.got.total += size
        if self.part_size > self.limits.per_file:
            raise Refused("file_too_large", 413, name=self.part_name, limit=self.limits.per_file)
        if self.got.total > self.limits.total:
            raise Refused("too_large", 413, limit=self.limits.total)
        if self.out is not None:
            self.out.write(data[start:end])

    def part_end(self) -> None:
        if self.out is not None:
            self.out.close()
            self.out = None

    def close(self) -> None:
        self.part_end()


async def receive(
    chunks: AsyncIterator[bytes], content_type: str, folder: Path, limits: Limits
) -> Received:
    """Write the uploaded files into `folder`; raises Refused (the caller cleans up)."""
    kind, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise Refused("not_multipart", 400)
    parts = _Parts(folder, limits)
    try:
        parser = MultipartParser(boundary, parts.callbacks())
    except Exception:  # a malformed boundary
        raise Refused("bad_upload", 400) from None
    received = 0
    try:
        async for chunk in chunks:
            received += len(chunk)
            # the raw body too: a form with huge non-file fields is not a way around the cap
            if received > limits.total + MULTIPART_OVERHEAD:
                raise Refused("too_large", 413, limit=limits.total)
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError:
        raise Refused("bad_upload", 400) from None
    finally:
        parts.close()
    if not parts.got.files:
        raise Refused("no_files", 400)
    return parts.got
