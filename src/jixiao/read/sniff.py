"""What is this file? Decided by its content, never by its name.

Step 1 of the pipeline (decode → **sniff** → read → recognise → verify). Binary documents
are told by their magic bytes (and an Office ZIP by the parts it holds); text is decoded
by the pipeline and told apart by its shape (`detect`).
"""

from __future__ import annotations

import io
import re
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
    XLS = "xls"  # an Excel 97-2003 workbook: an OLE2 file with a Workbook stream
    ODS = "ods"  # an OpenDocument spreadsheet
    DOCX = "docx"
    ZIP = "zip"
    OLE2 = "ole2"  # .doc, .wps, an encrypted Office file …: compound files not told apart
    PNG = "png"
    JPEG = "jpeg"
    TIFF = "tiff"
    GIF = "gif"
    GZIP = "gzip"
    MHTML = "mhtml"  # a saved web page, one MIME file
    RTF = "rtf"  # rich text, read through LibreOffice
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
    Format.XLS: "Excel 97-2003 工作簿（xls）",
    Format.ODS: "OpenDocument 电子表格（ods）",
    Format.DOCX: "Word 文档（docx）",
    Format.ZIP: "ZIP 压缩包",
    Format.OLE2: "旧版 Office 文件（doc/wps）",
    Format.PNG: "PNG 图片",
    Format.JPEG: "JPEG 图片",
    Format.TIFF: "TIFF 图片",
    Format.GIF: "GIF 图片",
    Format.GZIP: "gzip 压缩包",
    Format.MHTML: "网页文件（MHTML）",
    Format.RTF: "RTF 文档",
    Format.TEXT: "文本",
}

# Pictures of a page: read by OCR (a GIF is a chart or an icon, never a scan of a form).
IMAGE_FORMATS = frozenset({Format.PNG, Format.JPEG, Format.TIFF})
SPREADSHEET_FORMATS = (Format.XLSX, Format.XLS, Format.ODS)
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
    (b"{\\rtf", Format.RTF),
)


def sniff_binary(data: bytes) -> Format:
    """The document format of `data` by its magic bytes (or, for a saved web page, its
    MIME headers), or `Format.TEXT` for a text rendering to be decoded and told apart."""
    if is_mhtml(data):
        return Format.MHTML
    head = data[:8]
    for magic, fmt in _MAGIC:
        if head.startswith(magic):
            if fmt is Format.ZIP:
                return _office(data)
            return _compound(data) if fmt is Format.OLE2 else fmt
    return Format.TEXT


_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# A ZIP local file header: its signature, 26 bytes of fields, then the entry's name.
_XL_PART = re.compile(rb"PK\x03\x04.{26}xl/", re.DOTALL)


def _office(data: bytes) -> Format:
    """An Office Open XML package is a ZIP whose parts say what it is; an OpenDocument
    one says it in its `mimetype` entry."""
    # ODF stores `mimetype` first and uncompressed, so its local header tells the type
    # even of a truncated file: the name at byte 30, the content right after it.
    if data[30:38] == b"mimetype" and data[38 : 38 + len(_ODS_MIMETYPE)] == _ODS_MIMETYPE:
        return Format.ODS
    import zipfile  # on first use: a text rendering never needs it, and it costs start-up

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, EOFError):
        # (A damaged directory may claim a ZIP version from the future: NotImplementedError.)
        # A truncated or damaged Word file is still a Word file, for its reader to say
        # what is wrong with it: the names of its parts stand uncompressed in the ZIP.
        if b"[Content_Types].xml" in data and b"word/document" in data:
            return Format.DOCX
        if _XL_PART.search(data):
            return Format.XLSX  # a damaged workbook: a local header names an xl/ part
        return Format.ZIP
    if "[Content_Types].xml" in names:
        if any(n.startswith("xl/") for n in names):
            return Format.XLSX
        if any(n.startswith("word/") for n in names):
            return Format.DOCX
    return Format.ZIP


def _compound(data: bytes) -> Format:
    """An OLE2 compound file with an Excel workbook stream (`Workbook`, or `Book` for
    Excel 5/95) is a `.xls`; any other one, a Word document (which may embed a workbook)
    or an encrypted Office file among them, stays OLE2 for its own reader."""
    if _has_stream(data, "WordDocument") or _has_stream(data, "EncryptedPackage"):
        return Format.OLE2
    if _has_stream(data, "Workbook") or _has_stream(data, "Book"):
        return Format.XLS
    return Format.OLE2


def _has_stream(data: bytes, name: str) -> bool:
    """Whether the compound file's directory has an entry `name`. Entries are 128-byte
    records, aligned on 128 bytes: the name in UTF-16 padded to 64 bytes, then its length
    in bytes (terminator included) and its type (1 storage, 2 stream). Checking all
    three, not just the name, keeps a document's text that mentions "Workbook" from
    passing for a directory entry."""
    needle = (name + "\0").encode("utf-16-le")
    at = data.find(needle, 512)
    while at >= 0:
        if (
            at % 128 == 0
            and int.from_bytes(data[at + 64 : at + 66], "little") == len(needle)
            and data[at + 66 : at + 67] in (b"\x01", b"\x02")
        ):
            return True
        at = data.find(needle, at + 2)
    return False
