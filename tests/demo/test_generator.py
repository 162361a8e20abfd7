"""The demo generator: deterministic, consistent forms, and a realistic mix of defects."""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest

from jixiao.demo import defects
from jixiao.demo.generator import Generator, generate_documents, generate_forms, iter_labelled
from jixiao.exchange import form_to_exchange, forms_from_exchange
from jixiao.findings import Severity
from jixiao.model import SelfEvaluation
from jixiao.profile import load_profile
from jixiao.review import review_forms

PROFILE = load_profile("national-2020")


def test_same_seed_same_forms() -> None:
    one = [form_to_exchange(f) for f in generate_forms(120, seed=7)]
    two = [form_to_exchange(f) for f in generate_forms(120, seed=7)]
    other = [form_to_exchange(f) for f in generate_forms(120, seed=8)]
    assert one == two and one != other


def test_labelled_forms_are_the_demo_forms() -> None:
    labelled = list(iter_labelled(200, seed=7))
    assert [form_to_exchange(x.form) for x in labelled] == [
        form_to_exchange(f) for f in generate_forms(200, seed=7)
    ]
    clean = [x for x in labelled if not x.defects]
    assert clean and all(not x.expects and x.original is None for x in clean)
    spoiled = [x for x in labelled if x.defects]
    assert spoiled and all(x.expects and x.original is not None for x in spoiled)


def test_spoil_is_spoil_labelled_without_labels() -> None:
    generator = Generator(5)
    project = generator.project()
    plan = generator.plan(project)
    for form in (
        generator.self_evaluation(project, 2024, plan),
        generator.declaration(project, 2024, plan),
    ):
        for seed in range(40):
            labelled = defects.spoil_labelled(form, random.Random(seed))
            assert defects.spoil(form, random.Random(seed)) == labelled.form


def test_both_kinds_several_years_and_linked_projects() -> None:
    forms = generate_forms(300)
    assert len(forms) == 300
    kinds = Counter(f.kind for f in forms)
    assert kinds["self_evaluation"] > 100 and kinds["declaration"] > 100
    assert {f.year for f in forms} >= {2023, 2024, 2025}
    projects = Counter((f.unit, f.project) for f in forms)
    assert sum(1 for n in projects.values() if n >= 3) > 20  # chains across kinds and years


def test_consistent_forms_raise_no_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defects, "SHARE_SPOILED_SELF", 0.0)
    monkeypatch.setattr(defects, "SHARE_SPOILED_DECLARATION", 0.0)
    forms = generate_forms(600, seed=11)
    reviews = review_forms(forms, file="demo", profile=PROFILE)
    errors = [f for r in reviews for f in r.findings if f.severity is Severity.ERROR]
    assert errors == []
    warnings = [f for r in reviews for f in r.findings if f.severity is Severity.WARNING]
    assert len(warnings) < len(forms) * 0.02  # the odd far-exceeded target, no more


def test_defects_are_found_by_the_review() -> None:
    forms = generate_forms(1500, seed=3)
    reviews = review_forms(forms, file="demo", profile=PROFILE)
    kinds = Counter(f.kind for r in reviews for f in r.findings)
    for expected in (
        "low-execution-rate",
        "score-deducted-without-reason",
        "reason-contradicts-deduction",
        "lenient-score-target-missed",
        "full-score-target-not-met",
        "total-not-sum",
        "score-columns-swapped",
        "cost-indicator-wrong-direction",
        "missing-unit",
        "target-far-exceeded",
        "grade-mismatch",
        "goal-actual-repeats-expected",
        "declaration-funds-not-sum",
        "missing-satisfaction-indicator",
    ):
        assert kinds[expected] > 0, expected
    with_findings = sum(1 for r in reviews if r.findings)
    assert 0.25 < with_findings / len(forms) < 0.75  # a realistic mix, not all spoiled


def test_documents_are_exchange_files_that_read_back() -> None:
    documents = generate_documents(200)
    assert sum(len(d.forms) for d in documents) == 200
    assert len({d.name for d in documents}) == len(documents)
    for document in documents[:10]:
        forms, findings = forms_from_exchange(json.loads(document.to_bytes()), document.name)
        assert findings == []
        assert [form_to_exchange(f, extras=False) for f in forms] == [
            form_to_exchange(f, extras=False) for f in document.forms
        ]
    self_evaluations = [f for d in documents for f in d.forms if isinstance(f, SelfEvaluation)]
    assert all(f.funds_unit == "万元" and f.total_score is not None for f in self_evaluations)
