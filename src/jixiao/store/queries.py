"""Reading stored forms back (storage step): the list with its filters, one form, findings.

Every filter of the list page and of `GET /api/forms` is one field of `FormFilters`; the
page, the CSV/Excel download and the API build their queries from the same conditions
(`_conditions`) and order (`_order`), so they cannot disagree about what "the current
list" is.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, bindparam, exists, func, select
from sqlalchemy.orm import Session, load_only

from jixiao.model import Form
from jixiao.store.chunks import joined
from jixiao.store.rows import form_from_rows
from jixiao.store.search import matches
from jixiao.store.tables import (
    SORT_COLUMNS,
    Document,
    DocumentChunk,
    FindingRow,
    FormRow,
    FundsLine,
    IndicatorRow,
)
from jixiao.store.types import ExactDecimal, number_of
from jixiao.vocabulary.normalise import search_key


@dataclass(frozen=True, slots=True)
class FormFilters:
    year: int | None = None
    department: str | None = None
    unit: str | None = None  # substring of 实施单位
    kind: str | None = None
    grade: str | None = None
    finding: str | None = None  # a finding kind slug the form must have
    severity: str | None = None  # the form must have a finding of this severity
    q: str | None = None
    project_id: int | None = None
    import_id: int | None = None

    def active(self) -> dict[str, Any]:
        """The filters that are set (for links that keep the current list)."""
        return {f.name: v for f in fields(self) if (v := getattr(self, f.name)) not in (None, "")}


# Sort keys of the list: name → column (see tables.SORT_COLUMNS for their indexes).
# Amounts sort as numbers on every database.
SORTS: dict[str, Any] = {
    "id": FormRow.id,
    **{
        key: number_of(column) if isinstance(column.type, ExactDecimal) else column
        for key, column in ((k, FormRow.__table__.c[c]) for k, c in SORT_COLUMNS.items())
    },
}
DEFAULT_SORT = "id"
# The list page counts the matches of a search only this far, or to the page shown if
# further (an exact count of a common term among a hundred thousand forms costs more
# than the page itself). The API counts exactly.
COUNT_CAP = 100


def parse_sort(sort: str | None) -> tuple[str, bool]:
    """`"-score"` → ("score", descending); unknown keys fall back to the default."""
    raw = (sort or DEFAULT_SORT).strip()
    descending = raw.startswith("-")
    key = raw.lstrip("-")
    if key not in SORTS:
        return DEFAULT_SORT, False
    return key, descending


def _conditions(filters: FormFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.year is not None:
        conditions.append(FormRow.year == filters.year)
    if filters.department:
        conditions.append(FormRow.department_key == search_key(filters.department))
    if filters.unit:
        conditions.append(FormRow.unit.contains(filters.unit, autoescape=True))
    if filters.kind:
        conditions.append(FormRow.kind == filters.kind)
    if filters.grade:
        conditions.append(FormRow.grade == filters.grade)
    if filters.project_id is not None:
        conditions.append(FormRow.project_id == filters.project_id)
    if filters.import_id is not None:
        conditions.append(
            FormRow.document_id.in_(
                select(Document.id).where(Document.import_id == filters.import_id)
            )
        )
    if filters.finding:
        conditions.append(
            exists().where(FindingRow.form_id == FormRow.id, FindingRow.kind == filters.finding)
        )
    if filters.severity:
        conditions.append(
            exists().where(
                FindingRow.form_id == FormRow.id, FindingRow.severity == filters.severity
            )
        )
    if filters.q:
        conditions.append(matches(filters.q))
    return conditions


# What a list shows of a form (the list page, the API's summaries, the downloads): the
# long texts — goals, search text — stay in the database.
LIST_COLUMNS = load_only(
    FormRow.id,
    FormRow.document_id,
    FormRow.project_id,
    FormRow.kind,
    FormRow.year,
    FormRow.project,
    FormRow.department,
    FormRow.unit,
    FormRow.funds_unit,
    FormRow.funds_amount,
    FormRow.funds_executed,
    FormRow.funds_wan,
    FormRow.execution_rate,
    FormRow.total_score,
    FormRow.ref_total,
    FormRow.grade,
    FormRow.ref_grade,
    FormRow.error_count,
    FormRow.warning_count,
    FormRow.info_count,
    FormRow.finding_count,
    raiseload=True,
)


def _order(sort: str | None) -> tuple[Any, ...]:
    key, descending = parse_sort(sort)
    if key == "id":  # the primary key: never NULL, and its index has the default order
        return (FormRow.id.desc(),) if descending else (FormRow.id.asc(),)
    column = SORTS[key]
    # Missing values count as the lowest: first going up, last going down — SQLite's
    # own order, and the order of the PostgreSQL sort indexes read either way.
    if descending:
        return (column.desc().nulls_last(), FormRow.id.desc())
    return (column.asc().nulls_first(), FormRow.id.asc())


def forms_query(filters: FormFilters, sort: str | None = None) -> Select[FormRow]:
    """Every form the filters match, in the list's order."""
    return (
        select(FormRow).options(LIST_COLUMNS).where(*_conditions(filters)).order_by(*_order(sort))
    )


