"""Receiving uploaded files (presentation step, before reading): streamed, bounded.

The request body is parsed as it arrives (python-multipart's push parser), so a file
over the limit is refused after `max_bytes` have arrived — never held whole in memory
or on disk — and a request whose announced length is over the total limit is refused
as soon as the first file's name is known. The refusal names the file and its size (the size the client announced, as
the rest is not read). What arrives after a refusal is drained and dropped, up to a
bound, so that an ordinary client still receives the answer instead of a broken pipe.
"""

from __future__ import annotations

import errno
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from tempfile import SpooledTemporaryFile
from urllib.parse import unquote

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from jixiao.profile import available_profiles
from jixiao.store.chunks import pieces
from jixiao.web.display import size_text
from jixiao.web.errors import (
    STORAGE_FULL,
    ApiError,
    BadRequestError,
    StorageFullError,
    UploadTooLargeError,
)
from jixiao.web.settings import Settings

# A client that keeps sending after the refusal is cut off after this much.
DRAIN_LIMIT = 1024 * 1024 * 1024
MAX_FIELD_BYTES = 1024
SPOOL_BYTES = 1024 * 1024
_FILENAME_STAR = re.compile(rb"filename\*\s*=\s*([^']*)'[^']*'([^;]+)", re.IGNORECASE)


@dataclass(slots=True)
class UploadedFile:
    """A received file: its bytes in memory (`data`), or in the spooled temporary file
    they arrived in (`spool`, on disk beyond `SPOOL_BYTES`), read a chunk at a time when
    they are kept."""

    name: str
    data: bytes = b""
    spool: SpooledTemporaryFile[bytes] | None = None
    received: int = 0  # the size of a spooled file

    @property
    def size(self) -> int:
        return self.received if self.spool is not None else len(self.data)

    def chunks(self, size: int) -> Iterator[bytes | memoryview]:
        """The bytes, `size` at a time (`store.pending` keeps them so)."""
        if self.spool is None:
            yield from pieces(self.data, size)
            return
        self.spool.seek(0)
        while chunk := self.spool.read(size):
            yield chunk

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()


@dataclass(slots=True)
class Upload:
    files: list[UploadedFile] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)


def _filename(disposition: bytes) -> str | None:
    star = _FILENAME_STAR.search(disposition)
    if star:
        charset = star.group(1).decode("ascii", "replace") or "utf-8"
        try:
            return unquote(star.group(2).decode("ascii", "replace").strip('"'), encoding=charset)
        except LookupError:
            return unquote(star.group(2).decode("ascii", "replace"))
    _, params = parse_options_header(disposition)
    raw = params.get(b"filename")
    if raw is None:
        return None
    return raw.decode("utf-8", "replace")


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# More than any real file name; a longer one keeps its end, where its extension is.
MAX_NAME_CHARS = 200
UNNAMED = "未命名文件"


def kept_name(sent: str) -> str:
    """The name an uploaded file keeps: the last part of the path some browsers send,
    without control characters (a NUL, which PostgreSQL refuses in text; a line break,
    which would split a log line), at most `MAX_NAME_CHARS` long."""
    name = _CONTROL.sub("", re.split(r"[\\/]", sent)[-1]).strip()
    return name[-MAX_NAME_CHARS:] or UNNAMED


