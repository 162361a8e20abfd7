"""The intermediate every reader produces: a Grid of cells with spans and positions.

Step 2 of the pipeline (read → **Grid** → recognise). A text rendering, an HTML table, a
spreadsheet or a PDF page all become rows of cells; the recogniser only ever sees this.
Rows keep their non-empty cells only, each with its column, so the recogniser can work
by content and still consult columns where content is ambiguous.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    col: int = 0
    colspan: int = 1
    rowspan: int = 1
    line: int | None = None  # 1-based line in a text rendering
    page: int | None = None
    ref: str | None = None  # a spreadsheet reference such as "B12"

    @property
    def end_col(self) -> int:
        return self.col + self.colspan - 1


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]
    line: int | None = None
    page: int | None = None

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass(frozen=True, slots=True)
class Grid:
    """The rows of one document, in reading order (several tables may follow each other)."""

    file: str
    rows: tuple[Row, ...]
    format: str  # the rendering it was read from: tsv, markdown, html, pdftotext …


def make_row(texts: list[tuple[int, str]], line: int | None, page: int | None = None) -> Row | None:
    """A Row from (column, text) pairs, keeping non-blank cells; None when all are blank."""
    cells = tuple(
        Cell(text=text, col=col, line=line, page=page) for col, text in texts if text.strip()
    )
    if not cells:
        return None
    return Row(cells=cells, line=line, page=page)
