"""One PDF page → its tables (cells with spans) and the text lines around them.

Part of step 2 of the pipeline (the PDF reader). The ruling lines of a table give its
grid: the x positions of its vertical lines are the column boundaries, the y positions
of its horizontal lines the row boundaries (each clustered with a small tolerance, so a
border drawn twice or as a thin filled rectangle counts once). The elementary
rectangles of that grid are the cells, and where the line between two of them is
missing the writer merged them: rowspan and colspan are read off the missing segments,
exactly as an HTML table's attributes say them. Each character goes to the cell that
holds its centre; the lines of a cell are joined top to bottom. Everything here works in
the reading frame of `extract` (upright, from the top-left).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from jixiao.read.pdf.extract import Box, Char, Frame, PageContent, Segment

TOLERANCE = 2.0  # points: borders closer than this are one boundary
TOUCH = 3.0  # points: lines this close to each other belong to one table
COVERED = 0.6  # a boundary segment at least this covered by a drawn line is present
# A form's page has tens of ruling lines (hundreds when a writer draws each cell's
# border apart); beyond these it is a drawing or a lattice meant to exhaust the reader,
# and its lines are ignored (its text is still read, as lines).
MAX_SEGMENTS = 2500
MAX_CELLS = 40_000  # elementary rectangles of one table

_CJK = re.compile(
    r"[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)


@dataclass(slots=True)
class Line:
    """One line of text: its characters left to right, and where it stands."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    score: float = 1.0  # the least sure of its characters (OCR); 1 for a text layer


@dataclass(slots=True)
class TableCell:
    row: int
    col: int
    rowspan: int
    colspan: int
    box: Box
    chars: list[Char] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def score(self) -> float:
        return min((line.score for line in self.lines), default=1.0)


@dataclass(slots=True)
class Table:
    xs: list[float]  # column boundaries, left to right
    ys: list[float]  # row boundaries, top to bottom
    cells: list[TableCell]  # by row, then column
    owner: list[int]  # elementary rectangle (row * columns + col) → index in `cells`

    @property
    def box(self) -> Box:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    @property
    def rows(self) -> int:
        return len(self.ys) - 1

    def row_cells(self, row: int) -> list[TableCell]:
        return sorted((c for c in self.cells if c.row == row), key=lambda c: c.col)


@dataclass(slots=True)
class PageLayout:
    """A page in reading order: text lines outside tables and the tables, by their top."""

    number: int
    frame: Frame
    items: list[Line | Table]

    def page_box(self, box: Box) -> Box:
        """A box of the reading frame on the page as displayed, rounded to 0.01 pt."""
        x0, top, x1, bottom = self.frame.to_page(box)
        return (round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))


def layout_page(content: PageContent) -> PageLayout:
    horizontal, vertical = content.horizontal, content.vertical
    if len(horizontal) + len(vertical) > MAX_SEGMENTS:
        horizontal, vertical = [], []
    tables = [t for t in map(_grid, _groups(horizontal, vertical)) if t is not None]
    outside: list[Char] = []
    for char in content.chars:
        cx, cy = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
        if not _place(tables, cx, cy, char):
            outside.append(char)
    for table in tables:
        for cell in table.cells:
            cell.lines = _lines(cell.chars)
            cell.chars = []
    items: list[Line | Table] = [*_lines(outside, split=True), *tables]
    items.sort(key=lambda item: item.top if isinstance(item, Line) else item.ys[0])
    return PageLayout(content.number, content.frame, items)


# ---- finding the tables -----------------------------------------------------------------


