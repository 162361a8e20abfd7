"""Synthetic forms for the demo and the benchmark: consistent forms, then defects.

Each synthetic project belongs to a unit of a bureau of the invented 示范市 and has a
theme (training, system maintenance, subsidies …) whose indicators come from
`vocabulary`. For each year the project declares its targets (申报表, amounts in 元) and
scores itself against the same targets (自评表, amounts in 万元), as the rules require.
Forms are first generated consistent — amounts, rates, scores, total and grade computed
by the scoring step's own rounding, goal texts quoting the table (`texts`) — and
`defects` then spoils some of them the way real forms are spoiled, so that the review has
something to find. `labelled_forms` (`iter_labelled`) yields each form with its labels: the
finding kinds its defects must raise, and those they, or the generator's own figures (an
explained target exceeded 1.3 times), may.

Deterministic: the same seed gives the same forms.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from jixiao.demo import defects, texts
from jixiao.demo.defects import Labelled
from jixiao.demo.defects.edits import with_total
from jixiao.demo.vocabulary import (
    BENEFITS,
    BUREAUS,
    CATEGORIES,
    CITY,
    DISTRICTS,
    NATURES,
    NOTES_EXCEEDED,
    NOTES_MISSED,
    NOTES_PARTIAL,
    STREETS,
    THEMES,
    Qual,
    Quant,
    Template,
    Theme,
)
from jixiao.exchange import form_to_exchange
from jixiao.model import (
    Declaration,
    DeclarationFunds,
    Form,
    FundsRow,
    Indicator,
    SelfEvaluation,
    SelfEvaluationFunds,
    Source,
)
from jixiao.numbers import CENT, HUNDRED, ONE, round_half_up, round_score

YEARS = (2023, 2024, 2025)
LAST_DECLARATION_YEAR = 2026
# Category weights (分值) of the indicators, 90 in all: cost as its own 一级
# (财预〔2021〕101号) or under 产出指标 (the older framework).
WEIGHTS_COST_FIRST = {"成本指标": 20, "产出指标": 40, "效益指标": 20, "满意度指标": 10}
WEIGHTS_CLASSIC = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
# Units counted in whole numbers: their actual values are printed without fractions.
# About how many forms each synthetic unit publishes over the years.
FORMS_PER_UNIT = 25
_COUNTED = {"人", "人次", "场", "次", "个", "家", "份", "件", "台", "起"}
# domain.md: an actual at 1.3 times its target or more must be explained. The generator
# writes such actuals now and then (explained, or by rounding a small count up), and says
# so: the review is right to raise `target-far-exceeded` on them.
FAR_EXCEEDED = Decimal("1.3")
FAR_EXCEEDED_KINDS = frozenset({"target-far-exceeded"})
# domain.md: an execution rate below 90% is low; a consistent form spends at least that.
WELL_EXECUTED = Decimal("0.9")
# The share of 实际完成情况 texts that quote the year's spending and execution rate.
SHARE_QUOTING_FUNDS = 0.5


@dataclass(frozen=True, slots=True)
class Project:
    department: str
    unit: str
    name: str
    theme: Theme
    templates: tuple[Template, ...]
    budget: Decimal  # 万元
    cost_first: bool
    nature: str
    category: str


@dataclass(frozen=True, slots=True)
class Planned:
    """One indicator of a project-year: the template and its declared target number."""

    template: Template
    number: Decimal | None  # None for qualitative targets


@dataclass(slots=True)
class DemoDocument:
    """A synthetic published file: its forms as the exchange format (JSON)."""

    name: str
    forms: list[Form]

    def to_bytes(self) -> bytes:
        records = [form_to_exchange(form, extras=False) for form in self.forms]
        return json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")


def _money(value: Decimal) -> Decimal:
    return round_score(value)


def _format_number(number: Decimal, unit: str) -> str:
    return f"{number:.2f}({unit})"


def all_units() -> list[tuple[str, str]]:
    """Every (主管部门, 实施单位) of the invented city, bureaus first, then 街道."""
    units = []
    for district in DISTRICTS:
        for bureau, subordinates in BUREAUS.items():
            department = f"{CITY}{district}{bureau}"
            units.append((department, f"{department}(本级)"))
            units.extend((department, f"{CITY}{district}{sub}") for sub in subordinates)
    for street in STREETS:
        for district in DISTRICTS:
            office = f"{CITY}{district}{street}街道办事处"
            units.append((office, f"{office}(本级)"))
    return units


class Generator:
    """Forms of `units` units (a few per hundred forms, as units publish them in bulk)."""

    def __init__(self, seed: int = 2024, *, units: int = 12) -> None:
        self.rng = random.Random(seed)
        pool = all_units()
        self.units = self.rng.sample(pool, min(max(units, 1), len(pool)))
        self._used: set[tuple[str, str]] = set()

    # --- projects ------------------------------------------------------------------

    def project(self) -> Project:
        rng = self.rng
        for attempt in range(1000):
            department, unit = rng.choice(self.units)
            theme = rng.choice(THEMES)
            name = rng.choice(theme.names)
            if attempt > 20:  # the plain names of this unit are taken: a place-named one
                name = f"{rng.choice(STREETS)}片区{name}"
            if (unit, name) not in self._used:
                break
        self._used.add((unit, name))
        cost_first = rng.random() < 0.7
        return Project(
            department=department,
            unit=unit,
            name=name,
            theme=theme,
            templates=self._choose(theme, cost_first),
            budget=_money(Decimal(rng.uniform(*theme.budget))),
            cost_first=cost_first,
            nature=rng.choice(NATURES),
            category=rng.choice(CATEGORIES),
        )

    def _choose(self, theme: Theme, cost_first: bool) -> tuple[Template, ...]:
        by_level1: dict[str, list[Template]] = defaultdict(list)
        for template in theme.indicators:
            by_level1[template.level1].append(template)
        chosen: list[Template] = []
        for level1, templates in by_level1.items():
            if level1 == "产出指标":
                k = min(len(templates), self.rng.randint(3, 5))
            elif level1 == "效益指标":
                k = min(len(templates), self.rng.randint(1, 3))
            else:
                k = 1
            picked = sorted(self.rng.sample(range(len(templates)), k))
            chosen.extend(templates[i] for i in picked)
        if not cost_first:
            # The older framework files cost under 产出指标 as a 二级 of its own.
            chosen = [_as_output_cost(t) if t.level1 == "成本指标" else t for t in chosen]
        order = ("成本指标", "产出指标", "效益指标", "满意度指标")
        return tuple(sorted(chosen, key=lambda t: order.index(t.level1)))

    def plan(self, project: Project) -> list[Planned]:
        out = []
        for template in project.templates:
            if isinstance(template, Quant):
                number = Decimal(self.rng.randint(template.low, template.high))
                out.append(Planned(template, number))
            else:
                out.append(Planned(template, None))
        return out

    # --- forms ---------------------------------------------------------------------

    def declaration(self, project: Project, year: int, plan: list[Planned]) -> Declaration:
        amount = _money(project.budget * Decimal(10000) * Decimal(self.rng.uniform(0.9, 1.1)))
        zero = Decimal("0.00")
        return Declaration(
            year=year,
            project=project.name,
            nature=project.nature,
            category=project.category,
            department=project.department,
            unit=project.unit,
            start=dt.date(year, 1, 1),
            end=dt.date(year, 12, 31),
            funds_unit="元",
            funds=DeclarationFunds(
                project_total=amount,
                project_fiscal=amount,
                project_other=zero,
                annual_total=amount,
                annual_appropriation=amount,
                annual_carryover=zero,
                annual_other=zero,
            ),
            goal_overall=f"{project.theme.verbs}，{self.rng.choice(BENEFITS)}。",
            goal_annual=self._goal(project, year, plan),
            indicators=tuple(
                Indicator(
                    level1=p.template.level1,
                    level2=p.template.level2,
                    name=p.template.name,
                    target=_target_text(p),
                    source=Source(file="", line=None),
                )
                for p in plan
            ),
        )

    def _goal(self, project: Project, year: int, plan: list[Planned]) -> str:
        first = next((p for p in plan if p.number is not None), None)
        mention = texts.target_mention(first.template.name, _target_text(first)) if first else None
        measure = f"，{mention}" if mention else ""
        return f"{year}年，实施{project.name}项目，{project.theme.verbs}{measure}，{self.rng.choice(BENEFITS)}。"

    def self_evaluation(self, project: Project, year: int, plan: list[Planned]) -> SelfEvaluation:
        return self._self_evaluation(project, year, plan)[0]

    def _self_evaluation(
        self, project: Project, year: int, plan: list[Planned]
    ) -> tuple[SelfEvaluation, frozenset[str]]:
        """The consistent form, and the finding kinds its own figures may rightly raise."""
        rng = self.rng
        initial = _money(project.budget * Decimal(rng.uniform(0.9, 1.1)))
        adjusted = (
            initial if rng.random() < 0.6 else _money(initial * Decimal(rng.uniform(0.85, 1.1)))
        )
        ratio = Decimal(1) if rng.random() < 0.65 else Decimal(rng.uniform(0.9, 1.0))
        # Executed well: at least 90% even after rounding to the cent (89.99% is low).
        floor = (adjusted * WELL_EXECUTED).quantize(CENT, rounding=ROUND_CEILING)
        executed = min(max(_money(adjusted * ratio), floor), adjusted)
        funds = _funds(initial, adjusted, executed)
        weights = _weights(plan, project.cost_first)
        indicators = []
        actual_note = ""
        allowed: frozenset[str] = frozenset()
        for planned, weight in zip(plan, weights, strict=True):
            indicator = self._scored(planned, weight)
            indicators.append(indicator)
            if _far_exceeded(planned, indicator):
                allowed = FAR_EXCEEDED_KINDS
            if not actual_note and isinstance(planned.template, Quant):
                mention = texts.actual_mention(planned.template.name, indicator.actual)
                actual_note = f"，{mention}" if mention else ""
        funds_note = ""
        if rng.random() < SHARE_QUOTING_FUNDS and funds.total.rate is not None:
            whole = rng.random() < 0.3
            funds_note = f"，{texts.funds_mention(executed, funds.total.rate, whole=whole)}"
        form = SelfEvaluation(
            year=year,
            project=project.name,
            department=project.department,
            unit=project.unit,
            funds_unit="万元",
            funds=funds,
            goal_expected=self._goal(project, year, plan),
            goal_actual=(
                f"{year}年度，{project.theme.verbs.split('，')[0]}{actual_note}{funds_note}，"
                f"{rng.choice(BENEFITS)}。"
            ),
            indicators=tuple(indicators),
            total_weight=Decimal("100.00"),
        )
        return with_total(form), allowed

    def _scored(self, planned: Planned, weight: Decimal) -> Indicator:
        rng = self.rng
        t = planned.template
        if isinstance(t, Qual):
            roll = rng.random()
            if roll < 0.88:
                actual, score, note = "达成指标", weight, None
            else:
                share = Decimal(rng.uniform(0.6, 0.79))
                actual, score, note = (
                    "部分达成指标并具有一定效果",
                    round_score(weight * share),
                    rng.choice(NOTES_PARTIAL),
                )
            return Indicator(t.level1, t.level2, t.name, t.target, actual, weight, score, note)
        target = planned.number
        assert target is not None
        roll = rng.random()
        note = None
        is_cost = "成本" in t.level1 + t.level2
        if target == 0 or (t.op == "=" and (is_cost or (t.unit == "%" and target == HUNDRED))):
            # Nothing to exceed: a zero count, a fixed standard cost, a rate of 100%.
            number = target
        elif t.op == "≤":
            number = target if roll < 0.5 else target * Decimal(rng.uniform(0.7, 1.0))
        elif roll < 0.84:
            number = target * Decimal(rng.uniform(1.0, 1.2))
        elif roll < 0.96:
            number = target * Decimal(rng.uniform(0.75, 0.97))
            note = rng.choice(NOTES_MISSED)
        else:
            number = target * Decimal(rng.uniform(1.3, 1.7))
            note = rng.choice(NOTES_EXCEEDED)
        if t.unit == "%":
            number = min(number, HUNDRED)
        number = round_half_up(number, ONE if t.unit in _COUNTED else CENT)
        score = weight
        if number < target and t.op != "≤":
            # Never a full score for a missed target, even where rounding would give one.
            score = min(round_score(weight * number / target), weight - CENT)
        actual = _format_number(number, t.unit)
        target_text = f"{t.op}{target:.2f}({t.unit})"
        return Indicator(t.level1, t.level2, t.name, target_text, actual, weight, score, note)

    # --- many forms ----------------------------------------------------------------

    def forms(self) -> Iterator[Form]:
        """Forms without end, project after project, each project's years in order."""
        return (labelled.form for labelled in self.labelled_forms())

    def labelled_forms(self) -> Iterator[Labelled]:
        """`forms`, each with the defects applied to it and the findings they stand for."""
        rng = self.rng
        while True:
            project = self.project()
            first = rng.choice(YEARS)
            last = rng.choice([y for y in (*YEARS, LAST_DECLARATION_YEAR) if y >= first])
            for year in range(first, last + 1):
                plan = self.plan(project)
                if rng.random() < 0.9:
                    yield defects.spoil_labelled(self.declaration(project, year, plan), rng)
                if year in YEARS and rng.random() < 0.95:
                    form, allowed = self._self_evaluation(project, year, plan)
                    yield defects.spoil_labelled(form, rng).allowing(allowed)


