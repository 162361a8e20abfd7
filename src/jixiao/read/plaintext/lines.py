"""The document as lines, and the token helpers every step of the plain-text reader uses.

First step of the plain-text reader: `page_lines` turns pdftotext output into `Line`
records (cleaned, split at spaces once, page numbers dropped), which the state machine
feeds on. The helpers here read one line's tokens: rejoining what the converter split
(`≥` + `5000.00`, `=23000.00` + `(人)`), telling a value from a name, and finding the
分值/得分 pair that anchors a self-evaluation row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from jixiao.read.grid import iter_lines
from jixiao.read.text import clean_cell
from jixiao.values import Achievement, Quantity, is_number, parse_actual, parse_target

OP_ONLY = re.compile(r"^(?:[=＝≥≤><＞＜≧≦]|>=|<=)$")
UNIT_ONLY = re.compile(r"^[(（][^()（）]{1,8}[)）]$|^%$")
_PAGE_NUMBER = re.compile(
    r"^(?:[-—－]\s*\d{1,4}\s*[-—－]|第\s*\d+\s*页(?:\s*/?\s*共\s*\d+\s*页)?|\d{1,4})$"
)


_NOT_SEARCHED: Final = -1  # (no line's anchor is at -1)


class Line:
    """One line of the document: its number, its text and its tokens (the text split
    at spaces, computed once). A plain class with slots: the reader makes one for every
    line it reads."""

    __slots__ = ("_anchor", "number", "text", "tokens")

    def __init__(self, number: int, text: str) -> None:
        self.number = number
        self.text = text
        self.tokens = text.split()
        self._anchor: int | None = _NOT_SEARCHED


def line_anchor(line: Line) -> int | None:
    """`anchor(line.tokens)`, searched once: both the column widths and the row reader
    look for every indicator line's 分值/得分 pair."""
    if line._anchor == _NOT_SEARCHED:
        line._anchor = anchor(line.tokens)
    return line._anchor


def page_lines(text: str) -> Iterator[Line]:
    """The non-empty lines, cleaned, without the page numbers printed at a page break.

    pdftotext ends each page with a form feed, which starts the next page's first line;
    a lone number (`- 1 -`, `第 1 页`) just before or after it is the page's footer or
    header, not part of a form.
    """
    after_break = False
    held: Line | None = None  # a page-number-looking line, until we see what follows
    for number, raw in iter_lines(text):
        page_break = "\f" in raw
        # pdftotext separates paragraphs by blank lines: half the lines need no cleaning.
        cleaned = "" if raw.isspace() or not raw else clean_cell(raw.replace("\f", " "))
        if not cleaned:
            after_break = after_break or page_break
            if held is not None and page_break:
                held = None  # the footer of the page that just ended
            continue
        if held is not None:
            if not page_break:
                yield held
            held = None
        if _PAGE_NUMBER.match(cleaned):
            if page_break or after_break:
                after_break = False
                continue  # the header of the page that starts
            held = Line(number, cleaned)
            continue
        after_break = False
        yield Line(number, cleaned)
    if held is not None:
        yield held


def merge_tokens(tokens: list[str]) -> list[str]:
    """Rejoin what the converter split: `≤ 160000.00(元)`, `=23000.00` + `(人)`."""
    out: list[str] = []
    for token in tokens:
        if out and UNIT_ONLY.match(token) and ends_numeric(out[-1]):
            out[-1] += token
        elif out and OP_ONLY.match(out[-1]) and token[:1].isdigit():
            out[-1] = f"{out[-1]} {token}"
        else:
            out.append(token)
    return out


def ends_numeric(text: str) -> bool:
    return bool(text) and (text[-1].isdigit())


def looks_like_value(text: str) -> bool:
    target = parse_target(text)
    if isinstance(target, Quantity):
        return True
    return isinstance(parse_actual(text), Achievement)


def anchor(tokens: list[str]) -> int | None:
    """Index of 分值 in a line whose tokens end `… 分值 得分 [note]`, or None."""
    # Each token is asked once whether it is a number: every line of an indicator table
    # is searched for its anchor, twice (for the column widths, then for the row).
    numeric = [is_number(t) for t in tokens]
    best = None
    last = len(tokens) - 1
    for i in range(last):
        if numeric[i] and numeric[i + 1] and (i + 1 == last or not numeric[i + 2]):
            best = i
    return best
