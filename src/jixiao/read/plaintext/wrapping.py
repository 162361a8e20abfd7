"""Wrapped cells: column widths, and the fragments between two rows given to their cells.

The step of the self-evaluation row reader that plain text cannot settle by grammar
alone. The state machine observes the widths of the name and note columns across the
document (`observe_name_width`, `Widths`); between two anchored rows, `distribute` gives
the printed fragments to the earlier row's note or to this row, and `fill_slots` assigns
them to the row's empty name/target/actual cells, with the value grammar and the widths
telling a wrapped line from a new cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.read.plaintext.fragments import FRAGMENT_PREFIXES
from jixiao.read.plaintext.lines import (
    OP_ONLY,
    UNIT_ONLY,
    Line,
    ends_numeric,
    line_anchor,
    looks_like_value,
    merge_tokens,
)
from jixiao.read.plaintext.rows import PendingRow
from jixiao.read.text import join_lines
from jixiao.vocabulary.normalise import label_key
from jixiao.vocabulary.width import display_width


@dataclass(frozen=True, slots=True)
class Widths:
    """Column widths (in em) seen in the document, for telling wrapped lines apart."""

    name: float = 14.0
    note: float = 8.0


def observe_name_width(width: float, line: Line) -> float:
    """The widest name line seen: a name line that wide was wrapped."""
    tokens = line.tokens
    at = line_anchor(line)
    if at is not None:
        if at >= 3:
            width = max(width, display_width(" ".join(tokens[: at - 2])))
        return width
    text = line.text.strip()
    if len(tokens) == 1 and label_key(text) not in FRAGMENT_PREFIXES and not looks_like_value(text):
        width = max(width, display_width(text))
    return width


def _slots_needed(row: PendingRow) -> list[str]:
    """The cells of name/target/actual the anchor line did not print."""
    tokens = row.tokens or []
    if len(tokens) >= 3:
        return []
    if len(tokens) == 2:
        # `target actual` (the name is before) or `X actual`, X a name or a target's tail.
        return ["name"]
    if len(tokens) == 1:
        return ["name", "target"]
    return ["name", "target", "actual"]


def distribute(
    loose: list[tuple[int, str]],
    previous: PendingRow | None,
    row: PendingRow,
    widths: Widths,
) -> None:
    """Give the fragments between two anchors to the earlier row's note or this row.

    This row keeps the fragments it needs (nearest to its anchor); of the others, those
    that fit the note column continue the earlier row's note while it is still open.
    """
    fragments = rejoin_lines([text for _, text in loose])
    # Keep, nearest the anchor, as many lines as hold the cells this row still needs (a
    # line may hold several single-line cells joined by spaces).
    needed = len(_slots_needed(row))
    extra = len(fragments)
    cells = 0
    while extra > 0 and cells < needed:
        extra -= 1
        cells += len(_merge_wrapped([fragments[extra]]))
    taken = 0
    if previous is not None:
        while taken < extra and _continues_note(previous, fragments[taken], widths):
            previous.note.append(fragments[taken])
            taken += 1
    row.fragments = _merge_wrapped(fragments[taken:])


def _continues_note(row: PendingRow, fragment: str, widths: Widths) -> bool:
    """A line can belong to the note column above it: it is no wider than the column,
    is not a value, and the note printed so far was cut at the column's edge (or was
    printed wholly on lines of its own)."""
    if looks_like_value(fragment) or display_width(fragment) > widths.note + 0.5:
        return False
    if not row.note:
        return True
    # Only a line that reached the column's edge can go on; a sentence end at the edge
    # (`减少印刷量；`) may still go on, a short line is the note's last.
    return display_width(row.note[-1]) >= widths.note - 1.0


def fill_slots(row: PendingRow, widths: Widths) -> None:
    name_width = widths.name
    tokens = row.tokens or []
    fragments = row.fragments
    slots: dict[str, str | None] = {"name": None, "target": None, "actual": None}
    if len(tokens) >= 3:
        # The whole row on one line. Fragments before it are the start of a wrapped
        # name when as wide as the name column, else note lines printed above the row.
        slots["actual"] = tokens[-1]
        slots["target"] = tokens[-2]
        name_parts = [f for f in fragments if display_width(f) >= 0.9 * widths.name]
        above = [f for f in fragments if f not in name_parts]
        slots["name"] = join_lines([*name_parts, " ".join(tokens[:-2])])
        row.note[:0] = above
    elif len(tokens) == 2:
        if looks_like_value(tokens[0]):
            slots["target"], slots["actual"] = tokens[0], tokens[1]
            slots["name"] = join_lines(fragments) or None
        else:
            # `X actual`: X is the name when nothing came before it, else the target
            # (or the last line of a wrapped one) after the name.
            slots["actual"] = tokens[1]
            if fragments:
                slots["name"], slots["target"] = _name_and_target(
                    [*fragments, tokens[0]], name_width
                )
            else:
                slots["name"] = tokens[0]
    else:
        if len(tokens) == 1:
            slots["actual"] = tokens[0]
            name, target = _name_and_target(fragments, name_width)
        else:
            values = [f for f in fragments if looks_like_value(f)]
            if values:
                slots["actual"] = values[-1]
                fragments = fragments[: fragments.index(values[-1])]
            name, target = _name_and_target(fragments, name_width)
        slots["name"], slots["target"] = name, target
    row.slots = slots


def _merge_wrapped(lines: list[str]) -> list[str]:
    """Lines printed between two anchors → cells.

    A line may hold several single-line cells joined by spaces; a wrapped cell spans
    lines. Rejoined: a value or name wrapped inside its brackets (`=300.00(元/` + `人)`),
    a lone unit (`(人)`), a lone operator (`≥`), an achievement grade wrapped mid-phrase
    (`部分达成指标` + `并具有一定效` + `果`).
    """
    out: list[str] = []
    for token in (t for line in lines for t in merge_tokens(line.split())):
        if out and (
            _unbalanced(out[-1])
            or (UNIT_ONLY.match(token) and ends_numeric(out[-1]))
            or OP_ONLY.match(out[-1])
            or _continues_grade(out[-1], token)
        ):
            joiner = " " if OP_ONLY.match(out[-1]) else ""
            out[-1] = f"{out[-1]}{joiner}{token}"
        else:
            out.append(token)
    return out


_VALUE_START = re.compile(r"^(?:[=＝≥≤><＞＜≧≦]|>=|<=)?\s*[+-]?\d")


def rejoin_lines(lines: list[str]) -> list[str]:
    """Whole lines, with a value wrapped inside its unit's brackets (`=10000.00(份` + `)`)
    or a wrapped grade joined to the next. Prose (a note) keeps its lines: their widths
    tell where the note column ends."""
    out: list[str] = []
    for line in lines:
        if out and (
            (_unbalanced(out[-1]) and _VALUE_START.match(out[-1]))
            or _continues_grade(out[-1], line)
        ):
            out[-1] += line
        else:
            out.append(line)
    return out


# The printed achievement grades, so that a wrapped one is put back together.
_GRADE_PHRASES = (
    "达成指标",
    "达成预期指标",
    "部分达成指标并具有一定效果",
    "未达成指标且效果较差",
)


def _continues_grade(previous: str, token: str) -> bool:
    joined = previous + token
    return any(p.startswith(joined) and p != previous for p in _GRADE_PHRASES) and any(
        p.startswith(previous) for p in _GRADE_PHRASES
    )


def _unbalanced(text: str) -> bool:
    opened = text.count("(") + text.count("（")
    closed = text.count(")") + text.count("）")
    return opened > closed


def _name_and_target(fragments: list[str], name_width: float) -> tuple[str | None, str | None]:
    """Fragments printed before the row's anchor: a name, then a target.

    A name line as wide as the name column was wrapped and goes on in the next fragment;
    otherwise the name is one fragment and the rest is the (wrapped) target.
    """
    if not fragments:
        return None, None
    if len(fragments) == 1:
        return fragments[0], None
    values = [i for i, f in enumerate(fragments) if looks_like_value(f)]
    if values:
        first_value = values[0]
        if first_value > 0:
            return join_lines(fragments[:first_value]), join_lines(fragments[first_value:])
    cut = 1
    while cut < len(fragments) - 1 and display_width(fragments[cut - 1]) >= 0.9 * name_width:
        cut += 1
    return join_lines(fragments[:cut]), join_lines(fragments[cut:])
