"""Self-evaluation indicator rows, each anchored on its one 分值/得分 pair.

The step the state machine runs on a self-evaluation's indicator table once the document
is read (the column widths are then known). Every indicator row prints exactly one
分值/得分 pair, which anchors it; category labels between rows are hard boundaries, and
the fragments printed before an anchor go to the row above's note or to this row's
empty cells (`jixiao.read.plaintext.wrapping`).
"""

from __future__ import annotations

from typing import Final

from jixiao.read.plaintext.fragments import (
    NOT_A_FRAGMENT,
    LabelFragment,
    LabelState,
    category_fragment,
    complete_buffer,
)
from jixiao.read.plaintext.lines import OP_ONLY, Line, line_anchor, merge_tokens
from jixiao.read.plaintext.rows import PendingRow
from jixiao.read.plaintext.wrapping import Widths, distribute, fill_slots, rejoin_lines
from jixiao.values import is_number

# A finished label, or the late tail of one, ends the loose lines before it. (A module
# constant: reading an enum member costs about 0.1 µs on Python 3.11.)
_ENDS_LOOSE_LINES: Final = (LabelFragment.LABEL, LabelFragment.TAIL)


def read_scored_rows(lines: list[Line], widths: Widths) -> list[PendingRow]:
    """Self-evaluation rows: anchored on the 分值/得分 pair each row has once."""
    labels = LabelState()
    rows: list[PendingRow] = []
    pending_categories: list[str] = []
    loose: list[tuple[int, str]] = []  # content fragments not yet given to a row
    # Where a category label came among the loose lines: a group's labels print before
    # its first row, so what came before belongs to the row above.
    boundary: int | None = None
    lines = _join_split_numbers(lines)
    for line in lines:
        text = line.text.strip()
        what, categories = category_fragment(labels, text)
        if what is not NOT_A_FRAGMENT:
            pending_categories.extend(categories)
            if what in _ENDS_LOOSE_LINES and boundary is None:
                boundary = len(loose)
            continue
        categories, content = complete_buffer(labels)
        if categories and boundary is None:
            boundary = len(loose)
        pending_categories.extend(categories)
        loose.extend((line.number, t) for t in content)
        raw = line.tokens
        at = line_anchor(line)
        if at is None:
            loose.append((line.number, text))
            continue
        row = PendingRow(line=line.number)
        row.tokens = _prefix_cells(raw[:at])
        tokens = raw
        row.weight, row.score = tokens[at], tokens[at + 1]
        note = " ".join(tokens[at + 2 :])
        if note:
            row.note.append(note)
        previous = rows[-1] if rows else None
        if boundary is not None and previous is not None:
            previous.note.extend(rejoin_lines([text for _, text in loose[:boundary]]))
            loose = loose[boundary:]
        distribute(loose, previous if boundary is None else None, row, widths)
        loose = []
        boundary = None
        row.categories = pending_categories
        pending_categories = []
        rows.append(row)
    _, content = complete_buffer(labels)
    loose.extend((0, t) for t in content)
    if loose and rows:
        rows[-1].note.extend(rejoin_lines([text for _, text in loose]))
    for row in rows:
        fill_slots(row, widths)
    return rows


def _prefix_cells(tokens: list[str]) -> list[str]:
    """The cells before 分值 on an anchor line. `≥ 160000.00(元)` is one target, but in
    `推送简历数量 ≥ 5000.00(人)` the lone `≥` is the target and the number the actual: the
    operator joins its number only where the row would otherwise have too many cells."""
    merged = merge_tokens(tokens)
    if len(tokens) == 3 and len(merged) == 2 and OP_ONLY.match(tokens[1]):
        return tokens
    return merged


def _join_split_numbers(lines: list[Line]) -> list[Line]:
    """`6.00` and `5.00` printed as two lines are one 分值/得分 pair."""
    out: list[Line] = []
    for line in lines:
        tokens = line.tokens
        if (
            out
            and len(out[-1].tokens) == 1
            and tokens
            and is_number(out[-1].tokens[0])
            and is_number(tokens[0])
        ):
            out[-1] = Line(out[-1].number, f"{out[-1].text.strip()} {line.text.strip()}")
            continue
        out.append(line)
    return out
