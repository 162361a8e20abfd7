"""Search through the index means what the LIKE of every term means, whatever is typed.

`matches` (the list's search: SQLite's FTS5 trigram index, PostgreSQL's pg_trgm) must
find exactly the forms `contains_terms` (a LIKE of every term, no index) finds: on
hostile queries that FTS5 would read as syntax, and on random substrings of the stored
texts (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from jixiao.store.importer import ImportSummary
from jixiao.store.search import contains_terms, fts_phrases, matches
from jixiao.store.tables import FormRow

# The index and its triggers are SQLite's: these tests take the SQLite half only.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

# FTS5 query syntax, quotes, LIKE wildcards and escapes, as a user might type them.
HOSTILE = (
    '"',
    '""',
    '"职业培训"',
    '职业"培训',
    '"职业培训" OR "宣传费"',
    "AND",
    "培训 AND 补助",
    "职业培训 OR 宣传费",
    "NOT 职业培训",
    "职业培训 NOT 宣传",
    "NEAR(职业培训 补助)",
    "NEAR(职业 培训, 3)",
    "职业培*",
    "*职业培训",
    "^职业培训",
    "search_text:职业培训",
    "forms_search:职业培训",
    "{search_text}:职业培训",
    "- search_text : 职业",
    "(职业培训)",
    "-职业培训",
    "+职业培训",
    "职业培训)",
    "'",
    "职业'培训",
    "\\",
    "%%%",
    "___",
    "职%培训",
    "职_培训",
    "\\%培训",
    "培训\\",
    "业培训 培训 训",
    "ＡＮＤ 职业培训",  # full width: NFKC makes it `and`
)


def _ids(session: Session, condition: object) -> set[int]:
    return set(session.scalars(select(FormRow.id).where(condition)))  # type: ignore[arg-type]


def _same(session: Session, query: str) -> set[int]:
    found = _ids(session, matches(query))
    assert found == _ids(session, contains_terms(FormRow.search_text, query)), query
    return found


def test_fts_phrases_quote_everything() -> None:
    assert fts_phrases(["职业培训"]) == '"职业培训"'
    assert fts_phrases(['a"b', "OR", "x*"]) == '"a""b" "OR" "x*"'


@pytest.mark.usefixtures("seeded")
def test_hostile_queries_mean_their_text(engine: Engine) -> None:
    with Session(engine) as session:
        for query in HOSTILE:
            _same(session, query)
        assert _same(session, "职业培训")  # and the plain term finds forms
        assert _same(session, '"职业培训"') == set()  # quotes are text, in no stored form
        assert _same(session, "职业培训 OR 宣传费") == set()  # `or` is a term, not an operator


@pytest.mark.usefixtures("seeded")
def test_a_nul_character_is_dropped_from_a_query(engine: Engine) -> None:
    with Session(engine) as session:
        found = _same(session, "职业培训")
        assert found
        assert _same(session, "职业\x00培训") == found
        assert _same(session, "职业培训\x00") == found
        assert _same(session, "\x00") == _same(session, "")


@pytest.mark.usefixtures("seeded")
def test_short_terms_combine_with_indexed_ones(engine: Engine) -> None:
    with Session(engine) as session:
        short = _same(session, "培训")
        both = _same(session, "培训 就业促进中心")
        assert both and both < short


@st.composite
def _queries(draw: st.DrawFn, texts: list[str]) -> str:
    """One to three terms, each a substring (1–8 characters) of a stored search text,
    sometimes upper-cased, sometimes with a character that is in no form."""
    terms = []
    for _ in range(draw(st.integers(1, 3))):
        source = draw(st.sampled_from(texts)).replace("\n", "")
        start = draw(st.integers(0, max(len(source) - 1, 0)))
        term = source[start : start + draw(st.integers(1, 8))]
        if draw(st.booleans()) and draw(st.booleans()):
            term = term.upper()
        if draw(st.integers(0, 9)) == 0:
            term += draw(st.sampled_from(['"', "*", "^", ":", "%", "_", "\\", "龘"]))
        terms.append(term)
    return " ".join(terms)


def test_index_finds_what_like_finds(engine: Engine, seeded: ImportSummary) -> None:
    with Session(engine) as session:
        texts = list(session.scalars(select(FormRow.search_text)))

        @settings(
            max_examples=150,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture],
        )
        @given(st.data())
        def check(data: st.DataObject) -> None:
            _same(session, data.draw(_queries(texts)))

        check()


@SQLITE_ONLY
def test_sqlite_search_reads_the_index(engine: Engine, seeded: ImportSummary) -> None:
    """The plan of a search: the FTS5 index, then the forms it found by id — no scan.
    (PostgreSQL's trigram index is checked by the web benchmark's EXPLAIN.)"""
    query = select(FormRow.id).where(matches("职业培训 培训")).order_by(FormRow.id).limit(101)
    with engine.connect() as connection:
        compiled = query.compile(connection)
        plan = connection.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {compiled}", tuple(compiled.params.values())
        ).all()
    steps = [row[-1] for row in plan]
    assert "SEARCH forms USING INTEGER PRIMARY KEY (rowid=?)" in steps, steps
    assert any(s.startswith("SCAN forms_search VIRTUAL TABLE INDEX") for s in steps), steps
    assert not any(s == "SCAN forms" or s.startswith("SCAN forms USING") for s in steps), steps


@SQLITE_ONLY
def test_sqlite_index_follows_the_forms(engine: Engine, seeded: ImportSummary) -> None:
    """Triggers keep the index in step: a changed search text, a deleted form."""
    with Session(engine) as session:
        form_id = _same(session, "职业培训").pop()
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE forms SET search_text = 'zz独一无二的文字zz' WHERE id = :id"),
            {"id": form_id},
        )
    with Session(engine) as session:
        assert form_id not in _same(session, "职业培训")
        assert _same(session, "独一无二") == {form_id}
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM forms WHERE id = :id"), {"id": form_id})
        # FTS5's own check that the index holds exactly what `forms` holds.
        connection.execute(
            text("INSERT INTO forms_search(forms_search) VALUES ('integrity-check')")
        )
    with Session(engine) as session:
        assert _same(session, "独一无二") == set()
