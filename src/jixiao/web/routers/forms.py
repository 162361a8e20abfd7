"""`/forms`: the form list (filters, search, sorting, paging) and `/forms/{id}`: one form
laid out like the official table, with its findings at their rows."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from jixiao.catalogue import all_entries
from jixiao.store.projects import linked_forms
from jixiao.store.queries import capped_page, count_forms, get_form, page_query, parse_sort
from jixiao.store.stats import NO_VALUE
from jixiao.web.deps import FormQueryDep, ReadSessionDep, StatsDep
from jixiao.web.errors import form_not_found
from jixiao.web.layout import lay_out
from jixiao.web.listing import list_rows
from jixiao.web.options import options
from jixiao.web.originals import page_views
from jixiao.web.templating import render

router = APIRouter(include_in_schema=False)


def page_numbers(total: int, limit: int, offset: int, *, around: int = 3) -> list[int | None]:
    """The pager's pages (0-based): first, last and a few around the current; None is a gap."""
    pages = (total + limit - 1) // limit
    current = offset // limit
    shown = sorted({0, pages - 1, *range(current - around, current + around + 1)})
    out: list[int | None] = []
    for page in (p for p in shown if 0 <= p < pages):
        if out and out[-1] is not None and page > out[-1] + 1:
            out.append(None)
        out.append(page)
    return out


@router.get("/forms", response_class=HTMLResponse)
def forms_page(
    request: Request, session: ReadSessionDep, query: FormQueryDep, stats: StatsDep
) -> HTMLResponse:
    filters = query.filters()
    # A search is counted as far as it is shown; the dashboard's figures count all forms.
    more = False
    if filters.q or filters.finding or filters.severity:
        page = capped_page(session, filters, query.sort, limit=query.limit, offset=query.offset)
        rows, total, more = page.rows, page.counted, page.more
    else:
        rows = list(
            session.scalars(page_query(filters, query.sort, limit=query.limit, offset=query.offset))
        )
        total = count_forms(session, filters) if filters.active() else stats.forms
    sort_key, descending = parse_sort(query.sort)
    params: dict[str, Any] = {**filters.active(), "sort": query.sort}
    if query.limit != 50:
        params["limit"] = query.limit
    return render(
        request,
        "forms.html",
        {
            "title": "表单列表",
            "nav": "forms",
            "rows": rows,
            "row_html": list_rows(rows),
            "total": total,
            "more": more,
            "pages": page_numbers(total, query.limit, query.offset),
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
def form_page(request: Request, form_id: int, session: ReadSessionDep) -> HTMLResponse:
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
