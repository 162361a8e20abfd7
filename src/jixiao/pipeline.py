"""The front door of the pipeline: any file → forms and reading findings, for every caller.

decode → sniff → read → recognise → verify. `read_bytes` tells the format by content,
never by file name (`read.sniff`), decodes a text rendering once, hands the document to
the reader its format has in `read.registry.READERS` to get a `Grid`, recognises the
forms in the Grid and verifies each against its own arithmetic. The exchange format
(JSON) skips the Grid: its records are the forms. Nothing here raises on user data: an
empty, binary, truncated or foreign file yields findings and as many forms as could be
read. The CLI, the importer, the upload preview and the benchmarks all come in here.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path

from jixiao.catalogue import (
    EMPTY_INPUT,
    ENCODING_FALLBACK,
    INPUT_TOO_LARGE,
    INVALID_EXCHANGE,
    NO_FORM_FOUND,
    UNREADABLE_INPUT,
)
from jixiao.exchange import forms_from_exchange
from jixiao.findings import Finding, Severity, in_line_order
from jixiao.model import Form
from jixiao.oserrors import describe_os_error
from jixiao.read.decode import decode
from jixiao.read.detect import detect_text_format
from jixiao.read.grid import Grid
from jixiao.read.progress import Progress
from jixiao.read.registry import READERS, Document
from jixiao.read.sniff import TEXT_FORMATS, Format, sniff_binary
from jixiao.recognise import recognise
from jixiao.verify import verify_form

# Larger inputs are refused before decoding: a real file of forms is a few MB at most
# (the 51 seed forms are 117 KB), and the bound keeps time and memory bounded.
MAX_INPUT_BYTES = 64 * 1024 * 1024


@dataclass(slots=True)
class ReadResult:
    file: str
    forms: list[Form] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    format: str = "unknown"
    first_form: int = 1  # the index of `forms[0]` in its file (a part of a large file)

    @property
    def usable(self) -> bool:
        """True when at least one form was read."""
        return bool(self.forms)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


def read_path(
    path: str | Path, *, max_bytes: int = MAX_INPUT_BYTES, progress: Progress | None = None
) -> ReadResult:
    """Read one file from disk (I/O errors become findings too); `progress` is told of
    the pages of a long document as they are read."""
    data = read_file(path, max_bytes)
    if isinstance(data, ReadResult):
        return data
    return read_bytes(data, str(path), max_bytes=max_bytes, progress=progress)


def read_file(path: str | Path, max_bytes: int) -> bytes | ReadResult:
    """The bytes of the file at `path`, or, as a result holding the finding, why they
    are not read: it is not a regular file (never opened), it cannot be opened, or it is
    larger than `max_bytes` (by `stat`, or found so while reading)."""
    name = str(path)
    try:
        info = Path(path).stat()
        if not stat.S_ISREG(info.st_mode):
            return _unreadable(name, _not_a_file(path, info.st_mode))
        if info.st_size > max_bytes:
            return _too_large(name, info.st_size, max_bytes)
        data = read_bounded(path, max_bytes)
    except OSError as exc:
        return _unreadable(name, f"无法打开文件：{describe_os_error(exc)}")
    if len(data) > max_bytes:
        return _too_large(name, len(data), max_bytes)
    return data


def read_bounded(path: str | Path, max_bytes: int) -> bytes:
    """The file's bytes, but never more than `max_bytes + 1` of them: the size `stat`
    gave is not trusted (a file still being written grows; some report 0)."""
    with open(path, "rb") as file:
        return file.read(max_bytes + 1)


def _unreadable(name: str, message: str) -> ReadResult:
    result = ReadResult(file=name)
    result.findings.append(UNREADABLE_INPUT.finding(message, file=name))
    return result


def _not_a_file(path: str | Path, mode: int) -> str:
    """Why a path that is not a regular file is not read. It is never opened: a named
    pipe would wait for a writer forever, and `/dev/zero` never ends."""
    if stat.S_ISDIR(mode):
        try:
            os.listdir(path)
        except OSError as exc:
            return f"无法打开文件夹：{describe_os_error(exc)}，其中的文件未读取"
        return "这是文件夹，不是文件"
    kind = (
        "命名管道"
        if stat.S_ISFIFO(mode)
        else "套接字"
        if stat.S_ISSOCK(mode)
        else "设备文件"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "特殊文件"
    )
    return f"这是{kind}，不是普通文件，未读取"


def _too_large(name: str, size: int, max_bytes: int) -> ReadResult:
    result = ReadResult(file=name)
    result.findings.append(
        INPUT_TOO_LARGE.finding(
            f"文件大小 {size / 1048576:.1f} MB，超过上限 {max_bytes / 1048576:.0f} MB，未读取",
            file=name,
        )
    )
    return result


def read_bytes(
    data: bytes,
    name: str,
    *,
    max_bytes: int = MAX_INPUT_BYTES,
    progress: Progress | None = None,
) -> ReadResult:
    """Read the forms in `data`; `name` only labels the findings and sources."""
    if len(data) > max_bytes:
        return _too_large(name, len(data), max_bytes)
    result = ReadResult(file=name)
    if not data.strip():
        result.findings.append(EMPTY_INPUT.finding("文件为空", file=name))
        return result
    fmt = sniff_binary(data)
    if fmt is not Format.TEXT:
        result.format = fmt
        reader = READERS.get(fmt)
        if reader is None:
            result.findings.append(
                UNREADABLE_INPUT.finding(
                    f"暂不支持此格式（{fmt.label}）：当前版本读取 PDF（含扫描件）、"
                    "PNG/JPEG/TIFF 图片、Excel、Word、网页与各种转换文本",
                    file=name,
                )
            )
            return result
        return _recognised(result, reader(Document(name=name, data=data, progress=progress)))
    text, encoding = decode(data)
    if text is None:
        result.findings.append(
            UNREADABLE_INPUT.finding("文件不是文本（二进制内容或无法解码），无法读取", file=name)
        )
        return result
    if encoding == "gb18030":
        result.findings.append(
            ENCODING_FALLBACK.finding("文件不是 UTF-8 编码，已按 GB18030 解码", file=name)
        )
    return _read_text_into(result, Document(name=name, data=data, text=text))


def read_text(text: str, name: str) -> ReadResult:
    """Read forms from already-decoded text."""
    return _read_text_into(ReadResult(file=name), Document(name=name, data=b"", text=text))


def _read_text_into(result: ReadResult, document: Document) -> ReadResult:
    fmt = detect_text_format(document.text)
    assert fmt in TEXT_FORMATS
    result.format = fmt
    if fmt is Format.JSON:
        return _read_json(result, document.text)
    return _recognised(result, READERS[fmt](document))


def read_part(text: str, name: str, fmt: Format, *, first_line: int, first_form: int) -> ReadResult:
    """Read one part of a large text rendering (`jixiao.parts`): its lines and its forms
    numbered as in the whole file."""
    result = ReadResult(file=name, format=fmt, first_form=first_form)
    document = Document(name=name, data=b"", text=text, first_line=first_line)
    return _recognised(result, READERS[fmt](document))


def _recognised(result: ReadResult, grid: Grid | list[Finding]) -> ReadResult:
    """Recognise and verify the forms of a reader's Grid (or keep why it had none)."""
    if not isinstance(grid, Grid):
        result.findings.extend(grid)
        return result
    forms, findings = recognise(grid, result.first_form)
    findings.extend(_attributed(grid.findings, forms))
    for index, form in enumerate(forms, start=result.first_form):
        findings.extend(verify_form(form, index))
    result.forms.extend(forms)
    result.findings.extend(in_line_order(findings))
    return result


