"""`/rules`: the catalogue of every finding jixiao reports, by family."""

from __future__ import annotations

from itertools import groupby

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from jixiao.catalogue import all_entries
from jixiao.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/rules", response_class=HTMLResponse)
def rules_page(request: Request) -> HTMLResponse:
    entries = sorted(all_entries(), key=lambda e: (e.family, e.code))
    families = [(family, list(items)) for family, items in groupby(entries, key=lambda e: e.family)]
    families.sort(key=lambda f: min(e.code for e in f[1]))
    return render(
        request,
        "rules.html",
        {"title": "审核规则目录", "nav": "rules", "families": families, "count": len(entries)},
    )
