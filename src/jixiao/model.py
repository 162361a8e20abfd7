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

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, ClassVar, Literal, TypeVar

from jixiao.values import Value, parse_actual, parse_target

FormKind = Literal["self_evaluation", "declaration"]
SELF_EVALUATION: FormKind = "self_evaluation"
DECLARATION: FormKind = "declaration"

# The metadata key of a printed field: its official label. A dataclass field carrying it
# is part of the form's schema (`jixiao.fields`), and so of the exchange format, the store
# and the API; a field without it (sources, parses, bookkeeping) is not.
LABEL = "label"
# The metadata key naming the one kind of form a field of a shared record belongs to.
ONLY = "only"
# The metadata key of a field whose store column has another name than the field.
COLUMN = "column"


R = TypeVar("R")


def quick_init(cls: type[R]) -> type[R]:
    """A frozen, slotted dataclass with an `__init__` that sets each field through its
    slot's own descriptor. The dataclass's sets every field by `object.__setattr__(self,
    …)`, which costs twice as much, and the readers and the review build these records by
    the hundred for every form. The signature and the `__post_init__` call are the
    dataclass's own. Put above `@dataclass(frozen=True, slots=True)`."""
    namespace: dict[str, Any] = {}
    params: list[str] = []
    body: list[str] = []
    for spec in dataclasses.fields(cls):  # type: ignore[arg-type]
        assert not spec.kw_only and spec.default_factory is dataclasses.MISSING
        has_default = spec.default is not dataclasses.MISSING
        namespace[f"_set_{spec.name}"] = cls.__dict__[spec.name].__set__
        namespace[f"_default_{spec.name}"] = spec.default
        if spec.init:
            params.append(f"{spec.name}=_default_{spec.name}" if has_default else spec.name)
            body.append(f"_set_{spec.name}(self, {spec.name})")
        elif has_default:
            body.append(f"_set_{spec.name}(self, _default_{spec.name})")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    exec(
        f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(body or ["pass"]),
        namespace,
    )
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    setattr(cls, "__init__", init)  # noqa: B010 - (mypy forbids assigning a method)
    return cls


def printed(
    label: str, *, only: FormKind | None = None, column: str | None = None
) -> Mapping[str, str]:
    """The metadata of a printed field (see `LABEL`, `ONLY`, `COLUMN`)."""
    meta = {LABEL: label}
    if only is not None:
        meta[ONLY] = only
    if column is not None:
        meta[COLUMN] = column
    return meta


@quick_init
@dataclass(frozen=True, slots=True)
class Source:
    """Where a record was read: a file and, as far as the rendering tells, a place in it.

    `line` is 1-based in text renderings; `page` is 1-based in PDFs; `cell` names a
    spreadsheet or grid cell (`"B12"`, `"R3C4"`); `box` is the cell's rectangle on its
    page, `(x0, top, x1, bottom)` in PDF points from the top-left corner.
    """

    file: str
    line: int | None = None
    page: int | None = None
    cell: str | None = None
    box: tuple[float, float, float, float] | None = None

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


@quick_init
@dataclass(frozen=True, slots=True)
class Indicator:
    """One 三级指标 row, with its 一级/二级 categories repeated as printed.

    `actual`, `score` and `note` exist on self-evaluations only; on declarations they
    are `None`. `target_value` / `actual_value` are the parse of the printed texts.
    """

    level1: str = field(metadata=printed("一级指标"))
    level2: str = field(metadata=printed("二级指标"))
    name: str = field(metadata=printed("三级指标"))
    target: str | None = field(metadata=printed("年度指标值"))
    actual: str | None = field(default=None, metadata=printed("实际完成值", only=SELF_EVALUATION))
    weight: Decimal | None = field(default=None, metadata=printed("分值", only=SELF_EVALUATION))
    score: Decimal | None = field(default=None, metadata=printed("得分", only=SELF_EVALUATION))
    note: str | None = field(
        default=None, metadata=printed("偏差原因分析及改进措施", only=SELF_EVALUATION)
    )
    source: Source = UNKNOWN_SOURCE
    target_value: Value = field(init=False, compare=False, repr=False)
    actual_value: Value = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        # Frozen records still parse once, at construction: the parse is a pure
        # function of the printed text, so storing it cannot go stale.
        object.__setattr__(self, "target_value", parse_target(self.target))
        object.__setattr__(self, "actual_value", parse_actual(self.actual))


@quick_init
@dataclass(frozen=True, slots=True)
class FundsRow:
    """One row of the 项目资金 block of a self-evaluation (amounts in the form's unit)."""

    initial: Decimal | None = field(default=None, metadata=printed("年初预算数"))
    adjusted: Decimal | None = field(default=None, metadata=printed("全年预算数"))
    executed: Decimal | None = field(default=None, metadata=printed("全年执行数"))
    weight: Decimal | None = field(default=None, metadata=printed("分值"))
    rate: Decimal | None = field(default=None, metadata=printed("执行率（%）"))  # as printed
    score: Decimal | None = field(default=None, metadata=printed("得分"))
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


