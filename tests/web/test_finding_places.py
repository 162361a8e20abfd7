"""A finding keeps its place from the review to the reader: stored, then read back through
the API, an indicator's finding still names its indicator (name, row and line) and a
finding on the form as a whole still names its field."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from jixiao.exchange import form_to_exchange
from jixiao.intake import take_in
from jixiao.store.importer import import_intakes
from jixiao.store.tables import FindingRow, IndicatorRow
from tests.rules.forms import indicator, replace_indicator, self_evaluation
from tests.store.helpers import PROFILE

pytestmark = pytest.mark.anyio


def _defective_form_json() -> bytes:
    """A self-evaluation with a point lost on 培训合格率 without a reason (line 13), a
    duplicated indicator name (培训人数 twice) and a grade that does not fit its total."""
    form = self_evaluation()
    lowered = indicator("培训合格率", "≥90.00(%)", "85.00(%)", "20.00", "18.00", level2="质量指标")
    form = replace_indicator(form, 3, replace(lowered, source=replace(lowered.source, line=13)))
    twin = indicator(
        "培训人数", "≥100(人)", "120(人)", "10.00", "10.00", level2="时效指标", line=14
    )
    form = replace_indicator(form, 4, twin)
    form = replace(form, total_score=Decimal("97.50"), grade="良")
    return json.dumps([form_to_exchange(form)], ensure_ascii=False).encode()


def _by_kind(findings: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    (finding,) = [f for f in findings if f["kind"] == kind]
    return finding


async def test_stored_findings_keep_their_indicator_and_field(
    client: httpx.AsyncClient, engine: Engine
) -> None:
    intake = take_in(_defective_form_json(), "inline.json", PROFILE)
    summary = import_intakes(engine, [intake], origin="cli", profile=PROFILE)
    (outcome,) = summary.outcomes
    assert outcome.status == "saved", outcome.message
    (form_id,) = outcome.form_ids

    response = await client.get(f"/api/forms/{form_id}")
    assert response.status_code == 200, response.text
    record = response.json()
    findings = record["findings"]

    with Session(engine) as session:
        rows = {
            (i.position, i.name): i.id
            for i in session.scalars(select(IndicatorRow).where(IndicatorRow.form_id == form_id))
        }
        stored = session.scalars(select(FindingRow).where(FindingRow.form_id == form_id)).all()
    assert {f.kind for f in stored} == {f["kind"] for f in findings}

    # An indicator's finding: its printed name, the cell, its line and its stored row.
    deducted = _by_kind(findings, "score-deducted-without-reason")
    assert deducted["indicator"] == "培训合格率" and deducted["field"] == "note"
    assert deducted["line"] == 13
    assert deducted["indicator_id"] == rows[(3, "培训合格率")]

    # Of two indicators of one name, the finding is on the second (by its line).
    twin = _by_kind(findings, "duplicate-indicator-name")
    assert twin["indicator"] == "培训人数" and twin["field"] == "name" and twin["line"] == 14
    assert twin["indicator_id"] == rows[(4, "培训人数")]

    # A finding on the form as a whole names its field and no indicator.
    grade = _by_kind(findings, "grade-mismatch")
    assert grade["field"] == "grade"
    assert grade["indicator"] is None and grade["indicator_id"] is None

    # The list of all findings says the same.
    listed = await client.get(
        "/api/findings", params={"kind": "score-deducted-without-reason", "form_id": form_id}
    )
    assert listed.status_code == 200, listed.text
    (item,) = listed.json()["items"]
    assert item["indicator"] == "培训合格率" and item["field"] == "note"
    assert item["indicator_id"] == deducted["indicator_id"]
