"""What the defects changed in a synthetic form, cell by cell: for reading a miss.

Part of the demo, for developers: `jixiao.demo.measure` keeps these lines with each miss
and false alarm, so that `benchmarks/review.py` can say which cell a defect changed
(「indicator 3 「系统故障平均恢复时长」 level2: 时效指标 → 质量指标」) beside what the review found.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields

from jixiao.model import Declaration, Form, FundsRow, Indicator, SelfEvaluation

Record = SelfEvaluation | Declaration | FundsRow | Indicator
# Not printed cells, or records described on their own (funds rows, indicators).
_SKIPPED = frozenset({"source", "field_lines", "extra", "funds", "indicators"})


def _cells(before: Record, after: Record) -> Iterator[str]:
    for f in fields(before):
        if f.name in _SKIPPED or not f.init:
            continue
        old, new = getattr(before, f.name), getattr(after, f.name)
        if old != new:
            yield f"{f.name}: {old} → {new}"


def changes(before: Form, after: Form) -> Iterator[str]:
    """What differs between a form and its spoiled copy: texts, totals, funds, indicators."""
    yield from _cells(before, after)
    for f in fields(before.funds):
        old, new = getattr(before.funds, f.name), getattr(after.funds, f.name)
        if isinstance(old, FundsRow):
            yield from (f"funds.{f.name}.{change}" for change in _cells(old, new))
        elif old != new:
            yield f"funds.{f.name}: {old} → {new}"
    yield from _indicator_changes(before.indicators, after.indicators)


def _indicator_changes(
    before: tuple[Indicator, ...], after: tuple[Indicator, ...]
) -> Iterator[str]:
    if len(before) != len(after):
        kept = {(i.level1, i.name) for i in after}
        for ind in before:
            if (ind.level1, ind.name) not in kept:
                yield f"indicator removed: {ind.level1}/{ind.level2}「{ind.name}」"
        return
    for position, (old, new) in enumerate(zip(before, after, strict=True), start=1):
        yield from (f"indicator {position} 「{old.name}」 {c}" for c in _cells(old, new))
