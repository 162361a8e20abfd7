"""What every rule sees: one form, where it is, its reference scores and the facts the
rules share, computed once per form.

Part of the review step. Rules are small functions `rule(ctx) -> Iterable[Finding]`;
the context builds their findings with the place filled in (file, line, form index,
project, indicator or field), so a rule only says what is wrong.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from jixiao.findings import CatalogueEntry, Finding, Severity
from jixiao.model import FUNDS_ROW_LABELS, Declaration, Form, Indicator, SelfEvaluation
from jixiao.profile import Profile
from jixiao.rules.figures import Figure, GoalField, figures_in, goal_texts, named_indicator
from jixiao.scoring import BudgetCells, FormScore, Reference, budget_cells
from jixiao.values import Quantity
from jixiao.vocabulary.framework import COST_LEVEL2, ECONOMIC_COST_LEVEL2, norm_level
from jixiao.vocabulary.normalise import norm_name
from jixiao.vocabulary.units import norm_unit


class IndicatorFacts:
    """One indicator with its reference score and the categories rules ask about."""

    __slots__ = (
        "actual_quantity",
        "actual_unit",
        "economic_cost",
        "indicator",
        "is_cost",
        "level1",
        "level2",
        "name",
        "position",
        "reference",
        "target_quantity",
        "target_unit",
    )

    def __init__(self, indicator: Indicator, reference: Reference, position: int) -> None:
        self.indicator = indicator
        self.reference = reference
        self.position = position  # 1-based within the form
        self.level1 = norm_level(indicator.level1)
        self.level2 = norm_level(indicator.level2)
        self.name = norm_name(indicator.name)
        self.is_cost = self.level1 == "成本指标" or self.level2 in COST_LEVEL2
        self.economic_cost = self.level2 in ECONOMIC_COST_LEVEL2 or (
            self.level1 == "成本指标" and self.level2 not in COST_LEVEL2
        )
        target, actual = indicator.target_value, indicator.actual_value
        self.target_quantity = target if isinstance(target, Quantity) else None
        self.actual_quantity = actual if isinstance(actual, Quantity) else None
        self.target_unit = norm_unit(target.unit) if isinstance(target, Quantity) else None
        self.actual_unit = norm_unit(actual.unit) if isinstance(actual, Quantity) else None


class GoalFigures(NamedTuple):
    """One goal text with its figures and, for each, the position in `FormContext.facts`
    of the one indicator it speaks of (None for none)."""

    field: GoalField
    text: str
    actual: bool  # the text reports actuals
    figures: list[Figure]
    named: list[int | None]


class FormContext:
    """A form under review and the helpers that place its findings."""

    __slots__ = ("_goal_figures", "budget", "facts", "file", "form", "index", "profile", "score")

    def __init__(
        self, form: Form, *, file: str, index: int, profile: Profile, score: FormScore
    ) -> None:
        self.form = form
        self.file = file
        self.index = index
        self.profile = profile
        self.score = score
        self.facts = tuple(
            IndicatorFacts(item.indicator, item.reference, pos)
            for pos, item in enumerate(score.indicators, start=1)
        )
        self.budget: BudgetCells | None = (
            budget_cells(form, profile) if isinstance(form, SelfEvaluation) else None
        )
        self._goal_figures: tuple[GoalFigures, ...] | None = None

    @property
    def goal_figures(self) -> tuple[GoalFigures, ...]:
        """The figures of the goal texts, read when a rule first asks (the rules that
        hold a text against the table all start from them)."""
        if self._goal_figures is None:
            names = tuple(facts.name for facts in self.facts)
            found = []
            for field, text, actual in goal_texts(self.form):
                figures = figures_in(text)
                named = [named_indicator(figure, names) for figure in figures]
                found.append(GoalFigures(field, text, actual, figures, named))
            self._goal_figures = tuple(found)
        return self._goal_figures

    # --- kinds -----------------------------------------------------------------------

    @property
    def self_evaluation(self) -> SelfEvaluation | None:
        return self.form if isinstance(self.form, SelfEvaluation) else None

    @property
    def declaration(self) -> Declaration | None:
        return self.form if isinstance(self.form, Declaration) else None

    # --- places ----------------------------------------------------------------------

    @property
    def prefix(self) -> str:
        return f"第{self.index}张表"

    def indicator_place(self, facts: IndicatorFacts) -> str:
        ind = facts.indicator
        return f"{self.prefix} {ind.level2 or ind.level1}「{ind.name}」"

    def funds_place(self, row: str) -> str:
        return f"{self.prefix} {FUNDS_ROW_LABELS[row]}"

    # --- findings --------------------------------------------------------------------

    def at_form(
        self,
        entry: CatalogueEntry,
        message: str,
        *,
        field: str | None = None,
        line: int | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        if line is None and field is not None:
            line = self.form.line_of(field)
        return entry.finding(
            message,
            file=self.file,
            line=line if line is not None else self.form.source.line,
            form=self.index,
            project=self.form.project,
            field=field,
            severity=severity,
        )

    def at_indicator(
        self,
        entry: CatalogueEntry,
        facts: IndicatorFacts,
        message: str,
        *,
        field: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        ind = facts.indicator
        return entry.finding(
            message,
            file=self.file,
            line=ind.source.line if ind.source.line is not None else self.form.source.line,
            form=self.index,
            project=self.form.project,
            indicator=ind.name,
            field=field,
            severity=severity,
        )

    def at_funds(
        self,
        entry: CatalogueEntry,
        row: str,
        message: str,
        *,
        field: str,
        severity: Severity | None = None,
    ) -> Finding:
        line = self.form.source.line
        form = self.self_evaluation
        if form is not None:
            source = form.funds.row(row).source
            if source is not None and source.line is not None:
                line = source.line
        return self.at_form(entry, message, field=field, line=line, severity=severity)


def tolerance_equal(a: Decimal, b: Decimal, tolerance: Decimal) -> bool:
    return abs(a - b) <= tolerance
