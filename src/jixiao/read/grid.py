"""The intermediate every reader produces: a Grid of cells with spans and positions.

Step 2 of the pipeline (read → **Grid** → recognise). A text rendering, an HTML table, a
spreadsheet or a PDF page all become rows of cells; the recogniser only ever sees this.
Rows keep their non-empty cells only, each with its column, so the recogniser can work
by content and still consult columns where content is ambiguous.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import NamedTuple

from jixiao.findings import Finding


class Cell(NamedTuple):
    # A NamedTuple, not a frozen dataclass: a large file makes millions of cells and a
    # tuple is several times cheaper to build, while staying immutable.
    text: str
    col: int = 0
    colspan: int = 1
    rowspan: int = 1
    line: int | None = None  # 1-based line in a text rendering
    page: int | None = None
    ref: str | None = None  # a spreadsheet or table reference such as "B12"
    # The cell's rectangle on its page, (x0, top, x1, bottom) in PDF points.
    box: tuple[float, float, float, float] | None = None

    @property
    def end_col(self) -> int:
        return self.col + self.colspan - 1


class Row(NamedTuple):
    # A NamedTuple like `Cell`, for the same reason: every line of a text rendering is a
    # row, and building a tuple costs a fraction of a frozen dataclass's `__init__`.
    cells: tuple[Cell, ...]
    line: int | None = None
    page: int | None = None
    # How many columns the rendering printed for this row, empty ones included, when it
    # says (TSV, markdown): a row narrower than its header lost merged cells.
    width: int | None = None
    # Which table of the document the row belongs to (0, 1 …), for readers that see
    # tables (HTML, Word, PDF); None for text outside any table, and where no reader can
    # tell (plain text, TSV).
    table: int | None = None

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


def row_place(row: Row) -> tuple[str | None, tuple[float, float, float, float] | None]:
    """Where a row stands, beyond its line and page: the reference of its first cell and
    the rectangle around all its cells (for a finding to be marked on the page)."""
    # One plain loop (cheaper than generators, or map and filter, on Python 3.11): the
    # recogniser places every indicator and funds row, and the cells of a text rendering
    # have neither a reference nor a box.
    ref: str | None = None
    boxes: list[tuple[float, float, float, float]] = []
    for cell in row.cells:
        if ref is None:
            ref = cell.ref
        if cell.box is not None:
            boxes.append(cell.box)
    if not boxes:
        return ref, None
    return ref, (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


@dataclass(frozen=True, slots=True)
class Grid:
    """The rows of one document, in reading order (several tables may follow each other).

    `rows` may be a lazy iterable, consumed once: a large file is then recognised while
    it is split, without holding all its cells at once.
    """

    file: str
    rows: Iterable[Row]
    format: str  # the rendering it was read from: tsv, markdown, html, pdftotext …
    # What the reader has to say beside the rows it could read (a sheet cut at the row
    # limit, hidden sheets left out, pages not read): reading findings, kept with the forms.
    findings: tuple[Finding, ...] = ()


_new_tuple = tuple.__new__


def text_cell(text: str, col: int, line: int | None) -> Cell:
    """`Cell(text, col, line=line)`: a one-column, one-row cell of a text rendering.

    Built as the tuple it is, because the text readers make one for every printed cell
    and `Cell(...)` spends more on its keyword defaults than on the tuple."""
    return _new_tuple(Cell, (text, col, 1, 1, line, None, None, None))


def text_cells(parts: list[str], line: int | None, clean: Callable[[str], str]) -> tuple[Cell, ...]:
    """The cells of one printed line: each of its `parts` that is not blank once
    `clean`ed, as a `text_cell` in the column of its position.

    One plain loop building the tuples directly (measured cheaper on Python 3.11 than a
    comprehension over `map`): a TSV reader makes every cell it reads this way."""
    cells = []
    for col, raw in enumerate(parts):
        if raw:
            text = clean(raw)
            if text:
                cells.append(_new_tuple(Cell, (text, col, 1, 1, line, None, None, None)))
    return tuple(cells)


def make_row(
    texts: list[tuple[int, str]],
    line: int | None,
    page: int | None = None,
    width: int | None = None,
) -> Row | None:
    """A Row from (column, text) pairs, keeping non-blank cells; None when all are blank."""
    cells = tuple(
        Cell(text=text, col=col, line=line, page=page) for col, text in texts if text.strip()
    )
    if not cells:
        return None
    return Row(cells=cells, line=line, page=page, width=width)


# How much of a text `iter_lines` splits at a time: one `str.split` per block is far
# cheaper than a search and a slice per line, and a block holds only a few hundred lines.
_BLOCK = 1 << 16


def iter_lines(text: str, first_line: int = 1) -> Iterator[tuple[int, str]]:
    """(line number, line) without building the list of all lines of a large text.

    Chained in C over the blocks' lines: no Python code runs per line."""
    return chain.from_iterable(
        enumerate(lines, first) for first, lines in _line_blocks(text, first_line)
    )


def _line_blocks(text: str, first_line: int) -> Iterator[tuple[int, list[str]]]:
    """The lines of `text` a block at a time: the first one's number, and the lines."""
    start = 0
    number = first_line
    length = len(text)
    while start < length:
        end = text.find("\n", start + _BLOCK)
        if end < 0:
            end = length
        block = text[start:end]
        lines = block.split("\n")
        if end == length and block.endswith("\n"):
            lines.pop()  # the text's final line break ends its last line, it starts none
        if "\r" in block:
            lines = [line.rstrip("\r") for line in lines]
        yield number, lines
        number += len(lines)
        start = end + 1
