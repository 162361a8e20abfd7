"""Recall suite for ID004 unit-mismatch: units judged by what the indicator measures.

Each must-raise case is a defect a careful reviewer marks; each near miss looks like one
but is not (a rate per population, a satisfaction on a survey scale, a classifier that
counts anything). Every finding names its indicator, so it shows at the indicator's row.
"""

from __future__ import annotations

import pytest

from jixiao.model import Indicator
from tests.rules.forms import declaration, findings, indicator, replace_indicator, self_evaluation


def _cost(target: str, actual: str, name: str) -> Indicator:
    return indicator(
        name, target, actual, "10.00", "10.00", level1="成本指标", level2="经济成本指标"
    )


def _with(ind: Indicator, position: int = 2) -> object:
    return replace_indicator(self_evaluation(), position, ind)


MUST_RAISE = [
    # A share in a count unit, whatever the count.
    indicator("征地养老资金应发实发率", "=23000.00(人)", "22947.00(人)"),
    indicator("培训合格率", "≥95(件)", "96(件)", level2="质量指标"),
    indicator("宽带入户覆盖率", "≥90(户)", "95(户)"),
    indicator("系统用户使用率", "≥1000(用户)", "1200(用户)", level2="质量指标"),
    indicator("验收合格比例", "≥95(个)", "98(个)", level2="质量指标"),
    indicator("企业达标率", "≥40(家)", "45(家)", level2="质量指标"),
    indicator("群众满意度", "≥90(人)", "95(人)", level1="满意度指标", level2="服务对象满意度指标"),
    indicator("随访完成率", "≥3(次)", "3(次)", level2="质量指标"),
    indicator("监测数据有效率", "≥95(人)", "100(人)", level2="质量指标"),  # 有效率 is a share
    # An amount of money in an incomplete or foreign unit.
    _cost("=233.91(万)", "213.83(万)", "各项人工成本"),
    _cost("≤5.50(千)", "5.40(千)", "计划印刷总费用"),
    _cost("≥1485.00(件)", "908.00(件)", "专家人均费用"),
    _cost("≤2.87(2.87)", "1.77(2.87)", "人均年运维成本"),
    indicator("死亡抚恤金", "=25000(人)", "25000(人)"),
    indicator("物业管理费", "≤12(月)", "12(月)", level2="数量指标"),
    # The target and the actual in different units.
    indicator("培训人数", "≥100(人)", "120(人次)"),
    indicator("印刷宣传册数量", "≥5000(册)", "5000(份)"),
]


@pytest.mark.parametrize("ind", MUST_RAISE, ids=[i.name for i in MUST_RAISE])
def test_unit_mismatch_is_found(ind: Indicator) -> None:
    position = 1 if ind.level1 == "成本指标" else 2
    [finding] = findings(_with(ind, position), "unit-mismatch")
    assert finding.indicator == ind.name
    assert finding.line == ind.source.line


NEAR_MISSES = [
    indicator("培训合格率", "≥95(%)", "96.00(%)", level2="质量指标"),
    indicator("孕产妇死亡率", "≤10(/10万)", "8(/10万)", level2="质量指标"),
    indicator("传染病发病率", "≤5(例/万人)", "3(例/万人)", level2="质量指标"),
    indicator("不良率", "≤3(‰)", "2(‰)", level2="质量指标"),
    indicator("群众满意度", "≥90(分)", "92(分)", level1="满意度指标", level2="服务对象满意度指标"),
    indicator("巡查频率", "≥4(次/月)", "4(次/月)", level2="时效指标"),
    indicator("办案效率", "≥20(件/人)", "25(件/人)", level2="质量指标"),
    _cost("≤0.15(万元/课时)", "0.15(万元/课时)", "培训课时成本"),
    _cost("=13.12(万元/季度)", "13.12(万元/季度)", "物业管理费总额"),
    _cost("≤160000.00(元)", "153600.00(元)", "编外人员年人均人工成本"),
    _cost("≥5(%)", "6(%)", "成本节约率"),
    _cost("≤100(%)", "98(%)", "成本控制在预算内"),
    indicator("补贴发放人次", "≥1500(人次)", "5296(人次)"),
    indicator("系统故障平均恢复时长", "≤1.00(小时)", "1.00(小时)", level2="时效指标"),
    indicator("资金使用合规性", "合规", "达成指标", level2="质量指标"),
    indicator("人工成本总额", "=233.91(万元)", "233.91(万)"),
]