def page_query(
    filters: FormFilters, sort: str | None = None, *, limit: int = 50, offset: int = 0
) -> Select[FormRow]:
    """One page of the list. The page's ids are found first, from the sort index alone,
    and only then its rows: a deep page does not read every row it skips."""
    ids = (
        select(FormRow.id)
        .where(*_conditions(filters))
        .order_by(*_order(sort))
        .limit(limit)
        .offset(offset)
        .subquery()
    )
    return (
        select(FormRow)
        .options(LIST_COLUMNS)
        .join(ids, FormRow.id == ids.c.id)
        .order_by(*_order(sort))
    )


def reversed_sort(sort: str | None) -> str:
    """The list's order read backwards: ties are broken by id, and missing values count
    as the lowest either way (`_order`), so this is exactly the reverse order."""
    key, descending = parse_sort(sort)
    return key if descending else f"-{key}"


# How deep the list page reads into a list, from its nearer end (`depth`): two hundred
# pages of fifty. OFFSET steps over every row before the page, so a page in the middle of
# a million forms would read half a million index entries; a list that long is narrowed
# by a filter or another order, not paged through.
MAX_DEPTH = 10_000


def depth(offset: int, limit: int, total: int | None) -> int:
    """How many rows reading the page at `offset` steps over: from the start, or from the
    end when the list's length is known and the end is nearer (`read_page`)."""
    if total is None:
        return offset
    return min(offset, from_the_end(total, limit, offset))


def from_the_end(total: int, limit: int, offset: int) -> int:
    """How many forms the page `offset` leaves after it, read from the list's end:
    its offset in the reversed list."""
    return max(total - offset - limit, 0)


def read_page(
    session: Session,
    filters: FormFilters,
    sort: str | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
    total: int | None = None,
) -> list[FormRow]:
    """One page of the list. When the list's length is known and the page lies nearer its
    end, the page is read from the end, in the reverse order, then turned round: OFFSET
    steps over every row it skips, and the last page of a million forms would read them
    all."""
    if total is not None and offset >= total:
        return []  # past the end: nothing to read (and no index to step through)
    if total is None or from_the_end(total, limit, offset) >= offset:
        return list(session.scalars(page_query(filters, sort, limit=limit, offset=offset)))
    rows = session.scalars(
        page_query(
            filters,
            reversed_sort(sort),
            limit=min(offset + limit, total) - offset,
            offset=from_the_end(total, limit, offset),
        )
    )
    return list(rows)[::-1]


@dataclass(slots=True)
class CappedPage:
    rows: list[FormRow]
    counted: int  # matches counted (all of them unless `more`)
    more: bool  # there are matches beyond those counted


def capped_page(
    session: Session,
    filters: FormFilters,
    sort: str | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
    cap: int = COUNT_CAP,
) -> CappedPage:
    """A page of a search, and how many forms match — counted as far as needed.

    One query finds, in order, the ids of the matches up to the page's end or `cap`,
    whichever is further, plus one to tell whether more follow; their number is the
    count and a slice of them the page. A search thus costs one pass over the matches it
    shows instead of a page query and a count over every match.
    """
    horizon = max(cap, offset + limit)
    ids = list(
        session.scalars(
            select(FormRow.id)
            .where(*_conditions(filters))
            .order_by(*_order(sort))
            .limit(horizon + 1)
        )
    )
    wanted = ids[offset : offset + limit]
    rows = session.scalars(select(FormRow).options(LIST_COLUMNS).where(FormRow.id.in_(wanted)))
    found = {r.id: r for r in rows}
    return CappedPage([found[i] for i in wanted], min(len(ids), horizon), len(ids) > horizon)