def _far_exceeded(planned: Planned, indicator: Indicator) -> bool:
    """The generated actual is at least `FAR_EXCEEDED` times a floor target."""
    t, target = planned.template, planned.number
    if not isinstance(t, Quant) or t.op == "≤" or target is None or target <= 0:
        return False
    number = Decimal((indicator.actual or "0").split("(")[0])
    return number >= target * FAR_EXCEEDED


def _as_output_cost(template: Template) -> Template:
    if isinstance(template, Quant):
        return Quant(
            "产出指标",
            "成本指标",
            template.name,
            template.op,
            template.low,
            template.high,
            template.unit,
        )
    return Qual("产出指标", "成本指标", template.name, template.target)


def _target_text(planned: Planned) -> str:
    t = planned.template
    if isinstance(t, Qual):
        return t.target
    assert planned.number is not None
    return f"{t.op}{planned.number:.2f}({t.unit})"


def _weights(plan: list[Planned], cost_first: bool) -> list[Decimal]:
    totals = WEIGHTS_COST_FIRST if cost_first else WEIGHTS_CLASSIC
    groups: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(plan):
        groups[p.template.level1].append(i)
    weights = [Decimal(0)] * len(plan)
    spare = Decimal(90) - sum((Decimal(totals[g]) for g in groups if g in totals), Decimal(0))
    for level1, members in groups.items():
        total = Decimal(totals.get(level1, 0))
        if level1 == "产出指标":
            total += spare  # a framework without a 一级 of its own gives its share to output
        each = round_score(total / len(members))
        for i in members:
            weights[i] = each
        weights[members[-1]] = total - each * (len(members) - 1)
    return weights


