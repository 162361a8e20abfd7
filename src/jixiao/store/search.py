"""Search text for Chinese (storage step): substring match on a normalised column.

Chinese has no spaces to split words on, so jixiao does not tokenise: each form keeps
one `search_text` (project, department, unit, goals and indicator names, NFKC-normalised,
lower-cased, whitespace removed) and a query matches when every one of its
space-separated terms occurs in it as a substring. On PostgreSQL a `pg_trgm` GIN index
serves `LIKE '%…%'` for terms of three characters or more; shorter terms still work
(they scan). On SQLite the same `LIKE` scans the column, which suits a local file.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import and_, true
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.elements import ColumnElement

from jixiao.model import Form, SelfEvaluation
from jixiao.vocabulary.normalise import search_key, search_terms

_LIKE_SPECIAL = re.compile(r"([\\%_])")


def search_text(form: Form) -> str:
    parts: list[str | None] = [form.project, form.department, form.unit]
    if isinstance(form, SelfEvaluation):
        parts += [form.goal_expected, form.goal_actual]
    else:
        parts += [form.goal_overall, form.goal_annual]
    parts += [ind.name for ind in form.indicators]
    return "\n".join(search_key(p) for p in parts if p)


def matches(
    column: ColumnElement[Any] | QueryableAttribute[Any], query: str | None
) -> ColumnElement[bool]:
    """`column` contains every term of `query` (LIKE wildcards in the query are literal)."""
    terms = search_terms(query) if query else []
    if not terms:
        return true()
    return and_(*(column.like(f"%{_escape(term)}%", escape="\\") for term in terms))


def _escape(term: str) -> str:
    return _LIKE_SPECIAL.sub(r"\\\1", term)
