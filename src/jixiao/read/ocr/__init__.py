"""The OCR path: scanned PDF pages and photographed or scanned images → page content.

Part of step 2 of the pipeline (read). An optional extra (`pip install "jixiao[ocr]"`):
this module imports without it, and says whether it is there; the engine, OpenCV and
NumPy are imported only when a page is read. `raster` straightens the page and finds
its rules, `engine` reads the text, `scan` puts both in the terms the PDF table code
works in, so a scan is laid out and assembled exactly like a text-layer PDF.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jixiao.read.ocr.engine import OCR_HINT, OcrFailed, available

if TYPE_CHECKING:
    from jixiao.read.pdf.extract import PageContent

Gray = Any  # a 2-D uint8 NumPy array (NumPy is part of the extra, not of jixiao)

# Pages are read at this resolution (the scanners' common setting): a PDF page is
# rendered at it, a finer image is reduced to it (the engine gains nothing from more).
DPI = 200.0
# A page image beyond this many pixels is rendered coarser (a PDF page) or refused
# before it is decoded (an image: 20,000 × 20,000 pixels would be 400 MB of grey).
MAX_PIXELS = 60_000_000
TIME_BUDGET = 600.0  # seconds of OCR for one document (2–3 s a page)

__all__ = [
    "DPI",
    "MAX_PIXELS",
    "OCR_HINT",
    "TIME_BUDGET",
    "Gray",
    "OcrFailed",
    "available",
    "page_ranges",
    "scan_page",
]


def scan_page(gray: Gray, dpi: float, number: int) -> PageContent:
    """The characters and rules of one page image (see `read.ocr.scan`)."""
    from jixiao.read.ocr.scan import scan_page as read_scan

    return read_scan(gray, dpi, number)


def page_ranges(numbers: list[int]) -> str:
    """1, 2, 3, 5 → "1–3、5": the pages named the way a message says them."""
    parts: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        parts.append(str(start) if start == previous else f"{start}–{previous}")
        if number is not None:
            start = previous = number
    return "、".join(parts)
