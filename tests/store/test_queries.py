"""The list: every filter, Chinese search (short and long terms), sorting and paging."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from jixiao.store.importer import ImportSummary
from jixiao.store.queries import (
    FindingFilters,
    FormFilters,
    capped_page,
    count_forms,
    list_findings,
    list_forms,
    parse_sort,
)
from jixiao.store.tables import FindingRow, FormRow
from tests.store.helpers import SEED_FORMS


def _projects(engine: Engine, filters: FormFilters, **kw: object) -> list[str]:
    with Session(engine) as session:
        rows, total = list_forms(session, filters, limit=500, **kw)  # type: ignore[arg-type]
        assert total == len(rows)
        return [r.project for r in rows]


@pytest.mark.usefixtures("seeded")
class TestFilters:
    def test_no_filter_lists_every_form(self, engine: Engine) -> None:
        assert len(_projects(engine, FormFilters())) == SEED_FORMS

    def test_year_and_kind(self, engine: Engine) -> None:
        assert len(_projects(engine, FormFilters(year=2026))) == 7
        assert len(_projects(engine, FormFilters(kind="declaration"))) == 7
        assert len(_projects(engine, FormFilters(kind="self_evaluation", year=2024))) == 44
        assert _projects(engine, FormFilters(kind="declaration", year=2024)) == []

    def test_department_is_exact_and_unit_is_a_substring(self, engine: Engine) -> None:
        department = "上海市松江区人力资源和社会保障局"
        assert len(_projects(engine, FormFilters(department=department))) == 36
        assert _projects(engine, FormFilters(department=department[:-1])) == []
        by_unit = _projects(engine, FormFilters(unit="就业促进中心"))
        assert by_unit == [
            "编外人员工作经费",
            "网络信息系统运行与维护",
            "就业补助",
            "创业补助",
            "公共服务能力建设",
        ]

    def test_department_spellings_are_one_department(self, engine: Engine) -> None:
        # Printed with and without a space before 「(汇总)」, and in full width.
        for spelling in (
            "上海市闵行区人力资源和社会保障局(汇总)",
            "上海市闵行区人力资源和社会保障局 (汇总)",
            "上海市闵行区人力资源和社会保障局（汇总）",
        ):
            assert len(_projects(engine, FormFilters(department=spelling))) == 15

    def test_grade(self, engine: Engine) -> None:
        assert _projects(engine, FormFilters(grade="良")) == ["辅助业务管理与支持"]

    def test_finding_kind_and_severity(self, engine: Engine) -> None:
        with Session(engine) as session:
            kind = session.scalars(select(FindingRow.kind).limit(1)).one()
            having = set(session.scalars(select(FindingRow.form_id).where(FindingRow.kind == kind)))
            rows, total = list_forms(session, FormFilters(finding=kind), limit=500)
            assert {r.id for r in rows} == having and total == len(having)
            errors = set(
                session.scalars(select(FindingRow.form_id).where(FindingRow.severity == "error"))
            )
            rows, _ = list_forms(session, FormFilters(severity="error"), limit=500)
            assert {r.id for r in rows} == errors
            assert all(r.error_count > 0 for r in rows)

    def test_filters_combine(self, engine: Engine) -> None:
        both = _projects(engine, FormFilters(q="培训", unit="执法大队"))
        assert both == ["业务培训"]


@pytest.mark.usefixtures("seeded")
class TestSearch:
    def test_two_character_chinese_term(self, engine: Engine) -> None:
        found = _projects(engine, FormFilters(q="培训"))
        assert "职业培训" in found and "业务培训" in found
        assert "宣传费" not in found

    def test_single_character_still_works(self, engine: Engine) -> None:
        assert len(_projects(engine, FormFilters(q="费"))) >= 5

    def test_long_term_matches_goals_and_indicator_names(self, engine: Engine) -> None:
        # An indicator name of 职业培训 only, and a phrase of its goal text.
        assert _projects(engine, FormFilters(q="技能竞赛管理区级")) == ["职业培训"]
        assert _projects(engine, FormFilters(q="防范骗取政府补贴")) == ["职业培训"]

    def test_every_term_must_occur(self, engine: Engine) -> None:
        assert _projects(engine, FormFilters(q="松江 宣传与推广")) == ["宣传与推广"] * 3
        assert _projects(engine, FormFilters(q="人才服务中心 宣传与推广")) == ["宣传与推广"]

    def test_full_and_half_width_match(self, engine: Engine) -> None:
        assert _projects(engine, FormFilters(q="（本级）")) == _projects(
            engine, FormFilters(q="(本级)")
        )
        assert len(_projects(engine, FormFilters(q="(本级)"))) == 13

    def test_like_wildcards_are_literal(self, engine: Engine) -> None:
        # As wildcards these would match 职业培训; as text they match nothing.
        assert "职业培训" in _projects(engine, FormFilters(q="职业培训"))
        assert _projects(engine, FormFilters(q="职%培训")) == []
        assert _projects(engine, FormFilters(q="职_培训")) == []


@pytest.mark.usefixtures("seeded")
class TestSortingAndPaging:
    def test_scores_sort_as_numbers(self, engine: Engine) -> None:
        with Session(engine) as session:
            rows, _ = list_forms(
                session, FormFilters(kind="self_evaluation"), sort="-score", limit=500
            )
        scores = [r.total_score for r in rows]
        assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]
        assert scores[0] == Decimal(100) and scores[-1] == Decimal(80)

    def test_missing_values_count_as_lowest(self, engine: Engine) -> None:
        # Declarations have no 总分: first going up, last going down (on both databases).
        with Session(engine) as session:
            up, _ = list_forms(session, FormFilters(), sort="score", limit=500)
            down, _ = list_forms(session, FormFilters(), sort="-score", limit=500)
        assert [r.kind for r in up[:7]] == ["declaration"] * 7
        assert [r.kind for r in down[-7:]] == ["declaration"] * 7
        assert [r.id for r in down] == [r.id for r in reversed(up)]

    def test_capped_count(self, engine: Engine) -> None:
        with Session(engine) as session:
            assert count_forms(session, FormFilters(q="培训"), cap=3) == 4
            assert count_forms(session, FormFilters(q="职业培训"), cap=3) == 1

    def test_capped_page_counts_as_far_as_it_shows(self, engine: Engine) -> None:
        filters = FormFilters(q="培训")
        with Session(engine) as session:
            every, total = list_forms(session, filters, limit=500)
            first = capped_page(session, filters, limit=2, cap=3)
            assert (first.counted, first.more) == (3, True)
            assert [r.id for r in first.rows] == [r.id for r in every[:2]]
            # Paging beyond the cap still works: the count follows the page.
            far = capped_page(session, filters, limit=2, offset=total - 1, cap=3)
            assert [r.id for r in far.rows] == [every[-1].id]
            assert (far.counted, far.more) == (total, False)
            whole = capped_page(session, filters, limit=500, cap=1000)
            assert (whole.counted, whole.more) == (total, False)

    def test_pages_cover_the_list_once(self, engine: Engine) -> None:
        with Session(engine) as session:
            seen: list[int] = []
            for offset in range(0, SEED_FORMS, 20):
                rows, total = list_forms(
                    session, FormFilters(), sort="-findings", limit=20, offset=offset
                )
                assert total == SEED_FORMS
                seen.extend(r.id for r in rows)
        assert sorted(seen) == sorted(set(seen)) and len(seen) == SEED_FORMS

    def test_unknown_sort_falls_back(self) -> None:
        assert parse_sort("-nonsense") == ("id", False)
        assert parse_sort("-rate") == ("rate", True)


def test_findings_list(engine: Engine, seeded: ImportSummary) -> None:
    with Session(engine) as session:
        rows, total = list_findings(session, FindingFilters(severity="error"), limit=500)
        assert total == len(rows) > 0
        assert all(f.severity == "error" and form is not None for f, form in rows)
        rows, total = list_findings(session, FindingFilters(year=2026), limit=500)
        assert all(form is not None and form.year == 2026 for _, form in rows)
        assert count_forms(session, FormFilters()) == SEED_FORMS
        first = session.scalars(select(FormRow.id).order_by(FormRow.id)).first()
        rows, _ = list_findings(session, FindingFilters(form_id=first), limit=500)
        assert {form.id for _, form in rows if form} <= {first}
