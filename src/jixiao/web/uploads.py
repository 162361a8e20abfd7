"""Receiving uploaded files (presentation step, before reading): streamed, bounded.

The request body is parsed as it arrives (python-multipart's push parser) and cut into
chunks (`store.chunks.CHUNK_BYTES`), which are handed to be kept (`Keep`, the upload's
rows in the database) on a thread while the next ones arrive: a file is never held
whole, in memory or on disk, and keeping it overlaps receiving it. A file over the limit
is refused after `max_bytes` have arrived, and a request whose announced length is over
the total limit as soon as the first file's name is known; whoever keeps the chunks
drops what was kept of a refused upload. The refusal names the file and its size (the
size the client announced, as the rest is not read). What arrives after a refusal is
drained and dropped, up to a bound, so that an ordinary client still receives the
answer instead of a broken pipe.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request

from jixiao.profile import available_profiles
from jixiao.store.chunks import CHUNK_BYTES
from jixiao.store.pending import Received
from jixiao.web.display import size_text
from jixiao.web.errors import BadRequestError, UploadTooLargeError
from jixiao.web.settings import Settings

# A client that keeps sending after the refusal is cut off after this much.
DRAIN_LIMIT = 1024 * 1024 * 1024
MAX_FIELD_BYTES = 1024
# The chunks received may wait this much for the write before them: then the body is
# read no further until it is done (the memory a request holds stays bounded).
HOLD_BYTES = 8 * CHUNK_BYTES
_FILENAME_STAR = re.compile(rb"filename\*\s*=\s*([^']*)'[^']*'([^;]+)", re.IGNORECASE)

# Keeps pieces of the upload as they arrive (called on a thread, one call at a time).
Keep = Callable[[list[Received]], None]


@dataclass(frozen=True, slots=True)
class ReceivedFile:
    """A file that arrived whole (its bytes kept as they came): its name and size."""

    name: str
    size: int


@dataclass(slots=True)
class Upload:
    files: list[ReceivedFile] = field(default_factory=list)
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
    """The parser's callbacks: collects fields, and cuts each file into chunks as it
    arrives (`pieces`, taken by the writer), refusing it as soon as it is too big."""

    def __init__(
        self, *, max_bytes: int, max_total: int, max_files: int, announced: int | None
    ) -> None:
        self.max_bytes = max_bytes
        self.max_total = max_total
        self.max_files = max_files
        self.announced = announced
        self.upload = Upload()
        self.error: Exception | None = None
        self.pieces: list[Received] = []
        self.held = 0  # the bytes in `pieces`
        self._received = 0
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._headers: dict[bytes, bytes] = {}
        self._field = bytearray()
        self._in_file = False  # this part is a file
        self._buffer = bytearray()  # its bytes not yet a whole chunk
        self._position = 0  # files begun so far; the current one's, once begun
        self._begun = False
        self._seq = 0
        self._size = 0
        self._name: str | None = None
        self._filename: str | None = None

    def take(self) -> list[Received]:
        """The pieces that arrived since the last call, for the writer."""
        taken, self.pieces, self.held = self.pieces, [], 0
        return taken

    def on_part_begin(self) -> None:
        self._headers = {}
        self._field = bytearray()
        self._buffer = bytearray()
        self._in_file = self._begun = False
        self._size = self._seq = 0
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
        self._in_file = True

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.error is not None:
            return
        self._received += end - start
        if not self._in_file:
            self._field += data[start:end]
            if len(self._field) > MAX_FIELD_BYTES:
                self.error = BadRequestError(f"表单字段「{self._name}」过长")
            return
        self._size += end - start
        if self._size > self.max_bytes:
            self.error = self._too_large()
        elif self._received > self.max_total:
            self.error = UploadTooLargeError(
                f"上传的文件合计超过 {size_text(self.max_total)}，已拒绝；请分批上传。未保存任何内容。",
                detail={"max_total_bytes": self.max_total},
            )
        elif self._begin():
            self._buffer += data[start:end]
            while len(self._buffer) >= CHUNK_BYTES:
                self._cut(CHUNK_BYTES)

    def on_part_end(self) -> None:
        if self.error is not None:
            return
        if not self._in_file:
            if self._name and self._filename is None:
                self.upload.fields[self._name] = self._field.decode("utf-8", "replace")
            return
        if not self._filename and not self._size:
            return  # an empty file input: the browser sends a part with no file
        if not self._begin():
            return
        if self._buffer:
            self._cut(len(self._buffer))
        self.upload.files.append(ReceivedFile(self._filename or UNNAMED, self._size))

    def _begin(self) -> bool:
        """The file is one of the upload's (announced to the writer once); False when it
        is one too many."""
        if self._begun:
            return True
        if self._position >= self.max_files:
            self.error = BadRequestError(f"一次最多上传 {self.max_files} 个文件")
            return False
        self._position += 1
        self._begun = True
        self.pieces.append(Received(self._position, name=self._filename or UNNAMED))
        return True

    def _cut(self, size: int) -> None:
        chunk = bytes(self._buffer[:size])
        del self._buffer[:size]
        self.pieces.append(Received(self._position, seq=self._seq, data=chunk))
        self._seq += 1
        self.held += size

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


class _Writer:
    """Hands the pieces that arrive to `keep` on a thread, one call at a time, while
    the next ones arrive: a write ends by taking up whatever arrived meanwhile, so that
    nothing waits for more of the body to arrive. The body waits for the writing only
    when `HOLD_BYTES` are held."""

    def __init__(self, keep: Keep) -> None:
        self._keep = keep
        self._writing: asyncio.Future[None] | None = None

    async def offer(self, collector: _Collector) -> None:
        if not collector.pieces:
            return
        if self._writing is None or self._writing.done():
            if self._writing is not None:
                await self._writing  # a failed write raises here
            self._writing = asyncio.ensure_future(self._drain(collector))
        elif collector.held >= HOLD_BYTES:
            await self._writing

    async def _drain(self, collector: _Collector) -> None:
        while collector.pieces:  # taken on the event loop's thread, written on another
            await run_in_threadpool(self._keep, collector.take())

    async def finish(self, collector: _Collector) -> None:
        """Everything that arrived, kept."""
        await self.settle(raising=True)
        await self._drain(collector)

    async def settle(self, *, raising: bool = False) -> None:
        """The writing in flight, done (its error raised only when `raising`): nothing
        is written after the upload has been given up."""
        writing, self._writing = self._writing, None
        if writing is None:
            return
        if raising:
            await writing
            return
        with contextlib.suppress(Exception):
            await writing


async def receive_upload(
    request: Request, keep: Keep, *, max_bytes: int, max_total: int, max_files: int
) -> Upload:
    """The files and fields of a multipart request, the files' bytes handed to `keep` a
    chunk at a time as they arrive; or an `ApiError` saying what is wrong (and whoever
    keeps the pieces drops them)."""
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
    writer = _Writer(keep)
    try:
        await _receive(request, parser, collector, writer)
        await writer.finish(collector)
    finally:
        await writer.settle()
    return collector.upload


async def _receive(
    request: Request, parser: MultipartParser, collector: _Collector, writer: _Writer
) -> None:
    drained = 0
    try:
        async for chunk in request.stream():
            if collector.error is None:
                _parse(parser, chunk)
                await writer.offer(collector)
                continue
            drained += len(chunk)
            if drained > DRAIN_LIMIT:
                break
    except ClientDisconnect:
        if collector.error is None:
            raise BadRequestError("上传中断：连接已断开") from None
    if collector.error is not None:
        raise collector.error
    _parse(parser, None)
    if not collector.upload.files:
        raise BadRequestError("没有收到文件：请选择要上传的表单文件")


def _parse(parser: MultipartParser, chunk: bytes | None) -> None:
    """Feed the parser (None: the body has ended); a malformed body is the client's."""
    try:
        if chunk is None:
            parser.finalize()
        else:
            parser.write(chunk)
    except Exception as exc:  # the multipart parser's own errors
        raise BadRequestError(f"上传内容格式错误：{exc}") from None


async def received_files(
    request: Request, settings: Settings, keep: Keep
) -> tuple[list[ReceivedFile], str]:
    """The files of an upload (page or API), kept by `keep` as they arrive, and the
    scoring profile it asks for."""
    upload = await receive_upload(
        request,
        keep,
        max_bytes=settings.max_upload_bytes,
        max_total=settings.max_upload_total_bytes,
        max_files=settings.max_upload_files,
    )
    profile = upload.fields.get("profile") or settings.profile
    if profile != settings.profile and profile not in available_profiles():
        names = "、".join(available_profiles())
        raise BadRequestError(f"未知的评分方案「{profile}」；可用：{names}")
    return upload.files, profile
