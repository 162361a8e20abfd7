"""The plain-text (pdftotext) reader on layouts beyond seed 000.

`tests/support/pdftotext_style.py` prints forms the way pdftotext prints the official
report PDFs (seed 000 shows the rules); where the real output varies, its seed picks the
variant. The gold forms — with their long notes, wrapped names, wrapped targets and
units, declarations — must read back exactly in every variant.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.exchange import form_to_exchange, forms_from_exchange
from jixiao.model import Form
from jixiao.pipeline import read_text
from tests.conftest import GOLD
from tests.support.pdftotext_style import to_pdftotext
from tests.support.strategies import plain_text_self_evaluations

_WS = re.compile(r"\s+")


def _comparable(form: Form) -> Any:
    def norm(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items()}
        if isinstance(value, list):
            return [norm(v) for v in value]
        return _WS.sub("", value) if isinstance(value, str) else value

    return norm(form_to_exchange(form, extras=False))


def _gold_forms() -> list[Form]:
    forms: list[Form] = []
    for path in GOLD:
        read, _ = forms_from_exchange(json.loads(path.read_text("utf-8")), str(path))
        forms.extend(read)
    return forms


@pytest.mark.parametrize("variant", range(8))
def test_gold_forms_read_back_from_pdftotext_layouts(variant: int) -> None:
    forms = _gold_forms()
    result = read_text(to_pdftotext(forms, seed=variant), "gold.txt")
    assert result.format == "plain"
    assert [_comparable(f) for f in result.forms] == [_comparable(f) for f in forms]
    assert not result.errors


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(form=plain_text_self_evaluations, variant=st.integers(0, 1000))
def test_generated_forms_read_back_from_pdftotext(form: Form, variant: int) -> None:
    result = read_text(to_pdftotext([form], seed=variant), "generated.txt")
    assert [_comparable(f) for f in result.forms] == [_comparable(form)]


def test_a_page_break_inside_the_indicator_table() -> None:
    """pdftotext ends a page with a form feed; the next page repeats the table header."""
    forms = _gold_forms()[:8]  # seed 000: self-evaluations
    text = to_pdftotext(forms, seed=1)
    header = "一级\n\n指标\n\n二级\n\n指标\n三级指标 年度指标值 实际完成值 分值 得分\n\n偏差原因分析\n\n及改进措施"
    cut = text.index("\n\n效益\n\n指标\n\n")  # between two groups of the first form
    broken = text[:cut] + "\n\n- 1 -\n\f" + header + text[cut:]
    result = read_text(broken, "paged.txt")
    assert [_comparable(f) for f in result.forms] == [_comparable(f) for f in forms]


def test_an_indicator_named_like_a_footer_label_does_not_end_the_table() -> None:
    from dataclasses import replace

    form = _gold_forms()[0]
    renamed = replace(form.indicators[1], name="等级评定准确率")
    form = replace(form, indicators=(form.indicators[0], renamed, *form.indicators[2:]))
    (read,) = read_text(to_pdftotext([form], seed=0), "named.txt").forms
    assert _comparable(read) == _comparable(form)