def _attributed(findings: tuple[Finding, ...], forms: list[Form]) -> list[Finding]:
    """A reader's finding about one cell (a doubtful OCR reading) belongs to the form
    printed there: the last form that starts at or above it, in page order."""
    starts = [
        ((form.source.page, form.source.box[1] if form.source.box else 0.0), index)
        for index, form in enumerate(forms, start=1)
        if form.source.page is not None
    ]
    out: list[Finding] = []
    for finding in findings:
        source = finding.source
        if finding.form is None and source is not None and source.page and source.box:
            here = (source.page, source.box[1])
            owner = [index for start, index in starts if start <= here]
            if owner:
                form = forms[owner[-1] - 1]
                finding = replace(finding, form=owner[-1], project=form.project)
        out.append(finding)
    return out


def _read_json(result: ReadResult, text: str) -> ReadResult:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        result.findings.append(
            INVALID_EXCHANGE.finding(
                f"JSON 无法解析：第 {exc.lineno} 行第 {exc.colno} 列 {exc.msg}",
                file=result.file,
                line=exc.lineno,
            )
        )
        return result
    forms, findings = forms_from_exchange(data, result.file)
    result.forms.extend(forms)
    result.findings.extend(findings)
    if not forms and not findings:
        result.findings.append(NO_FORM_FOUND.finding("JSON 中没有表单记录", file=result.file))
    return result
