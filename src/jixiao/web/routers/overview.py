"""`/`: the overview — counts by kind, year and department, grades, execution rates and
findings, each chart leading to the forms behind it."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from jixiao.store.stats import NO_VALUE, SINCE_CAP, Stats
from jixiao.vocabulary.grades import GRADES
from jixiao.web.charts import PALETTE, Bar, Series, column_chart, hbar_chart
from jixiao.web.deps import StatsDep
from jixiao.web.labels import (
    KIND_LABELS,
    finding_severity,
    finding_title,
)
from jixiao.web.templating import render

router = APIRouter(include_in_schema=False)

_SEVERITY_COLOURS = {"error": "#b3261e", "warning": "#c77700", "info": "#2f6690"}
TOP_DEPARTMENTS = 10
TOP_KINDS = 15


def _forms_link(**params: object) -> str:
    return "/forms?" + urlencode({k: v for k, v in params.items() if v is not None})


def charts(stats: Stats) -> dict[str, Markup]:
    kinds = list(KIND_LABELS)
    series = [Series(KIND_LABELS[k], PALETTE[i]) for i, k in enumerate(kinds)]
    years = column_chart(
        [
            (
                year,
                [by_kind.get(k, 0) for k in kinds],
                _forms_link(year=year) if year.isdigit() else None,
            )
            for year, by_kind in stats.by_year.items()
        ],
        series,
        title="各年度表单数",
    )
    grade_keys = [*GRADES, *(g for g in stats.grades if g not in GRADES)]
    grades = column_chart(
        [
            (
                grade,
                [stats.grades.get(grade, 0), stats.ref_grades.get(grade, 0)],
                _forms_link(grade=grade) if grade != NO_VALUE else None,
            )
            for grade in grade_keys
        ],
        [Series("表上评分等级", PALETTE[0]), Series("参考评分等级", PALETTE[1])],
        title="自评表评分等级分布",
    )
    rates = column_chart(
        [
            (label, [n], _forms_link(kind="self_evaluation", sort="rate"))
            for label, n in stats.rates
        ],
        [Series("自评表", PALETTE[0])],
        title="预算执行率分布",
    )
    finding_kinds = hbar_chart(
        [
            Bar(
                finding_title(kind),
                n,
                _forms_link(finding=kind),
                _SEVERITY_COLOURS.get(finding_severity(kind) or "", PALETTE[5]),
            )
            for kind, _, n in stats.finding_kinds[:TOP_KINDS]
        ],
        title="问题类型（条数）",
        label_width=260,
        width=1180,
    )
    departments = hbar_chart(
        [
            Bar(name, found, _forms_link(department=name) if name != NO_VALUE else None)
            for name, _, found in stats.departments[:TOP_DEPARTMENTS]
        ],
        title="问题最多的主管部门（条数）",
        label_width=250,
    )
    by_department = hbar_chart(
        [
            Bar(name, forms, _forms_link(department=name) if name != NO_VALUE else None, PALETTE[2])
            for name, forms, _ in sorted(stats.departments, key=lambda d: (-d[1], d[0]))[
                :TOP_DEPARTMENTS
            ]
        ],
        title="各主管部门表单数",
        label_width=300,
        width=1180,
    )
    return {
        "years": years,
        "grades": grades,
        "rates": rates,
        "finding_kinds": finding_kinds,
        "departments": departments,
        "by_department": by_department,
    }


@router.get("/", response_class=HTMLResponse)
def overview_page(request: Request, stats: StatsDep) -> HTMLResponse:
    # The charts change only with the figures: drawn once per recomputation.
    cached: tuple[Stats, dict[str, Markup]] | None = getattr(request.app.state, "charts", None)
    if cached is None or cached[0] is not stats:
        cached = (stats, charts(stats))
        request.app.state.charts = cached
    return render(
        request,
        "overview.html",
        {
            "title": "总览",
            "nav": "overview",
            "stats": stats,
            "charts": cached[1],
            "since_cap": SINCE_CAP,
        },
    )
