"""The forms as immutable records: the core of the pipeline.

Every reader ends here and every later step (scoring, review, storage, web, export) starts
here. The records hold what the form *prints*: amounts are `Decimal` exactly as printed
(rounding lives in `scoring`), texts are as printed, and each parsed record carries a
`Source` so that a finding can point at the place it came from.

Two kinds of form exist:
- `SelfEvaluation` (财政项目支出绩效自评表), scored after the year;
- `Declaration` (财政项目支出绩效目标申报表), the targets declared before the year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar, Literal

from jixiao.values import Value, parse_actual, parse_target

FormKind = Literal["self_evaluation", "declaration"]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record was read: a file and, as far as the rendering tells, a place in it.

    `line` is 1-based in text renderings; `page` is 1-based in PDFs; `cell` names a
    spreadsheet or grid cell (`"B12"`, `"R3C4"`).
    """

    file: str
    line: int | None = None
    page: int | None = None
    cell: str | None = None

    def __str__(self) -> str:
        place = self.file
        if self.page is not None:
            place += f":p{self.page}"
        if self.line is not None:
            place += f":{self.line}"
        if self.cell is not None:
            place += f":{self.cell}"
        return place


UNKNOWN_SOURCE = Source(file="<unknown>")


@dataclass(frozen=True, slots=True)
class Indicator:
    """One 三级指标 row, with its 一级/二级 categories repeated as printed.

    `actual`, `score` and `note` exist on self-evaluations only; on declarations they
    are `None`. `target_value` / `actual_value` are the parse of the printed texts.
    """

    level1: str
    level2: str
    name: str
    target: str | None
    actual: str | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    note: str | None = None
    source: Source = UNKNOWN_SOURCE
    target_value: Value = field(init=False, compare=False, repr=False)
    actual_value: Value = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Frozen records still parse once, at construction: the parse is a pure
        # function of the printed text, so storing it cannot go stale.
        object.__setattr__(self, "target_value", parse_target(self.target))
        object.__setattr__(self, "actual_value", parse_actual(self.actual))


@dataclass(frozen=True, slots=True)
class FundsRow:
    """One row of the 项目资金 block of a self-evaluation (amounts in the form's unit)."""

    initial: Decimal | None = None  # 年初预算数
    adjusted: Decimal | None = None  # 全年预算数
    executed: Decimal | None = None  # 全年执行数
    weight: Decimal | None = None  # 分值/分数
    rate: Decimal | None = None  # 执行率(%) as printed
    score: Decimal | None = None  # 得分
    source: Source | None = field(default=None, compare=False)

    def is_empty(self) -> bool:
        return all(
            v is None
            for v in (
                self.initial,
                self.adjusted,
                self.executed,
                self.weight,
                self.rate,
                self.score,
            )
        )


FUNDS_ROWS = ("total", "appropriation", "carryover", "other")
FUNDS_ROW_LABELS = {
    "total": "年度资金总额",
    "appropriation": "当年财政拨款",
    "carryover": "上年结转资金",
    "other": "其他资金",
}


@dataclass(frozen=True, slots=True)
class SelfEvaluationFunds:
    total: FundsRow = FundsRow()
    appropriation: FundsRow = FundsRow()
    carryover: FundsRow = FundsRow()
    other: FundsRow = FundsRow()

    def row(self, name: str) -> FundsRow:
        row: FundsRow = getattr(self, name)
        return row


DECLARATION_FUNDS = (
    "project_total",
    "project_fiscal",
    "project_other",
    "annual_total",
    "annual_appropriation",
    "annual_carryover",
    "annual_other",
)
DECLARATION_FUNDS_LABELS = {
    "project_total": "项目资金总额",
    "project_fiscal": "其中：财政资金",
    "project_other": "其他资金",
    "annual_total": "年度资金申请总额",
    "annual_appropriation": "其中：当年财政拨款",
    "annual_carryover": "上年结转资金",
    "annual_other": "其他资金",
}


@dataclass(frozen=True, slots=True)
class DeclarationFunds:
    project_total: Decimal | None = None  # 项目资金总额
    project_fiscal: Decimal | None = None  # 其中：财政资金
    project_other: Decimal | None = None  # 其他资金
    annual_total: Decimal | None = None  # 年度资金申请总额
    annual_appropriation: Decimal | None = None  # 其中：当年财政拨款
    annual_carryover: Decimal | None = None  # 上年结转资金
    annual_other: Decimal | None = None  # 其他资金

    def amount(self, name: str) -> Decimal | None:
        value: Decimal | None = getattr(self, name)
        return value


@dataclass(frozen=True, slots=True)
class SelfEvaluation:
    """财政项目支出绩效自评表."""

    kind: ClassVar[FormKind] = "self_evaluation"

    year: int | None
    project: str
    department: str | None = None
    unit: str | None = None
    funds_unit: str = "万元"
    funds: SelfEvaluationFunds = SelfEvaluationFunds()
    goal_expected: str | None = None
    goal_actual: str | None = None
    indicators: tuple[Indicator, ...] = ()
    total_weight: Decimal | None = None
    total_score: Decimal | None = None
    grade: str | None = None
    source: Source = UNKNOWN_SOURCE
    # Labelled fields the form printed beyond the standard ones (项目负责人 …),
    # kept so that reading loses nothing.
    extra: tuple[tuple[str, str], ...] = ()
    # The line each field was printed on (`total_score`, `grade`, `goal_actual` …), so a
    # finding about a field points at its row, not at the form's title.
    field_lines: tuple[tuple[str, int], ...] = field(default=(), compare=False)

    def line_of(self, name: str) -> int | None:
        return _line_of(self.field_lines, name)


@dataclass(frozen=True, slots=True)
class Declaration:
    """财政项目支出绩效目标申报表."""

    kind: ClassVar[FormKind] = "declaration"

    year: int | None
    project: str
    nature: str | None = None  # 项目性质
    category: str | None = None  # 项目类别
    department: str | None = None
    unit: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    funds_unit: str = "元"
    funds: DeclarationFunds = DeclarationFunds()
    goal_overall: str | None = None  # 项目总目标
    goal_annual: str | None = None  # 年度总体目标
    indicators: tuple[Indicator, ...] = ()
    source: Source = UNKNOWN_SOURCE
    extra: tuple[tuple[str, str], ...] = ()
    field_lines: tuple[tuple[str, int], ...] = field(default=(), compare=False)

    def line_of(self, name: str) -> int | None:
        return _line_of(self.field_lines, name)


def _line_of(field_lines: tuple[tuple[str, int], ...], name: str) -> int | None:
    """The line of `name`, or of the field it belongs to (`funds.total.rate` → `funds.total`)."""
    lines = dict(field_lines)
    while name:
        if name in lines:
            return lines[name]
        name = name.rpartition(".")[0]
    return None


Form = SelfEvaluation | Declaration
