"""Every gold record equals what the readers produce from its seed (texts compared
whitespace-insensitively, everything else exactly)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from jixiao.exchange import form_to_exchange
from jixiao.pipeline import read_path
from tests.conftest import SEEDS, gold_records

_WS = re.compile(r"\s+")
_TEXT_KEYS = {
    "project",
    "department",
    "unit",
    "goal_expected",
    "goal_actual",
    "goal_overall",
    "goal_annual",
    "name",
    "note",
    "target",
    "actual",
    "nature",
    "category",
    "level1",
    "level2",
}


def _normalise(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _normalise(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v, key) for v in value]
    if isinstance(value, str) and key in _TEXT_KEYS:
        return _WS.sub("", value)
    return value


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_seed_reads_as_gold(seed: Path) -> None:
    result = read_path(seed)
    gold = gold_records(seed)
    assert len(result.forms) == len(gold)
    for form, record in zip(result.forms, gold, strict=True):
        expected = {k: v for k, v in record.items() if k not in ("seed", "ordinal")}
        got = form_to_exchange(form, extras=False)
        assert _normalise(got) == _normalise(expected), record["ordinal"]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_seed_reading_raises_no_error_findings(seed: Path) -> None:
    result = read_path(seed)
    assert not result.errors
