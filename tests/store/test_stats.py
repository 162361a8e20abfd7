"""The dashboard's precomputed figures agree with the stored forms."""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from jixiao.store.importer import ImportSummary
from jixiao.store.stats import load_stats
from jixiao.store.tables import FindingRow, FormRow
from tests.store.helpers import SEED_FORMS


def test_empty_database_has_empty_stats(engine: Engine) -> None:
    with Session(engine) as session:
        stats = load_stats(session)
    assert stats.forms == 0 and stats.departments == [] and stats.by_kind == {}


def test_stats_after_import(engine: Engine, seeded: ImportSummary) -> None:
    with Session(engine) as session:
        stats = load_stats(session)
        findings = session.execute(select(func.count()).select_from(FindingRow)).scalar_one()
        departments = dict(
            session.execute(
                select(FormRow.department_key, func.count()).group_by(FormRow.department_key)
            ).all()
        )
    assert stats.forms == SEED_FORMS
    assert stats.documents == 3
    assert stats.findings == findings == seeded.findings
    assert stats.by_kind == {"self_evaluation": 44, "declaration": 7}
    assert stats.by_year == {"2024": {"self_evaluation": 44}, "2026": {"declaration": 7}}
    # The two printed spellings of the Minhang bureau (`(汇总)`, ` (汇总)`) are one
    # department, shown by its most printed name.
    assert {name: forms for name, forms, _ in stats.departments} == {
        "上海市松江区人力资源和社会保障局": 36,
        "上海市闵行区人力资源和社会保障局(汇总)": 15,
    }
    assert sorted(departments.values()) == [15, 36]
    assert sum(found for _, _, found in stats.departments) == findings
    assert stats.grades == {"优": 43, "良": 1}
    assert sum(stats.ref_grades.values()) == 44
    assert sum(n for _, n in stats.rates) == 44
    assert dict(stats.rates)["100%"] >= 30
    assert sum(n for _, _, n in stats.finding_kinds) == findings
    # Departments with most findings come first.
    assert stats.departments[0][0] == "上海市松江区人力资源和社会保障局"