@quick_init
@dataclass(frozen=True, slots=True)
class SelfEvaluationFunds:
    total: FundsRow = field(default=FundsRow(), metadata=printed("年度资金总额"))
    appropriation: FundsRow = field(default=FundsRow(), metadata=printed("当年财政拨款"))
    carryover: FundsRow = field(default=FundsRow(), metadata=printed("上年结转资金"))
    other: FundsRow = field(default=FundsRow(), metadata=printed("其他资金"))

    def row(self, name: str) -> FundsRow:
        row: FundsRow = getattr(self, name)
        return row


@quick_init
@dataclass(frozen=True, slots=True)
class DeclarationFunds:
    project_total: Decimal | None = field(default=None, metadata=printed("项目资金总额"))
    project_fiscal: Decimal | None = field(default=None, metadata=printed("其中：财政资金"))
    project_other: Decimal | None = field(default=None, metadata=printed("其他资金"))
    annual_total: Decimal | None = field(default=None, metadata=printed("年度资金申请总额"))
    annual_appropriation: Decimal | None = field(
        default=None, metadata=printed("其中：当年财政拨款")
    )
    annual_carryover: Decimal | None = field(default=None, metadata=printed("上年结转资金"))
    annual_other: Decimal | None = field(default=None, metadata=printed("其他资金"))

    def amount(self, name: str) -> Decimal | None:
        value: Decimal | None = getattr(self, name)
        return value


def _labels(record: type) -> dict[str, str]:
    return {f.name: f.metadata[LABEL] for f in fields(record) if LABEL in f.metadata}


# The funds rows of a self-evaluation and the amounts of a declaration, in printed order.
FUNDS_ROW_LABELS = _labels(SelfEvaluationFunds)
FUNDS_ROWS = tuple(FUNDS_ROW_LABELS)
DECLARATION_FUNDS_LABELS = _labels(DeclarationFunds)
DECLARATION_FUNDS = tuple(DECLARATION_FUNDS_LABELS)


@quick_init
@dataclass(frozen=True, slots=True)
class SelfEvaluation:
    """财政项目支出绩效自评表."""

    kind: ClassVar[FormKind] = "self_evaluation"

    year: int | None = field(metadata=printed("年度"))
    project: str = field(metadata=printed("项目名称"))
    department: str | None = field(default=None, metadata=printed("主管部门"))
    unit: str | None = field(default=None, metadata=printed("实施单位"))
    funds_unit: str = field(default="万元", metadata=printed("金额单位"))
    funds: SelfEvaluationFunds = field(default=SelfEvaluationFunds(), metadata=printed("项目资金"))
    goal_expected: str | None = field(default=None, metadata=printed("预期目标"))
    goal_actual: str | None = field(default=None, metadata=printed("实际完成情况"))
    indicators: tuple[Indicator, ...] = field(default=(), metadata=printed("绩效指标"))
    total_weight: Decimal | None = field(default=None, metadata=printed("总分值"))
    total_score: Decimal | None = field(default=None, metadata=printed("总分"))
    grade: str | None = field(default=None, metadata=printed("评分等级"))
    source: Source = UNKNOWN_SOURCE
    # Labelled fields the form printed beyond the standard ones (项目负责人 …),
    # kept so that reading loses nothing.
    extra: tuple[tuple[str, str], ...] = ()
    # The line each field was printed on (`total_score`, `grade`, `goal_actual` …), so a
    # finding about a field points at its row, not at the form's title.
    field_lines: tuple[tuple[str, int], ...] = field(default=(), compare=False)

    def line_of(self, name: str) -> int | None:
        return _line_of(self.field_lines, name)


@quick_init
@dataclass(frozen=True, slots=True)
class Declaration:
    """财政项目支出绩效目标申报表."""

    kind: ClassVar[FormKind] = "declaration"

    year: int | None = field(metadata=printed("年度"))
    project: str = field(metadata=printed("项目名称"))
    nature: str | None = field(default=None, metadata=printed("项目性质"))
    category: str | None = field(default=None, metadata=printed("项目类别"))
    department: str | None = field(default=None, metadata=printed("主管部门"))
    unit: str | None = field(default=None, metadata=printed("实施单位"))
    start: dt.date | None = field(
        default=None, metadata=printed("计划开始日期", column="start_date")
    )
    end: dt.date | None = field(default=None, metadata=printed("计划完成日期", column="end_date"))
    funds_unit: str = field(default="元", metadata=printed("金额单位"))
    funds: DeclarationFunds = field(default=DeclarationFunds(), metadata=printed("项目资金"))
    goal_overall: str | None = field(default=None, metadata=printed("项目总目标"))
    goal_annual: str | None = field(default=None, metadata=printed("年度总体目标"))
    indicators: tuple[Indicator, ...] = field(default=(), metadata=printed("绩效指标"))
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
