"""`/api/stats`: the dashboard's figures (precomputed at import)."""

from __future__ import annotations

from fastapi import APIRouter

from jixiao.web import present
from jixiao.web.deps import StatsDep
from jixiao.web.schemas import RulePublic, StatsPublic

router = APIRouter(prefix="/api", tags=["统计与规则"])


@router.get("/stats", summary="总览统计", response_description="总览页的各项统计")
def api_stats(stats: StatsDep) -> StatsPublic:
    return present.stats(stats)


@router.get("/rules", summary="审核规则目录", response_description="全部审核规则")
def api_rules() -> list[RulePublic]:
    return present.rules()
