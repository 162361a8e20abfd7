"""BT… rules: positive and negative cases on tiny inline forms."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.findings import Severity
from tests.rules.forms import (
    declaration,
    findings,
    funds,
    funds_row,
    indicator,
    replace_indicator,
    self_evaluation,
    with_total,
)


def test_large_budget_adjustment() -> None:
    total = with_total(initial="150.00")
    form = self_evaluation(
        funds=funds(total=total, appropriation=funds_row("150.00", "100.00", "95.00", "95.00"))
    )
    [finding] = findings(form, "large-budget-adjustment")
    assert finding.severity is Severity.INFO and "−33.33%" in finding.message


def test_initial_budget_zero() -> None:
    total = with_total(initial="0.00")
    form = self_evaluation(
        funds=funds(total=total, appropriation=funds_row("0.00", "100.00", "95.00", "95.00"))
    )
    [finding] = findings(form, "large-budget-adjustment")
    assert "年初预算数为 0" in finding.message


def test_small_budget_adjustment() -> None:
    total = with_total(initial="120.00")
    form = self_evaluation(
        funds=funds(total=total, appropriation=funds_row("120.00", "100.00", "95.00", "95.00"))
    )
    assert findings(form, "large-budget-adjustment") == []


def test_low_execution_rate() -> None:
    total = with_total(executed="89.02", rate="89.02", score="8.90")
    form = self_evaluation(
        funds=funds(total=total, appropriation=funds_row("100.00", "100.00", "89.02", "89.02")),
        total_score=Decimal("98.90"),
        goal_actual="完成培训120人。",
    )
    [finding] = findings(form, "low-execution-rate")
    assert finding.field == "funds.total.rate" and "89.02%" in finding.message
    assert findings(self_evaluation(), "low-execution-rate") == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("达成预期目标，执行率100%。", "执行率100%"),
        ("全年总支出80.15万元。", "全年执行数为 95"),
        ("完成培训120人，培训合格率达到100%。", "培训合格率"),
        ("完成培训120人，群众满意度达100%。", "培训对象满意度"),
        ("培训人数150人。", "培训人数"),
    ],
)
def test_text_contradicts_table(text: str, fragment: str) -> None:
    [finding] = findings(self_evaluation(goal_actual=text), "text-contradicts-table")
    assert fragment in finding.message and "实际完成情况写" in finding.message
    # About an indicator: its 实际完成值 cell; about the funds: the text itself.
    assert finding.field == ("goal_actual" if finding.indicator is None else "actual")


@pytest.mark.parametrize(
    "text",
    [
        "达成预期目标，执行率95.0%。",
        "执行率 95%，全年支出95.00万元。",
        "培训合格率达到90%以上。",
        "培训人数约150人。",
        "完成培训120人次，高技能人才培养补贴37家。",
    ],
)
def test_text_agrees_with_table(text: str) -> None:
    assert findings(self_evaluation(goal_actual=text), "text-contradicts-table") == []


def test_expected_text_against_targets() -> None:
    form = self_evaluation(goal_expected="计划培训100人，培训对象满意度达100%。")
    [finding] = findings(form, "text-contradicts-table")
    assert finding.field == "target" and "≥90.00(%)" in finding.message
    assert "预期目标写" in finding.message
    decl = declaration(goal_annual="培训合格率达到95%。")
    [finding] = findings(decl, "text-contradicts-table")
    assert finding.field == "target" and "年度总体目标写" in finding.message


def test_goal_actual_repeats_expected() -> None:
    expected = "通过开展培训，提升劳动者技能水平，培训对象满意度达90%。"
    form = self_evaluation(goal_expected=expected, goal_actual=expected + "执行率95%。")
    [finding] = findings(form, "goal-actual-repeats-expected")
    assert finding.field == "goal_actual" and finding.severity is Severity.WARNING


def test_results_followed_by_the_restated_goal_are_a_note() -> None:
    expected = "通过开展培训，提升劳动者技能水平，培训对象满意度达90%。"
    actual = "全年举办培训4场，培训120人，考核合格率95%，执行率95%；" + expected
    [finding] = findings(
        self_evaluation(goal_expected=expected, goal_actual=actual), "goal-actual-repeats-expected"
    )
    assert finding.severity is Severity.INFO


def test_goal_actual_that_reports_results() -> None:
    form = self_evaluation(
        goal_expected="通过开展培训，提升劳动者技能水平，培训对象满意度达90%。",
        goal_actual="全年举办培训4场，培训120人，提升劳动者技能水平，满意度92%。",
    )
    assert findings(form, "goal-actual-repeats-expected") == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("政策宣传政策宣传全覆盖。覆盖。", "紧邻重复"),
        ("政策宣传全覆盖。覆盖。", "残片"),
        ("孵化基地补贴9个，开办费补贴7个，见习补贴个，落地补贴21个。", "缺少数字"),
    ],
)
def test_garbled_text(text: str, fragment: str) -> None:
    [finding] = findings(self_evaluation(goal_expected=text), "garbled-text")
    assert fragment in finding.message and finding.field == "goal_expected"


def test_text_that_is_not_garbled() -> None:
    text = "这个项目补贴各个企业，每个企业一个名额；研究研究再定。全年宣传覆盖全区。"
    assert findings(self_evaluation(goal_expected=text), "garbled-text") == []


def test_stacked_indicator_names() -> None:
    form = self_evaluation()
    stacked = indicator(
        "培训资料发放及时性 培训场地安排及时性",
        "及时",
        "达成指标",
        "10.00",
        "10.00",
        level2="时效指标",
    )
    other = indicator("培训资料发放及时性", "及时", "达成指标", "10.00", "10.00", level2="时效指标")
    form = replace_indicator(replace_indicator(form, 4, other), 5, stacked)
    kinds = [f for f in findings(form, "garbled-text") if f.field == "name"]
    assert len(kinds) == 1


def test_wrong_year_in_text() -> None:
    form = self_evaluation(goal_expected="2023年预计送达文书12000份。")
    [finding] = findings(form, "wrong-year-in-text")
    assert "2023" in finding.message


@pytest.mark.parametrize(
    "text",
    [
        "2024年预计送达文书12000份。",
        "根据沪人社规〔2023〕22号文件，落实补贴。",
        "自2016年起推行邮寄送达制度。",
        "该项目2023年运维合同尾款已支付。",
    ],
)
def test_other_years_that_are_fine(text: str) -> None:
    assert findings(self_evaluation(goal_expected=text), "wrong-year-in-text") == []
