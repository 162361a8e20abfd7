"""Prepared documents: every column's value, as plain data, ready to cross processes."""

from __future__ import annotations

import pickle
from typing import Any

from jixiao.intake import take_in, take_in_path
from jixiao.store import rows
from jixiao.store.prepared import FINDING, FORM, FUNDS, INDICATOR, WRITER_COLUMNS, prepare
from tests.conftest import SEEDS
from tests.store.helpers import PROFILE

PLAIN = (str, int, bytes, type(None))


def _plain(value: Any) -> bool:
    if isinstance(value, tuple):
        return all(_plain(v) for v in value)
    return isinstance(value, PLAIN)


def test_every_column_comes_from_the_rows_mapping() -> None:
    """`rows.py` names every column the writer does not fill in, and no other: a column
    added to a table and not to the mapping fails here, not in a user's import."""
    intake = take_in_path(SEEDS[0], PROFILE)
    reviewed = next(r for r in intake.forms if r.review)
    form = reviewed.form
    tables = (
        (
            FORM,
            [
                {
                    **rows.form_values(form, score=reviewed.score, findings=(), profile=""),
                    "position": 1,
                }
            ],
        ),
        (FUNDS, rows.funds_values(form)),
        (INDICATOR, rows.indicator_values(form, reviewed.score)),
        (FINDING, [rows.finding_values(reviewed.review[0], "review")]),
    )
    for stored, made in tables:
        names = {c.name for c in stored.table.columns}
        assert set(stored.columns) == names - WRITER_COLUMNS
        for row in made:
            assert set(row) == set(stored.columns), stored.table.name


def test_a_document_is_plain_data() -> None:
    for seed in SEEDS:
        intake = take_in_path(seed, PROFILE)
        document = prepare(intake, PROFILE)
        assert document.refusal is None and document.content == seed.read_bytes()
        assert len(document.forms) == len(intake.forms)
        assert document.finding_count == intake.finding_count
        for form in document.forms:
            assert _plain(form.row) and _plain(form.funds) and _plain(form.indicators)
            assert all(_plain(row) for _, row in form.findings)
            assert len(form.row) == len(FORM.columns)
        assert pickle.loads(pickle.dumps(document)) == document


def test_a_refused_file_prepares_nothing() -> None:
    intake = take_in(b"\x89PNG\r\n\x1a\n" + bytes(64), "scan.png", PROFILE)
    document = prepare(intake, PROFILE)
    assert document.refusal == intake.refusal and "整个文件未保存" in document.refusal
    assert document.forms == () and document.file_findings == () and document.content == b""
