"""Model → database → model on SQLite and PostgreSQL: every field of both kinds survives.

The forms are generated from the field schema (`tests.support.any_forms`), so a field
added to the model is stored and read back here without this test changing.
"""

from __future__ import annotations

import hashlib
import json
from itertools import count

from hypothesis import HealthCheck, given, settings
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from jixiao.exchange import form_to_exchange
from jixiao.intake import Intake, ReviewedForm
from jixiao.model import Form
from jixiao.store.importer import import_intakes
from jixiao.store.queries import get_form
from tests.support.any_forms import FILE, any_form

_unique = count()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(any_form)
def test_model_to_database_to_model(engine: Engine, form: Form) -> None:
    # Each example is a document of its own (import is idempotent by content).
    data = f"{next(_unique)}:{json.dumps(form_to_exchange(form), ensure_ascii=False)}".encode()
    intake = Intake(
        name=FILE,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        format="json",
        forms=(ReviewedForm(index=1, form=form, score=None, reading=(), review=()),),
        file_findings=(),
        data=data,
    )
    summary = import_intakes(engine, [intake], origin="cli", profile="national-2020")
    [form_id] = summary.form_ids
    with Session(engine) as session:
        stored = get_form(session, form_id)
    assert stored is not None
    assert stored.form == form
    # Decimals compare by value (1.5 == 1.50): the exchange records compare them as printed.
    assert form_to_exchange(stored.form) == form_to_exchange(form)
