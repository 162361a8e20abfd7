"""What a PDF page holds, as the table reader needs it: characters and ruling lines.

Part of step 2 of the pipeline (the PDF reader). PDFium (through pypdfium2, the
renderer pdfplumber also brings) parses the page in C. pdfplumber and pdfminer interpret
content streams in Python: on the test corpus they took 58 ms a page, 8.7× `pdftotext`
(29 ms, 4.3×, with text rendering switched off, for the ruling lines alone), where the
whole reader takes about 10 ms, under 2× (`tests/test_read_pdf.py` measures it).
Everything is returned in one *reading frame*: points
from the top-left of the page as a reader holds it, text upright. `/Rotate` and text
laid out sideways are both undone here, so the table code never thinks about rotation;
`Frame.to_page` maps a box back to the page as a viewer displays it.
"""

from __future__ import annotations

import ctypes
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from typing import NamedTuple

import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]  # no stubs, no py.typed

# An affine map (a, b, c, d, e, f): x' = a·x + c·y + e, y' = b·x + d·y + f.
Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

# Beyond these a page is not a form (a content bomb or a drawing), and reading it would
# only cost time and memory: the page is skipped with a finding.
MAX_CHARS_PER_PAGE = 60_000
MAX_OBJECTS_PER_PAGE = 60_000
# A line shorter than this is a tick or the end cap of a thin filled rule, not a border.
MIN_EDGE = 2.0
# A filled shape thinner than this is a rule drawn as a rectangle (Excel and Word both
# draw borders so); a larger filled shape is a cell's background and bounds nothing.
RULE_THICKNESS = 3.0


class Char(NamedTuple):
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # the font size, for gaps measured in ems
    score: float = 1.0  # how sure the OCR engine was of it (a text layer is sure)


class Segment(NamedTuple):
    """A horizontal (y0 == y1) or vertical (x0 == x1) ruling line in the reading frame."""

    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True, slots=True)
class Frame:
    """The reading frame of a page: PDF user space → upright, from the top-left."""

    forward: Matrix
    back: Matrix  # reading frame → the page as displayed (after /Rotate)
    width: float
    height: float

    def to_page(self, box: Box) -> Box:
        return _box(self.back, box)


