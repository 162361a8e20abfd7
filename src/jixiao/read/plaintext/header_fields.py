"""Header and funds lines split at their printed labels.

The step the state machine runs on each line above the goals block: pdftotext joins the
cells of a row that share a baseline with a space, so `项目名称 X 项目性质 Y` is cut back
into label and value cells at the labels the vocabulary knows.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jixiao.vocabulary.labels import (
    EXTRA_LABELS,
    HEADER_LABELS,
    declaration_funds_label,
    header_field,
)


def is_field_label(key: str) -> bool:
    return header_field(key) is not None or declaration_funds_label(key) is not None


_DECLARATION_FUNDS_LABELS = (
    "项目资金总额",
    "年度资金申请总额",
    "其中:财政资金",
    "其中：财政资金",
    "其中: 财政资金",
    "其中：当年财政拨款",
    "其中:当年财政拨款",
    "其中: 当年财政拨款",
    "上年结转资金",
    "其他资金",
)


@lru_cache(maxsize=2)
def _label_pattern(declaration: bool) -> re.Pattern[str]:
    labels = [*HEADER_LABELS, *EXTRA_LABELS]
    if declaration:
        # The declaration funds block is label/value pairs like the header; on a
        # self-evaluation the same words head rows of amounts instead.
        labels += _DECLARATION_FUNDS_LABELS
    alternatives = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    return re.compile(rf"({alternatives})\s*[:：]?")


def split_at_labels(text: str, *, declaration: bool) -> list[str] | None:
    """`项目名称 X 项目性质 Y` → [项目名称, X, 项目性质, Y]; None without a leading label."""
    stripped = text.strip()
    pattern = _label_pattern(declaration)
    match = pattern.match(stripped)
    if match is None:
        return None
    cells: list[str] = []
    position = 0
    for m in pattern.finditer(stripped):
        before = stripped[position : m.start()].strip()
        if before:
            cells.append(before)
        cells.append(m.group(0).strip())
        position = m.end()
    rest = stripped[position:].strip()
    if rest:
        cells.append(rest)
    return cells
