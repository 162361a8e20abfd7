"""SC… rules: positive and negative cases on tiny inline forms."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from jixiao.findings import Severity
from jixiao.model import SelfEvaluation
from jixiao.profile import load_profile
from tests.rules.forms import findings, indicator, replace_indicator, self_evaluation


def _with(position: int, **kwargs: str | None) -> SelfEvaluation:
    """The base form with one indicator changed and the printed total kept consistent."""
    form = self_evaluation()
    old = form.indicators[position - 1]
    fields = {
        "name": old.name,
        "target": old.target,
        "actual": old.actual,
        "weight": str(old.weight),
        "score": str(old.score),
        "note": old.note,
        **kwargs,
    }
    new = indicator(
        fields["name"] or "",
        fields["target"],
        fields["actual"],
        fields["weight"],
        fields["score"],
        fields["note"],
        level1=old.level1,
        level2=old.level2,
        line=old.source.line or 0,
    )
    form = replace_indicator(form, position, new)
    total = Decimal("9.50") + sum((i.score or Decimal(0) for i in form.indicators), Decimal(0))
    return replace(form, total_score=total, grade="优" if total >= 90 else "良")


def test_score_deducted_without_reason() -> None:
    form = _with(3, actual="85.00(%)", score="18.00")
    [finding] = findings(form, "score-deducted-without-reason")
    assert finding.field == "note" and finding.indicator == "培训合格率" and finding.line == 13


@pytest.mark.parametrize("note", ["无", "/", " "])
def test_empty_looking_notes_are_no_reason(note: str) -> None:
    form = _with(3, actual="85.00(%)", score="18.00", note=note)
    assert len(findings(form, "score-deducted-without-reason")) == 1


def test_a_reason_given() -> None:
    form = _with(3, actual="85.00(%)", score="18.00", note="部分学员未参加考核，下一步加强考勤")
    assert findings(form, "score-deducted-without-reason") == []


def test_points_lost_although_the_target_was_met() -> None:
    form = _with(3, score="18.00", note="仍有提升空间")
    [finding] = findings(form, "reason-contradicts-deduction")
    assert "已达到" in finding.message and finding.field == "score"


def test_points_lost_with_a_note_saying_no_deviation() -> None:
    form = _with(2, actual="94(人)", score="18.00", note="无偏差")
    [finding] = findings(form, "reason-contradicts-deduction")
    assert "无偏差" in finding.message


def test_explained_deduction_for_far_over_achievement_is_allowed() -> None:
    form = _with(2, target="=10(场)", actual="40(场)", score="15.00", note="需求增加，目标偏低")
    assert findings(form, "reason-contradicts-deduction") == []
    assert len(findings(form, "target-far-exceeded")) == 1


def test_nothing_done_under_a_cap_may_lose_its_points() -> None:
    form = _with(1, actual="0.00(元/人)", score="0.00", note="受客观因素影响未开展")
    assert findings(form, "reason-contradicts-deduction") == []


def test_missed_target_with_a_reason_is_no_contradiction() -> None:
    form = _with(2, actual="94(人)", score="18.80", note="部分学员退出")
    assert findings(form, "reason-contradicts-deduction") == []


def test_full_score_target_not_met() -> None:
    form = _with(6, actual="85.00(%)")
    [finding] = findings(form, "full-score-target-not-met")
    assert "9.44 = 10 × 85/90" in finding.message


def test_full_score_when_the_miss_vanishes_in_rounding() -> None:
    form = _with(3, target="≥99.99(%)", actual="99.98(%)")
    assert findings(form, "full-score-target-not-met") == []


def test_full_score_on_a_cap_that_was_exceeded() -> None:
    form = _with(1, actual="600.00(元/人)")
    assert len(findings(form, "full-score-target-not-met")) == 1


def test_lenient_score_target_missed() -> None:
    form = _with(2, target="=2180(本)", actual="600(本)", score="16.00", note="需求调整")
    [finding] = findings(form, "lenient-score-target-missed")
    assert "5.50 = 20 × 600/2180" in finding.message


def test_score_close_to_the_formula_is_not_lenient() -> None:
    form = _with(2, target="≥18(家)", actual="7(家)", score="10.00", note="申请企业不足")
    # 7/18 = 38.9% earned, 50% kept: 11 points of the weight, under the 20-point margin.
    assert findings(form, "lenient-score-target-missed") == []


def test_lenient_margin_is_a_profile_setting() -> None:
    form = _with(2, target="≥18(家)", actual="7(家)", score="10.00", note="申请企业不足")
    strict = replace(load_profile("national-2020"), lenient_margin=Decimal("0.10"))
    assert len(findings(form, "lenient-score-target-missed", strict)) == 1


@pytest.mark.parametrize(
    ("actual", "score"),
    [
        ("部分达成指标并具有一定效果", "8.00"),
        ("达成指标", "7.90"),
        ("未达成指标且效果较差", "6.00"),
    ],
)
def test_qualitative_band_out_of_range(actual: str, score: str) -> None:
    form = _with(4, actual=actual, score=score, note="说明")
    [finding] = findings(form, "qualitative-band-out-of-range")
    assert finding.indicator == "培训及时性"


@pytest.mark.parametrize(
    ("actual", "score"),
    [
        ("部分达成指标并具有一定效果", "7.99"),
        ("部分达成", "6.00"),
        ("达成指标", "8.00"),
        ("未达成", "5.99"),
    ],
)
def test_scores_inside_their_band(actual: str, score: str) -> None:
    form = _with(4, actual=actual, score=score, note="说明")
    assert findings(form, "qualitative-band-out-of-range") == []


def test_band_edge_allows_a_printed_cent() -> None:
    # 0.8 × 6.66 = 5.328: printed 5.33 (half-up) is the bound itself, 5.32 is within.
    form = _with(4, actual="部分达成", weight="6.66", score="5.32", note="说明")
    form = replace(form, total_weight=Decimal("96.66"))
    assert findings(form, "qualitative-band-out-of-range") == []
    form = _with(4, actual="部分达成", weight="6.66", score="5.33", note="说明")
    assert len(findings(form, "qualitative-band-out-of-range")) == 1


def test_a_zero_weight_indicator_has_no_band() -> None:
    # 部分达成 of 0 points: [0, 0) is empty, but 0 is all there is (ID011 reports the weight).
    form = _with(4, actual="部分达成指标并具有一定效果", weight="0.00", score="0.00", note="说明")
    assert findings(form, "qualitative-band-out-of-range") == []


def test_upper_band_bound_may_be_inclusive_by_profile() -> None:
    form = _with(4, actual="部分达成指标并具有一定效果", score="8.00", note="说明")
    inclusive = replace(load_profile("national-2020"), partial_band_upper_inclusive=True)
    assert findings(form, "qualitative-band-out-of-range", inclusive) == []


@pytest.mark.parametrize(
    ("actual", "severity"), [("140(人)", Severity.INFO), ("250(人)", Severity.WARNING)]
)
def test_target_far_exceeded(actual: str, severity: Severity) -> None:
    [finding] = findings(_with(2, actual=actual), "target-far-exceeded")
    assert finding.severity is severity and finding.field == "actual"


def test_target_not_far_exceeded() -> None:
    assert findings(_with(2, actual="129(人)"), "target-far-exceeded") == []
    # A cap far under its limit is no over-achievement.
    assert findings(_with(1, actual="100.00(元/人)"), "target-far-exceeded") == []
