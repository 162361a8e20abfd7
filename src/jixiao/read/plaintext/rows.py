"""The indicator row being rebuilt, and its emission as a Grid row in canonical columns.

The last step of the plain-text reader: the row readers (`scored_rows`,
`declaration_rows`) collect each indicator row's content in a `PendingRow`;
`indicator_row` places it in the canonical columns the recogniser reads, the same
columns the table readers emit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.read.grid import Row, text_cell
from jixiao.read.text import join_lines
from jixiao.vocabulary.framework import is_level1_name
from jixiao.vocabulary.normalise import label_key

# Canonical columns of the rebuilt indicator table.
COLUMNS = ("level1", "level2", "name", "target", "actual", "weight", "score", "note")
COL = {name: i for i, name in enumerate(COLUMNS)}
HEADER_TEXT = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "target": "年度指标值",
    "actual": "实际完成值",
    "weight": "分值",
    "score": "得分",
    "note": "偏差原因分析及改进措施",
}


@dataclass(slots=True)
class PendingRow:
    """The content of one indicator row while its fragments are collected."""

    line: int
    categories: list[str] = field(default_factory=list)
    fragments: list[str] = field(default_factory=list)
    tokens: list[str] | None = None  # the anchor line's tokens before 分值
    weight: str | None = None
    score: str | None = None
    note: list[str] = field(default_factory=list)
    # name/target/actual once assigned
    slots: dict[str, str | None] = field(default_factory=dict)


def indicator_row(row: PendingRow) -> Row | None:
    texts: list[str] = []
    cols: list[int] = []
    for i, category in enumerate(row.categories[-2:]):
        texts.append(category)
        cols.append(i if len(row.categories) > 1 else _level_col(category))
    values = {**row.slots, "weight": row.weight, "score": row.score}
    for role in ("name", "target", "actual", "weight", "score"):
        value = values.get(role)
        if value:
            texts.append(value)
            cols.append(COL[role])
    if row.note:
        texts.append(join_lines(row.note))
        cols.append(COL["note"])
    cells = tuple(
        [text_cell(t, c, row.line) for t, c in zip(texts, cols, strict=True) if t.strip()]
    )
    return Row(cells=cells, line=row.line) if cells else None


def _level_col(category: str) -> int:
    return COL["level1"] if is_level1_name(label_key(category)) else COL["level2"]
