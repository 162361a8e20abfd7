"""Recall of the BT… rules (but BT003 text-contradicts-table) and of RV001: varied forms
that must raise each kind, and near misses that must not (the threshold's bound, a text
too short to judge, a document number's year, a doubled character that is Chinese …).

Each must-raise case names where the finding belongs: the indicator (by its printed name
and line) or the form field (the funds cell, the goal text). The cases are built from the
inline forms of `forms.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

import pytest

import jixiao.review as review_module
from jixiao.findings import Finding, Severity
from jixiao.model import Form, FormKind, Indicator, SelfEvaluation, Source
from jixiao.profile import load_profile
from jixiao.rules import RULES, Rule
from jixiao.rules.context import FormContext
from jixiao.rules.registry import BOTH, DECLARATION, SELF, Check
from tests.rules.forms import (
    FILE,
    MUST_RAISE_ARGS,
    NEAR_MISS_ARGS,
    balanced,
    declaration,
    findings,
    funds,
    funds_row,
    indicator,
    must_raise,
    near_miss,
    raised,
    replace_indicator,
    review,
    self_evaluation,
)


def _budget(
    initial: str | None,
    adjusted: str = "100.00",
    executed: str = "95.00",
    rate: str | None = "95.00",
    score: str = "9.50",
) -> SelfEvaluation:
    """The base form with all its money in 当年财政拨款 (the total row and that row print
    the same amounts), its 总分 following the budget score."""
    total = funds_row(initial, adjusted, executed, rate, "10.00", score, line=5)
    row = funds_row(initial, adjusted, executed, rate, line=6)
    return balanced(self_evaluation(funds=funds(total=total, appropriation=row)))


_EXPECTED = "计划培训100人，培训对象满意度达90%，提升企业的政策知晓率。"


def _goals(expected: str | None = _EXPECTED, actual: str | None = None) -> SelfEvaluation:
    return self_evaluation(goal_expected=expected, goal_actual=actual)


def _named(position: int, name: str, note: str | None = None, score: str | None = None) -> Form:
    """The base form with the indicator at `position` renamed (a note and score given)."""
    form = self_evaluation()
    old = form.indicators[position - 1]
    new = replace(
        old,
        name=name,
        note=note,
        score=Decimal(score) if score is not None else old.score,
    )
    return balanced(replace_indicator(form, position, new))


def _stacked() -> Form:
    other = indicator("培训资料发放及时性", "及时", "达成指标", "10.00", "10.00", level2="时效指标")
    stacked = indicator(
        "培训资料发放及时性 培训场地安排及时性",
        "及时",
        "达成指标",
        "20.00",
        "20.00",
        level1="效益指标",
        level2="社会效益指标",
        line=15,
    )
    other = replace(other, source=Source(FILE, line=14))
    return replace_indicator(replace_indicator(self_evaluation(), 4, other), 5, stacked)


def _spaced_names() -> Form:
    spaced = indicator(
        "培训 场地安排及时性",
        "及时",
        "达成指标",
        "10.00",
        "10.00",
        level2="时效指标",
        line=14,
    )
    return replace_indicator(self_evaluation(), 4, spaced)


MUST_RAISE = [
    # BT001 large-budget-adjustment
    must_raise(
        _budget("150.00"),
        "large-budget-adjustment",
        field="funds.total.adjusted",
        id="BT001-cut-by-a-third",
    ),
    must_raise(
        _budget("0.00"),
        "large-budget-adjustment",
        field="funds.total.adjusted",
        id="BT001-new-in-the-year",
    ),
    must_raise(
        _budget("100.00", adjusted="130.00", executed="123.50"),
        "large-budget-adjustment",
        field="funds.total.adjusted",
        id="BT001-raised-by-exactly-30-percent",
    ),
    must_raise(
        _budget("142.86"),
        "large-budget-adjustment",
        field="funds.total.adjusted",
        id="BT001-cut-just-past-30-percent",
    ),
    must_raise(
        _budget("10.00"),
        "large-budget-adjustment",
        field="funds.total.adjusted",
        id="BT001-tenfold",
    ),
    # BT002 low-execution-rate
    must_raise(
        _budget("100.00", executed="89.02", rate="89.02", score="8.90"),
        "low-execution-rate",
        field="funds.total.rate",
        id="BT002-89-percent",
    ),
    must_raise(
        _budget("100.00", executed="89.99", rate="89.99", score="9.00"),
        "low-execution-rate",
        field="funds.total.rate",
        id="BT002-a-cent-under-90",
    ),
    must_raise(
        _budget("100.00", executed="85.00", rate=None, score="8.50"),
        "low-execution-rate",
        field="funds.total.rate",
        id="BT002-rate-not-printed",
    ),
    must_raise(
        _budget("100.00", executed="0.00", rate="0.00", score="0.00"),
        "low-execution-rate",
        field="funds.total.rate",
        id="BT002-nothing-spent",
    ),
    must_raise(
        _budget("100.00", executed="89.99", rate="89.99", score="8.99"),
        "low-execution-rate",
        field="funds.total.rate",
        profile="shanghai",
        id="BT002-shanghai",
    ),
    # BT004 goal-actual-repeats-expected
    must_raise(
        _goals(actual=_EXPECTED),
        "goal-actual-repeats-expected",
        field="goal_actual",
        id="BT004-identical",
    ),
    must_raise(
        _goals(actual=_EXPECTED + "执行率95%。"),
        "goal-actual-repeats-expected",
        field="goal_actual",
        id="BT004-copy-and-a-rate",
    ),
    must_raise(
        _goals(
            actual="全年举办培训4场，培训120人，考核合格率95%，执行率95%；" + _EXPECTED,
        ),
        "goal-actual-repeats-expected",
        field="goal_actual",
        id="BT004-results-then-the-goal-restated",
    ),
    must_raise(
        _goals(actual="计划培训100人；培训对象满意度达90%；提升企业的政策知晓率"),
        "goal-actual-repeats-expected",
        field="goal_actual",
        id="BT004-re-punctuated",
    ),
    # BT005 garbled-text
    must_raise(
        _goals(expected="政策宣传政策宣传全覆盖。"),
        "garbled-text",
        field="goal_expected",
        id="BT005-repeated-run",
    ),
    must_raise(
        _goals(actual="完成培训120人，实现全覆盖。覆盖。"),
        "garbled-text",
        field="goal_actual",
        id="BT005-sentence-fragment",
    ),
    must_raise(
        _goals(expected="孵化基地补贴9个，开办费补贴7个，见习补贴个，落地补贴21个。"),
        "garbled-text",
        field="goal_expected",
        id="BT005-item-without-its-number",
    ),
    must_raise(
        declaration(goal_annual="开展就业援助开展就业援助活动，帮扶困难人员就业。"),
        "garbled-text",
        field="goal_annual",
        id="BT005-declaration-annual-goal",
    ),
    must_raise(
        declaration(goal_overall="三年内建成覆盖全区的就业服务体系。服务体系。"),
        "garbled-text",
        field="goal_overall",
        id="BT005-declaration-overall-goal",
    ),
    must_raise(
        _named(3, "培训合格率合格率"),
        "garbled-text",
        indicator="培训合格率合格率",
        field="name",
        id="BT005-indicator-name",
    ),
    must_raise(
        _named(2, "培训人数", note="部分学员未参加考核部分学员未参加考核", score="18.00"),
        "garbled-text",
        indicator="培训人数",
        field="note",
        id="BT005-deviation-note",
    ),
    must_raise(
        _stacked(),
        "garbled-text",
        indicator="培训资料发放及时性 培训场地安排及时性",
        field="name",
        id="BT005-stacked-names",
    ),
    # BT006 wrong-year-in-text
    must_raise(
        _goals(expected="2023年预计送达文书12000份。"),
        "wrong-year-in-text",
        field="goal_expected",
        id="BT006-last-years-estimate",
    ),
    must_raise(
        _goals(expected="根据工作安排，2022年计划培训100人。"),
        "wrong-year-in-text",
        field="goal_expected",
        id="BT006-two-years-old-plan",
    ),
    must_raise(
        declaration(goal_annual="2024年拟开展职业技能培训3期。"),
        "wrong-year-in-text",
        field="goal_annual",
        id="BT006-declaration",
    ),
    must_raise(
        _goals(expected="2023年度目标：培训100人。"),
        "wrong-year-in-text",
        field="goal_expected",
        id="BT006-year-of-the-target",
    ),
    must_raise(
        _goals(expected="按照2023年的计划完成送达工作。"),
        "wrong-year-in-text",
        field="goal_expected",
        id="BT006-the-plan-of-a-year",
    ),
]

NEAR_MISSES = [
    # BT001
    near_miss(_budget("120.00"), "large-budget-adjustment", id="BT001-cut-by-a-sixth"),
    near_miss(_budget("142.85"), "large-budget-adjustment", id="BT001-cut-just-under-30-percent"),
    near_miss(
        _budget("100.00", adjusted="129.99", executed="123.49"),
        "large-budget-adjustment",
        id="BT001-raised-just-under-30-percent",
    ),
    near_miss(
        _budget("0.00", adjusted="0.00", executed="0.00", rate="0.00", score="0.00"),
        "large-budget-adjustment",
        id="BT001-no-budget-at-all",
    ),
    near_miss(_budget(None), "large-budget-adjustment", id="BT001-initial-not-printed"),
    # BT002
    near_miss(
        _budget("100.00", executed="90.00", rate="90.00", score="9.00"),
        "low-execution-rate",
        id="BT002-exactly-90",
    ),
    near_miss(
        _budget("100.00", executed="90.00", rate="90", score="9.00"),
        "low-execution-rate",
        id="BT002-90-printed-whole",
    ),
    near_miss(
        _budget("100.00", executed="105.00", rate="105.00", score="10.00"),
        "low-execution-rate",
        id="BT002-over-spent",
    ),
    near_miss(
        _budget("0.00", adjusted="0.00", executed="0.00", rate=None, score="0.00"),
        "low-execution-rate",
        id="BT002-no-rate-without-a-budget",
    ),
    # BT004
    near_miss(
        _goals(expected="完成培训任务。", actual="完成培训任务。"),
        "goal-actual-repeats-expected",
        id="BT004-goal-too-short-to-judge",
    ),
    near_miss(
        _goals(actual="全年举办培训4场，培训120人，满意度92%，提升企业的政策知晓率。"),
        "goal-actual-repeats-expected",
        id="BT004-results-sharing-one-clause",
    ),
    near_miss(
        _goals(actual="计划培训100人，培训对象满意度达90%。实际培训120人，满意度92%。"),
        "goal-actual-repeats-expected",
        id="BT004-two-of-three-clauses",
    ),
    near_miss(_goals(actual=None), "goal-actual-repeats-expected", id="BT004-no-actual-text"),
    # BT005
    near_miss(
        _goals(expected="这个项目研究研究再定，每个企业一个名额。"),
        "garbled-text",
        id="BT005-doubled-verb",
    ),
    near_miss(
        _goals(expected="补贴各个企业，每个企业一个名额，覆盖这个、那个街道。"),
        "garbled-text",
        id="BT005-measure-words-after-determiners",
    ),
    near_miss(
        _goals(expected="孵化基地补贴9个，见习补贴个，落地补贴若干。"),
        "garbled-text",
        id="BT005-one-numbered-item-only",
    ),
    near_miss(
        _goals(actual="全年宣传覆盖全区。覆盖面广，效果明显。"),
        "garbled-text",
        id="BT005-sentence-starts-like-the-last-ended",
    ),
    near_miss(
        _goals(expected="覆盖街道3个、社区12个，惠及企业多个。"),
        "garbled-text",
        id="BT005-several-in-words",
    ),
    near_miss(
        _goals(expected="服务企业3家、机构5家，惠及企业上千家。"),
        "garbled-text",
        id="BT005-thousands-in-words",
    ),
    near_miss(
        _goals(expected="新建站点3个、驿站5个，改造若干个，新增10余个。"),
        "garbled-text",
        id="BT005-some-and-over-ten",
    ),
    near_miss(_spaced_names(), "garbled-text", id="BT005-a-name-with-a-space"),
    near_miss(
        _goals(expected="一人一档，一户一策，人人持证，技能就业。"),
        "garbled-text",
        id="BT005-parallel-phrases",
    ),
    # BT006
    near_miss(
        _goals(expected="2024年预计送达文书12000份。"), "wrong-year-in-text", id="BT006-this-year"
    ),
    near_miss(
        _goals(expected="2026年力争实现全覆盖。"), "wrong-year-in-text", id="BT006-a-later-aim"
    ),
    near_miss(
        _goals(expected="根据沪人社规〔2023〕22号文件，落实补贴。"),
        "wrong-year-in-text",
        id="BT006-document-number",
    ),
    near_miss(
        _goals(expected="自2016年起推行邮寄送达制度，2024年预计送达12000份。"),
        "wrong-year-in-text",
        id="BT006-since-a-year",
    ),
    near_miss(
        _goals(expected="该项目2023年运维合同尾款已支付。"),
        "wrong-year-in-text",
        id="BT006-a-past-fact",
    ),
    near_miss(
        _goals(actual="完成培训120人。2023年计划的项目已全部完成。"),
        "wrong-year-in-text",
        id="BT006-actual-text-not-checked",
    ),
    near_miss(
        declaration(goal_annual="2025年计划培训100人。"),
        "wrong-year-in-text",
        id="BT006-declaration-its-year",
    ),
]


@pytest.mark.parametrize(MUST_RAISE_ARGS, MUST_RAISE)
def test_must_raise(
    form: Form, kind: str, indicator: str | None, field: str | None, line: int | None, profile: str
) -> None:
    raised(form, kind, indicator=indicator, field=field, line=line, profile=profile)


@pytest.mark.parametrize(NEAR_MISS_ARGS, NEAR_MISSES)
def test_near_miss(form: Form, kind: str, profile: str) -> None:
    assert findings(form, kind, profile) == []


@pytest.mark.parametrize(
    ("actual", "severity"),
    [
        (_EXPECTED, Severity.WARNING),
        ("全年举办培训4场，培训120人，考核合格率95%，执行率95%；" + _EXPECTED, Severity.INFO),
    ],
)
def test_copy_severity_follows_the_share_of_the_actual_text(
    actual: str, severity: Severity
) -> None:
    (finding,) = findings(_goals(actual=actual), "goal-actual-repeats-expected")
    assert finding.severity is severity


# --- RV001 rule-crashed: the review engine -------------------------------------------------


def _raises(exc: Exception) -> Check:
    def check(ctx: FormContext) -> Iterator[Finding]:
        raise exc
        yield  # pragma: no cover

    return check


def _raises_at(name: str) -> Check:
    """A check that works through the indicators and fails at the one named `name`."""

    def check(ctx: FormContext) -> Iterator[Finding]:
        for facts in ctx.facts:
            if facts.indicator.name == name:
                raise ValueError(f"cannot read {facts.indicator.target!r}")
        return
        yield  # pragma: no cover

    return check


def _quiet(ctx: FormContext) -> Iterator[Finding]:
    return
    yield  # pragma: no cover


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Lets a test put a rule of its own in place of a registered one."""
    review_module._rules_for.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    review_module._rules_for.cache_clear()