def _funds(initial: Decimal, adjusted: Decimal, executed: Decimal) -> SelfEvaluationFunds:
    rate = round_score(executed / adjusted * HUNDRED) if adjusted else None
    score = round_score(Decimal(10) * min(executed / adjusted, Decimal(1))) if adjusted else None
    zero = Decimal("0.00")
    return SelfEvaluationFunds(
        total=FundsRow(initial, adjusted, executed, Decimal("10.00"), rate, score),
        appropriation=FundsRow(initial, adjusted, executed, None, rate, None),
        carryover=FundsRow(zero, zero, zero, None, None, None),
        other=FundsRow(zero, zero, zero, None, None, None),
    )


def generate_forms(count: int, *, seed: int = 2024) -> list[Form]:
    return list(iter_forms(count, seed=seed))


def iter_forms(count: int, *, seed: int = 2024) -> Iterator[Form]:
    return (labelled.form for labelled in iter_labelled(count, seed=seed))


def iter_labelled(count: int, *, seed: int = 2024) -> Iterator[Labelled]:
    """The first `count` forms of `seed`, each with its labels (`jixiao.demo.defects`)."""
    generator = Generator(seed, units=count // FORMS_PER_UNIT)
    for n, labelled in enumerate(generator.labelled_forms(), start=1):
        yield labelled
        if n >= count:
            return


def iter_documents(
    count: int, *, seed: int = 2024, per_document: int = 40, batch: int = 20_000
) -> Iterator[DemoDocument]:
    """`count` forms grouped as departments publish them: a file per year and kind.

    Forms are grouped `batch` at a time, so that a large set streams in bounded memory.
    """
    forms = iter_forms(count, seed=seed)
    for part in itertools.count(1):
        chunk = list(itertools.islice(forms, batch))
        if not chunk:
            return
        yield from _documents(chunk, per_document, part if count > batch else None)


def generate_documents(
    count: int, *, seed: int = 2024, per_document: int = 40
) -> list[DemoDocument]:
    return list(iter_documents(count, seed=seed, per_document=per_document))


def _documents(forms: list[Form], per_document: int, batch: int | None) -> Iterator[DemoDocument]:
    groups: dict[tuple[str, int, str], list[Form]] = defaultdict(list)
    for form in forms:
        groups[(form.department or "", form.year or 0, form.kind)].append(form)
    for (department, year, kind), group in sorted(groups.items()):
        title = "项目支出绩效自评表" if kind == "self_evaluation" else "项目绩效目标申报表"
        for n, start in enumerate(range(0, len(group), per_document), start=1):
            parts = [str(batch)] if batch is not None else []
            if len(group) > per_document:
                parts.append(str(n))
            suffix = f"（{'-'.join(parts)}）" if parts else ""
            yield DemoDocument(
                f"{department}{year}年度{title}{suffix}.json", group[start : start + per_document]
            )