def count_forms(session: Session, filters: FormFilters, *, cap: int | None = None) -> int:
    """How many forms match (at most `cap + 1`, when a cap is given)."""
    matching = select(FormRow.id).where(*_conditions(filters))
    if cap is not None:
        matching = matching.limit(cap + 1)
    query = select(func.count()).select_from(matching.subquery())
    return session.execute(query).scalar_one()


def list_forms(
    session: Session,
    filters: FormFilters,
    *,
    sort: str | None = None,
    limit: int = 50,
    offset: int = 0,
    cap: int | None = None,
) -> tuple[list[FormRow], int]:
    """One page of the list, and how many forms the filters match in all (see `cap`)."""
    total = count_forms(session, filters, cap=cap)
    exact = total if cap is None or total <= cap else None
    return read_page(session, filters, sort, limit=limit, offset=offset, total=exact), total


@dataclass(slots=True)
class StoredForm:
    """A stored form with everything its page and API record show."""

    row: FormRow
    form: Form
    document: Document
    indicators: list[IndicatorRow]
    funds: list[FundsLine]
    findings: list[FindingRow] = field(default_factory=list)


# The form page's statements, built once: it runs them on every view, and building a
# statement and its cache key costs about what the database takes to answer it.
_FORM_ID = bindparam("form_id", type_=Integer)
_FORM = (
    select(FormRow, Document)
    .join(Document, Document.id == FormRow.document_id)
    .where(FormRow.id == _FORM_ID)
)
_INDICATORS = (
    select(IndicatorRow).where(IndicatorRow.form_id == _FORM_ID).order_by(IndicatorRow.position)
)
_FUNDS = select(FundsLine).where(FundsLine.form_id == _FORM_ID).order_by(FundsLine.position)
_FINDINGS = select(FindingRow).where(FindingRow.form_id == _FORM_ID).order_by(FindingRow.id)


def document_content(session: Session, document_id: int) -> bytes:
    """A stored document's bytes, a chunk a query (`chunks.joined`): a stored document
    never changes, and a query per chunk needs no transaction to hold a cursor open
    (the pages read without one on PostgreSQL), nor the rows fetched all at once."""

    def chunks() -> Iterator[bytes]:
        seq = 0
        while (data := session.scalar(_CHUNK_OF.params(document=document_id, seq=seq))) is not None:
            yield data
            seq += 1

    return joined(chunks())


_CHUNK_OF = select(DocumentChunk.data).where(
    DocumentChunk.document_id == bindparam("document"), DocumentChunk.seq == bindparam("seq")
)


def get_form(session: Session, form_id: int) -> StoredForm | None:
    one = {"form_id": form_id}
    found = session.execute(_FORM, one).first()
    if found is None:
        return None
    row, document = found
    indicators = list(session.scalars(_INDICATORS, one))
    funds = list(session.scalars(_FUNDS, one))
    findings = list(session.scalars(_FINDINGS, one))
    form = form_from_rows(row, funds, indicators, file=document.name)
    return StoredForm(row, form, document, indicators, funds, findings)


@dataclass(frozen=True, slots=True)
class FindingFilters:
    kind: str | None = None
    severity: str | None = None
    code: str | None = None
    stage: str | None = None
    form_id: int | None = None
    year: int | None = None
    department: str | None = None


def list_findings(
    session: Session, filters: FindingFilters, *, limit: int = 50, offset: int = 0
) -> tuple[list[tuple[FindingRow, FormRow | None]], int]:
    conditions: list[ColumnElement[bool]] = []
    for name in ("kind", "severity", "code", "stage", "form_id"):
        value = getattr(filters, name)
        if value is not None and value != "":
            conditions.append(getattr(FindingRow, name) == value)
    if filters.year is not None:
        conditions.append(FormRow.year == filters.year)
    if filters.department:
        conditions.append(FormRow.department_key == search_key(filters.department))
    joined = select(FindingRow, FormRow).outerjoin(FormRow, FormRow.id == FindingRow.form_id)
    rows = session.execute(
        joined.where(*conditions).order_by(FindingRow.id).limit(limit).offset(offset)
    )
    total = session.execute(
        select(func.count())
        .select_from(FindingRow)
        .outerjoin(FormRow, FormRow.id == FindingRow.form_id)
        .where(*conditions)
    ).scalar_one()
    return [(finding, form) for finding, form in rows], total
