"""Round trips: forms rendered as converters render them must read back unchanged.

Generated forms (Hypothesis) and the gold forms, through TSV, markdown pipe tables (with
merged cells repeated, blank, or dropped so the row shifts) and HTML with rowspan and
colspan.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.exchange import form_to_exchange, forms_from_exchange
from jixiao.model import Form
from jixiao.pipeline import read_text
from tests.conftest import GOLD
from tests.support.render import to_html, to_markdown, to_tsv
from tests.support.strategies import forms as form_strategy

_WS = re.compile(r"\s+")

RENDERINGS: dict[str, Callable[[list[Form]], str]] = {
    "tsv": to_tsv,
    "tsv-quoted": lambda forms: to_tsv(forms, wrap_goals_at=20),
    "html": to_html,
    "markdown-blank": lambda forms: to_markdown(forms, "blank"),
    "markdown-repeat": lambda forms: to_markdown(forms, "repeat"),
    "markdown-drop": lambda forms: to_markdown(forms, "drop"),
    "markdown-mixed": lambda forms: to_markdown(forms, "mixed", seed=7),
}
EXPECTED_FORMAT = {"tsv": "tsv", "tsv-quoted": "tsv", "html": "html"}


def _comparable(form: Form) -> Any:
    def norm(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items()}
        if isinstance(value, list):
            return [norm(v) for v in value]
        if isinstance(value, str):
            return _WS.sub("", value)
        return value

    return norm(form_to_exchange(form, extras=False))


def _gold_forms() -> list[Form]:
    out: list[Form] = []
    for path in GOLD:
        forms, findings = forms_from_exchange(json.loads(path.read_text("utf-8")), str(path))
        assert not findings
        out.extend(forms)
    return out


@pytest.mark.parametrize("rendering", sorted(RENDERINGS))
def test_gold_forms_survive_rendering(rendering: str) -> None:
    forms = _gold_forms()
    result = read_text(RENDERINGS[rendering](forms), f"gold.{rendering}")
    assert result.format == EXPECTED_FORMAT.get(rendering, "markdown")
    assert [_comparable(f) for f in result.forms] == [_comparable(f) for f in forms]
    assert not result.errors


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    forms=st.lists(form_strategy, min_size=1, max_size=3),
    rendering=st.sampled_from(sorted(RENDERINGS)),
)
def test_generated_forms_survive_rendering(forms: list[Form], rendering: str) -> None:
    result = read_text(RENDERINGS[rendering](forms), f"generated.{rendering}")
    assert [_comparable(f) for f in result.forms] == [_comparable(f) for f in forms]
