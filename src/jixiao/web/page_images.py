"""The pages a form came from, as pictures for the form page, with their size in points.

An edge of the web application (it serves what `read` recorded). A finding read from a
PDF or a scan carries its page and its box in points of the page as a viewer shows it;
the form page draws the box over the page's picture so a reviewer sees the place in the
original. PDF pages are rendered by PDFium (under the reader's lock: PDFium is not
thread-safe) and encoded here as a grey PNG; scans are shown as scanned, through Pillow,
which the OCR extra brings (without it no scan could have been read).
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass

import pypdfium2 as pdfium  # type: ignore[import-untyped]  # no stubs, no py.typed

from jixiao.read import ocr
from jixiao.read.image import open_image, upright_frame
from jixiao.read.pdf import PDFIUM_LOCK
from jixiao.read.pdf.extract import display_size

PAGED_FORMATS = frozenset({"pdf", "png", "jpeg", "tiff"})
WIDTH = 1100  # pixels across a rendered page: the text of a form stays legible
MAX_HEIGHT = 4000  # a very long page is rendered narrower rather than taller


@dataclass(frozen=True, slots=True)
class PageSize:
    number: int
    width: float  # points, as displayed
    height: float


def page_sizes(data: bytes, fmt: str, numbers: list[int]) -> list[PageSize]:
    """The sizes of those pages of a document that exist (others are left out)."""
    if fmt == "pdf":
        return _pdf_sizes(data, numbers)
    if fmt in PAGED_FORMATS and ocr.available():
        return _image_sizes(data, numbers)
    return []


def page_png(data: bytes, fmt: str, number: int) -> bytes | None:
    """Page `number` (1-based) as a PNG, or None when the document has no such page."""
    try:
        if fmt == "pdf":
            return _pdf_png(data, number)
        if fmt in PAGED_FORMATS and ocr.available():
            return _image_png(data, number)
    except (pdfium.PdfiumError, OSError, ValueError, EOFError):
        return None  # a document that was read once and cannot be opened now
    return None


def _pdf_sizes(data: bytes, numbers: list[int]) -> list[PageSize]:
    out: list[PageSize] = []
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError:
            return []
        try:
            for number in numbers:
                if 1 <= number <= len(document):
                    size = display_size(document.raw, number - 1)
                    if size is not None:
                        out.append(PageSize(number, *size))
        finally:
            document.close()
    return out


def _pdf_png(data: bytes, number: int) -> bytes | None:
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(data)
        try:
            if not 1 <= number <= len(document):
                return None
            # Rendered in the frame the findings' boxes are in (crop box, /Rotate).
            size = display_size(document.raw, number - 1)
            if size is None:
                return None
            width, height = size
            page = document[number - 1]
            try:
                scale = min(WIDTH / width, MAX_HEIGHT / height)
                bitmap = page.render(scale=scale, grayscale=True)
                try:
                    pixels = bytes(bitmap.buffer)
                    return gray_png(bitmap.width, bitmap.height, bitmap.stride, pixels)
                finally:
                    bitmap.close()
            finally:
                page.close()
        finally:
            document.close()


def gray_png(width: int, height: int, stride: int, pixels: bytes) -> bytes:
    """A grey 8-bit PNG of rows of `stride` bytes (the format is small enough to write:
    a header, the rows each behind a filter byte, deflated, and an end)."""
    rows = b"".join(b"\x00" + pixels[row * stride : row * stride + width] for row in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 6))
        + chunk(b"IEND", b"")
    )


def _image_sizes(data: bytes, numbers: list[int]) -> list[PageSize]:
    try:
        image = open_image(data)
        frames = int(getattr(image, "n_frames", 1))
        out: list[PageSize] = []
        for number in numbers:
            if not 1 <= number <= frames:
                continue
            image.seek(number - 1)
            frame, dpi = upright_frame(image)
            width, height = frame.size
            out.append(PageSize(number, width * 72 / dpi, height * 72 / dpi))
        return out
    except (OSError, ValueError, EOFError):
        return []


def _image_png(data: bytes, number: int) -> bytes | None:
    image = open_image(data)
    if not 1 <= number <= int(getattr(image, "n_frames", 1)):
        return None
    image.seek(number - 1)
    width, height = image.size
    if width * height > ocr.MAX_PIXELS:
        return None  # refused when read: never decoded
    frame = upright_frame(image)[0].convert("L")
    frame.thumbnail((WIDTH, MAX_HEIGHT))
    buffer = io.BytesIO()
    frame.save(buffer, format="PNG")
    return buffer.getvalue()
