"""The review engine: all findings at once, errors first, a crashing rule becomes a finding."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

import pytest

import jixiao.review as review_module
from jixiao.findings import Finding, Severity
from jixiao.model import SelfEvaluation
from jixiao.pipeline import read_path
from jixiao.profile import load_profile
from jixiao.review import review_form, review_forms, review_result
from jixiao.rules import RULES, Rule
from jixiao.rules.context import FormContext
from jixiao.rules.registry import SELF
from tests.conftest import SEEDS
from tests.rules.forms import funds, self_evaluation, with_total

NATIONAL = load_profile("national-2020")


def _broken_form() -> SelfEvaluation:
    # Three independent defects: a wrong total, a wrong grade, a lost point without reason.
    form = self_evaluation(total_score=Decimal("85.00"), grade="优")
    low = replace(form.indicators[1], score=Decimal("15.00"))
    return replace(form, indicators=(form.indicators[0], low, *form.indicators[2:]))


def test_all_findings_at_once_errors_first() -> None:
    result = review_form(_broken_form(), file="x.txt", index=3, profile=NATIONAL)
    kinds = [f.kind for f in result.findings]
    assert {"total-not-sum", "grade-mismatch", "score-deducted-without-reason"} <= set(kinds)
    ranks = [f.severity.rank for f in result.findings]
    assert ranks == sorted(ranks)
    assert all(
        f.form == 3 and f.file == "x.txt" and f.project == "业务培训" for f in result.findings
    )


def test_review_forms_numbers_forms_from_one() -> None:
    reviews = review_forms([self_evaluation(), _broken_form()], file="x.txt", profile=NATIONAL)
    assert [r.index for r in reviews] == [1, 2]
    assert reviews[0].findings == () and reviews[1].findings


def _explode(ctx: FormContext) -> Iterator[Finding]:
    raise ZeroDivisionError("boom")
    yield  # pragma: no cover


def test_a_crashing_rule_becomes_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    crashing = Rule(RULES[0].entry, _explode, SELF)
    monkeypatch.setattr(review_module, "RULES", (crashing, *RULES[1:]))
    review_module._rules_for.cache_clear()
    try:
        result = review_form(_broken_form(), file="x.txt", index=1, profile=NATIONAL)
    finally:
        review_module._rules_for.cache_clear()
    crashed = [f for f in result.findings if f.kind == "rule-crashed"]
    assert len(crashed) == 1 and crashed[0].code == "RV001"
    assert crashed[0].severity is Severity.ERROR
    assert "AR001" in crashed[0].message and "ZeroDivisionError" in crashed[0].message
    assert "grade-mismatch" in {f.kind for f in result.findings}  # the others still ran


def test_disabled_rules_do_not_run() -> None:
    quiet = replace(NATIONAL, disabled_rules=frozenset({"AR001", "grade-mismatch"}))
    kinds = {f.kind for f in review_form(_broken_form(), file="x", index=1, profile=quiet).findings}
    assert "total-not-sum" not in kinds and "grade-mismatch" not in kinds
    assert "score-deducted-without-reason" in kinds


def test_review_result_keeps_reading_findings_but_the_superseded_sum_check() -> None:
    result = read_path(SEEDS[1])
    assert any(f.kind == "read-sums-mismatch" for f in result.findings)
    reviewed = review_result(result, profile=NATIONAL)
    kinds = {f.kind for f in reviewed.findings}
    assert "read-sums-mismatch" not in kinds and "year-inferred" in kinds
    assert len(reviewed.forms) == 36


def test_swapped_columns_feed_the_other_checks() -> None:
    form = self_evaluation(funds=funds(total=with_total(weight="9.50", score="10.00")))
    assert [f.kind for f in review_form(form, file="x", index=1, profile=NATIONAL).findings] == [
        "score-columns-swapped"
    ]


def test_enabled_rules_follow_the_profile() -> None:
    from jixiao.rules import all_rules, enabled_rules

    assert enabled_rules(NATIONAL) == all_rules()
    quiet = replace(NATIONAL, disabled_rules=frozenset({"BT005", "target-far-exceeded"}))
    codes = {r.code for r in enabled_rules(quiet)}
    assert "BT005" not in codes and "SC006" not in codes and len(codes) == len(all_rules()) - 2
