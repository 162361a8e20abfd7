"""The database fixtures themselves (tests/databases.py): each test starts from exactly the
state it asks for, whatever the test before it wrote."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.orm import Session

from jixiao.store.engine import make_engine
from jixiao.store.migrate import current_revision, head_revision
from jixiao.store.pending import create_pending
from jixiao.store.tables import FindingRow, FormRow, Import, PendingUpload
from tests.databases import PostgresKeeper
from tests.store.helpers import SEED_FORMS


@pytest.fixture
def keeper(postgres_keeper: PostgresKeeper | None) -> PostgresKeeper:
    if postgres_keeper is None:
        pytest.skip("PostgreSQL unreachable (required when CI=true)")
    return postgres_keeper


@pytest.fixture
def other(postgres_url: str) -> Iterator[Engine]:
    """Another connection to the run database, as a test's own engine would be."""
    engine = make_engine(postgres_url, pool_size=1)
    yield engine
    engine.dispose()


def _count(engine: Engine, table: type) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_each_test_gets_a_migrated_database(engine: Engine) -> None:
    with engine.connect() as connection:
        assert current_revision(connection) == head_revision()
    with Session(engine) as session:
        create_pending(session, [("a.txt", b"x")], "shanghai")
        session.commit()
    assert _count(engine, PendingUpload) == 1


def test_no_test_sees_the_writes_of_the_test_before(engine: Engine) -> None:
    # Runs after the test above (on each backend): its pending upload is gone.
    assert _count(engine, PendingUpload) == 0


def test_a_committed_write_is_emptied_again(keeper: PostgresKeeper, other: Engine) -> None:
    keeper.prepare(seeded=False)
    with Session(other) as session:
        create_pending(session, [("a.txt", b"x")], "shanghai")
        session.commit()
    assert _count(other, PendingUpload) == 1
    keeper.prepare(seeded=False)
    assert _count(other, PendingUpload) == 0


def test_a_rolled_back_insert_still_restarts_the_ids(keeper: PostgresKeeper, other: Engine) -> None:
    keeper.prepare(seeded=False)
    with other.connect() as connection:
        connection.execute(insert(Import).values(origin="cli", profile="shanghai"))
        connection.rollback()  # nothing stored, but the id sequence moved on
    keeper.prepare(seeded=False)
    with other.begin() as connection:
        new_id = connection.execute(
            insert(Import).values(origin="cli", profile="shanghai")
        ).inserted_primary_key
    assert new_id is not None and new_id[0] == 1
    keeper.prepare(seeded=False)
    assert _count(other, Import) == 0


def test_seeded_rows_changed_or_deleted_are_put_back(keeper: PostgresKeeper, other: Engine) -> None:
    keeper.prepare(seeded=True)
    with Session(other) as session:
        projects = dict(session.execute(select(FormRow.id, FormRow.project)).all())
        findings = session.scalar(select(func.count()).select_from(FindingRow))
    assert len(projects) == SEED_FORMS and findings
    first = min(projects)
    with other.begin() as connection:
        connection.execute(update(FormRow).where(FormRow.id == first).values(project="改过"))
    keeper.prepare(seeded=True)
    with Session(other) as session:
        assert dict(session.execute(select(FormRow.id, FormRow.project)).all()) == (projects)
    with other.begin() as connection:
        connection.execute(delete(FindingRow))
    keeper.prepare(seeded=True)
    assert _count(other, FindingRow) == findings
    keeper.prepare(seeded=False)
    assert _count(other, FormRow) == 0
