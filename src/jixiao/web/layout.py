"""The form page's layout (presentation step): where each row and finding goes.

The page draws the official table; this module decides, without any HTML, which merged
一级/二级 cells span which rows, and at which row or field each finding is shown:

- a finding about an indicator goes under that indicator's row;
- a finding about a field (`funds.total.rate`, `goal_actual`, `total_score` …) goes
  under the row that prints the field;
- the rest go to a box above the table ("整张表单").

A row followed by findings takes two table rows, and the merged cells span both, so the
findings sit inside the indicator block, right under the row they are about.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from jixiao.model import DECLARATION_FUNDS, DECLARATION_FUNDS_LABELS, FUNDS_ROW_LABELS, FUNDS_ROWS
from jixiao.store.tables import FindingRow, FundsLine, IndicatorRow

HEADER_FIELDS = frozenset(
    {"project", "department", "unit", "year", "nature", "category", "start", "end", "funds_unit"}
)
GOAL_FIELDS = frozenset({"goal_expected", "goal_actual", "goal_overall", "goal_annual"})
TOTAL_FIELDS = frozenset({"total_score", "total_weight", "total"})
GRADE_FIELDS = frozenset({"grade"})

Place = tuple[str, str | int | None]


def place_of(finding: FindingRow) -> Place:
    """Where a finding is shown: ("indicator", id), ("funds", row), ("header", None) …"""
    if finding.indicator_id is not None:
        return ("indicator", finding.indicator_id)
    name = (finding.field or "").strip()
    head = name.split(".", 1)[0].split("[", 1)[0]
    if head == "funds":
        parts = name.split(".")
        row = parts[1] if len(parts) > 1 else "total"
        return ("funds", row)
    if head in ("indicators", "indicator"):
        return ("indicators", None)
    if head in HEADER_FIELDS:
        return ("header", None)
    if head in GOAL_FIELDS or head == "goal":
        return ("goals", None)
    if head in TOTAL_FIELDS:
        return ("total", None)
    if head in GRADE_FIELDS:
        return ("grade", None)
    return ("form", None)


@dataclass(slots=True)
class IndicatorLine:
    row: IndicatorRow
    level1_span: int  # table rows the 一级 cell spans; 0 when an earlier row's cell covers it
    level2_span: int
    findings: list[FindingRow]


@dataclass(slots=True)
class FundsEntry:
    name: str
    label: str
    line: FundsLine | None
    findings: list[FindingRow]


@dataclass(slots=True)
class FormLayout:
    indicators: list[IndicatorLine]
    funds: list[FundsEntry]
    by_place: dict[Place, list[FindingRow]] = field(default_factory=dict)

    def at(self, where: str, key: str | int | None = None) -> list[FindingRow]:
        return self.by_place.get((where, key), [])

    @property
    def funds_rows(self) -> int:
        """Table rows of the amounts block (rows plus their finding rows)."""
        return sum(1 + (1 if e.findings else 0) for e in self.funds)

    @property
    def indicator_rows(self) -> int:
        """Table rows of the indicator block (rows plus their finding rows)."""
        return sum(1 + (1 if line.findings else 0) for line in self.indicators)

    @property
    def funds_findings(self) -> list[FindingRow]:
        return [f for entry in self.funds for f in entry.findings]

    def entry(self, name: str) -> FundsEntry:
        return next(e for e in self.funds if e.name == name)


def lay_out(
    kind: str,
    indicators: list[IndicatorRow],
    funds: list[FundsLine],
    findings: list[FindingRow],
) -> FormLayout:
    by_place: dict[Place, list[FindingRow]] = defaultdict(list)
    known_indicators = {ind.id for ind in indicators}
    for finding in sorted(findings, key=lambda f: (_severity_rank(f.severity), f.id)):
        place = place_of(finding)
        if place[0] == "indicator" and place[1] not in known_indicators:
            place = ("indicators", None)
        by_place[place].append(finding)
    lines = _indicator_lines(indicators, by_place)
    names, labels = (
        (FUNDS_ROWS, FUNDS_ROW_LABELS)
        if kind == "self_evaluation"
        else (DECLARATION_FUNDS, DECLARATION_FUNDS_LABELS)
    )
    stored = {line.line: line for line in funds}
    entries = [
        FundsEntry(name, labels[name], stored.get(name), by_place.get(("funds", name), []))
        for name in names
    ]
    # Findings about a funds row the form does not have still need a place.
    for (where, key), found in list(by_place.items()):
        if where == "funds" and key not in names:
            by_place[("form", None)].extend(found)
    return FormLayout(lines, entries, dict(by_place))


def _severity_rank(severity: str) -> int:
    return {"error": 0, "warning": 1, "info": 2}.get(severity, 3)


def _indicator_lines(
    indicators: list[IndicatorRow], by_place: dict[Place, list[FindingRow]]
) -> list[IndicatorLine]:
    lines = [
        IndicatorLine(ind, 0, 0, list(by_place.get(("indicator", ind.id), [])))
        for ind in indicators
    ]
    heights = [1 + (1 if line.findings else 0) for line in lines]
    start1 = start2 = 0
    for i in range(1, len(lines) + 1):
        row = lines[i].row if i < len(lines) else None
        prev = lines[i - 1].row
        new_level1 = row is None or row.level1 != prev.level1
        if new_level1 or row is None or row.level2 != prev.level2:
            lines[start2].level2_span = sum(heights[start2:i])
            start2 = i
        if new_level1:
            lines[start1].level1_span = sum(heights[start1:i])
            start1 = i
    return lines
