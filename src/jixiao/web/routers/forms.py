"""`/forms`: the form list (filters, search, sorting, paging) and `/forms/{id}`: one form
laid out like the official table, with its findings at their rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from jixiao.catalogue import all_entries
from jixiao.store.counting import count_list
from jixiao.store.projects import linked_forms
from jixiao.store.queries import (
    MAX_DEPTH,
    FormFilters,
    capped_page,
    depth,
    get_form,
    parse_sort,
    read_page,
)
from jixiao.store.stats import NO_VALUE, Stats
from jixiao.store.tables import FormRow
from jixiao.web.deps import FormQueryDep, ReadSessionDep, StatsDep
from jixiao.web.errors import form_not_found
from jixiao.web.layout import lay_out
from jixiao.web.listing import list_rows
from jixiao.web.options import options
from jixiao.web.originals import page_views
from jixiao.web.schemas import StoredId
from jixiao.web.templating import render

router = APIRouter(include_in_schema=False)


def page_numbers(
    total: int, limit: int, offset: int, *, exact: bool = True, around: int = 3
) -> list[int | None]:
    """The pager's pages (0-based): first, last and a few around the current; None is a gap.
    Pages deeper than the list reads (`MAX_DEPTH` from the nearer end of a list of
    `exact` length, from the start otherwise) are not offered."""
    pages = (total + limit - 1) // limit
    current = offset // limit
    shown = sorted({0, pages - 1, *range(current - around, current + around + 1)})
    out: list[int | None] = []
    for page in (p for p in shown if 0 <= p < pages and _reachable(p, limit, total, exact)):
        if out and out[-1] is not None and page > out[-1] + 1:
            out.append(None)
        out.append(page)
    return out


def _reachable(page: int, limit: int, total: int, exact: bool) -> bool:
    return depth(page * limit, limit, total if exact else None) <= MAX_DEPTH


@dataclass(frozen=True, slots=True)
class Listed:
    """What the list page shows of a list: its rows and how far it was counted."""

    rows: list[FormRow]
    total: int  # the forms counted
    more: bool  # more match than `total`
    too_deep: bool = False  # the page lies deeper than the list reads: no rows read
    counted: bool = True  # False: nothing was counted (a search too deep to read)


def list_page(
    session: Session, filters: FormFilters, stats: Stats, sort: str | None, limit: int, offset: int
) -> Listed:
    """One page of the list and its count. A search is counted as far as it is shown
    (`capped_page`), any other list up to LIST_COUNT_CAP (`count_list`): a figure shown
    is always a count of the stored forms, "超过" one when it stopped."""
    if filters.q or filters.finding or filters.severity:
        if depth(offset, limit, None) > MAX_DEPTH:
            return Listed([], 0, False, too_deep=True, counted=False)
        page = capped_page(session, filters, sort, limit=limit, offset=offset)
        return Listed(page.rows, page.counted, page.more)
    count = count_list(session, filters, stats)
    if depth(offset, limit, count.exact) > MAX_DEPTH:
        return Listed([], count.counted, count.more, too_deep=True)
    rows = read_page(session, filters, sort, limit=limit, offset=offset, total=count.exact)
    return Listed(rows, count.counted, count.more)


@router.get("/forms", response_class=HTMLResponse)
def forms_page(
    request: Request, session: ReadSessionDep, query: FormQueryDep, stats: StatsDep
) -> HTMLResponse:
    filters = query.filters()
    limit, offset = query.limit, query.offset
    listed = list_page(session, filters, stats, query.sort, limit, offset)
    total, more = listed.total, listed.more
    sort_key, descending = parse_sort(query.sort)
    params: dict[str, Any] = {**filters.active(), "sort": query.sort}
    if limit != 50:
        params["limit"] = limit
    current = offset // limit
    has_next = more or (current + 1) * limit < total
    return render(
        request,
        "forms.html",
        {
            "title": "表单列表",
            "nav": "forms",
            "rows": listed.rows,
            "row_html": list_rows(listed.rows),
            "total": total,
            "more": more,
            "too_deep": listed.too_deep,
            "counted": listed.counted,
            "max_depth": MAX_DEPTH,
            "pages": page_numbers(total, limit, offset, exact=not more),
            "previous_page": current > 0 and _reachable(current - 1, limit, total, not more),
            "next_page": has_next and _reachable(current + 1, limit, total, not more),
            "query": query,
            "filters": filters,
            "params": params,
            "year_options": options(
                [(y, y) for y in sorted(stats.by_year, reverse=True) if y != NO_VALUE],
                None if query.year is None else str(query.year),
            ),
            "department_options": options(
                [(d, d) for d in sorted(d for d, _, _ in stats.departments if d != NO_VALUE)],
                query.department,
            ),
            "finding_options": options(
                [(e.kind, f"{e.code} {e.title}") for e in all_entries()], query.finding
            ),
            "sort_key": sort_key,
            "descending": descending,
            "saved": request.query_params.get("saved"),
        },
    )


@router.get("/forms/{form_id}", response_class=HTMLResponse)
def form_page(request: Request, form_id: StoredId, session: ReadSessionDep) -> HTMLResponse:
    stored = get_form(session, form_id)
    if stored is None:
        raise form_not_found(form_id)
    layout = lay_out(stored.row.kind, stored.indicators, stored.funds, stored.findings)
    return render(
        request,
        "form.html",
        {
            "title": stored.row.project,
            "nav": "forms",
            "stored": stored,
            "row": stored.row,
            "layout": layout,
            "linked": linked_forms(session, stored.row),
            "pages": page_views(session, stored),
            "relinked": _relinked(request.query_params.get("relinked")),
        },
    )


def _relinked(value: str | None) -> str | None:
    """The `relinked` notice: `same`, or the id of the project the form left (the undo's
    target); anything else is not shown."""
    if value == "same" or (value is not None and value.isdigit() and len(value) <= 18):
        return value
    return None
