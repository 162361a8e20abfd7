"""One row of the indicator table → the fields of one indicator.

Step 3 of the pipeline (recognise). Converters shift cells sideways wherever the form
merges cells, so a row is read by *content*, from both ends: the leading cells that
are categories (一级/二级), then — on self-evaluations — the numeric pair 分值/得分 with an
optional note after it, and between them name, target and actual. Columns from the
header are consulted only where content leaves a choice (a missing target, say).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.read.grid import Cell
from jixiao.values import Achievement, Quantity, parse_actual, parse_decimal, parse_target
from jixiao.vocabulary.framework import is_category
from jixiao.vocabulary.labels import SECTION_LABELS, indicator_column
from jixiao.vocabulary.normalise import label_key


@dataclass(slots=True)
class IndicatorParts:
    categories: list[str]  # the label keys of the leading 一级/二级 cells
    name: str | None = None
    target: str | None = None
    actual: str | None = None
    # 分值 and 得分 as read: a row is told by where its numbers are, so they are parsed
    # while it is split, once.
    weight: Decimal | None = None
    score: Decimal | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class HeaderColumns:
    """Roles of the indicator-table columns as the header row printed them."""

    roles: tuple[tuple[int, int, str], ...]  # (first col, last col, role)
    # Columns the standard table does not have (another province's 指标解释 …).
    unknown: tuple[tuple[int, int], ...] = ()
    width: int | None = None  # columns of the header row, where the rendering says

    def is_unknown(self, cell: Cell) -> bool:
        return any(first <= cell.col <= last for first, last in self.unknown)

    def role_at(self, col: int) -> str | None:
        best: str | None = None
        best_col = -1
        for first, last, role in self.roles:
            if first <= col <= last:
                return role
            if first <= col and first > best_col:
                best, best_col = role, first
        return best

    @property
    def has_actual(self) -> bool:
        return any(role == "actual" for _, _, role in self.roles)


def header_columns(
    cells: tuple[Cell, ...], width: int | None = None
) -> tuple[HeaderColumns, list[str]]:
    """The column roles of a header row, and the header texts no role matched."""
    roles: list[tuple[int, int, str]] = []
    unknown: list[tuple[int, int]] = []
    unknown_texts: list[str] = []
    for cell in cells:
        key = label_key(cell.text)
        role = indicator_column(key)
        if role is not None:
            roles.append((cell.col, cell.end_col, role))
        elif key not in SECTION_LABELS:
            unknown.append((cell.col, cell.end_col))
            unknown_texts.append(cell.text)
    return HeaderColumns(tuple(roles), tuple(unknown), width), unknown_texts


def _is_category_key(key: str) -> bool:
    if not is_category(key):
        return False
    # `达成指标` is an achievement grade, not a category.
    return not isinstance(parse_actual(key), Achievement)


def split_indicator_row(
    cells: tuple[Cell, ...], keys: list[str], *, scored: bool, header: HeaderColumns | None
) -> IndicatorParts | None:
    """Assign the cells of one row (`keys`: their label keys); None when the row holds
    no indicator at all."""
    if not SECTION_LABELS.isdisjoint(keys):
        kept = [i for i, k in enumerate(keys) if k not in SECTION_LABELS]
        cells, keys = tuple(cells[i] for i in kept), [keys[i] for i in kept]
    if header is not None and header.unknown:
        kept = [i for i, c in enumerate(cells) if not header.is_unknown(c)]
        cells, keys = tuple(cells[i] for i in kept), [keys[i] for i in kept]
    if not cells:
        return None
    # The fewest cells an indicator row has after its categories: a name, and on a
    # self-evaluation also 分值 and 得分. Categories are only taken while that many remain,
    # so an indicator whose name happens to end in 指标 is not eaten as a category.
    needed = 3 if scored else 1
    taken = 0
    while taken < 2 and len(cells) - taken > needed and _is_category_key(keys[taken]):
        taken += 1
    rest = list(cells[taken:])
    parts = IndicatorParts(categories=keys[:taken])
    if not rest:
        return parts if taken else None
    if scored:
        return _split_scored(rest, parts, header)
    return _split_declared(rest, parts, header)


def _split_scored(
    rest: list[Cell], parts: IndicatorParts, header: HeaderColumns | None
) -> IndicatorParts | None:
    last = parse_decimal(rest[-1].text)
    before = parse_decimal(rest[-2].text) if len(rest) >= 2 else None
    middle: list[Cell]
    if last is not None and before is not None:
        parts.weight, parts.score = before, last
        middle = rest[:-2]
    elif (
        last is None
        and before is not None
        and len(rest) >= 3
        and (weight := parse_decimal(rest[-3].text)) is not None
    ):
        parts.weight, parts.score, parts.note = weight, before, rest[-1].text
        middle = rest[:-3]
    else:
        return _by_columns(rest, parts, header)
    _assign_middle(middle, parts, header, scored=True)
    return parts if parts.name else None


def _split_declared(
    rest: list[Cell], parts: IndicatorParts, header: HeaderColumns | None
) -> IndicatorParts | None:
    if len(rest) == 2:
        parts.name, parts.target = rest[0].text, rest[1].text
        return parts
    if len(rest) > 2 and header is not None and header.roles:
        return _by_columns(rest, parts, header)
    _assign_middle(rest, parts, header, scored=False)
    return parts if parts.name else None


def _assign_middle(
    middle: list[Cell], parts: IndicatorParts, header: HeaderColumns | None, *, scored: bool
) -> None:
    """Name, target and (scored) actual, between the categories and the numbers."""
    want = 3 if scored else 2
    if len(middle) >= want:
        # Extra cells belong to the name: a converter split it (a name is the only
        # free-text cell wide enough to be split).
        cut = len(middle) - (want - 1)
        parts.name = middle[0].text if cut == 1 else " ".join(c.text for c in middle[:cut])
        parts.target = middle[cut].text
        if scored:
            parts.actual = middle[cut + 1].text
        return
    if not middle:
        return
    if len(middle) == 1:
        parts.name = middle[0].text
        return
    # Two cells where three were expected (scored): name and one of target/actual.
    parts.name = middle[0].text
    second = middle[1]
    role = header.role_at(second.col) if header is not None else None
    if role not in ("target", "actual"):
        role = _guess_target_or_actual(second.text)
    if role == "actual":
        parts.actual = second.text
    else:
        parts.target = second.text


def _guess_target_or_actual(text: str) -> str:
    """Whether a lone value reads as an actual (a grade, a bare number) or a target."""
    actual = parse_actual(text)
    if isinstance(actual, Achievement):
        return "actual"
    target = parse_target(text)
    if isinstance(target, Quantity) and target.op is None:
        return "actual"
    return "target"


def _by_columns(
    rest: list[Cell], parts: IndicatorParts, header: HeaderColumns | None
) -> IndicatorParts | None:
    """Fallback: assign each cell by the header column it sits under."""
    if header is None or not header.roles:
        return None
    assigned: dict[str, list[str]] = {}
    for cell in rest:
        role = header.role_at(cell.col)
        if role is None or role in ("level1", "level2"):
            role = "name" if "name" not in assigned else None
        if role is None:
            continue
        assigned.setdefault(role, []).append(cell.text)
    if "name" not in assigned:
        return None
    parts.name = " ".join(assigned["name"])
    for role in ("target", "actual", "note"):
        if role in assigned:
            setattr(parts, role, " ".join(assigned[role]))
    for role in ("weight", "score"):
        if role in assigned:
            number = parse_decimal(" ".join(assigned[role]))
            if number is None:
                return None
            setattr(parts, role, number)
    return parts
