"""Search text for Chinese (storage step): substring match on a normalised column.

Chinese has no spaces to split words on, so jixiao does not tokenise: each form keeps
one `search_text` (project, department, unit, goals and indicator names, NFKC-normalised,
lower-cased, whitespace removed) and a query matches when every one of its
space-separated terms occurs in it as a substring (`LIKE '%…%'`, wildcards literal).

That `LIKE` is the meaning on every database; indexes only find the candidates faster:

- PostgreSQL: a `pg_trgm` GIN index serves `LIKE '%…%'` itself for terms of three
  characters or more; shorter terms are checked on the rows the others leave (or scan).
- SQLite: an FTS5 trigram index of `search_text` (`forms_search`, migration 0005) finds
  the forms holding every term of three characters or more, as quoted phrases, and the
  `LIKE` of every term is checked on those candidates only. With no term that long
  (`培训`, `运维`) the `LIKE` scans, as before.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Boolean, and_, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from jixiao.model import Form, SelfEvaluation
from jixiao.store.tables import FormRow
from jixiao.vocabulary.normalise import search_key, search_terms

_LIKE_SPECIAL = re.compile(r"([\\%_])")
# The trigram tokenizer indexes every run of three characters: a shorter term has no
# trigram to look up (FTS5 would match nothing), so it is left to `LIKE`.
TRIGRAM = 3
# The SQLite index of `forms.search_text` (created by migration 0005).
SQLITE_INDEX = "forms_search"


def is_search_index(table_name: str | None) -> bool:
    """The SQLite index or one of FTS5's own tables behind it (`forms_search_data` …):
    tables the migrations create that the models do not describe."""
    return table_name is not None and (
        table_name == SQLITE_INDEX or table_name.startswith(f"{SQLITE_INDEX}_")
    )


def search_text(form: Form) -> str:
    parts: list[str | None] = [form.project, form.department, form.unit]
    if isinstance(form, SelfEvaluation):
        parts += [form.goal_expected, form.goal_actual]
    else:
        parts += [form.goal_overall, form.goal_annual]
    parts += [ind.name for ind in form.indicators]
    return "\n".join(search_key(p) for p in parts if p)


def matches(query: str | None) -> ColumnElement[bool]:
    """The stored form's search text contains every term of `query` — the same forms as
    `contains_terms(FormRow.search_text, query)`, found through the search index."""
    terms = search_terms(query) if query else []
    if not terms:
        return true()
    indexed = [term for term in terms if _indexable(term)]
    like = _like_each(FormRow.search_text, terms)
    if not indexed:
        return and_(*like)
    return and_(_indexed_candidates(FormRow.id, fts_phrases(indexed)), *like)


def contains_terms(
    column: ColumnElement[Any] | QueryableAttribute[Any], query: str | None
) -> ColumnElement[bool]:
    """`column` contains every term of `query` (LIKE wildcards in the query are literal):
    what a search means, without any index."""
    terms = search_terms(query) if query else []
    if not terms:
        return true()
    return and_(*_like_each(column, terms))


def fts_phrases(terms: list[str]) -> str:
    """An FTS5 query that holds every term as a quoted phrase (implicitly ANDed).

    Inside double quotes FTS5 reads nothing as syntax — not AND/OR/NOT/NEAR, `*`, `^`,
    `:` column filters, parentheses or `+` — only a doubled quote, which stands for one:
    so nothing a user types changes the query's meaning. The query is a bound value.
    """
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _indexable(term: str) -> bool:
    # (`search_terms` has dropped any NUL character, which FTS5 would refuse.)
    return len(term) >= TRIGRAM


def _like_each(
    column: ColumnElement[Any] | QueryableAttribute[Any], terms: list[str]
) -> list[ColumnElement[bool]]:
    return [column.like(f"%{_escape(term)}%", escape="\\") for term in terms]


def _escape(term: str) -> str:
    return _LIKE_SPECIAL.sub(r"\\\1", term)


class _indexed_candidates(FunctionElement[bool]):
    """`forms.id` is among the rows the SQLite index finds for an FTS5 query; true on
    other databases (PostgreSQL's trigram index serves the `LIKE` conditions directly)."""

    name = "indexed_candidates"
    type = Boolean()
    inherit_cache = True
    # A condition in itself (`… IN (…)`): not to be compared with 1 where the database
    # has no boolean type, which would hide the IN from SQLite's planner.
    _is_implicitly_boolean = True


@compiles(_indexed_candidates)
def _candidates_elsewhere(element: _indexed_candidates, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(true(), **kw)


@compiles(_indexed_candidates, "sqlite")
def _candidates_sqlite(element: _indexed_candidates, compiler: SQLCompiler, **kw: Any) -> str:
    key, phrases = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"{key} IN (SELECT rowid FROM {SQLITE_INDEX} WHERE {SQLITE_INDEX} MATCH {phrases})"
