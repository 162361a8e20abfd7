"""A page image made ready for reading: upright, its ruling lines found and lifted off.

Part of step 2 of the pipeline (the OCR path). A scanner turns the sheet a little and
adds speckle; the table reader needs straight ruling lines, and the recogniser reads
text better without a border touching it. So the page is deskewed (the angle that makes
its horizontal rules and text lines sharpest in a row profile), binarised, and the long
horizontal and vertical runs of ink are taken as the table's rules: a morphological
opening keeps only runs longer than any character stroke. The rules go to the table
code as segments, and are whitened out of the image the OCR engine sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

# A grey page, 0 = ink, 255 = paper (uint8; OpenCV's stubs type what it returns loosely).
Gray = NDArray[Any]

MAX_SKEW = 2.0  # degrees: a scanner's tilt; a sideways page is a quarter turn, not skew
# A rule is at least this long (in inches): longer than a stroke of any character of a
# form's text (a 一 at 16 pt is 0.2 in), shorter than the narrowest column (分值, 0.4 in).
MIN_RULE_INCHES = 0.3
# A vertical rule bounds a cell at least this tall: one line of small print.
MIN_CELL_INCHES = 0.12
RULE_CONTRAST = 45  # grey levels below the paper's that count as a rule's ink


@dataclass(frozen=True, slots=True)
class Rules:
    """The ruling lines of a page, in pixels: (x0, y, x1) and (x, y0, y1)."""

    horizontal: list[tuple[float, float, float]]
    vertical: list[tuple[float, float, float]]
    mask: Gray  # the rules' ink, to be lifted off before OCR


def skew_angle(gray: Gray) -> float:
    """The page's tilt in degrees (counter-clockwise positive), within ±MAX_SKEW.

    Rows of a page printed straight are either ink (a rule, a line of text) or paper:
    the row profile is sharpest (its variance largest) at the angle that undoes the
    tilt. Searched coarse to fine on a reduced image (tens of milliseconds a page)."""
    scale = 2000 / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    height, width = ink.shape
    centre = (width / 2, height / 2)

    def sharpness(angle: float) -> float:
        turn = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(ink, turn, (width, height), flags=cv2.INTER_NEAREST)
        return float(np.var(turned.sum(axis=1, dtype=np.float64)))

    best, step = 0.0, 0.5
    candidates = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, step)
    while True:
        best = max(candidates, key=sharpness)
        if step <= 0.03:
            return float(best)
        step /= 4
        candidates = np.arange(best - 3 * step, best + 3 * step + 1e-9, step)


def deskew(gray: Gray, angle: float) -> Gray:
    """The page turned by `angle` degrees about its centre, the corners filled white."""
    if abs(angle) < 0.02:
        return gray
    height, width = gray.shape
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(gray, turn, (width, height), flags=cv2.INTER_LINEAR, borderValue=(255,))


def find_rules(gray: Gray, dpi: float) -> Rules:
    """The long straight runs of ink: the table's rules."""
    # Rules are often hairlines, one pixel of mid grey at 200 dpi: a threshold between
    # ink and paper (Otsu's) cuts them into dashes. Anything clearly darker than the
    # paper counts here; speckle passes too, but it never makes a long straight run.
    paper = float(np.percentile(gray, 90))
    ink = (gray < paper - RULE_CONTRAST).astype(np.uint8) * 255
    length = max(int(MIN_RULE_INCHES * dpi), 10)
    short = max(int(MIN_CELL_INCHES * dpi), 5)
    # A hairline left slightly slanted steps from one pixel row to the next: thickened
    # across its direction by a pixel each way, the steps overlap into one straight run.
    across = cv2.morphologyEx(
        cv2.dilate(ink, np.ones((3, 1), np.uint8)),
        cv2.MORPH_OPEN,
        cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)),
    )
    down = cv2.morphologyEx(
        cv2.dilate(ink, np.ones((1, 3), np.uint8)),
        cv2.MORPH_OPEN,
        cv2.getStructuringElement(cv2.MORPH_RECT, (1, short)),
    )
    rows = [r for r in _runs(across) if r[2] >= length]
    # A row of one text line is shorter than a long stroke of a title's character: a
    # short vertical run is a rule only where it runs from one horizontal rule to another.
    columns = [r for r in _runs(down) if r[3] >= length or _between_rules(r, rows)]
    drawn: Gray = np.zeros_like(ink)
    for x, y, w, h in [*rows, *columns]:
        drawn[y : y + h, x : x + w] = 255
    mask: Gray = cv2.dilate(drawn, np.ones((3, 3), np.uint8))
    horizontal = [(float(x), y + h / 2, float(x + w)) for x, y, w, h in rows]
    vertical = [(x + w / 2, float(y), float(y + h)) for x, y, w, h in columns]
    return Rules(horizontal, vertical, mask)


def _between_rules(run: tuple[int, int, int, int], rows: list[tuple[int, int, int, int]]) -> bool:
    """Whether a vertical run reaches into a horizontal rule at both ends, as a rule
    does (it crosses them); a character's stroke stops short of the cell's border."""
    slack = 2
    x, y, w, h = run
    middle = x + w / 2

    def meets(end: float) -> bool:
        return any(
            rx - slack <= middle <= rx + rw + slack and ry - slack <= end <= ry + rh + slack
            for rx, ry, rw, rh in rows
        )

    return meets(y) and meets(y + h)


def _runs(lines: Gray) -> list[tuple[int, int, int, int]]:
    """The bounding boxes (x, y, w, h) of the connected runs of a rule mask."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    return [
        (
            int(s[cv2.CC_STAT_LEFT]),
            int(s[cv2.CC_STAT_TOP]),
            int(s[cv2.CC_STAT_WIDTH]),
            int(s[cv2.CC_STAT_HEIGHT]),
        )
        for s in stats[1:count]
    ]


def without_rules(gray: Gray, rules: Rules) -> Gray:
    """The page with its rules whitened out: what the OCR engine reads."""
    out = gray.copy()
    out[rules.mask > 0] = 255
    return out
