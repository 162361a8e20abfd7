"""Realistic defects for synthetic forms, each labelled with the findings it must raise.

Part of the demo. The mix follows what reviewers meet in published forms (domain.md,
"Review findings"): budgets executed well below plan, points deducted without a reason or
with 「无偏差」, targets far exceeded, lenient scores, totals that do not add up, swapped
columns, costs floored with ≥, shares counted in 人, missing units, copied or misdated goal
texts, texts quoting figures the table contradicts … About half of the self-evaluations
stay clean; a defect keeps the rest of the form consistent (totals recomputed, the goal
texts quoting a changed cell again) unless that is the defect, so that each shows as what
it is.

Each `Defect` row names the finding kinds (catalogue slugs) the spoiled form must raise
(`expects`) and those it may raise as a side effect of the same mistake (`allows`, neither
a hit nor a false alarm: a cost floored with ≥ also makes a full score against the new
floor look unearned). `spoil_labelled` returns the form with its labels, so that
`jixiao.demo.measure` can count what the review finds of them; `spoil` is the same draw
without the labels.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace

from jixiao.demo.defects import design, funds, scores, text
from jixiao.model import Form, SelfEvaluation

SHARE_SPOILED_SELF = 0.5
SHARE_SPOILED_DECLARATION = 0.35
SHARE_TWICE = 0.15
_TRIES = 5  # a defect may not apply to a form: draw another, this many times at most

# The parts of a form a defect changes or reads. Two defects are applied to one form only
# when their parts are apart, so that the second cannot undo or hide the first: a wrong
# total reads every score (and a later defect would recompute it), a text quoting a figure
# reads the indicator it quotes.
FUNDS, INDICATORS, GOALS, TOTAL = "funds", "indicators", "goals", "total"
_WHOLE_TABLE = frozenset({TOTAL, FUNDS, INDICATORS})


@dataclass(frozen=True, slots=True)
class Defect:
    """One way of spoiling a form, how often it is drawn, and the findings it causes."""

    spoil: Callable[..., Form | None]
    weight: int
    expects: frozenset[str]
    allows: frozenset[str] = frozenset()
    parts: frozenset[str] = frozenset({INDICATORS})

    @property
    def name(self) -> str:
        return self.spoil.__name__


def _defect(
    spoil: Callable[..., Form | None],
    weight: int,
    expects: str | tuple[str, ...],
    allows: tuple[str, ...] = (),
    parts: frozenset[str] | str = INDICATORS,
) -> Defect:
    expected = (expects,) if isinstance(expects, str) else expects
    touched = frozenset({parts}) if isinstance(parts, str) else parts
    return Defect(spoil, weight, frozenset(expected), frozenset(allows), touched)


@dataclass(frozen=True, slots=True)
class Labelled:
    """A synthetic form, the defects applied to it and the findings they stand for."""

    form: Form
    defects: tuple[str, ...] = ()
    expects: frozenset[str] = frozenset()
    allows: frozenset[str] = frozenset()
    original: Form | None = None  # the form before its defects (None: it has none)

    def allowing(self, kinds: frozenset[str]) -> Labelled:
        """The same, with more kinds allowed (what the generator itself may cause)."""
        return replace(self, allows=self.allows | kinds)


# A score judged against a target turned the wrong way: full marks look unearned, a
# deduction for a (now) met target looks contradictory. The unit's mistake is the
# target's direction; these findings follow from it and are right to be raised.
_SCORED_AGAINST_NEW_TARGET = ("full-score-target-not-met", "reason-contradicts-deduction")
_TEXT = frozenset({GOALS, INDICATORS})
_FUNDS_TEXT = frozenset({GOALS, FUNDS})

# The common defects first; the weights are relative frequencies.
SELF_EVALUATION_DEFECTS: tuple[Defect, ...] = (
    _defect(funds.low_execution, 10, "low-execution-rate", parts=FUNDS),
    _defect(scores.deduction_without_reason, 8, "score-deducted-without-reason"),
    _defect(scores.far_exceeded, 7, "target-far-exceeded"),
    # A 达成 qualitative indicator cut below 80% of its weight is also out of its band.
    _defect(
        scores.reason_contradicts,
        6,
        "reason-contradicts-deduction",
        ("qualitative-band-out-of-range",),
    ),
    _defect(scores.lenient_score, 5, "lenient-score-target-missed"),
    _defect(scores.full_score_target_missed, 4, "full-score-target-not-met"),
    # The grade is left as it was: the new total may belong to another grade.
    _defect(funds.total_not_sum, 4, "total-not-sum", ("grade-mismatch",), _WHOLE_TABLE),
    _defect(funds.large_adjustment, 4, "large-budget-adjustment", parts=FUNDS),
    # The copy quotes the target as if it were the actual.
    _defect(
        text.copied_goal, 3, "goal-actual-repeats-expected", ("text-contradicts-table",), GOALS
    ),
    _defect(
        design.cost_wrong_direction,
        3,
        "cost-indicator-wrong-direction",
        ("full-score-target-not-met",),
    ),
    _defect(design.missing_unit, 3, "missing-unit"),
    _defect(scores.band_out_of_range, 3, "qualitative-band-out-of-range"),
    _defect(text.actual_figure_contradicts, 3, "text-contradicts-table", parts=_TEXT),
    # The swapped score cell would be summed into the total by any later defect.
    _defect(
        funds.columns_swapped,
        2,
        ("score-columns-swapped", "low-execution-rate"),
        parts=_WHOLE_TABLE,
    ),
    # The printed rate says 100%: a rule reading the amounts may still call it low.
    _defect(
        funds.rate_mismatch,
        2,
        "execution-rate-mismatch",
        ("low-execution-rate",),
        FUNDS,
    ),
    _defect(funds.rows_not_sum, 2, "funds-rows-not-sum", parts=FUNDS),
    _defect(
        funds.budget_full_score, 2, ("funds-score-mismatch", "low-execution-rate"), parts=FUNDS
    ),
    _defect(funds.grade_mismatch, 2, "grade-mismatch", parts=_WHOLE_TABLE),
    _defect(text.garbled_goal, 2, "garbled-text", parts=GOALS),
    _defect(text.wrong_year, 2, "wrong-year-in-text", parts=GOALS),
    _defect(text.rate_contradicts, 2, "text-contradicts-table", parts=_FUNDS_TEXT),
    _defect(text.spending_contradicts, 2, "text-contradicts-table", parts=_FUNDS_TEXT),
    _defect(text.target_figure_contradicts, 1, "text-contradicts-table", parts=_TEXT),
    _defect(scores.actual_as_target, 2, "actual-written-as-target"),
    _defect(scores.score_above_weight, 2, "score-exceeds-weight"),
    _defect(scores.weights_off, 2, "weights-not-100"),
    _defect(scores.zero_weight, 2, "zero-weight-indicator"),
    _defect(design.target_repeats_name, 2, "target-repeats-name"),
    _defect(design.misclassified, 2, "indicator-misclassified"),
    _defect(design.duplicate_name, 3, "duplicate-indicator-name"),
    _defect(design.missing_target, 2, "missing-target-value"),
    _defect(
        design.quantity_upper_bound,
        2,
        "quantity-indicator-wrong-direction",
        _SCORED_AGAINST_NEW_TARGET,
    ),
    # A share under 数量指标 (到岗率) capped is also a capped output.
    _defect(
        design.share_wrong_direction,
        2,
        "indicator-wrong-direction",
        (*_SCORED_AGAINST_NEW_TARGET, "quantity-indicator-wrong-direction"),
    ),
    _defect(design.share_in_count_unit, 2, "unit-mismatch"),
    _defect(design.cost_in_count_unit, 2, "unit-mismatch"),
    _defect(design.actual_unit_differs, 2, "unit-mismatch"),
)
DECLARATION_DEFECTS: tuple[Defect, ...] = (
    _defect(design.cost_wrong_direction, 5, "cost-indicator-wrong-direction"),
    _defect(design.missing_unit, 4, "missing-unit"),
    _defect(design.target_repeats_name, 3, "target-repeats-name"),
    _defect(funds.declaration_funds_not_sum, 3, "declaration-funds-not-sum", parts=FUNDS),
    _defect(design.missing_satisfaction, 3, "missing-satisfaction-indicator"),
    _defect(design.misclassified, 2, "indicator-misclassified"),
    _defect(design.missing_cost, 2, "missing-cost-indicator"),
    _defect(design.missing_benefit, 2, "missing-benefit-indicator"),
    _defect(design.duplicate_name, 3, "duplicate-indicator-name"),
    _defect(design.missing_target, 2, "missing-target-value"),
    _defect(design.quantity_upper_bound, 2, "quantity-indicator-wrong-direction"),
    _defect(
        design.share_wrong_direction,
        2,
        "indicator-wrong-direction",
        ("quantity-indicator-wrong-direction",),
    ),
    _defect(design.share_in_count_unit, 2, "unit-mismatch"),
    _defect(design.cost_in_count_unit, 2, "unit-mismatch"),
    _defect(text.wrong_year, 2, "wrong-year-in-text", parts=GOALS),
    _defect(text.target_figure_contradicts, 2, "text-contradicts-table", parts=_TEXT),
)


def defects_for(form: Form) -> tuple[Defect, ...]:
    return SELF_EVALUATION_DEFECTS if isinstance(form, SelfEvaluation) else DECLARATION_DEFECTS


def spoil_labelled(form: Form, rng: random.Random) -> Labelled:
    """The form, or a spoiled copy of it (about half of self-evaluations are spoiled),
    with the defects applied and the findings they must and may raise."""
    share = SHARE_SPOILED_SELF if isinstance(form, SelfEvaluation) else SHARE_SPOILED_DECLARATION
    if rng.random() >= share:
        return Labelled(form)
    times = 2 if rng.random() < SHARE_TWICE else 1
    original = form
    applied: list[Defect] = []
    for _ in range(times):
        form, defect = _apply_one(form, rng, applied)
        if defect is None:
            break
        applied.append(defect)
    return Labelled(
        form,
        tuple(d.name for d in applied),
        frozenset().union(*(d.expects for d in applied)),
        frozenset().union(*(d.allows for d in applied)),
        original if applied else None,
    )


def spoil(form: Form, rng: random.Random) -> Form:
    """The form, or a spoiled copy of it: `spoil_labelled` without the labels."""
    return spoil_labelled(form, rng).form


def _apply_one(form: Form, rng: random.Random, applied: list[Defect]) -> tuple[Form, Defect | None]:
    """One more defect drawn by weight. A defect that does not apply to this form is
    replaced by another draw; one that would spoil a part already spoiled ends the
    spoiling (drawing again would favour the few defects of other parts)."""
    table = defects_for(form)
    weights = [d.weight for d in table]
    for _ in range(_TRIES):
        defect = rng.choices(table, weights)[0]
        if any(defect.parts & earlier.parts for earlier in applied):
            break
        spoiled = defect.spoil(form, rng)
        if spoiled is not None:
            return spoiled, defect
    return form, None


__all__ = [
    "DECLARATION_DEFECTS",
    "SELF_EVALUATION_DEFECTS",
    "Defect",
    "Labelled",
    "defects_for",
    "spoil",
    "spoil_labelled",
]