@pytest.mark.parametrize("ind", NEAR_MISSES, ids=[i.name for i in NEAR_MISSES])
def test_units_that_measure_what_the_name_says(ind: Indicator) -> None:
    position = 1 if ind.level1 == "成本指标" else 2
    assert findings(_with(ind, position), "unit-mismatch") == []


def test_a_social_cost_is_counted_in_its_own_units() -> None:
    ind = indicator(
        "占用耕地", "≤20(亩)", "18(亩)", "10.00", "10.00", level1="成本指标", level2="社会成本指标"
    )
    assert findings(_with(ind, 1), "unit-mismatch") == []


def test_declarations_are_judged_on_their_targets() -> None:
    form = declaration()
    bad = Indicator(
        "产出指标", "质量指标", "培训合格率", "≥95(人)", source=form.indicators[2].source
    )
    indicators = (*form.indicators[:2], bad, *form.indicators[3:])
    [finding] = findings(declaration(indicators=indicators), "unit-mismatch")
    assert finding.indicator == "培训合格率"


# --- the text counts the indicator's thing in another unit -------------------------

TEXT_RAISES = [
    # (the indicator replacing 培训人数, the 实际完成情况 text, the unit quoted)
    (indicator("计划印刷总量", "=47000(册)", "56000(册)"), "完成宣传推广印刷总计56000份。", "份"),
    (
        indicator("推送简历数量", "≥5000(人)", "5000(人)"),
        "推送简历5000份，岗位信息发布企业1759家。",
        "份",
    ),
    (indicator("培训人数", "≥600(人)", "700(人)"), "参与培训人数达到700人次。", "人次"),
    (
        indicator("初创期社保补贴计划完成数", "≥11000(人次)", "11760(人次)"),
        "其中初创期社保补贴11760人，各项补贴发放准确及时。",
        "人",
    ),
    (
        indicator("能力建设补贴培训机构成效补贴数量", "≥600(人)", "1158(人)"),
        "职业培训能力建设补贴23家、1158人次。",
        "人次",
    ),
]


@pytest.mark.parametrize(("ind", "text", "unit"), TEXT_RAISES, ids=[c[0].name for c in TEXT_RAISES])
def test_text_counting_in_another_unit(ind: Indicator, text: str, unit: str) -> None:
    form = replace_indicator(self_evaluation(goal_actual=text), 2, ind)
    [finding] = findings(form, "unit-mismatch")
    assert finding.indicator == ind.name and finding.field == "actual"
    assert "实际完成情况写" in finding.message
    assert f"以「{unit}」计" in finding.message


def test_expected_text_counting_in_another_unit() -> None:
    form = replace_indicator(
        self_evaluation(goal_expected="计划发放 2000人次的征地养老慰问经费。"),
        2,
        indicator("高龄老人慰问人数", "=2000(人)", "1880(人)"),
    )
    [finding] = findings(form, "unit-mismatch")
    assert finding.field == "target" and finding.indicator == "高龄老人慰问人数"
    assert "预期目标写" in finding.message


TEXT_NEAR_MISSES = [
    # 个 counts anything but people, 次 any event, 名 counts people as 人 does.
    (indicator("孵化基地补贴计划完成数", "=12(家)", "9(家)"), "孵化示范基地评估运营补贴9个。"),
    (indicator("举办招聘会场次", "≥10(场)", "12(场)"), "举办招聘会场次12次。"),
    (indicator("非编人员数", "=15(人)", "15(人)"), "根据相关规定发放15名非编人员经费。"),
    # Another thing with the same number, sharing no words with the name.
    (indicator("培训人数", "≥100(人)", "120(人)"), "完成走访120户。"),
    # The same unit.
    (indicator("计划印刷总量", "=47000(份)", "56000(份)"), "完成宣传推广印刷总计56000份。"),
]


@pytest.mark.parametrize(("ind", "text"), TEXT_NEAR_MISSES, ids=[c[1] for c in TEXT_NEAR_MISSES])
def test_text_counting_in_a_unit_that_agrees(ind: Indicator, text: str) -> None:
    form = replace_indicator(self_evaluation(goal_actual=text), 2, ind)
    assert findings(form, "unit-mismatch") == []
