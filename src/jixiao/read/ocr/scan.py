"""A scanned page → the same page content a text-layer PDF page gives.

Part of step 2 of the pipeline (the OCR path). The page image is deskewed, its rules
are found and lifted off, the rest is read by the OCR engine, and the result is put in
the terms of `read.pdf.extract`: ruling segments and characters with boxes, in points
of the page as displayed. From there the table code (`read.pdf.tables`) and the document
assembly (`read.pdf.document`) are the ones a text-layer PDF goes through, so a scan is
read by the same rules of table structure, and every character keeps its confidence.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from jixiao.read.ocr.engine import read_words
from jixiao.read.ocr.raster import deskew, find_rules, skew_angle, without_rules
from jixiao.read.pdf.extract import IDENTITY, Char, Frame, PageContent, Segment

POINTS_PER_INCH = 72.0


def scan_page(gray: NDArray[np.uint8], dpi: float, number: int) -> PageContent:
    """The characters and rules of a page image (grey, 0 = ink) at `dpi`."""
    upright = deskew(gray, skew_angle(gray))
    rules = find_rules(upright, dpi)
    words = read_words(without_rules(upright, rules))
    pt = POINTS_PER_INCH / dpi
    height, width = upright.shape
    frame = Frame(IDENTITY, IDENTITY, width * pt, height * pt)
    content = PageContent(number, frame)
    content.horizontal = [
        Segment(x0 * pt, y * pt, x1 * pt, y * pt) for x0, y, x1 in rules.horizontal
    ]
    content.vertical = [Segment(x * pt, y0 * pt, x * pt, y1 * pt) for x, y0, y1 in rules.vertical]
    for word in words:
        x0, top, x1, bottom = (v * pt for v in word.box)
        content.chars.append(Char(word.text, x0, top, x1, bottom, bottom - top, word.score))
    return content
