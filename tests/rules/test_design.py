"""ID… rules: positive and negative cases on tiny inline forms."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.model import Declaration, Indicator, SelfEvaluation
from tests.rules.forms import (
    declaration,
    findings,
    indicator,
    replace_indicator,
    self_evaluation,
    target_only,
)


def _with(ind: Indicator, position: int = 2) -> SelfEvaluation:
    return replace_indicator(self_evaluation(), position, ind)


def _cost(target: str, actual: str = "480.00(元/人)", name: str = "人均培训成本") -> Indicator:
    return indicator(
        name, target, actual, "10.00", "10.00", level1="成本指标", level2="经济成本指标", line=11
    )


def test_cost_indicator_wrong_direction() -> None:
    [finding] = findings(
        _with(_cost("≥140.00(元/个)", "150.00(元/个)"), 1), "cost-indicator-wrong-direction"
    )
    assert finding.code == "ID001" and finding.indicator == "人均培训成本" and finding.line == 11
    assert finding.field == "target"


def test_cost_saving_rate_may_be_floored() -> None:
    form = _with(_cost("≥5.00(%)", "6.00(%)", name="成本节约率"), 1)
    assert findings(form, "cost-indicator-wrong-direction") == []
    assert findings(self_evaluation(), "cost-indicator-wrong-direction") == []


def test_quantity_indicator_wrong_direction() -> None:
    form = _with(indicator("常规发放人数", "≤1167.00(人)", "1167.00(人)", line=12))
    [finding] = findings(form, "quantity-indicator-wrong-direction")
    assert finding.line == 12


@pytest.mark.parametrize("name", ["系统故障次数", "有责投诉件数", "系统故障平均恢复时长"])
def test_capped_bad_events_and_durations_are_not_wrong_direction(name: str) -> None:
    form = _with(indicator(name, "≤1.00(次)", "0.00(次)"))
    assert findings(form, "quantity-indicator-wrong-direction") == []


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("培训对象满意度", "≤90.00(%)"),
        ("培训合格率", "≤100.00(%)"),
        ("有责投诉率", "≥1.00(%)"),
        ("培训完成率", "≥120.00(%)"),
        ("监测数据有效率", "≤90.00(%)"),
        ("空气质量优良天数比例", "≤80.00(%)"),
        ("不合格产品比例", "≥5.00(%)"),
    ],
)
def test_indicator_wrong_direction(name: str, target: str) -> None:
    form = _with(indicator(name, target, "95.00(%)", level2="质量指标"))
    assert len(findings(form, "indicator-wrong-direction")) == 1


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("培训对象满意度", "≥90.00(%)"),
        ("有责投诉率", "≤1.00(%)"),
        ("就业人数增长率", "≥150.00(%)"),
        ("空气质量优良天数比例", "≥80.00(%)"),
        ("不合格产品比例", "≤5.00(%)"),
    ],
)
def test_right_directions(name: str, target: str) -> None:
    form = _with(indicator(name, target, "95.00(%)", level2="质量指标"))
    assert findings(form, "indicator-wrong-direction") == []


@pytest.mark.parametrize(
    ("ind", "fragment"),
    [
        (indicator("征地养老资金应发实发率", "=23000.00(人)", "22947.00(人)"), "以「人」计量"),
        (_cost("≤2.87(2.87)", "1.77(2.87)"), "是一个数字"),
        (_cost("≥1485.00(件)", "908.00(件)", name="专家人均费用"), "金额以「件」计量"),
        (_cost("=233.91(万)", "213.83(万)", name="各项人工成本"), "货币单位不完整"),
        (indicator("培训人数", "≥100(人)", "120(人次)"), "单位「人」与实际完成值单位「人次」不同"),
    ],
)
def test_unit_mismatch(ind: Indicator, fragment: str) -> None:
    [finding] = findings(_with(ind, 1 if ind.level1 == "成本指标" else 2), "unit-mismatch")
    assert fragment in finding.message


def test_units_that_fit() -> None:
    form = _with(_cost("=233.91(万元)", "233.91(万元)", name="人工成本总额"), 1)
    assert findings(form, "unit-mismatch") == []
    assert findings(self_evaluation(), "unit-mismatch") == []


def test_missing_unit() -> None:
    form = _with(_cost("=8400", "8400", name="每人每月生活补贴"), 1)
    [finding] = findings(form, "missing-unit")
    assert "=8400" in finding.message
    assert findings(self_evaluation(), "missing-unit") == []


@pytest.mark.parametrize("target", ["≥", "", None, "≥ 个"])
def test_missing_target_value(target: str | None) -> None:
    form = _with(indicator("推送简历数量", target, "5000.00(份)"))
    assert len(findings(form, "missing-target-value")) == 1


def test_target_repeats_name() -> None:
    form = _with(
        indicator("培训及时性", "培训及时性", "达成指标", "10.00", "10.00", level2="时效指标"), 4
    )
    assert len(findings(form, "target-repeats-name")) == 1
    assert findings(self_evaluation(), "target-repeats-name") == []


@pytest.mark.parametrize("actual", ["≥10(人)", "=8400", "=100%", "不少于10人"])
def test_actual_written_as_target(actual: str) -> None:
    form = _with(indicator("培训人数", "≥10(人)", actual))
    [finding] = findings(form, "actual-written-as-target")
    assert finding.field == "actual"


def test_actual_with_a_trailing_qualifier_is_a_value() -> None:
    form = _with(indicator("培训合格率", "≥90.00(%)", "95%以上", level2="质量指标"), 3)
    assert findings(form, "actual-written-as-target") == []


def test_duplicate_indicator_name() -> None:
    form = _with(indicator("培训合格率", "≥90.00(%)", "95.00(%)", level2="质量指标"))
    [finding] = findings(form, "duplicate-indicator-name")
    assert "第 2 项" in finding.message or "第 3 项" in finding.message
    assert findings(self_evaluation(), "duplicate-indicator-name") == []


@pytest.mark.parametrize(
    ("ind", "fragment"),
    [
        (
            indicator(
                "鉴定覆盖率", "=100.00(%)", "100.00(%)", level1="效益指标", level2="生态效益指标"
            ),
            "生态",
        ),
        (indicator("运维完成及时率", "=100.00(%)", "100.00(%)", level2="质量指标"), "时效指标"),
        (indicator("核查信息真实完整", "真实完整", "达成指标", level2="时效指标"), "不涉及时间"),
        (
            indicator(
                "被调查者满意度", "满意", "达成指标", level1="效益指标", level2="社会效益指标"
            ),
            "满意度",
        ),
        (
            indicator(
                "后期跟踪服务制度建立",
                "建立",
                "达成指标",
                level1="满意度指标",
                level2="服务对象满意度指标",
            ),
            "满意度",
        ),
        (indicator("开展培训场次", "=5.00(场)", "5.00(场)", level2="质量指标"), "数量指标"),
        (indicator("系统故障平均恢复时长", "≤1.00(小时)", "1.00(小时)"), "时效指标"),
        (indicator("培训人数", "≥100(人)", "120(人)", level2="社会效益指标"), "不属于"),
        (
            indicator(
                "资金使用情况", "合规", "达成指标", level1="可持续影响指标", level2="可持续影响指标"
            ),
            "不在指标框架",
        ),
        (
            indicator(
                "按时完成审计任务", "按时完成", "达成指标", level1="效益指标", level2="社会效益指标"
            ),
            "产出指标",
        ),
    ],
)
def test_indicator_misclassified(ind: Indicator, fragment: str) -> None:
    [finding] = findings(_with(ind), "indicator-misclassified")
    assert fragment in finding.message


@pytest.mark.parametrize(
    "ind",
    [
        indicator("外出绿色出行", "低能耗", "达成指标", level1="效益指标", level2="生态效益指标"),
        indicator("鉴定结论准确及时", "及时", "达成指标", level2="质量指标"),
        indicator("运维故障发生次数", "=0.00(次)", "0.00(次)", level2="质量指标"),
        indicator("数据库系统定期维护情况", "定期", "达成指标", level2="时效指标"),
        indicator("培训成本", "≤10.00(万元)", "9.00(万元)", level1="产出指标", level2="成本指标"),
    ],
)
def test_indicator_classified_plausibly(ind: Indicator) -> None:
    assert findings(_with(ind), "indicator-misclassified") == []


def test_zero_weight_indicator() -> None:
    zero = indicator(
        "成本控制有效性",
        "有效",
        "达成指标",
        "0.00",
        "0.00",
        level1="成本指标",
        level2="经济成本指标",
    )
    form = _with(zero, 1)
    [finding] = findings(form, "zero-weight-indicator")
    assert finding.field == "weight"
    assert findings(self_evaluation(), "zero-weight-indicator") == []


def _declaration_without(level1: str) -> Declaration:
    base = declaration()
    return declaration(indicators=tuple(i for i in base.indicators if i.level1 != level1))


@pytest.mark.parametrize(
    ("level1", "kind"),
    [
        ("成本指标", "missing-cost-indicator"),
        ("满意度指标", "missing-satisfaction-indicator"),
        ("效益指标", "missing-benefit-indicator"),
    ],
)
def test_declaration_missing_level1(level1: str, kind: str) -> None:
    form = _declaration_without(level1)
    [finding] = findings(form, kind)
    assert finding.field == "indicators"
    assert findings(declaration(), kind) == []


def test_cost_as_a_second_level_is_enough_for_the_national_profile_only() -> None:
    base = declaration()
    indicators = (
        target_only("培训成本", "≤10.00(万元)", level1="产出指标", level2="成本指标"),
        *[i for i in base.indicators if i.level1 != "成本指标"],
    )
    form = declaration(indicators=indicators)
    assert findings(form, "missing-cost-indicator", "national-2020") == []
    assert len(findings(form, "missing-cost-indicator", "shanghai")) == 1


def test_self_evaluations_are_not_asked_for_missing_level1() -> None:
    form = self_evaluation(
        indicators=tuple(i for i in self_evaluation().indicators if i.level1 != "成本指标"),
        total_weight=Decimal("100.00"),
    )
    assert findings(form, "missing-cost-indicator") == []
