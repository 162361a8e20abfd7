"""Recall of the ID… rules (but ID004 unit-mismatch): varied forms of both kinds that must
raise each kind, and near misses that must not (the documented exceptions: 成本节约率 for
cost direction, 投诉/故障 counts and durations for quantity direction, growth rates above
100 %, …).

Each must-raise case names the indicator the finding belongs to (its printed name and
line), or, for the declaration-wide kinds, the form field. The cases are built from the
inline forms of `forms.py`.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from jixiao.model import Declaration, Form, Indicator, SelfEvaluation, Source
from tests.rules.forms import (
    FILE,
    MUST_RAISE_ARGS,
    NEAR_MISS_ARGS,
    declaration,
    findings,
    indicator,
    must_raise,
    near_miss,
    raised,
    replace_indicator,
    self_evaluation,
)

# The base forms' indicators: 1 cost, 2 quantity, 3 quality, 4 timeliness, 5 benefit,
# 6 satisfaction (lines 11–16).
COST, QUANTITY, QUALITY, TIMELINESS, BENEFIT, SATISFACTION = range(1, 7)
_PLACE = {
    COST: ("成本指标", "经济成本指标"),
    QUANTITY: ("产出指标", "数量指标"),
    QUALITY: ("产出指标", "质量指标"),
    TIMELINESS: ("产出指标", "时效指标"),
    BENEFIT: ("效益指标", "社会效益指标"),
    SATISFACTION: ("满意度指标", "服务对象满意度指标"),
}


def _se(
    position: int,
    name: str,
    target: str | None,
    actual: str | None = None,
    *,
    level1: str | None = None,
    level2: str | None = None,
    weight: str | None = None,
    score: str | None = None,
) -> SelfEvaluation:
    """The base self-evaluation with the indicator at `position` replaced (in its place's
    categories unless others are given, with the weight it had unless another is given);
    scored full unless told otherwise."""
    l1, l2 = _PLACE[position]
    form = self_evaluation()
    old = form.indicators[position - 1]
    weight = weight if weight is not None else str(old.weight)
    new = indicator(
        name,
        target,
        actual if actual is not None else "达成指标",
        weight,
        score if score is not None else weight,
        level1=level1 or l1,
        level2=level2 or l2,
        line=old.source.line or 0,
    )
    return replace_indicator(form, position, new)


def _dc(
    position: int,
    name: str,
    target: str | None,
    *,
    level1: str | None = None,
    level2: str | None = None,
) -> Declaration:
    """The base declaration with the indicator at `position` replaced."""
    l1, l2 = _PLACE[position]
    form = declaration()
    indicators = list(form.indicators)
    line = indicators[position - 1].source.line
    indicators[position - 1] = Indicator(
        level1 or l1, level2 or l2, name, target, source=Source(FILE, line=line)
    )
    return replace(form, indicators=tuple(indicators))


def _dc_without(*level1s: str) -> Declaration:
    base = declaration()
    return replace(base, indicators=tuple(i for i in base.indicators if i.level1 not in level1s))


def _dc_with(*extra: Indicator, without: tuple[str, ...] = ()) -> Declaration:
    base = _dc_without(*without)
    return replace(base, indicators=(*extra, *base.indicators))


def _declared(name: str, target: str, level1: str, level2: str, line: int = 40) -> Indicator:
    return Indicator(level1, level2, name, target, source=Source(FILE, line=line))


MUST_RAISE = [
    # ID001 cost-indicator-wrong-direction
    must_raise(
        _se(COST, "人均培训成本", "≥140.00(元/人)", "150.00(元/人)"),
        "cost-indicator-wrong-direction",
        indicator="人均培训成本",
        id="ID001-per-head-cost-floored",
    ),
    must_raise(
        _dc(QUANTITY, "设备采购单价", ">5000(元/台)", level2="成本指标"),
        "cost-indicator-wrong-direction",
        indicator="设备采购单价",
        id="ID001-unit-price-under-output-cost",
    ),
    must_raise(
        _dc(COST, "项目总成本", "不低于50.00(万元)"),
        "cost-indicator-wrong-direction",
        indicator="项目总成本",
        id="ID001-total-cost-in-words",
    ),
    must_raise(
        _se(COST, "施工占道天数", "≥30(天)", "32(天)", level2="社会成本指标"),
        "cost-indicator-wrong-direction",
        indicator="施工占道天数",
        id="ID001-social-cost",
    ),
    must_raise(
        _dc(COST, "每人每月生活补贴", "大于等于8400(元)"),
        "cost-indicator-wrong-direction",
        indicator="每人每月生活补贴",
        id="ID001-subsidy-standard",
    ),
    must_raise(
        _dc(COST, "人均服务成本", "500元以上"),
        "cost-indicator-wrong-direction",
        indicator="人均服务成本",
        id="ID001-trailing-qualifier",
    ),
    # ID002 quantity-indicator-wrong-direction
    must_raise(
        _se(QUANTITY, "常规发放人数", "≤1167.00(人)", "1167.00(人)"),
        "quantity-indicator-wrong-direction",
        indicator="常规发放人数",
        id="ID002-people-capped",
    ),
    must_raise(
        _dc(QUANTITY, "开展培训场次", "<5(场)"),
        "quantity-indicator-wrong-direction",
        indicator="开展培训场次",
        id="ID002-sessions-under",
    ),
    must_raise(
        _dc(QUANTITY, "新增就业岗位数", "不超过200(个)"),
        "quantity-indicator-wrong-direction",
        indicator="新增就业岗位数",
        id="ID002-jobs-in-words",
    ),
    must_raise(
        _se(QUANTITY, "发放宣传册数量", "≤5000(册)", "5000(册)"),
        "quantity-indicator-wrong-direction",
        indicator="发放宣传册数量",
        id="ID002-leaflets",
    ),
    must_raise(
        _dc(QUANTITY, "受益农户数", "200户以下"),
        "quantity-indicator-wrong-direction",
        indicator="受益农户数",
        id="ID002-trailing-qualifier",
    ),
    must_raise(
        _dc(QUANTITY, "培训人数", "100人以内"),
        "quantity-indicator-wrong-direction",
        indicator="培训人数",
        id="ID002-within-a-number",
    ),
    # ID003 indicator-wrong-direction
    must_raise(
        _se(SATISFACTION, "培训对象满意度", "≤90.00(%)", "92.00(%)"),
        "indicator-wrong-direction",
        indicator="培训对象满意度",
        id="ID003-satisfaction-capped",
    ),
    must_raise(
        _dc(QUALITY, "资金发放准确率", "<100(%)"),
        "indicator-wrong-direction",
        indicator="资金发放准确率",
        id="ID003-good-share-capped",
    ),
    must_raise(
        _se(QUALITY, "有效投诉率", "≥1.00(%)", "0.50(%)"),
        "indicator-wrong-direction",
        indicator="有效投诉率",
        id="ID003-complaint-share-floored",
    ),
    must_raise(
        _dc(QUALITY, "业务办理差错率", "≥0.50(%)"),
        "indicator-wrong-direction",
        indicator="业务办理差错率",
        id="ID003-error-share-floored",
    ),
    must_raise(
        _se(QUALITY, "培训完成率", "≥120.00(%)", "125.00(%)"),
        "indicator-wrong-direction",
        indicator="培训完成率",
        id="ID003-share-floor-above-100",
    ),
    must_raise(
        _dc(BENEFIT, "政策宣传覆盖率", ">100(%)"),
        "indicator-wrong-direction",
        indicator="政策宣传覆盖率",
        id="ID003-share-strictly-above-100",
    ),
    must_raise(
        _dc(SATISFACTION, "群众满意率", "<85(%)"),
        "indicator-wrong-direction",
        indicator="群众满意率",
        id="ID003-satisfaction-rate-under",
    ),
    must_raise(
        _dc(SATISFACTION, "群众不满意率", "≥5.00(%)"),
        "indicator-wrong-direction",
        indicator="群众不满意率",
        id="ID003-dissatisfaction-floored",
    ),
    # ID005 missing-unit
    must_raise(
        _se(COST, "每人每月生活补贴", "=8400", "8400"),
        "missing-unit",
        indicator="每人每月生活补贴",
        id="ID005-equal-no-unit",
    ),
    must_raise(
        _dc(QUANTITY, "培训人数", "≥100"),
        "missing-unit",
        indicator="培训人数",
        id="ID005-floor-no-unit",
    ),
    must_raise(
        _dc(QUALITY, "系统故障次数", "≤5"),
        "missing-unit",
        indicator="系统故障次数",
        id="ID005-cap-no-unit",
    ),
    must_raise(
        _se(QUALITY, "培训合格率", "95", "96"),
        "missing-unit",
        indicator="培训合格率",
        id="ID005-bare-number",
    ),
    # ID006 missing-target-value
    must_raise(
        _se(QUANTITY, "推送简历数量", "≥", "5000.00(份)"),
        "missing-target-value",
        indicator="推送简历数量",
        id="ID006-operator-only",
    ),
    must_raise(
        _se(QUANTITY, "推送简历数量", "", "5000.00(份)"),
        "missing-target-value",
        indicator="推送简历数量",
        id="ID006-empty",
    ),
    must_raise(
        _dc(QUALITY, "档案整理合格率", None),
        "missing-target-value",
        indicator="档案整理合格率",
        id="ID006-none-on-a-declaration",
    ),
    must_raise(
        _dc(QUANTITY, "发放补贴户数", "≥ 户"),
        "missing-target-value",
        indicator="发放补贴户数",
        id="ID006-operator-and-unit",
    ),
    must_raise(
        _dc(QUANTITY, "走访企业数", "不少于"),
        "missing-target-value",
        indicator="走访企业数",
        id="ID006-operator-in-words",
    ),
    must_raise(
        _se(TIMELINESS, "办结及时率", "＞", "98(%)"),
        "missing-target-value",
        indicator="办结及时率",
        id="ID006-full-width-operator",
    ),
    must_raise(
        _dc(QUANTITY, "走访企业数", "/"),
        "missing-target-value",
        indicator="走访企业数",
        id="ID006-slash-placeholder",
    ),
    must_raise(
        _se(QUALITY, "档案整理合格率", "—", "98(%)"),
        "missing-target-value",
        indicator="档案整理合格率",
        id="ID006-dash-placeholder",
    ),
    # ID007 target-repeats-name
    must_raise(
        _se(TIMELINESS, "培训及时性", "培训及时性"),
        "target-repeats-name",
        indicator="培训及时性",
        id="ID007-copied",
    ),
    must_raise(
        _se(QUALITY, "资金使用合规性", "资金使用合规性。"),
        "target-repeats-name",
        indicator="资金使用合规性",
        id="ID007-with-a-full-stop",
    ),
    must_raise(
        _dc(BENEFIT, "政策知晓率提升", "政策知晓率提升"),
        "target-repeats-name",
        indicator="政策知晓率提升",
        id="ID007-declaration",
    ),
    must_raise(
        _dc(QUALITY, "项目管理规范性", "项目管理 规范性"),
        "target-repeats-name",
        indicator="项目管理规范性",
        id="ID007-spaced",
    ),
    # ID008 actual-written-as-target
    must_raise(
        _se(QUANTITY, "培训人数", "≥10(人)", "≥10(人)"),
        "actual-written-as-target",
        indicator="培训人数",
        field="actual",
        id="ID008-target-copied",
    ),
    must_raise(
        _se(COST, "每人每月生活补贴", "=8400(元)", "=8400"),
        "actual-written-as-target",
        indicator="每人每月生活补贴",
        id="ID008-equal",
    ),
    must_raise(
        _se(QUALITY, "档案整理合格率", "=100(%)", "=100%"),
        "actual-written-as-target",
        indicator="档案整理合格率",
        id="ID008-equal-percent",
    ),
    must_raise(
        _se(QUANTITY, "走访企业数", "不少于10(家)", "不少于10家"),
        "actual-written-as-target",
        indicator="走访企业数",
        id="ID008-in-words",
    ),
    must_raise(
        _se(SATISFACTION, "服务对象满意度", "≥90(%)", "＞95%"),
        "actual-written-as-target",
        indicator="服务对象满意度",
        id="ID008-full-width",
    ),
    must_raise(
        _se(COST, "人均培训成本", "≤500.00(元/人)", "≤500.00(元/人)"),
        "actual-written-as-target",
        indicator="人均培训成本",
        id="ID008-cap-copied",
    ),
    # ID009 duplicate-indicator-name
    must_raise(
        _se(QUANTITY, "培训合格率", "≥90.00(%)", "95.00(%)", level2="质量指标"),
        "duplicate-indicator-name",
        indicator="培训合格率",
        line=13,
        id="ID009-same-name-two-rows",
    ),
    must_raise(
        _dc(BENEFIT, "培训对象满意度", "≥90(%)"),
        "duplicate-indicator-name",
        indicator="培训对象满意度",
        line=16,
        id="ID009-declaration",
    ),
    must_raise(
        _se(QUANTITY, "培训 合格率", "≥90.00(%)", "95.00(%)", level2="质量指标"),
        "duplicate-indicator-name",
        indicator="培训合格率",
        line=13,
        id="ID009-differs-by-a-space",
    ),
    must_raise(
        _dc(QUANTITY, "人均培训成本", "≤500(元/人)"),
        "duplicate-indicator-name",
        indicator="人均培训成本",
        line=12,
        id="ID009-under-another-level",
    ),
    must_raise(
        _se(QUANTITY, "培训合格率（%）", "≥90.00(%)", "95.00(%)", level2="质量指标"),
        "duplicate-indicator-name",
        indicator="培训合格率",
        line=13,
        id="ID009-differs-by-its-unit-in-brackets",
    ),
    # ID010 indicator-misclassified
    must_raise(
        _se(BENEFIT, "鉴定覆盖率", "=100.00(%)", "100.00(%)", level2="生态效益指标"),
        "indicator-misclassified",
        indicator="鉴定覆盖率",
        id="ID010-not-ecological",
    ),
    must_raise(
        _dc(QUALITY, "运维完成及时率", "=100.00(%)"),
        "indicator-misclassified",
        indicator="运维完成及时率",
        id="ID010-timeliness-under-quality",
    ),
    must_raise(
        _dc(QUALITY, "系统故障平均恢复时长", "≤2(小时)"),
        "indicator-misclassified",
        indicator="系统故障平均恢复时长",
        id="ID010-handling-time-under-quality",
    ),
    must_raise(
        _se(TIMELINESS, "核查信息真实完整", "真实完整"),
        "indicator-misclassified",
        indicator="核查信息真实完整",
        id="ID010-no-time-under-timeliness",
    ),
    must_raise(
        _dc(BENEFIT, "被调查者满意度", "满意"),
        "indicator-misclassified",
        indicator="被调查者满意度",
        id="ID010-satisfaction-under-benefit",
    ),
    must_raise(
        _se(SATISFACTION, "后期跟踪服务制度建立", "建立"),
        "indicator-misclassified",
        indicator="后期跟踪服务制度建立",
        id="ID010-no-satisfaction-under-satisfaction",
    ),
    must_raise(
        _dc(QUALITY, "开展培训场次", "=5.00(场)"),
        "indicator-misclassified",
        indicator="开展培训场次",
        id="ID010-count-under-quality",
    ),
    must_raise(
        _se(QUANTITY, "系统故障平均恢复时长", "≤1.00(小时)", "1.00(小时)"),
        "indicator-misclassified",
        indicator="系统故障平均恢复时长",
        id="ID010-duration-under-quantity",
    ),
    must_raise(
        _dc(QUANTITY, "培训人数", "≥100(人)", level2="社会效益指标"),
        "indicator-misclassified",
        indicator="培训人数",
        field="level2",
        id="ID010-pair-outside-the-tree",
    ),
    must_raise(
        _se(BENEFIT, "资金使用情况", "合规", level1="可持续影响指标", level2="可持续影响指标"),
        "indicator-misclassified",
        indicator="资金使用情况",
        id="ID010-level1-outside-the-tree",
    ),
    must_raise(
        _dc(BENEFIT, "按时完成审计任务", "按时完成"),
        "indicator-misclassified",
        indicator="按时完成审计任务",
        id="ID010-on-time-output-under-benefit",
    ),
    must_raise(
        _dc(QUANTITY, "项目审批周期", "≤30(天)"),
        "indicator-misclassified",
        indicator="项目审批周期",
        id="ID010-cycle-under-quantity",
    ),
    must_raise(
        _dc(BENEFIT, "群众满意度调查得分", "≥90(分)"),
        "indicator-misclassified",
        indicator="群众满意度调查得分",
        id="ID010-satisfaction-score-under-benefit",
    ),
    # ID011 zero-weight-indicator
    must_raise(
        _se(COST, "成本控制有效性", "有效", weight="0.00", score="0.00"),
        "zero-weight-indicator",
        indicator="成本控制有效性",
        field="weight",
        id="ID011-qualitative",
    ),
    must_raise(
        _se(QUANTITY, "培训人数", "≥100(人)", "120(人)", weight="0", score="0"),
        "zero-weight-indicator",
        indicator="培训人数",
        id="ID011-whole-zero",
    ),
    must_raise(
        _se(SATISFACTION, "培训对象满意度", "≥90(%)", "92(%)", weight="0.00", score="0.00"),
        "zero-weight-indicator",
        indicator="培训对象满意度",
        id="ID011-satisfaction",
    ),
    # ID012 missing-cost-indicator (declarations only)
    must_raise(
        _dc_without("成本指标"),
        "missing-cost-indicator",
        field="indicators",
        id="ID012-no-cost-national",
    ),
    must_raise(
        _dc_without("成本指标"),
        "missing-cost-indicator",
        field="indicators",
        profile="shanghai",
        id="ID012-no-cost-shanghai",
    ),
    must_raise(
        _dc_with(
            _declared("培训成本", "≤10.00(万元)", "产出指标", "成本指标"), without=("成本指标",)
        ),
        "missing-cost-indicator",
        field="indicators",
        profile="shanghai",
        id="ID012-cost-only-as-a-level2-where-level1-required",
    ),
    # ID013 missing-satisfaction-indicator
    must_raise(
        _dc_without("满意度指标"),
        "missing-satisfaction-indicator",
        field="indicators",
        id="ID013-none",
    ),
    must_raise(
        _dc_with(
            _declared("群众满意度", "≥90(%)", "效益指标", "社会效益指标"), without=("满意度指标",)
        ),
        "missing-satisfaction-indicator",
        field="indicators",
        id="ID013-satisfaction-under-benefit",
    ),
    must_raise(
        _dc_without("满意度指标", "效益指标"),
        "missing-satisfaction-indicator",
        field="indicators",
        profile="shanghai",
        id="ID013-shanghai",
    ),
    # ID014 missing-benefit-indicator
    must_raise(
        _dc_without("效益指标"),
        "missing-benefit-indicator",
        field="indicators",
        id="ID014-none",
    ),
    must_raise(
        _dc_without("效益指标", "成本指标"),
        "missing-benefit-indicator",
        field="indicators",
        id="ID014-outputs-and-satisfaction-only",
    ),
    must_raise(
        _dc_without("效益指标"),
        "missing-benefit-indicator",
        field="indicators",
        profile="shanghai",
        id="ID014-shanghai",
    ),
]

NEAR_MISSES = [
    # ID001: savings may be floored; a cap or an exact value is right
    near_miss(
        _se(COST, "成本节约率", "≥5.00(%)", "6.00(%)"),
        "cost-indicator-wrong-direction",
        id="ID001-saving-rate",
    ),
    near_miss(
        _dc(COST, "能耗降低率", "≥10(%)", level2="生态环境成本指标"),
        "cost-indicator-wrong-direction",
        id="ID001-reduction-rate",
    ),
    near_miss(
        _dc(COST, "预算支出控制率", "≥95(%)"),
        "cost-indicator-wrong-direction",
        id="ID001-control-rate",
    ),
    near_miss(
        _se(COST, "人工成本总额", "=233.91(万元)", "233.91(万元)"),
        "cost-indicator-wrong-direction",
        id="ID001-exact-cost",
    ),
    near_miss(
        _dc(COST, "设备采购单价", "≤5000(元/台)"),
        "cost-indicator-wrong-direction",
        id="ID001-capped",
    ),
    near_miss(
        _se(QUALITY, "成本核算覆盖率", "≥90(%)", "95(%)"),
        "cost-indicator-wrong-direction",
        id="ID001-cost-word-outside-cost-levels",
    ),
    # ID002: bad events, durations and money may be capped
    near_miss(
        _se(QUANTITY, "系统故障次数", "≤1(次)", "0(次)"),
        "quantity-indicator-wrong-direction",
        id="ID002-faults",
    ),
    near_miss(
        _dc(QUANTITY, "有效投诉件数", "≤3(件)"),
        "quantity-indicator-wrong-direction",
        id="ID002-complaints",
    ),
    near_miss(
        _dc(QUANTITY, "安全事故发生数", "<1(起)"),
        "quantity-indicator-wrong-direction",
        id="ID002-accidents",
    ),
    near_miss(
        _se(QUANTITY, "平均办理时长", "≤3(天)", "2(天)"),
        "quantity-indicator-wrong-direction",
        id="ID002-duration",
    ),
    near_miss(
        _dc(QUANTITY, "设备采购金额", "≤50(万元)"),
        "quantity-indicator-wrong-direction",
        id="ID002-money-under-quantity",
    ),
    near_miss(
        _dc(QUANTITY, "培训人数", "≥100(人)"),
        "quantity-indicator-wrong-direction",
        id="ID002-floored",
    ),
    near_miss(
        _dc(QUANTITY, "项目审批周期", "≤30(天)"),
        "quantity-indicator-wrong-direction",
        id="ID002-cycle",
    ),
    near_miss(
        _se(QUANTITY, "群众平均等待天数", "≤3(天)", "2(天)"),
        "quantity-indicator-wrong-direction",
        id="ID002-waiting-days",
    ),
    # ID003
    near_miss(
        _dc(SATISFACTION, "培训对象满意度", "≥90.00(%)"),
        "indicator-wrong-direction",
        id="ID003-satisfaction-floored",
    ),
    near_miss(
        _se(QUALITY, "有效投诉率", "≤1.00(%)", "0.50(%)"),
        "indicator-wrong-direction",
        id="ID003-complaint-share-capped",
    ),
    near_miss(
        _dc(BENEFIT, "就业人数增长率", "≥150.00(%)"),
        "indicator-wrong-direction",
        id="ID003-growth-above-100",
    ),
    near_miss(
        _se(QUALITY, "培训完成率", "≥100.00(%)", "100.00(%)"),
        "indicator-wrong-direction",
        id="ID003-floor-at-exactly-100",
    ),
    near_miss(
        _dc(QUALITY, "培训完成率", "=100(%)"),
        "indicator-wrong-direction",
        id="ID003-exactly-100",
    ),
    near_miss(
        _dc(SATISFACTION, "群众不满意率", "≤5.00(%)"),
        "indicator-wrong-direction",
        id="ID003-dissatisfaction-capped",
    ),
    near_miss(
        _dc(QUALITY, "产品不合格率", "≤2.00(%)"),
        "indicator-wrong-direction",
        id="ID003-failure-share-capped",
    ),
    near_miss(
        _dc(BENEFIT, "资金周转率", "≥120(%)", level2="经济效益指标"),
        "indicator-wrong-direction",
        id="ID003-turnover-is-no-share",
    ),
    near_miss(
        _dc(COST, "成本节约率", "≥110(%)"),
        "indicator-wrong-direction",
        id="ID003-cost-indicators-are-ID001s",
    ),
    near_miss(
        _dc(QUANTITY, "满意度回访开展次数", "≤4(次)"),
        "indicator-wrong-direction",
        id="ID003-survey-count-is-no-satisfaction",
    ),
    # ID005
    near_miss(_dc(QUANTITY, "培训人数", "≥100(人)"), "missing-unit", id="ID005-bracketed-unit"),
    near_miss(_dc(QUANTITY, "培训人数", "≥500个"), "missing-unit", id="ID005-bare-unit"),
    near_miss(_dc(QUALITY, "培训合格率", "≥95%"), "missing-unit", id="ID005-bare-percent"),
    near_miss(_dc(TIMELINESS, "培训及时性", "4个月内"), "missing-unit", id="ID005-deadline"),
    near_miss(
        _dc(TIMELINESS, "培训完成时间", "2024年12月31日前"), "missing-unit", id="ID005-a-date"
    ),
    # ID006
    near_miss(
        _dc(QUANTITY, "推送简历数量", "≥5000(份)"), "missing-target-value", id="ID006-complete"
    ),
    near_miss(
        _dc(TIMELINESS, "培训及时性", "及时"), "missing-target-value", id="ID006-qualitative"
    ),
    near_miss(
        _dc(QUALITY, "安全事故次数", "=0(次)"), "missing-target-value", id="ID006-zero-is-a-value"
    ),
    near_miss(
        _dc(TIMELINESS, "慰问品发放时间", "≥2024年重阳节前"),
        "missing-target-value",
        id="ID006-operator-before-a-dated-phrase",
    ),
    near_miss(
        _dc(QUALITY, "安全责任事故", "无"),
        "missing-target-value",
        id="ID006-none-as-the-target-of-a-bad-event",
    ),
    # ID007
    near_miss(
        _se(TIMELINESS, "培训及时性", "及时"), "target-repeats-name", id="ID007-target-given"
    ),
    near_miss(
        _dc(BENEFIT, "政策知晓率提升", "提升"), "target-repeats-name", id="ID007-target-a-word"
    ),
    near_miss(
        _dc(TIMELINESS, "培训及时性", "培训及时性达到100%"),
        "target-repeats-name",
        id="ID007-name-followed-by-a-value",
    ),
    near_miss(
        _dc(QUALITY, "资金使用合规性", "合规"), "target-repeats-name", id="ID007-part-of-the-name"
    ),
    # ID008
    near_miss(
        _se(QUALITY, "培训合格率", "≥90.00(%)", "95%以上"),
        "actual-written-as-target",
        id="ID008-trailing-qualifier",
    ),
    near_miss(
        _se(QUANTITY, "培训人数", "≥100(人)", "120(人)"),
        "actual-written-as-target",
        id="ID008-a-value",
    ),
    near_miss(
        _se(BENEFIT, "就业人数增长率", "≥-5.00(%)", "-2.00(%)"),
        "actual-written-as-target",
        id="ID008-negative-value",
    ),
    near_miss(
        _se(TIMELINESS, "培训及时性", "及时", "达成指标"),
        "actual-written-as-target",
        id="ID008-grade",
    ),
    near_miss(
        _se(QUANTITY, "培训人数", "≥100(人)", "约120人"),
        "actual-written-as-target",
        id="ID008-approximate-value",
    ),
    # ID009
    near_miss(
        _se(QUANTITY, "培训合格率提升", "≥5(%)", "6(%)", level2="质量指标"),
        "duplicate-indicator-name",
        id="ID009-longer-name",
    ),
    near_miss(
        replace_indicator(
            _se(QUANTITY, "一期培训人数", "≥50(人)", "60(人)"),
            TIMELINESS,
            indicator("二期培训人数", "≥50(人)", "60(人)", "10.00", "10.00", line=14),
        ),
        "duplicate-indicator-name",
        id="ID009-numbered-names",
    ),
    near_miss(declaration(), "duplicate-indicator-name", id="ID009-base-declaration"),
    near_miss(
        _dc(QUANTITY, "培训对象满意度调查人数", "≥100(人)"),
        "duplicate-indicator-name",
        id="ID009-name-contains-another",
    ),
    # ID010
    near_miss(
        _se(BENEFIT, "外出绿色出行", "低能耗", level2="生态效益指标"),
        "indicator-misclassified",
        id="ID010-ecological",
    ),
    near_miss(
        _dc(QUALITY, "鉴定结论准确及时", "及时"),
        "indicator-misclassified",
        id="ID010-quality-and-time",
    ),
    near_miss(
        _dc(QUALITY, "运维故障发生次数", "=0.00(次)"),
        "indicator-misclassified",
        id="ID010-bad-event-count-under-quality",
    ),
    near_miss(
        _se(TIMELINESS, "数据库系统定期维护情况", "定期"),
        "indicator-misclassified",
        id="ID010-time-word-in-name",
    ),
    near_miss(
        _dc(TIMELINESS, "资料发放", "开班前3天"),
        "indicator-misclassified",
        id="ID010-time-word-in-target",
    ),
    near_miss(
        _dc(QUANTITY, "培训成本", "≤10.00(万元)", level2="成本指标"),
        "indicator-misclassified",
        id="ID010-older-output-cost",
    ),
    near_miss(
        _dc(
            SATISFACTION,
            "服务对象获得感",
            "≥90(%)",
            level2="社会公众或服务对象满意度指标",
        ),
        "indicator-misclassified",
        id="ID010-older-satisfaction-level2",
    ),
    near_miss(
        _dc(BENEFIT, "办事效率提升", "提升"),
        "indicator-misclassified",
        id="ID010-improvement-under-benefit",
    ),
    near_miss(
        _dc(BENEFIT, "群众办事按时办结率提高", "提高"),
        "indicator-misclassified",
        id="ID010-on-time-improved-under-benefit",
    ),
    near_miss(
        _dc(QUALITY, "满意度调查覆盖率", "≥90(%)"),
        "indicator-misclassified",
        id="ID010-survey-coverage-is-an-output",
    ),
    near_miss(
        _se(QUANTITY, "满意度测评次数", "≥2(次)", "2(次)"),
        "indicator-misclassified",
        id="ID010-survey-count-is-an-output",
    ),
    near_miss(
        _dc(QUALITY, "核心系统连续提供服务时长", "≥24(小时/天)"),
        "indicator-misclassified",
        id="ID010-service-hours-are-a-quality",
    ),
    # ID011
    near_miss(
        _se(COST, "成本控制有效性", "有效", weight="0.50", score="0.50"),
        "zero-weight-indicator",
        id="ID011-half-a-point",
    ),
    near_miss(
        _se(COST, "成本控制有效性", "有效", weight="0.01", score="0.01"),
        "zero-weight-indicator",
        id="ID011-a-cent",
    ),
    near_miss(
        replace_indicator(
            self_evaluation(),
            COST,
            replace(self_evaluation().indicators[0], weight=None),
        ),
        "zero-weight-indicator",
        id="ID011-weight-not-printed",
    ),
    near_miss(
        _se(QUANTITY, "培训人数", "≥100(人)", "0(人)", score="0.00"),
        "zero-weight-indicator",
        id="ID011-zero-score-is-not-zero-weight",
    ),
    # ID012–ID014: declarations only, and the level1 may be printed in another accepted way
    near_miss(declaration(), "missing-cost-indicator", id="ID012-base"),
    near_miss(
        _dc_with(
            _declared("培训成本", "≤10.00(万元)", "产出指标", "成本指标"), without=("成本指标",)
        ),
        "missing-cost-indicator",
        id="ID012-output-cost-accepted-nationally",
    ),
    near_miss(
        replace(
            self_evaluation(),
            indicators=tuple(i for i in self_evaluation().indicators if i.level1 != "成本指标"),
        ),
        "missing-cost-indicator",
        id="ID012-not-asked-of-self-evaluations",
    ),
    near_miss(
        _dc(COST, "人均培训成本", "≤500(元/人)", level1="成本"),
        "missing-cost-indicator",
        id="ID012-level1-printed-without-zhibiao",
        profile="shanghai",
    ),
    near_miss(declaration(), "missing-satisfaction-indicator", id="ID013-base"),
    near_miss(
        _dc(
            SATISFACTION,
            "服务对象满意度",
            "≥90(%)",
            level2="社会公众或服务对象满意度指标",
        ),
        "missing-satisfaction-indicator",
        id="ID013-older-level2",
    ),
    near_miss(
        replace(
            self_evaluation(),
            indicators=tuple(i for i in self_evaluation().indicators if i.level1 != "满意度指标"),
        ),
        "missing-satisfaction-indicator",
        id="ID013-not-asked-of-self-evaluations",
    ),
    near_miss(declaration(), "missing-benefit-indicator", id="ID014-base"),
    near_miss(
        _dc_with(
            _declared("长效管理机制", "建立", "可持续影响指标", "可持续影响指标"),
            without=("效益指标",),
        ),
        "missing-benefit-indicator",
        id="ID014-sustainability-as-level1",
    ),
    near_miss(
        replace(
            self_evaluation(),
            indicators=tuple(i for i in self_evaluation().indicators if i.level1 != "效益指标"),
        ),
        "missing-benefit-indicator",
        id="ID014-not-asked-of-self-evaluations",
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
