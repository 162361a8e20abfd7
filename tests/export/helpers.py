"""What the export tests share: the gold forms, and forms compared as the readers' tests
compare them (the exchange record without sources, whitespace of texts ignored)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jixiao.exchange import form_to_exchange, forms_from_exchange
from jixiao.export.layout import Layout, available_layouts, load_layout
from jixiao.model import Form
from tests.conftest import GOLD
from tests.test_read_gold import _normalise

LAYOUTS = ("shanghai", "national")


@cache
def gold_forms(path: Path) -> tuple[Form, ...]:
    forms, findings = forms_from_exchange(json.loads(path.read_text("utf-8")), path.name)
    assert not findings
    return tuple(forms)


@cache
def all_gold_forms() -> tuple[Form, ...]:
    return tuple(form for path in GOLD for form in gold_forms(path))


def first_of(kind: str) -> Form:
    return next(form for form in all_gold_forms() if form.kind == kind)


@cache
def layout(name: str) -> Layout:
    assert name in available_layouts()
    return load_layout(name)


def expected(path: Path) -> list[Any]:
    records = json.loads(path.read_text("utf-8"))
    return [
        _normalise({k: v for k, v in r.items() if k not in ("seed", "ordinal")}) for r in records
    ]


def got(forms: list[Form]) -> list[Any]:
    return [_normalise(form_to_exchange(form, extras=False)) for form in forms]
