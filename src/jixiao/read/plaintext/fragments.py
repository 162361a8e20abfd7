"""Labels printed vertically or across lines, reassembled from their fragments.

A step shared by the state machine and both row readers: pdftotext breaks a vertical
label (产出/指标, 项目/资金) into short lines of a few characters. The vocabulary of such
labels, with every prefix of them, tells a fragment from content; `category_fragment`
and `complete_buffer` read the category labels (一级/二级指标) among indicator rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from jixiao.vocabulary.framework import CATEGORY_VOCABULARY
from jixiao.vocabulary.labels import SECTION_LABELS
from jixiao.vocabulary.normalise import label_key

# Labels printed vertically or across lines, which arrive as fragments.
FRAGMENT_LABELS: frozenset[str] = (
    CATEGORY_VOCABULARY
    | SECTION_LABELS
    | frozenset(
        {
            "一级指标",
            "二级指标",
            "偏差原因分析及改进措施",
            "项目资金",
            "年度资金总额",
            "其中:当年财政拨款",
            "上年结转资金",
            "其他资金",
        }
    )
)
FRAGMENT_PREFIXES: frozenset[str] = frozenset(
    label[:i] for label in FRAGMENT_LABELS for i in range(1, len(label) + 1)
)
# Labels no longer label starts with: once read, nothing more can belong to them.
COMPLETE_LABELS: frozenset[str] = frozenset(
    label
    for label in FRAGMENT_LABELS
    if not any(other != label and other.startswith(label) for other in FRAGMENT_LABELS)
)
MAX_FRAGMENT = 6  # a vertical label line holds a few characters


class LabelFragment(StrEnum):
    """What a line was to the category buffer."""

    NONE = "none"  # not a label fragment
    BUFFERED = "buffered"  # a label has begun
    LABEL = "label"  # labels finished, given back
    TAIL = "tail"  # the late tail of a label completed earlier, dropped


# Most lines are no label fragment, and the row readers test every line: the member as
# a module constant, since reading `LabelFragment.NONE` costs about 0.1 µs on Python 3.11.
NOT_A_FRAGMENT: Final = LabelFragment.NONE


@dataclass(slots=True)
class LabelState:
    buffer: list[str] = field(default_factory=list)  # the lines of a label being read
    discard: str | None = None  # the tail of a label completed early, dropped when it comes


def category_fragment(state: LabelState, text: str) -> tuple[LabelFragment, list[str]]:
    """Feed a line to the category buffer.

    Returns what the line was — `NONE` (not a label fragment), `BUFFERED` (a label has
    begun), `LABEL` (labels finished, given back) or `TAIL` (the late tail of a label
    completed earlier, dropped) — with the finished categories.
    """
    key = label_key(text)
    if " " in text.strip() or len(key) > MAX_FRAGMENT or not key:
        return NOT_A_FRAGMENT, []
    if state.discard is not None and key == state.discard:
        state.discard = None
        return LabelFragment.TAIL, []
    joined = "".join([*map(label_key, state.buffer), key]) if state.buffer else key
    if joined not in FRAGMENT_PREFIXES:
        return NOT_A_FRAGMENT, []
    state.buffer.append(text)
    if joined in COMPLETE_LABELS:
        state.buffer = []
        # Section labels and the table's own column headers (一级指标, repeated at the
        # top of a page) end what came before, but are no categories.
        return LabelFragment.LABEL, ([joined] if joined in CATEGORY_VOCABULARY else [])
    return LabelFragment.BUFFERED, []


def complete_buffer(state: LabelState) -> tuple[list[str], list[str]]:
    """A content line arrived while a label was half read: complete it if the vocabulary
    allows only one completion (its tail may still come later, and is then dropped).

    Returns the finished categories, and the buffered lines that turned out to be
    content after all.
    """
    if not state.buffer:
        return [], []
    lines, state.buffer = state.buffer, []
    joined = "".join(label_key(t) for t in lines)
    if joined in FRAGMENT_LABELS:
        return ([joined] if joined in CATEGORY_VOCABULARY else []), []
    completions = [label for label in FRAGMENT_LABELS if label.startswith(joined)]
    # One short fragment (`数量`, `质量`) is as likely a wrapped name or note as the
    # start of a label: only a label broken over several fragments is completed.
    if len(completions) == 1 and len(lines) >= 2:
        state.discard = completions[0][len(joined) :]
        label = completions[0]
        return ([label] if label in CATEGORY_VOCABULARY else []), []
    return [], lines