@dataclass(slots=True)
class PageContent:
    number: int  # 1-based
    frame: Frame
    chars: list[Char] = field(default_factory=list)
    horizontal: list[Segment] = field(default_factory=list)
    vertical: list[Segment] = field(default_factory=list)
    images: int = 0
    unmapped: int = 0  # characters without a Unicode mapping: `(cid:NNN)` in pdfminer
    too_big: str | None = None  # why the page was not read, when it was not


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _compose(first: Matrix, then: Matrix) -> Matrix:
    """The map that applies `first`, then `then`."""
    a, b, c, d, e, f = first
    A, B, C, D, E, F = then
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _invert(m: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    det = a * d - b * c
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return (ia, ib, ic, id_, -(ia * e + ic * f), -(ib * e + id_ * f))


def _box(m: Matrix, box: Box) -> Box:
    x0, y0 = _apply(m, box[0], box[1])
    x1, y1 = _apply(m, box[2], box[3])
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _display(page: ctypes.c_void_p) -> tuple[Matrix, float, float]:
    """PDF user space → the page as a viewer shows it (crop box, `/Rotate`), y down."""
    rect = pdfium_c.FS_RECTF()
    if pdfium_c.FPDF_GetPageBoundingBox(page, rect):
        x0, y0, x1, y1 = rect.left, rect.bottom, rect.right, rect.top
    else:
        x0, y0 = 0.0, 0.0
        x1, y1 = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
    w, h = x1 - x0, y1 - y0
    rotation = pdfium_c.FPDFPage_GetRotation(page) % 4  # quarter turns clockwise
    # Upright display coordinates are (x - x0, y1 - y); each quarter turn of /Rotate
    # turns the displayed page clockwise.
    upright: Matrix = (1.0, 0.0, 0.0, -1.0, -x0, y1)
    turns: dict[int, tuple[Matrix, float, float]] = {
        0: (IDENTITY, w, h),
        1: ((0.0, 1.0, -1.0, 0.0, h, 0.0), h, w),
        2: ((-1.0, 0.0, 0.0, -1.0, w, h), w, h),
        3: ((0.0, -1.0, 1.0, 0.0, 0.0, w), h, w),
    }
    turn, width, height = turns[rotation]
    return _compose(upright, turn), width, height


def display_size(document: ctypes.c_void_p, index: int) -> tuple[float, float] | None:
    """The size in points of a page (0-based) as a viewer shows it: the frame that the
    boxes of `Frame.to_page` are in. None when the page cannot be loaded."""
    page = pdfium_c.FPDF_LoadPage(document, index)
    if not page:
        return None
    try:
        _, width, height = _display(page)
        return width, height
    finally:
        pdfium_c.FPDF_ClosePage(page)


def _upright(direction: str, width: float, height: float) -> tuple[Matrix, float, float]:
    """The turn that makes text advancing in `direction` (on the displayed page) read
    left to right: a landscape table printed sideways on a portrait page."""
    if direction == "down":  # text turned clockwise: its lines stack right to left
        return (0.0, -1.0, 1.0, 0.0, 0.0, width), height, width
    if direction == "up":
        return (0.0, 1.0, -1.0, 0.0, height, 0.0), height, width
    if direction == "left":
        return (-1.0, 0.0, 0.0, -1.0, width, height), width, height
    return IDENTITY, width, height


def _direction(points: list[tuple[float, float, float]]) -> str:
    """Which way the text runs: the commonest step between neighbouring characters."""
    votes: Counter[str] = Counter()
    for (xa, ya, size), (xb, yb, _) in pairwise(points):
        dx, dy = xb - xa, yb - ya
        if abs(dx) + abs(dy) > 3 * max(size, 1.0):
            continue  # a new line or a new cell, not a step within a word
        if abs(dx) > abs(dy) * 2:
            votes["right" if dx > 0 else "left"] += 1
        elif abs(dy) > abs(dx) * 2:
            votes["down" if dy > 0 else "up"] += 1
    return votes.most_common(1)[0][0] if votes else "right"


def read_page(document: ctypes.c_void_p, index: int) -> PageContent:
    """The characters and ruling lines of one page (0-based `index`)."""
    page = pdfium_c.FPDF_LoadPage(document, index)
    if not page:
        raise ValueError(f"page {index + 1} cannot be loaded")
    try:
        return _read_loaded(page, index + 1)
    finally:
        pdfium_c.FPDF_ClosePage(page)


def _read_loaded(page: ctypes.c_void_p, number: int) -> PageContent:
    display, width, height = _display(page)
    objects = pdfium_c.FPDFPage_CountObjects(page)
    if objects > MAX_OBJECTS_PER_PAGE:
        frame = Frame(display, IDENTITY, width, height)
        return PageContent(number, frame, too_big=f"{objects} 个绘图对象")
    textpage = pdfium_c.FPDFText_LoadPage(page)
    try:
        raw, unmapped = _raw_chars(textpage)
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)
    if raw is None:
        frame = Frame(display, IDENTITY, width, height)
        return PageContent(number, frame, too_big=f"超过 {MAX_CHARS_PER_PAGE} 个字符")
    points = []
    for _, x0, y0, x1, y1, size in raw:
        x, y = _apply(display, (x0 + x1) / 2, (y0 + y1) / 2)
        points.append((x, y, size))
    turn, width, height = _upright(_direction(points), width, height)
    forward = _compose(display, turn)
    frame = Frame(forward, _invert(turn), width, height)
    content = PageContent(number, frame, unmapped=unmapped)
    for text, x0, y0, x1, y1, size in raw:
        left, top, right, bottom = _box(forward, (x0, y0, x1, y1))
        content.chars.append(Char(text, left, top, right, bottom, size))
    _read_objects(page, forward, content)
    return content


