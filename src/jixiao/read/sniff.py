"""What is this file? Decided by its content, never by its name.

Step 1 of the pipeline (decode → **sniff** → read → recognise → verify). Binary documents
are told by their magic bytes (and an Office ZIP by the parts it holds); text is decoded
by the pipeline and told apart by its shape (`detect`).
"""

from __future__ import annotations

import io
import zipfile
from enum import StrEnum

from jixiao.read.mhtml import is_mhtml


class Format(StrEnum):
    """Every input jixiao recognises; `label` is how a user is told of it."""

    PLAIN = "plain"  # pdftotext plain output
    TSV = "tsv"
    MARKDOWN = "markdown"
    HTML = "html"
    JSON = "json"  # the exchange format
    PDF = "pdf"
    XLSX = "xlsx"
    DOCX = "docx"
    ZIP = "zip"
    OLE2 = "ole2"  # .xls, .doc, .wps, .et
    PNG = "png"
    JPEG = "jpeg"
    TIFF = "tiff"
    GIF = "gif"
    GZIP = "gzip"
    MHTML = "mhtml"  # a saved web page, one MIME file
    TEXT = "text"  # text of a shape not yet told (before `detect`)

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Format.PLAIN: "PDF 转换文本",
    Format.TSV: "制表符分隔文本",
    Format.MARKDOWN: "Markdown 表格",
    Format.HTML: "HTML 表格",
    Format.JSON: "JSON 交换格式",
    Format.PDF: "PDF 文件",
    Format.XLSX: "Excel 工作簿（xlsx）",
    Format.DOCX: "Word 文档（docx）",
    Format.ZIP: "ZIP 压缩包",
    Format.OLE2: "旧版 Office 文件（xls/doc）",
    Format.PNG: "PNG 图片",
    Format.JPEG: "JPEG 图片",
    Format.TIFF: "TIFF 图片",
    Format.GIF: "GIF 图片",
    Format.GZIP: "gzip 压缩包",
    Format.MHTML: "网页文件（MHTML）",
    Format.TEXT: "文本",
}

TEXT_FORMATS = frozenset({Format.PLAIN, Format.TSV, Format.MARKDOWN, Format.HTML, Format.JSON})

_MAGIC = (
    (b"%PDF", Format.PDF),
    (b"PK\x03\x04", Format.ZIP),
    (b"\xd0\xcf\x11\xe0", Format.OLE2),
    (b"\x89PNG", Format.PNG),
    (b"\xff\xd8\xff", Format.JPEG),
    (b"II*\x00", Format.TIFF),
    (b"MM\x00*", Format.TIFF),
    (b"GIF8", Format.GIF),
    (b"\x1f\x8b", Format.GZIP),
)


def sniff_binary(data: bytes) -> Format:
    """The document format of `data` by its magic bytes (or, for a saved web page, its
    MIME headers), or `Format.TEXT` for a text rendering to be decoded and told apart."""
    if is_mhtml(data):
        return Format.MHTML
    head = data[:8]
    for magic, fmt in _MAGIC:
        if head.startswith(magic):
            return _office(data) if fmt is Format.ZIP else fmt
    return Format.TEXT


def _office(data: bytes) -> Format:
    """An Office Open XML package is a ZIP whose parts say what it is."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return Format.ZIP
    if "[Content_Types].xml" in names:
        if any(n.startswith("xl/") for n in names):
            return Format.XLSX
        if any(n.startswith("word/") for n in names):
            return Format.DOCX
    return Format.ZIP
