"""Declaration indicator rows: `name target` on a line, or a row broken over lines.

The step the state machine runs on a declaration's indicator table once the document is
read. A declaration has no 分值/得分 pair to anchor a row, so its lines are told apart
by width against the name and target columns.
"""

from __future__ import annotations

from jixiao.read.plaintext.fragments import (
    NOT_A_FRAGMENT,
    LabelState,
    category_fragment,
    complete_buffer,
)
from jixiao.read.plaintext.lines import Line, merge_tokens
from jixiao.read.plaintext.rows import PendingRow
from jixiao.read.text import join_lines
from jixiao.vocabulary.framework import CATEGORY_VOCABULARY
from jixiao.vocabulary.normalise import label_key
from jixiao.vocabulary.width import display_width


def read_declaration_rows(lines: list[Line], name_width: float) -> list[PendingRow]:
    """Declaration rows: `name target` on a line, or a row broken over lines.

    There is no numeric anchor, so lines are told apart by width: a line nearer the name
    column's width than the target column's is a name (or the start of a wrapped one); a
    narrower lone line is a target, or the rest of the target above it.
    """
    labels = LabelState()
    rows: list[PendingRow] = []
    pending_categories: list[str] = []
    pending_name: list[str] = []
    last_target_line = ""
    target_width = max(
        (display_width(tokens[-1]) for ln in lines if len(tokens := merge_tokens(ln.tokens)) >= 2),
        default=8.0,
    )

    def start_row(line: int, name: str, target: str | None) -> None:
        nonlocal pending_categories
        row = PendingRow(line=line, categories=pending_categories)
        row.slots = {"name": name, "target": target, "actual": None}
        rows.append(row)
        pending_categories = []

    for line in lines:
        text = line.text.strip()
        what, categories = category_fragment(labels, text)
        if what is not NOT_A_FRAGMENT:
            pending_categories.extend(categories)
            continue
        finished, content = complete_buffer(labels)
        pending_categories.extend(finished)
        tokens = [*content, *merge_tokens(line.tokens)]
        # Leading categories printed on the row's own line (wide label columns).
        while len(tokens) > 2 and label_key(tokens[0]) in CATEGORY_VOCABULARY:
            pending_categories.append(tokens.pop(0))
        if len(tokens) >= 2:
            start_row(line.number, join_lines([*pending_name, " ".join(tokens[:-1])]), tokens[-1])
            pending_name = []
            last_target_line = tokens[-1]
            continue
        width = display_width(text)
        if pending_name and display_width(pending_name[-1]) >= 0.9 * name_width:
            pending_name.append(text)  # the name line above reached the edge: it goes on
        elif pending_name:
            start_row(line.number, join_lines(pending_name), text)
            pending_name = []
            last_target_line = text
        elif (
            rows
            and width <= (target_width + name_width) / 2
            and display_width(last_target_line) >= target_width - 1.0
        ):
            # The target above reached its column's edge: this is the rest of it.
            slots = rows[-1].slots
            slots["target"] = join_lines([slots.get("target") or "", text])
            last_target_line = text
        else:
            pending_name.append(text)  # a name printed alone: its target follows
    if pending_name:
        start_row(lines[-1].number if lines else 0, join_lines(pending_name), None)
    return rows
