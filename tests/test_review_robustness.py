"""The review engine on forms it has never seen: no rule may crash, and a form's findings
do not depend on the rendering it was read from."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from jixiao.model import Form
from jixiao.pipeline import read_path, read_text
from jixiao.profile import available_profiles, load_profile
from jixiao.review import review_forms
from tests.conftest import SEEDS
from tests.support.render import to_html, to_markdown, to_tsv
from tests.support.strategies import forms as form_strategy


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(form=form_strategy)
def test_no_rule_crashes_on_generated_forms(form: Form) -> None:
    for name in available_profiles():
        (review,) = review_forms([form], file="generated", profile=load_profile(name))
        crashed = [f for f in review.findings if f.kind == "rule-crashed"]
        assert not crashed, crashed[0].message


def _signature(forms: list[Form]) -> list[list[tuple[str, str | None, str | None]]]:
    reviews = review_forms(forms, file="x", profile=load_profile("shanghai"))
    return [sorted((f.code, f.indicator, f.field) for f in r.findings) for r in reviews]


def test_findings_do_not_depend_on_the_rendering() -> None:
    forms = [form for seed in SEEDS for form in read_path(seed).forms]
    expected = _signature(forms)
    for render in (to_tsv, to_html, lambda fs: to_markdown(fs, "mixed", seed=3)):
        assert _signature(read_text(render(forms), "rendered").forms) == expected
