"""`/api/findings`: every stored finding, filtered by kind, severity, rule, form …"""

from __future__ import annotations

from fastapi import APIRouter

from jixiao.store.queries import list_findings
from jixiao.web import present
from jixiao.web.deps import FindingQueryDep, ReadSessionDep
from jixiao.web.schemas import FindingListPublic

router = APIRouter(prefix="/api/findings", tags=["问题"])


@router.get("", summary="问题列表", response_description="符合条件的问题（一页）")
def api_list_findings(session: ReadSessionDep, query: FindingQueryDep) -> FindingListPublic:
    rows, total = list_findings(session, query.filters(), limit=query.limit, offset=query.offset)
    return FindingListPublic(
        items=[present.finding_with_form(f, form) for f, form in rows],
        total=total,
        limit=query.limit,
        offset=query.offset,
    )
