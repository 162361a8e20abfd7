"""Line-based renderings to a Grid: converter TSV and markdown pipe tables.

Step 2 of the pipeline for text where one line is one table row. Columns shift where the
converter met merged cells; that is left for the recogniser, which reads rows by
content. Lines outside tables (titles, headings) become one-cell rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jixiao.read.grid import Grid, Row, iter_lines, make_row, text_cells
from jixiao.read.text import clean_cell, needs_cleaning

_PIPE_SEPARATOR_ROW = re.compile(r"^\s*\|?(\s*:?-{2,}:?\s*\|)+\s*(:?-{2,}:?\s*)?\|?\s*$")
_MD_DECORATION = re.compile(r"^\s*(#{1,6}\s+|>\s*)|\*\*|__")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def tsv_row(line: str, number: int) -> Row | None:
    # The hottest step of the TSV reader, kept to C-level calls per cell: on a line that
    # needs no cleaning (most) each cell is only stripped.
    parts = line.rstrip("\r\n").split("\t")
    cells = text_cells(parts, number, clean_cell if needs_cleaning(line) else str.strip)
    if not cells:
        return None
    return Row(cells=cells, line=number, width=len(parts))


def pipe_row(line: str, number: int) -> Row | None:
    """A markdown pipe row (`| a | b |`); separator rows give None."""
    if _PIPE_SEPARATOR_ROW.match(line):
        return None
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    parts = _UNESCAPED_PIPE.split(body)
    texts = [(col, clean_cell(part.replace("\\|", "|"))) for col, part in enumerate(parts)]
    return make_row(texts, number, width=len(parts))


def plain_row(line: str, number: int) -> Row | None:
    """A line outside any table: one cell, markdown decoration removed."""
    return make_row([(0, clean_cell(_MD_DECORATION.sub("", line)))], number)


def line_row(line: str, number: int) -> Row | None:
    """Any single line, split the way its own shape says."""
    if "|" in line:  # (a TSV line seldom has one: it is not stripped to be looked at)
        stripped = line.strip()
        if stripped.startswith("|") and stripped.count("|") >= 2:
            return pipe_row(line, number)
    if "\t" in line:
        return tsv_row(line, number)
    return plain_row(line, number)


def read_lines(text: str, *, first_line: int = 1, quoted: bool = False) -> Iterator[Row]:
    """Rows of a line-based rendering; with `quoted`, CSV-style quoted cells (as
    spreadsheet tools write a cell holding line breaks) are rejoined first."""
    # Quotes are looked for line by line only in a text that has one.
    quoted = quoted and '"' in text
    records = _quoted_records(text, first_line) if quoted else iter_lines(text, first_line)
    for number, line in records:
        if not line or line.isspace():
            continue
        row = line_row(line, number)
        if row is not None:
            yield row


def _quoted_records(text: str, first_line: int) -> Iterator[tuple[int, str]]:
    pending: list[str] = []  # the lines of a record whose quoted cell spans lines
    start = first_line
    for number, line in iter_lines(text, first_line):
        if pending:
            pending.append(line)
            if not _open_quote(pending):
                yield start, _unquote_record("\n".join(pending))
                pending = []
            elif len(pending) >= _MAX_QUOTED_LINES:
                # No cell is this long: the quote was a stray one. Read the lines as lines.
                for offset, literal in enumerate(pending):
                    yield start + offset, literal
                pending = []
            continue
        if '"' not in line:  # (most lines of a quoted file have no quote at all)
            yield number, line
            continue
        if (line.startswith('"') or '\t"' in line) and _open_quote([line]):
            pending, start = [line], number
            continue
        yield number, _unquote_record(line)
    for offset, literal in enumerate(pending):  # an unclosed quote at the very end
        yield start + offset, literal


# A quoted cell longer than this many lines is a stray quote, not a cell: read on.
_MAX_QUOTED_LINES = 60
_QUOTED_FIELD = re.compile(r'(?:(?<=\t)|^)"((?:[^"]|"")*)"(?=\t|$)', re.DOTALL)


def _open_quote(lines: list[str]) -> bool:
    """A tab-separated record whose last quoted cell is still open.

    Only a cell that starts with a quote and has no other (undoubled) quote opens one:
    prose that merely begins with a quote (`"十五五"规划`) is taken literally.
    """
    inside = False
    for field in "\n".join(lines).split("\t"):
        body = field.replace('""', "")
        if not inside:
            inside = body.startswith('"') and '"' not in body[1:]
        elif '"' in body:
            inside = False
    return inside


def _unquote_record(record: str) -> str:
    """Remove CSV-style quoting from the cells of one record: a quoted cell loses its
    outer quotes and its doubled inner quotes become single ones."""
    return _QUOTED_FIELD.sub(lambda m: m.group(1).replace('""', '"'), record)


def read_delimited(text: str, file: str, fmt: str, first_line: int = 1) -> Grid:
    rows = read_lines(text, first_line=first_line, quoted=fmt == "tsv")
    return Grid(file=file, rows=rows, format=fmt)