def _with_rule(registry: pytest.MonkeyPatch, code: str, rule: Rule) -> None:
    rules = tuple(rule if r.code == code else r for r in RULES)
    registry.setattr(review_module, "RULES", rules)
    review_module._rules_for.cache_clear()


def _entry(code: str) -> Rule:
    return next(r for r in RULES if r.code == code)


_BLANK = Indicator("产出指标", "数量指标", "培训人数", None, source=Source(FILE, line=12))

CRASHES = [
    pytest.param(self_evaluation(), "AR001", _raises(ZeroDivisionError("boom")), SELF, id="self"),
    pytest.param(declaration(), "ID012", _raises(KeyError("成本指标")), DECLARATION, id="decl"),
    pytest.param(self_evaluation(), "ID001", _raises_at("培训合格率"), BOTH, id="at-one-indicator"),
    pytest.param(
        declaration(), "BT006", _raises(AttributeError("goal_annual")), BOTH, id="decl-text-rule"
    ),
]


@pytest.mark.parametrize(("form", "code", "check", "forms"), CRASHES)
def test_rule_crashed_must_raise(
    registry: pytest.MonkeyPatch, form: Form, code: str, check: Check, forms: frozenset[FormKind]
) -> None:
    original = _entry(code)
    _with_rule(registry, code, Rule(original.entry, check, forms))
    crashed = [f for f in review(form).findings if f.kind == "rule-crashed"]
    assert len(crashed) == 1
    (finding,) = crashed
    assert finding.code == "RV001" and finding.severity is Severity.ERROR
    assert code in finding.message and original.kind in finding.message
    # The review of the form is incomplete: the finding is on the form as a whole, at its
    # title line, naming no indicator and no field (the rule, not a cell, failed).
    assert finding.form == 1 and finding.line == form.source.line
    assert finding.indicator is None and finding.field is None


