"""Recall of the SC… rules: varied self-evaluations that must raise each kind, and near
misses that must not (a miss that vanishes in the printed rounding, the band's edges, a
far over-achievement explained, a cap with nothing done, the lenient margin's bound …).

Every SC finding is about one indicator: each must-raise case names it (its printed name
and line). The cases are built from the inline forms of `forms.py`.
"""

from __future__ import annotations

import pytest

from jixiao.findings import Severity
from jixiao.model import Form, SelfEvaluation
from tests.rules.forms import (
    MUST_RAISE_ARGS,
    NEAR_MISS_ARGS,
    balanced,
    findings,
    indicator,
    must_raise,
    near_miss,
    raised,
    replace_indicator,
    self_evaluation,
)

# The base form's indicators (lines 11–16).
COST, QUANTITY, QUALITY, TIMELINESS, BENEFIT, SATISFACTION = range(1, 7)


def _row(position: int, **cells: str | None) -> SelfEvaluation:
    """The base form with cells of one indicator changed and its 总分 kept consistent."""
    form = self_evaluation()
    old = form.indicators[position - 1]
    printed: dict[str, str | None] = {
        "name": old.name,
        "target": old.target,
        "actual": old.actual,
        "weight": str(old.weight),
        "score": str(old.score),
        "note": old.note,
        **cells,
    }
    new = indicator(
        printed["name"] or "",
        printed["target"],
        printed["actual"],
        printed["weight"],
        printed["score"],
        printed["note"],
        level1=old.level1,
        level2=old.level2,
        line=old.source.line or 0,
    )
    return balanced(replace_indicator(form, position, new))


