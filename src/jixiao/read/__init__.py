"""Reading: any supported file → forms and reading findings.

The entry point of the pipeline (read → recognise → score → review → store → present).
`read_bytes` detects the format by content, never by file name, runs the matching reader
to get a `Grid`, and recognises the forms in it. Nothing here raises on user data: an
empty, binary, truncated or foreign file yields findings and as many forms as could be
read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.catalogue import (
    EMPTY_INPUT,
    ENCODING_FALLBACK,
    INPUT_TOO_LARGE,
    INVALID_EXCHANGE,
    NO_FORM_FOUND,
    UNREADABLE_INPUT,
)
from jixiao.findings import Finding, Severity
from jixiao.model import Form
from jixiao.read.decode import decode
from jixiao.read.detect import detect_text_format

# Larger inputs are refused before decoding: a real file of forms is a few MB at most
# (the 51 seed forms are 117 KB), and the bound keeps time and memory bounded.
MAX_INPUT_BYTES = 64 * 1024 * 1024


@dataclass(slots=True)
class ReadResult:
    file: str
    forms: list[Form] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    format: str = "unknown"

    @property
    def usable(self) -> bool:
        """True when at least one form was read."""
        return bool(self.forms)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


def read_path(path: str | Path, *, max_bytes: int = MAX_INPUT_BYTES) -> ReadResult:
    """Read one file from disk (I/O errors become findings too)."""
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > max_bytes:
            return _too_large(name, size, max_bytes)
        data = Path(path).read_bytes()
    except OSError as exc:
        result = ReadResult(file=name)
        result.findings.append(
            UNREADABLE_INPUT.finding(f"无法打开文件：{exc.strerror or exc}", file=name)
        )
        return result
    return read_bytes(data, name, max_bytes=max_bytes)


def _too_large(name: str, size: int, max_bytes: int) -> ReadResult:
    result = ReadResult(file=name)
    result.findings.append(
        INPUT_TOO_LARGE.finding(
            f"文件大小 {size / 1048576:.1f} MB，超过上限 {max_bytes / 1048576:.0f} MB，未读取",
            file=name,
        )
    )
    return result


def read_bytes(data: bytes, name: str, *, max_bytes: int = MAX_INPUT_BYTES) -> ReadResult:
    """Read the forms in `data`; `name` only labels the findings and sources."""
    if len(data) > max_bytes:
        return _too_large(name, len(data), max_bytes)
    result = ReadResult(file=name)
    if not data.strip():
        result.findings.append(EMPTY_INPUT.finding("文件为空", file=name))
        return result
    binary_kind = _binary_kind(data)
    if binary_kind is not None:
        result.format = binary_kind
        result.findings.append(
            UNREADABLE_INPUT.finding(
                f"这是 {binary_kind} 文件；当前版本只读取 PDF 转换文本、制表符文本、"
                "Markdown、HTML 与 JSON 交换格式",
                file=name,
            )
        )
        return result
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
    return _read_text_into(result, text)


def read_text(text: str, name: str) -> ReadResult:
    """Read forms from already-decoded text."""
    return _read_text_into(ReadResult(file=name), text)


def _read_text_into(result: ReadResult, text: str) -> ReadResult:
    fmt = detect_text_format(text)
    result.format = fmt
    if fmt == "json":
        return _read_json(result, text)
    from jixiao.read.readers import grid_from_text
    from jixiao.recognise import recognise

    grid = grid_from_text(text, result.file, fmt)
    forms, findings = recognise(grid)
    result.forms.extend(forms)
    result.findings.extend(findings)
    return result


def _read_json(result: ReadResult, text: str) -> ReadResult:
    from jixiao.exchange import forms_from_exchange

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


_MAGIC = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP（xlsx/docx）"),
    (b"\xd0\xcf\x11\xe0", "OLE2（xls/doc）"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"\x1f\x8b", "gzip 压缩包"),
)


def _binary_kind(data: bytes) -> str | None:
    head = data[:8]
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None
