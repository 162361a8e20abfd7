"""A scanned page → the same page content a text-layer PDF page gives.

Part of step 2 of the pipeline (the OCR path). The page image is deskewed, its rules
are found and lifted off, the rest is read by the OCR engine, and the result is put in
the terms of `read.pdf.extract`: ruling segments and characters with boxes, in points
of the page as displayed. From there the table code (`read.pdf.tables`) and the document
assembly (`read.pdf.document`) are the ones a text-layer PDF goes through, so a scan is
read by the same rules of table structure, and every character keeps its confidence.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
from numpy.typing import NDArray

from jixiao.read.ocr.engine import Word, read_lines
from jixiao.read.ocr.raster import deskew, find_rules, skew_angle, without_rules
from jixiao.read.pdf.extract import IDENTITY, Char, Frame, PageContent, Segment

POINTS_PER_INCH = 72.0
# Punctuation printed in a full-width and a half-width form that look alike on a scan
# (「，」 and 「,」, 「（」 and 「(」 …). Writers mix both in one sentence, so the engine's
# choice between them next to Chinese text is a guess however sure it says it is: such a
# character counts as doubtful, and its cell is reported for checking.
WIDTH_AMBIGUOUS = frozenset(",，:：;；(（)）")
WIDTH_DOUBT = 0.85
DASHES = frozenset("-－—–/")  # a lone dash is the blank of an amount: never mistaken for a value
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def scan_page(gray: NDArray[np.uint8], dpi: float, number: int) -> PageContent:
    """The characters and rules of a page image (grey, 0 = ink) at `dpi`."""
    upright = deskew(gray, skew_angle(gray))
    rules = find_rules(upright, dpi)
    lines = read_lines(without_rules(upright, rules))
    pt = POINTS_PER_INCH / dpi
    height, width = upright.shape
    frame = Frame(IDENTITY, IDENTITY, width * pt, height * pt)
    content = PageContent(number, frame)
    content.horizontal = [
        Segment(x0 * pt, y * pt, x1 * pt, y * pt) for x0, y, x1 in rules.horizontal
    ]
    content.vertical = [Segment(x * pt, y0 * pt, x * pt, y1 * pt) for x, y0, y1 in rules.vertical]
    for line in lines:
        for run in _runs(_doubted(line), rules.vertical):
            x0, top, x1, bottom = (v * pt for v in run.box)
            content.chars.append(Char(run.text, x0, top, x1, bottom, bottom - top, run.score))
    return content


def _doubted(line: list[Word]) -> list[Word]:
    """The line with the characters the engine cannot be trusted on marked doubtful:
    width-ambiguous punctuation beside Chinese text, a symbol standing alone (a lone
    「≥」 has no context to be read in, and came back as 「V」), and pictographs
    (「☑」, 「■」), which a form's text never needs and noise often becomes."""
    out: list[Word] = []
    alone = len(line) == 1
    for k, word in enumerate(line):
        text = word.text
        if word.score > WIDTH_DOUBT:
            beside = [line[j].text for j in (k - 1, k + 1) if 0 <= j < len(line)]
            if (
                (text in WIDTH_AMBIGUOUS and any(_CJK.match(t) for t in beside))
                or (alone and not _CJK.match(text) and not text.isdigit() and text not in DASHES)
                or unicodedata.category(text[0]) == "So"
            ):
                word = Word(text, WIDTH_DOUBT, word.box)
        out.append(word)
    return out


def _runs(line: list[Word], borders: list[tuple[float, float, float]]) -> list[Word]:
    """A line's characters joined into runs that no cell border and no wide gap cuts.

    The engine places each character by the columns of its recogniser, not exactly:
    gaps between characters of one word vary, so the table code, which would read a
    space into a gap between Latin letters, is given whole runs; a run ends at a rule
    (the engine may read across a border it cannot see) or at a gap of half a line."""
    runs: list[list[Word]] = []
    for word in line:
        if runs:
            last = runs[-1][-1]
            height = max(word.box[3] - word.box[1], 1.0)
            gap = word.box[0] - last.box[2]
            middle = (word.box[1] + word.box[3]) / 2
            left, right = (last.box[0] + last.box[2]) / 2, (word.box[0] + word.box[2]) / 2
            cut = any(left < x < right and y0 <= middle <= y1 for x, y0, y1 in borders)
            if not cut and gap <= 0.5 * height:
                runs[-1].append(word)
                continue
        runs.append([word])
    return [
        Word(
            "".join(w.text for w in run),
            min(w.score for w in run),
            (
                run[0].box[0],
                min(w.box[1] for w in run),
                run[-1].box[2],
                max(w.box[3] for w in run),
            ),
        )
        for run in runs
    ]