MUST_RAISE = [
    # SC001 score-deducted-without-reason
    must_raise(
        _row(QUALITY, actual="85.00(%)", score="18.00"),
        "score-deducted-without-reason",
        indicator="培训合格率",
        field="note",
        id="SC001-no-note",
    ),
    must_raise(
        _row(QUANTITY, actual="90(人)", score="18.00", note="无"),
        "score-deducted-without-reason",
        indicator="培训人数",
        id="SC001-note-says-none",
    ),
    must_raise(
        _row(COST, actual="550.00(元/人)", score="9.00", note="/"),
        "score-deducted-without-reason",
        indicator="人均培训成本",
        id="SC001-note-a-slash",
    ),
    must_raise(
        _row(TIMELINESS, actual="部分达成指标并具有一定效果", score="7.00", note="暂无"),
        "score-deducted-without-reason",
        indicator="培训及时性",
        id="SC001-qualitative-note-none-yet",
    ),
    must_raise(
        _row(SATISFACTION, actual="89.00(%)", score="9.89", note=" — "),
        "score-deducted-without-reason",
        indicator="培训对象满意度",
        id="SC001-note-a-dash",
    ),
    # SC002 reason-contradicts-deduction
    must_raise(
        _row(QUALITY, score="18.00", note="仍有提升空间"),
        "reason-contradicts-deduction",
        indicator="培训合格率",
        field="score",
        id="SC002-floor-met",
    ),
    must_raise(
        _row(QUANTITY, actual="94(人)", score="18.00", note="无偏差"),
        "reason-contradicts-deduction",
        indicator="培训人数",
        id="SC002-note-says-no-deviation",
    ),
    must_raise(
        _row(TIMELINESS, score="8.00", note="已完成"),
        "reason-contradicts-deduction",
        indicator="培训及时性",
        id="SC002-qualitative-note-says-done",
    ),
    must_raise(
        _row(COST, score="8.00", note="成本控制一般"),
        "reason-contradicts-deduction",
        indicator="人均培训成本",
        id="SC002-cap-met",
    ),
    must_raise(
        _row(QUANTITY, actual="129(人)", score="19.00", note="超额完成"),
        "reason-contradicts-deduction",
        indicator="培训人数",
        id="SC002-over-but-under-1.3",
    ),
    must_raise(
        _row(QUANTITY, target="=10(场)", actual="40(场)", score="15.00"),
        "reason-contradicts-deduction",
        indicator="培训人数",
        id="SC002-far-over-unexplained",
    ),
    must_raise(
        _row(TIMELINESS, actual="部分达成指标并具有一定效果", score="7.00", note="该指标已完成。"),
        "reason-contradicts-deduction",
        indicator="培训及时性",
        id="SC002-partial-but-note-says-done",
    ),
    # SC003 full-score-target-not-met
    must_raise(
        _row(SATISFACTION, actual="85.00(%)"),
        "full-score-target-not-met",
        indicator="培训对象满意度",
        field="score",
        id="SC003-satisfaction-missed",
    ),
    must_raise(
        _row(COST, actual="600.00(元/人)"),
        "full-score-target-not-met",
        indicator="人均培训成本",
        id="SC003-cap-exceeded",
    ),
    must_raise(
        _row(QUANTITY, actual="99(人)"),
        "full-score-target-not-met",
        indicator="培训人数",
        id="SC003-one-short",
    ),
    must_raise(
        _row(QUANTITY, name="发放生活补贴户数", target="=8400(户)", actual="8000(户)"),
        "full-score-target-not-met",
        indicator="发放生活补贴户数",
        id="SC003-equal-target-missed",
    ),
    # SC004 lenient-score-target-missed
    must_raise(
        _row(QUANTITY, target="=2180(本)", actual="600(本)", score="16.00", note="需求调整"),
        "lenient-score-target-missed",
        indicator="培训人数",
        field="score",
        id="SC004-far-lenient",
    ),
    must_raise(
        _row(QUANTITY, actual="50(人)", score="15.00", note="报名不足"),
        "lenient-score-target-missed",
        indicator="培训人数",
        id="SC004-25-points",
    ),
    must_raise(
        _row(QUANTITY, actual="50(人)", score="14.00", note="报名不足"),
        "lenient-score-target-missed",
        indicator="培训人数",
        id="SC004-at-the-20-point-margin",
    ),
    must_raise(
        _row(COST, actual="700.00(元/人)", score="9.00", note="物价上涨"),
        "lenient-score-target-missed",
        indicator="人均培训成本",
        id="SC004-cap-exceeded",
    ),
    # SC005 qualitative-band-out-of-range
    must_raise(
        _row(TIMELINESS, actual="部分达成指标并具有一定效果", score="8.00", note="说明"),
        "qualitative-band-out-of-range",
        indicator="培训及时性",
        field="score",
        id="SC005-partial-at-the-open-top",
    ),
    must_raise(
        _row(TIMELINESS, actual="达成指标", score="7.90", note="说明"),
        "qualitative-band-out-of-range",
        indicator="培训及时性",
        id="SC005-achieved-under-80",
    ),
    must_raise(
        _row(TIMELINESS, actual="未达成指标且效果较差", score="6.00", note="说明"),
        "qualitative-band-out-of-range",
        indicator="培训及时性",
        id="SC005-missed-at-60",
    ),
    must_raise(
        _row(TIMELINESS, actual="部分达成", score="5.99", note="说明"),
        "qualitative-band-out-of-range",
        indicator="培训及时性",
        id="SC005-partial-under-60",
    ),
    must_raise(
        _row(BENEFIT, actual="达成", weight="15.00", score="11.99", note="说明"),
        "qualitative-band-out-of-range",
        indicator="政策知晓率提升",
        id="SC005-achieved-weight-15",
    ),
    must_raise(
        _row(TIMELINESS, actual="及时", score="7.50", note="说明"),
        "qualitative-band-out-of-range",
        indicator="培训及时性",
        id="SC005-actual-repeats-target",
    ),
    # SC006 target-far-exceeded
    must_raise(
        _row(QUANTITY, actual="130(人)"),
        "target-far-exceeded",
        indicator="培训人数",
        field="actual",
        id="SC006-exactly-1.3",
    ),
    must_raise(
        _row(QUANTITY, actual="250(人)"),
        "target-far-exceeded",
        indicator="培训人数",
        id="SC006-2.5-times",
    ),
    must_raise(
        _row(QUANTITY, name="开展宣传活动场次", target="=10(场)", actual="40(场)"),
        "target-far-exceeded",
        indicator="开展宣传活动场次",
        id="SC006-equal-target",
    ),
    must_raise(
        _row(BENEFIT, name="发放补贴户数", target=">200(户)", actual="520(户)"),
        "target-far-exceeded",
        indicator="发放补贴户数",
        id="SC006-strict-floor",
    ),
]