def _groups(
    horizontal: list[Segment], vertical: list[Segment]
) -> Iterable[tuple[list[Segment], list[Segment]]]:
    """The ruling lines in connected groups: each group that crosses is one table."""
    segments = [*horizontal, *vertical]
    parent = list(range(len(segments)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[ri] = rj

    count_h = len(horizontal)
    # Vertical lines sorted by x, so each horizontal line meets only the verticals in
    # its x range (a bisect, not every pair).
    order = sorted(range(len(vertical)), key=lambda k: vertical[k].x0)
    xs = [vertical[k].x0 for k in order]
    for i, h in enumerate(horizontal):
        lo = bisect_right(xs, h.x0 - TOUCH - 1e-9)
        hi = bisect_right(xs, h.x1 + TOUCH)
        for k in order[lo:hi]:
            v = vertical[k]
            if v.y0 - TOUCH <= h.y0 <= v.y1 + TOUCH:
                union(i, count_h + k)
    # Collinear lines that touch end to end (a border drawn cell by cell) join too.
    for a, b in _touching(horizontal, lambda s: (s.y0, s.x0, s.x1)):
        union(a, b)
    for a, b in _touching(vertical, lambda s: (s.x0, s.y0, s.y1)):
        union(count_h + a, count_h + b)
    groups: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, segment in enumerate(segments):
        hs, vs = groups.setdefault(find(i), ([], []))
        (hs if i < count_h else vs).append(segment)
    return groups.values()


def _touching(
    segments: list[Segment], along: Callable[[Segment], tuple[float, float, float]]
) -> Iterator[tuple[int, int]]:
    """Pairs of lines on one position (`along` gives position, start, end) that touch."""
    ranked = sorted(range(len(segments)), key=lambda k: along(segments[k]))
    for a, b in pairwise(ranked):
        pa, _, end_a = along(segments[a])
        pb, start_b, _ = along(segments[b])
        if abs(pa - pb) <= TOLERANCE and start_b <= end_a + TOUCH:
            yield a, b


def _cluster(values: list[float]) -> list[float]:
    values = sorted(values)
    out: list[list[float]] = []
    for value in values:
        if out and value - out[-1][-1] <= TOLERANCE:
            out[-1].append(value)
        else:
            out.append([value])
    return [sum(group) / len(group) for group in out]


def _index(bounds: list[float], value: float) -> int:
    """The boundary nearest `value` (a line is on one of the clustered positions)."""
    k = bisect_right(bounds, value)
    if k == 0:
        return 0
    if k == len(bounds):
        return k - 1
    return k - 1 if value - bounds[k - 1] <= bounds[k] - value else k


def _coverage(segments: list[tuple[float, float]], start: float, end: float) -> float:
    """How much of [start, end] the (sorted, merged) intervals cover."""
    covered = 0.0
    for a, b in segments:
        if b <= start:
            continue
        if a >= end:
            break
        covered += min(b, end) - max(a, start)
    return covered


def _merged(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1] + TOLERANCE:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _grid(group: tuple[list[Segment], list[Segment]]) -> Table | None:
    horizontal, vertical = group
    if not horizontal or not vertical:
        return None
    # The table's extent comes from all its lines, so a table drawn without its outer
    # left and right borders (as many forms are) still has its first and last column.
    xs = _cluster(
        [v.x0 for v in vertical] + [min(h.x0 for h in horizontal), max(h.x1 for h in horizontal)]
    )
    ys = _cluster(
        [h.y0 for h in horizontal] + [min(v.y0 for v in vertical), max(v.y1 for v in vertical)]
    )
    if len(xs) < 2 or len(ys) < 2:
        return None
    columns, rows = len(xs) - 1, len(ys) - 1
    if columns * rows > MAX_CELLS:
        return None
    on_x: list[list[tuple[float, float]]] = [[] for _ in xs]
    on_y: list[list[tuple[float, float]]] = [[] for _ in ys]
    for v in vertical:
        on_x[_index(xs, v.x0)].append((v.y0, v.y1))
    for h in horizontal:
        on_y[_index(ys, h.y0)].append((h.x0, h.x1))
    on_x = [_merged(s) for s in on_x]
    on_y = [_merged(s) for s in on_y]

    def wall_right(col: int, row: int) -> bool:  # a line between (col, row) and (col+1, row)
        a, b = ys[row], ys[row + 1]
        return _coverage(on_x[col + 1], a, b) >= COVERED * (b - a)

    def wall_below(col: int, row: int) -> bool:
        a, b = xs[col], xs[col + 1]
        return _coverage(on_y[row + 1], a, b) >= COVERED * (b - a)

    parent = list(range(columns * rows))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for row in range(rows):
        for col in range(columns):
            here = row * columns + col
            if col + 1 < columns and not wall_right(col, row):
                parent[find(here)] = find(here + 1)
            if row + 1 < rows and not wall_below(col, row):
                parent[find(here)] = find(here + columns)
    members: dict[int, list[int]] = {}
    for i in range(columns * rows):
        members.setdefault(find(i), []).append(i)
    cells: list[TableCell] = []
    owner = [0] * (columns * rows)
    for group_cells in members.values():
        cols = [i % columns for i in group_cells]
        rws = [i // columns for i in group_cells]
        c0, c1, r0, r1 = min(cols), max(cols), min(rws), max(rws)
        if (c1 - c0 + 1) * (r1 - r0 + 1) == len(group_cells):
            shapes = [(c0, r0, c1 - c0 + 1, r1 - r0 + 1, group_cells)]
        else:
            # Not a rectangle (a broken line somewhere): no merge can be trusted here.
            shapes = [(i % columns, i // columns, 1, 1, [i]) for i in group_cells]
        for col, row, colspan, rowspan, covered in shapes:
            box = (xs[col], ys[row], xs[col + colspan], ys[row + rowspan])
            for i in covered:
                owner[i] = len(cells)
            cells.append(TableCell(row, col, rowspan, colspan, box))
    cells.sort(key=lambda c: (c.row, c.col))
    # `owner` indexes cells before sorting: rebuild it on the sorted list.
    for index, cell in enumerate(cells):
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                owner[r * columns + c] = index
    return Table(xs, ys, cells, owner)


def _place(tables: list[Table], x: float, y: float, char: Char) -> bool:
    """Give `char` to the cell of the table that holds (x, y); False when none does."""
    for table in tables:
        x0, top, x1, bottom = table.box
        if not (x0 <= x <= x1 and top <= y <= bottom):
            continue
        columns = len(table.xs) - 1
        col = min(max(bisect_right(table.xs, x) - 1, 0), columns - 1)
        row = min(max(bisect_right(table.ys, y) - 1, 0), len(table.ys) - 2)
        table.cells[table.owner[row * columns + col]].chars.append(char)
        return True
    return False


# ---- text -------------------------------------------------------------------------------


def _lines(chars: list[Char], *, split: bool = False) -> list[Line]:
    """Characters → lines, top to bottom; a character joins the line its middle is in.
    With `split`, a line is cut where a gap is wider than three ems (text outside a
    table: a date at the left margin and 金额单位 at the right are two pieces)."""
    if not chars:
        return []
    ordered = sorted(chars, key=lambda c: (c.top + c.bottom) / 2)
    groups: list[list[Char]] = []
    band = (0.0, 0.0)
    for char in ordered:
        middle = (char.top + char.bottom) / 2
        if groups and band[0] <= middle <= band[1]:
            groups[-1].append(char)
        else:
            groups.append([char])
            band = (char.top, char.bottom)
    out: list[Line] = []
    for group in groups:
        group.sort(key=lambda c: c.x0)
        start = 0
        for k in range(1, len(group) + 1 if split else 1):
            if k == len(group) or group[k].x0 - group[k - 1].x1 > 3 * max(group[k].size, 1.0):
                out.append(_line(group[start:k]))
                start = k
        if not split:
            out.append(_line(group))
    return out


def _line(chars: list[Char]) -> Line:
    parts: list[str] = []
    previous: Char | None = None
    for char in chars:
        if previous is not None and _space_between(previous, char):
            parts.append(" ")
        parts.append(char.text)
        previous = char
    return Line(
        "".join(parts),
        chars[0].x0,
        min(c.top for c in chars),
        max(c.x1 for c in chars),
        max(c.bottom for c in chars),
        min(c.score for c in chars),
    )


def _space_between(left: Char, right: Char) -> bool:
    """Chinese has no spaces between characters: a gap next to a CJK character is the
    writer's spacing between scripts, not a space. Between Latin letters and digits a gap
    of a quarter em is a space the writer did not draw as a glyph."""
    if left.text.isspace() or right.text.isspace():
        return False  # the space is printed already
    if _CJK.match(left.text) or _CJK.match(right.text):
        return False
    return right.x0 - left.x1 > 0.25 * max(left.size, right.size, 1.0)
