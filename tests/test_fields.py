"""The one schema of the form (`jixiao.fields`): every field, both kinds, both directions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from hypothesis import given, settings

from jixiao.exchange import form_to_exchange, forms_from_exchange
from jixiao.fields import FORM_KINDS, ValueType, form_fields, indicator_fields, scalar_columns
from jixiao.model import LABEL, Declaration, Form, Indicator, SelfEvaluation
from jixiao.store.tables import FormRow, IndicatorRow
from tests.conftest import ROOT
from tests.support.any_forms import FILE, any_form
from tests.support.exchange_doc import tables


@settings(max_examples=150, deadline=None)
@given(any_form)
def test_model_to_exchange_to_model(form: Form) -> None:
    record = form_to_exchange(form)
    text = json.dumps([record], ensure_ascii=False)  # as `parse --json` writes it
    forms, findings = forms_from_exchange(json.loads(text), FILE)
    assert findings == []
    assert forms == [form]
    # Decimals compare by value (1.5 == 1.50): the exchange compares them as printed.
    assert form_to_exchange(forms[0]) == record


def test_every_printed_field_of_the_model_is_in_the_schema() -> None:
    for cls in (SelfEvaluation, Declaration, Indicator):
        printed = {f.name for f in dataclasses.fields(cls) if LABEL in f.metadata}
        unlabelled = {f.name for f in dataclasses.fields(cls) if LABEL not in f.metadata}
        # What is not printed is bookkeeping of the reading, never a field of the form.
        assert unlabelled <= {"source", "extra", "field_lines", "target_value", "actual_value"}
        assert printed
    assert [s.name for s in form_fields("self_evaluation")][:4] == [
        "year",
        "project",
        "department",
        "unit",
    ]
    assert "actual" not in {s.name for s in indicator_fields("declaration")}


def test_every_scalar_field_has_its_column_of_the_right_kind() -> None:
    columns = FormRow.__table__.c
    for spec in scalar_columns():
        assert spec.column in columns, spec.name
        python_type = columns[spec.column].type.python_type
        expected = {
            ValueType.TEXT: str,
            ValueType.INTEGER: int,
            ValueType.DATE: dt.date,
        }.get(spec.value_type)
        if expected is not None:
            assert python_type is expected, spec.name
        if spec.value_type is ValueType.TEXT:
            # A printed text has no length limit (PostgreSQL would refuse a longer one).
            assert getattr(columns[spec.column].type, "length", None) is None, spec.name
    for kind in FORM_KINDS:
        for spec in indicator_fields(kind):
            assert spec.column in IndicatorRow.__table__.c, spec.name


def test_a_bad_record_names_the_field_and_its_label() -> None:
    record = form_to_exchange(SelfEvaluation(year=2024, project="项目"))
    record["funds"]["total"]["rate"] = 0.5
    record["indicators"] = [
        {"name": "指标", "level1": "产出指标", "level2": "数量指标", "weight": "x"}
    ]
    forms, findings = forms_from_exchange([record], FILE)
    assert forms == []
    assert "funds.total.rate" in findings[0].message
    record["funds"]["total"]["rate"] = "95.00"
    forms, findings = forms_from_exchange([record], FILE)
    assert "indicators[1].weight" in findings[0].message


def test_the_format_documentation_lists_exactly_the_schema() -> None:
    doc = (ROOT / "docs" / "exchange.md").read_text(encoding="utf-8")
    documented = [block for block in doc.split("\n\n") if block.startswith("| key |")]
    expected = [table for kind in FORM_KINDS for table in tables(kind)]
    assert documented == expected