class _Collector:
    """The parser's callbacks: collects parts, refusing a file as soon as it is too big.

    A file's bytes go to a spooled temporary file (in memory up to `SPOOL_BYTES`, then on
    disk), so that a file refused at the limit never occupied the limit in memory.
    """

    def __init__(
        self, *, max_bytes: int, max_total: int, max_files: int, announced: int | None
    ) -> None:
        self.max_bytes = max_bytes
        self.max_total = max_total
        self.max_files = max_files
        self.announced = announced
        self.upload = Upload()
        self.error: Exception | None = None
        self._received = 0
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._headers: dict[bytes, bytes] = {}
        self._field = bytearray()
        self._spool: SpooledTemporaryFile[bytes] | None = None
        self._size = 0
        self._name: str | None = None
        self._filename: str | None = None

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    def on_part_begin(self) -> None:
        self.close()
        self._headers = {}
        self._field = bytearray()
        self._size = 0
        self._name = self._filename = None

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[bytes(self._header_field).lower()] = bytes(self._header_value)
        self._header_field = bytearray()
        self._header_value = bytearray()

    def on_headers_finished(self) -> None:
        disposition = self._headers.get(b"content-disposition", b"")
        _, params = parse_options_header(disposition)
        self._name = params.get(b"name", b"").decode("utf-8", "replace")
        filename = _filename(disposition)
        if filename is None:
            return
        self._filename = kept_name(filename)
        if self.announced is not None and self.announced > self.max_total:
            # The client said how much is coming: no need to read any of it.
            self.error = UploadTooLargeError(
                f"文件「{self._filename}」过大：本次上传共 {size_text(self.announced)}，"
                f"超过上限（单个文件 {size_text(self.max_bytes)}，每次合计 "
                f"{size_text(self.max_total)}），已拒绝；未读取、未保存任何内容。",
                detail={"file": self._filename, "size": self.announced},
            )
            return
        self._spool = SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115  (closed in close())

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.error is not None:
            return
        self._received += end - start
        if self._spool is None:
            self._field += data[start:end]
            if len(self._field) > MAX_FIELD_BYTES:
                self.error = BadRequestError(f"表单字段「{self._name}」过长")
            return
        self._spool.write(data[start:end])
        self._size += end - start
        if self._size > self.max_bytes:
            self.error = self._too_large()
        elif self._received > self.max_total:
            self.error = UploadTooLargeError(
                f"上传的文件合计超过 {size_text(self.max_total)}，已拒绝；请分批上传。未保存任何内容。",
                detail={"max_total_bytes": self.max_total},
            )
        if self.error is not None:
            self.close()

    def on_part_end(self) -> None:
        if self.error is not None:
            return
        if self._spool is None:
            if self._name and self._filename is None:
                self.upload.fields[self._name] = self._field.decode("utf-8", "replace")
            return
        if not self._filename and not self._size:
            self.close()
            return  # an empty file input: the browser sends a part with no file
        if len(self.upload.files) >= self.max_files:
            self.error = BadRequestError(f"一次最多上传 {self.max_files} 个文件")
            self.close()
            return
        # The file stays in its spool (on disk when large) until it is kept: an upload
        # of several large files is never in memory whole.
        self.upload.files.append(
            UploadedFile(self._filename or "未命名文件", spool=self._spool, received=self._size)
        )
        self._spool = None

    def _too_large(self) -> Exception:
        # Only the first `max_bytes` were read. The client's announced length tells the
        # size when the file is alone in the request (the usual case).
        alone = not self.upload.files and self.announced is not None
        size = f"大小约 {size_text(self.announced)}，" if alone and self.announced else ""
        return UploadTooLargeError(
            f"文件「{self._filename}」{size}超过单个文件上限 {size_text(self.max_bytes)}，"
            "已拒绝；已收到的部分已丢弃，未保存任何内容。",
            detail={"file": self._filename, "max_bytes": self.max_bytes},
        )


async def receive_upload(
    request: Request, *, max_bytes: int, max_total: int, max_files: int
) -> Upload:
    """The files and fields of a multipart request, or an `ApiError` saying what is wrong."""
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise BadRequestError("请以 multipart/form-data 方式上传文件（表单字段 files）")
    announced = request.headers.get("content-length")
    collector = _Collector(
        max_bytes=max_bytes,
        max_total=max_total,
        max_files=max_files,
        announced=int(announced) if announced and announced.isdigit() else None,
    )
    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": collector.on_part_begin,
            "on_part_data": collector.on_part_data,
            "on_part_end": collector.on_part_end,
            "on_header_field": collector.on_header_field,
            "on_header_value": collector.on_header_value,
            "on_header_end": collector.on_header_end,
            "on_headers_finished": collector.on_headers_finished,
        },
    )
    try:
        return await _receive(request, parser, collector)
    except BaseException:
        for file in collector.upload.files:  # what arrived before the error
            file.close()
        raise
    finally:
        collector.close()


async def _receive(request: Request, parser: MultipartParser, collector: _Collector) -> Upload:
    drained = 0
    try:
        async for chunk in request.stream():
            if collector.error is None:
                parser.write(chunk)
                continue
            drained += len(chunk)
            if drained > DRAIN_LIMIT:
                break
    except ClientDisconnect:
        if collector.error is None:
            raise BadRequestError("上传中断：连接已断开") from None
    except OSError as exc:  # the spool's disk is full
        collector.close()
        if exc.errno == errno.ENOSPC:
            raise StorageFullError(STORAGE_FULL) from None
        raise
    except ApiError:
        raise  # the body's own limits (`web.deadlines`)
    except Exception as exc:  # the multipart parser's own errors: a malformed body
        if collector.error is None:
            raise BadRequestError(f"上传内容格式错误：{exc}") from None
    if collector.error is not None:
        raise collector.error
    parser.finalize()
    if not collector.upload.files:
        raise BadRequestError("没有收到文件：请选择要上传的表单文件")
    return collector.upload


async def received_files(request: Request, settings: Settings) -> tuple[list[UploadedFile], str]:
    """The files of an upload (page or API) and the scoring profile it asks for."""
    upload = await receive_upload(
        request,
        max_bytes=settings.max_upload_bytes,
        max_total=settings.max_upload_total_bytes,
        max_files=settings.max_upload_files,
    )
    profile = upload.fields.get("profile") or settings.profile
    if profile != settings.profile and profile not in available_profiles():
        for file in upload.files:
            file.close()
        names = "、".join(available_profiles())
        raise BadRequestError(f"未知的评分方案「{profile}」；可用：{names}")
    return upload.files, profile