def test_no_crash_without_a_failing_rule(registry: pytest.MonkeyPatch) -> None:
    _with_rule(registry, "AR001", Rule(_entry("AR001").entry, _quiet, SELF))
    assert findings(self_evaluation(), "rule-crashed") == []


def test_a_disabled_rule_does_not_crash_the_review(registry: pytest.MonkeyPatch) -> None:
    original = _entry("AR001")
    _with_rule(registry, "AR001", Rule(original.entry, _raises(ZeroDivisionError("x")), SELF))
    quiet = replace(load_profile("national-2020"), disabled_rules=frozenset({"total-not-sum"}))
    assert findings(self_evaluation(), "rule-crashed", quiet) == []


def test_a_rule_for_the_other_kind_of_form_does_not_run(registry: pytest.MonkeyPatch) -> None:
    original = _entry("AR001")
    _with_rule(registry, "AR001", Rule(original.entry, _raises(ZeroDivisionError("x")), SELF))
    assert findings(declaration(), "rule-crashed") == []


@pytest.mark.parametrize(
    "form",
    [
        pytest.param(
            self_evaluation(
                funds=funds(total=funds_row(None, None, None, None)),
                indicators=(replace(_BLANK, actual=None),),
                total_weight=None,
                total_score=None,
                grade=None,
                goal_expected=None,
                goal_actual=None,
            ),
            id="self-evaluation-with-every-cell-empty",
        ),
        pytest.param(
            declaration(
                indicators=(_BLANK,),
                goal_annual=None,
            ),
            id="declaration-with-one-empty-indicator",
        ),
        pytest.param(
            self_evaluation(
                funds=funds(total=funds_row("0.00", "0.00", "0.00", "0.00", "0.00", "0.00")),
                indicators=(
                    indicator("培训人数", "≥0(人)", "0(人)", "0.00", "0.00"),
                    indicator("培训合格率", "<0(%)", "-5(%)", "0.00", "0.00", level2="质量指标"),
                ),
                total_weight=Decimal("0.00"),
                total_score=Decimal("0.00"),
                grade="差",
            ),
            id="self-evaluation-of-zeros",
        ),
    ],
)
def test_real_rules_do_not_crash_on_odd_forms(form: Form) -> None:
    assert findings(form, "rule-crashed") == []
