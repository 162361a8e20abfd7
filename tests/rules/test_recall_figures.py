"""Recall suite for BT003 text-contradicts-table: figures in the text against the table.

The base form (tests/rules/forms.py) executes 95.00 of 100.00 万元 (95.00%), trains 120
people against ≥100, passes 95% of them against ≥90% and satisfies 92% against ≥90%.
Each must-raise text states one of those differently; each near miss states it within
the precision it was written to, or speaks of something else. A contradiction about an
indicator names that indicator, so that it shows at the indicator's row.
"""

from __future__ import annotations

import pytest

from tests.rules.forms import declaration, findings, indicator, replace_indicator, self_evaluation

ABOUT_AN_INDICATOR = [
    # (goal_actual, the indicator it contradicts)
    ("培训人数150人。", "培训人数"),
    ("完成培训120人，培训合格率达到100%。", "培训合格率"),
    ("合格率达到80%。", "培训合格率"),  # by the measured thing
    ("群众满意度达100%。", "培训对象满意度"),  # the form's one satisfaction measure
    ("服务对象满意率为85%。", "培训对象满意度"),
    ("人均培训成本为600元。", "人均培训成本"),
    ("人均培训成本0.06万元。", "人均培训成本"),  # 600 元 in 万元
    ("培训人数不足100人。", "培训人数"),  # at most 100, the table says 120
    ("参训人数达到130人以上。", "培训人数"),  # 人数 is what both count
    ("人均培训成本不超过450元。", "人均培训成本"),  # at most 450, the table says 480
    ("人均培训成本控制在0.045万元以内。", "人均培训成本"),
]


@pytest.mark.parametrize(
    ("text", "name"), ABOUT_AN_INDICATOR, ids=[c[0] for c in ABOUT_AN_INDICATOR]
)
def test_a_figure_contradicting_its_indicator(text: str, name: str) -> None:
    [finding] = findings(self_evaluation(goal_actual=text), "text-contradicts-table")
    assert finding.indicator == name and finding.field == "actual"
    assert finding.message.startswith("第1张表：实际完成情况写")
    assert finding.line == next(
        i.source.line for i in self_evaluation().indicators if i.name == name
    )


def test_the_thing_counted_after_the_number() -> None:
    form = replace_indicator(
        self_evaluation(goal_actual="全年举行8场公益性招聘会。"),
        2,
        indicator("公益性招聘会计划完成数", "=5(场)", "11(场)"),
    )
    [finding] = findings(form, "text-contradicts-table")
    assert finding.indicator == "公益性招聘会计划完成数"


def test_a_remark_between_the_name_and_its_figure() -> None:
    form = replace_indicator(
        self_evaluation(goal_expected="促进仲裁文书送达率（除退信、拒收外）达到100%。"),
        3,
        indicator("仲裁文书准确送达率", "≥95.00(%)", "95.00(%)", level2="质量指标"),
    )
    [finding] = findings(form, "text-contradicts-table")
    assert finding.field == "target" and finding.indicator == "仲裁文书准确送达率"
    assert "预期目标写" in finding.message


ABOUT_THE_FUNDS = [
    ("达成预期目标，执行率100%。", "执行率"),
    ("全年总支出80.15万元。", "全年执行数"),
    ("实际执行金额850000元。", "全年执行数"),
    ("累计支出90万。", "全年执行数"),
    ("全年支出95.00万元，其中培训费50.00万元、资料费30.00万元。", "合计 80"),
]


@pytest.mark.parametrize(("text", "fragment"), ABOUT_THE_FUNDS, ids=[c[0] for c in ABOUT_THE_FUNDS])
def test_a_figure_contradicting_the_funds(text: str, fragment: str) -> None:
    [finding] = findings(self_evaluation(goal_actual=text), "text-contradicts-table")
    assert fragment in finding.message and finding.field == "goal_actual"
    assert finding.indicator is None


NEAR_MISSES = [
    "达成预期目标，执行率95.0%。",
    "执行率 95%，全年支出95.00万元。",
    "实际执行金额950000元。",
    "全年支出95万元，其中培训费65万元、资料费30万元。",
    "培训合格率达到90%以上。",  # at least 90: the table's 95 agrees
    "培训人数约150人。",  # approximate
    "培训人数达到120人，参训人员满意度92%。",
    "完成培训120人次，高技能人才培养补贴37家。",  # no indicator counts them
    "人均培训成本0.048万元。",
    "培训人数不少于100人。",
    "人均培训成本不超过500元。",
    "人均培训成本不高于0.05万元。",
    "发放补贴2000人次，完成走访300户。",
    "2024年3月19日开展培训，沪人社规〔2024〕7号。",  # dates and document numbers
]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_a_figure_that_agrees_or_speaks_of_something_else(text: str) -> None:
    assert findings(self_evaluation(goal_actual=text), "text-contradicts-table") == []


def test_two_indicators_measuring_the_same_thing_are_not_guessed() -> None:
    form = replace_indicator(
        self_evaluation(goal_actual="合格率达到80%。"),
        4,
        indicator("设备验收合格率", "≥90(%)", "95(%)", level2="质量指标"),
    )
    assert findings(form, "text-contradicts-table") == []


def test_expected_texts_against_targets() -> None:
    form = self_evaluation(goal_expected="计划培训100人，培训对象满意度达100%。")
    [finding] = findings(form, "text-contradicts-table")
    assert finding.field == "target" and finding.indicator == "培训对象满意度"
    [finding] = findings(declaration(goal_annual="培训合格率达到95%。"), "text-contradicts-table")
    assert finding.field == "target" and "年度总体目标写" in finding.message
    assert finding.indicator == "培训合格率"
    assert findings(declaration(goal_annual="培训合格率达到90%。"), "text-contradicts-table") == []