NEAR_MISSES = [
    # SC001
    near_miss(
        _row(QUALITY, actual="85.00(%)", score="18.00", note="部分学员未参加考核，下一步加强考勤"),
        "score-deducted-without-reason",
        id="SC001-reason-given",
    ),
    near_miss(
        _row(QUANTITY, actual="90(人)", score="20.00"),
        "score-deducted-without-reason",
        id="SC001-no-deduction",
    ),
    near_miss(
        _row(QUANTITY, weight="20", score="20.00"),
        "score-deducted-without-reason",
        id="SC001-full-score-other-precision",
    ),
    near_miss(
        _row(QUANTITY, actual="90(人)", score="18.00", note="无故缺席者较多"),
        "score-deducted-without-reason",
        id="SC001-reason-starting-with-none",
    ),
    # SC002
    near_miss(
        _row(QUANTITY, target="=10(场)", actual="40(场)", score="15.00", note="需求增加，目标偏低"),
        "reason-contradicts-deduction",
        id="SC002-far-over-explained",
    ),
    near_miss(
        _row(COST, actual="0.00(元/人)", score="0.00", note="受客观因素影响未开展"),
        "reason-contradicts-deduction",
        id="SC002-nothing-done-under-a-cap",
    ),
    near_miss(
        _row(QUANTITY, actual="94(人)", score="18.80", note="部分学员退出"),
        "reason-contradicts-deduction",
        id="SC002-missed-with-a-reason",
    ),
    near_miss(
        _row(QUANTITY, actual="130(人)", score="18.00", note="报名踊跃，目标偏低"),
        "reason-contradicts-deduction",
        id="SC002-exactly-1.3-explained",
    ),
    near_miss(
        _row(
            TIMELINESS, actual="部分达成指标并具有一定效果", score="7.00", note="部分资料未按期发放"
        ),
        "reason-contradicts-deduction",
        id="SC002-qualitative-partial",
    ),
    near_miss(
        _row(QUANTITY, actual="120(人次)", score="18.00", note="按人次统计，实际参训人数不足100人"),
        "reason-contradicts-deduction",
        id="SC002-units-differ-not-known-met",
    ),
    near_miss(
        _row(
            QUANTITY,
            actual="90(人)",
            score="18.00",
            note="已完成年度计划的90%，其余学员因疫情延期培训",
        ),
        "reason-contradicts-deduction",
        id="SC002-note-says-how-much-was-done",
    ),
    near_miss(
        _row(QUANTITY, actual="90(人)", score="18.00", note="部分已完成，其余学员延至次年培训"),
        "reason-contradicts-deduction",
        id="SC002-note-says-part-was-done",
    ),
    # SC003
    near_miss(
        _row(QUALITY, target="≥99.99(%)", actual="99.98(%)"),
        "full-score-target-not-met",
        id="SC003-miss-vanishes-in-rounding",
    ),
    near_miss(
        _row(QUANTITY, actual="100(人)"), "full-score-target-not-met", id="SC003-exactly-met"
    ),
    near_miss(
        _row(QUANTITY, actual="100(人次)"),
        "full-score-target-not-met",
        id="SC003-units-differ-no-formula",
    ),
    near_miss(
        _row(TIMELINESS, actual="部分达成指标并具有一定效果"),
        "full-score-target-not-met",
        id="SC003-qualitative",
    ),
    near_miss(
        _row(COST, actual="500.00(元/人)"), "full-score-target-not-met", id="SC003-at-the-cap"
    ),
    # SC004
    near_miss(
        _row(QUANTITY, actual="50(人)", score="13.80", note="报名不足"),
        "lenient-score-target-missed",
        id="SC004-19-points",
    ),
    near_miss(
        _row(QUANTITY, target="≥18(家)", actual="7(家)", score="10.00", note="申请企业不足"),
        "lenient-score-target-missed",
        id="SC004-11-points",
    ),
    near_miss(
        _row(QUANTITY, actual="50(人)", score="10.00", note="报名不足"),
        "lenient-score-target-missed",
        id="SC004-scored-by-the-formula",
    ),
    near_miss(
        _row(QUANTITY, actual="50(人)", score="20.00", note="报名不足"),
        "lenient-score-target-missed",
        id="SC004-full-score-is-SC003s",
    ),
    # SC005
    near_miss(
        _row(TIMELINESS, actual="部分达成指标并具有一定效果", score="7.99", note="说明"),
        "qualitative-band-out-of-range",
        id="SC005-partial-just-under-80",
    ),
    near_miss(
        _row(TIMELINESS, actual="部分达成", score="6.00", note="说明"),
        "qualitative-band-out-of-range",
        id="SC005-partial-at-60",
    ),
    near_miss(
        _row(TIMELINESS, actual="达成指标", score="8.00", note="说明"),
        "qualitative-band-out-of-range",
        id="SC005-achieved-at-80",
    ),
    near_miss(
        _row(TIMELINESS, actual="未达成", score="5.99", note="说明"),
        "qualitative-band-out-of-range",
        id="SC005-missed-just-under-60",
    ),
    near_miss(
        _row(TIMELINESS, actual="部分达成", weight="6.66", score="5.32", note="说明"),
        "qualitative-band-out-of-range",
        id="SC005-band-edge-rounded",
    ),
    near_miss(
        _row(TIMELINESS, actual="及时", score="8.00", note="说明"),
        "qualitative-band-out-of-range",
        id="SC005-actual-repeats-target-at-80",
    ),
    # SC006
    near_miss(_row(QUANTITY, actual="129(人)"), "target-far-exceeded", id="SC006-1.29"),
    near_miss(_row(COST, actual="100.00(元/人)"), "target-far-exceeded", id="SC006-cap-far-under"),
    near_miss(
        _row(QUALITY, name="安全事故次数", target="≥0(次)", actual="5(次)"),
        "target-far-exceeded",
        id="SC006-zero-target",
    ),
    near_miss(
        _row(QUANTITY, target="≥1.00(万人)", actual="12000(人)"),
        "target-far-exceeded",
        id="SC006-units-differ",
    ),
    near_miss(
        _row(QUANTITY, target="≥100(人)", actual="150(人次)"),
        "target-far-exceeded",
        id="SC006-people-and-attendances",
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


def test_far_exceeded_severity_follows_the_ratio() -> None:
    (info,) = findings(_row(QUANTITY, actual="199(人)"), "target-far-exceeded")
    (warning,) = findings(_row(QUANTITY, actual="200(人)"), "target-far-exceeded")
    assert info.severity is Severity.INFO and warning.severity is Severity.WARNING
