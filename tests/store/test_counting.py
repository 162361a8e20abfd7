"""The list at scale: counts that stop at a cap and say so, pages read from the nearer end."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from jixiao.store.counting import Count, count_exactly, count_list
from jixiao.store.queries import (
    MAX_DEPTH,
    FormFilters,
    depth,
    page_query,
    read_page,
    reversed_sort,
)
from jixiao.store.stats import load_stats
from jixiao.store.tables import FormRow, StatCount
from tests.store.helpers import SEED_FORMS

SORTS = (None, "-id", "score", "-score", "year", "-rate", "funds", "-project", "grade")


@pytest.mark.usefixtures("seeded")
class TestCounts:
    def test_a_filtered_list_is_counted_to_the_cap(self, engine: Engine) -> None:
        with Session(engine) as session:
            stats = load_stats(session)
            training = FormFilters(kind="self_evaluation")
            assert count_list(session, training, stats, cap=3) == Count(3, True)
            assert count_list(session, training, stats, cap=44) == Count(44, False)
            assert count_list(session, training, stats) == Count(44, False)
            assert count_list(session, training, stats, cap=3).exact is None
            assert count_exactly(session, training, stats) == 44

    def test_the_whole_list_is_the_figures_and_the_forms_stored_since(self, engine: Engine) -> None:
        with Session(engine) as session:
            stats = load_stats(session)
            assert stats.last_form_id == max(session.scalars(select(FormRow.id)))
            assert count_list(session, FormFilters(), stats) == Count(SEED_FORMS, False)
            # Figures computed when only the first 40 forms were stored (an import under
            # way): the 11 stored since are counted on top.
            fortieth = sorted(session.scalars(select(FormRow.id)))[39]
            earlier = dataclasses.replace(stats, forms=40, last_form_id=fortieth)
            assert count_list(session, FormFilters(), earlier) == Count(SEED_FORMS, False)
            assert count_list(session, FormFilters(), earlier, cap=5) == Count(45, True)
            assert count_exactly(session, FormFilters(), earlier) == SEED_FORMS

    def test_figures_without_the_last_form_are_taken_as_they_are(self, engine: Engine) -> None:
        with Session(engine) as session:
            session.execute(
                delete(StatCount).where(StatCount.dimension == "meta", StatCount.key == "last_form")
            )
            stats = load_stats(session)
            assert stats.last_form_id is None and stats.forms == SEED_FORMS
            assert count_list(session, FormFilters(), stats) == Count(SEED_FORMS, False)

    def test_forms_stored_before_any_figures_are_counted(self, engine: Engine) -> None:
        with Session(engine) as session:
            session.execute(delete(StatCount))
            stats = load_stats(session)
            assert (stats.forms, stats.last_form_id) == (0, 0)
            assert count_list(session, FormFilters(), stats) == Count(SEED_FORMS, False)
            assert count_list(session, FormFilters(), stats, cap=10) == Count(10, True)


@pytest.mark.usefixtures("seeded")
class TestPages:
    def test_reversed_sort(self) -> None:
        assert reversed_sort(None) == "-id"
        assert reversed_sort("-score") == "score"
        assert reversed_sort("rate") == "-rate"
        assert reversed_sort("-nonsense") == "-id"

    @pytest.mark.parametrize("sort", SORTS)
    def test_a_page_read_from_the_end_is_the_same_page(
        self, engine: Engine, sort: str | None
    ) -> None:
        with Session(engine) as session:
            for limit in (7, 50):
                for offset in range(0, SEED_FORMS + limit, 3):
                    forward = list(
                        session.scalars(page_query(FormFilters(), sort, limit=limit, offset=offset))
                    )
                    rows = read_page(
                        session, FormFilters(), sort, limit=limit, offset=offset, total=SEED_FORMS
                    )
                    assert [r.id for r in rows] == [r.id for r in forward], (limit, offset)

    def test_a_filtered_page_from_the_end(self, engine: Engine) -> None:
        filters = FormFilters(kind="self_evaluation")
        with Session(engine) as session:
            every = read_page(session, filters, "-score", limit=500)
            last = read_page(session, filters, "-score", limit=10, offset=40, total=44)
            assert [r.id for r in last] == [r.id for r in every[40:]]

    def test_depth_counts_from_the_nearer_end(self) -> None:
        assert depth(0, 50, None) == 0
        assert depth(20_000, 50, None) == 20_000
        # The last page of a million forms steps over nothing when read from the end.
        assert depth(999_950, 50, 1_000_000) == 0
        assert depth(500_000, 50, 1_000_000) == 499_950
        assert depth(MAX_DEPTH, 50, 1_000_000) == MAX_DEPTH