_RawChar = tuple[str, float, float, float, float, float]


def _raw_chars(textpage: ctypes.c_void_p) -> tuple[list[_RawChar] | None, int]:
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count > MAX_CHARS_PER_PAGE:
        return None, 0
    rect = pdfium_c.FS_RECTF()
    chars: list[_RawChar] = []
    unmapped = 0
    get_unicode = pdfium_c.FPDFText_GetUnicode
    generated = pdfium_c.FPDFText_IsGenerated
    loose_box = pdfium_c.FPDFText_GetLooseCharBox
    font_size = pdfium_c.FPDFText_GetFontSize
    map_error = pdfium_c.FPDFText_HasUnicodeMapError
    for i in range(count):
        # PDFium adds spaces and line ends of its own between words and lines; the
        # reader finds lines and gaps by position, so only printed glyphs are kept.
        if generated(textpage, i) == 1:
            continue
        code = get_unicode(textpage, i)
        if map_error(textpage, i) == 1 or code == 0xFFFD or code == 0:
            unmapped += 1
            continue
        if code in (0x0D, 0x0A, 0x02):  # control characters some writers leave in
            continue
        # The loose box spans the font's ascent and descent: every character of a line
        # gets the same top and bottom, which is what grouping lines needs.
        loose_box(textpage, i, rect)
        text = chr(code) if code < 0x110000 else "\ufffd"
        chars.append((text, rect.left, rect.bottom, rect.right, rect.top, font_size(textpage, i)))
    return chars, unmapped


def _read_objects(page: ctypes.c_void_p, forward: Matrix, content: PageContent) -> None:
    stack = [
        (pdfium_c.FPDFPage_GetObject(page, i), IDENTITY)
        for i in range(pdfium_c.FPDFPage_CountObjects(page))
    ]
    matrix = pdfium_c.FS_MATRIX()
    seen = 0
    while stack:
        obj, outer = stack.pop()
        seen += 1
        if seen > MAX_OBJECTS_PER_PAGE:
            content.too_big = f"超过 {MAX_OBJECTS_PER_PAGE} 个绘图对象"
            return
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            content.images += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            # A form XObject's children are placed by their own matrix inside the form.
            own = _matrix_of(obj, matrix)
            inner = _compose(own, outer)
            stack.extend(
                (pdfium_c.FPDFFormObj_GetObject(obj, i), inner)
                for i in range(pdfium_c.FPDFFormObj_CountObjects(obj))
            )
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            to_frame = _compose(_compose(_matrix_of(obj, matrix), outer), forward)
            _read_path(obj, to_frame, content)


def _matrix_of(obj: ctypes.c_void_p, matrix: pdfium_c.FS_MATRIX) -> Matrix:
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix):
        return IDENTITY
    return (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)


def _read_path(obj: ctypes.c_void_p, to_frame: Matrix, content: PageContent) -> None:
    fill = ctypes.c_int()
    stroke = ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke)
    if not stroke.value and not fill.value:
        return  # a clipping path draws nothing
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[float, float]] = []
    lines: list[tuple[tuple[float, float], tuple[float, float]]] = []
    start: tuple[float, float] | None = None
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = _apply(to_frame, x.value, y.value)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not points:
            start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
            lines.append((points[-1], point))
        # A Bézier curve (a rounded corner) bounds no cell: its end point only moves on.
        points.append(point)
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
            lines.append((point, start))
    if not stroke.value:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        if min(max(xs) - min(xs), max(ys) - min(ys)) > RULE_THICKNESS:
            return  # a filled background, not a rule
    for (xa, ya), (xb, yb) in lines:
        if abs(ya - yb) < 0.5 and abs(xb - xa) >= MIN_EDGE:
            content.horizontal.append(Segment(min(xa, xb), ya, max(xa, xb), ya))
        elif abs(xa - xb) < 0.5 and abs(yb - ya) >= MIN_EDGE:
            content.vertical.append(Segment(xa, min(ya, yb), xa, max(ya, yb)))
