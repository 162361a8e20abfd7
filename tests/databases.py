"""Database fixtures for the storage and web tests: SQLite files and PostgreSQL.

Every test that takes `database_url` (or `engine`) runs twice: on a SQLite file and on
PostgreSQL. The schema is migrated once per test session, never once per test:

- SQLite: `engine` gives each test a byte copy (`shutil.copyfile`) of a template file
  that Alembic migrated once this session (`DatabaseTemplates`). A test that takes only
  `database_url` gets the name of a file that does not exist yet, for the code under
  test (the CLI, the app) to create and migrate, as before.
- PostgreSQL: one database is created and migrated for the test run (from the server's
  `postgres` database, dropped at the end). Before each test its tables are emptied
  (`TRUNCATE … RESTART IDENTITY CASCADE`) by `PostgresKeeper`, which skips the TRUNCATE
  when it can prove the previous test left them exactly as they were prepared.

A test that takes `seeded` (tests/store/helpers.py) gets the seeds already imported. The
seeds are imported once per session and backend. On SQLite they go into a second
template file, copied per test. On PostgreSQL they go into the run database, whose rows
and sequences are then saved (`COPY … TO STDOUT`, checked to restore to the very same
rows) and written back into the emptied tables before each such test. Either way each
test gets the state a fresh import leaves — same rows, ids and sequences — and may write
to it freely: the next test does not see its writes.

The tests of the migrations themselves take `fresh_engine`: a new database (a new file,
or a new PostgreSQL database) that Alembic migrates for that test alone.

Where PostgreSQL is unreachable the PostgreSQL half is skipped — except under CI
(`CI=true`), where that is a failure: CI must test what production runs on.
Set `JIXIAO_TEST_POSTGRES` to another server's admin URL to use it.
"""

from __future__ import annotations

import copy
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from jixiao.store.engine import database_url as to_url
from jixiao.store.engine import make_engine
from jixiao.store.importer import ImportSummary
from jixiao.store.migrate import upgrade
from jixiao.store.tables import Base
from tests.store.helpers import import_seeds

ADMIN_URL = os.environ.get("JIXIAO_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = ("sqlite", "postgresql")
SQLITE_FILE = "jixiao-test.db"


def _conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _postgres_available() -> str | None:
    try:
        with psycopg.connect(_conninfo(ADMIN_URL), connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return str(exc).strip()


def _create_postgres_database(suffix: str = "") -> str:
    """A new, empty database on the admin server; its SQLAlchemy URL."""
    name = f"jixiao_test_{os.getpid()}_{uuid.uuid4().hex[:8]}{suffix}"
    with psycopg.connect(_conninfo(ADMIN_URL), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    return to_url(make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False))


def _drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    with psycopg.connect(_conninfo(ADMIN_URL), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _skip_without_postgres(postgres_url: str | None) -> None:
    if postgres_url is None:
        pytest.skip(f"PostgreSQL unreachable at {ADMIN_URL} (required when CI=true)")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A database of its own for this test run, migrated (None when PostgreSQL is
    unreachable)."""
    problem = _postgres_available()
    if problem is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but PostgreSQL is unreachable at {ADMIN_URL}: {problem}")
        yield None
        return
    url = _create_postgres_database()
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        _drop_postgres_database(url)


def empty_tables(engine: Engine) -> None:
    names = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


# --- templates: migrate once, import the seeds once -------------------------------------


def _close_sqlite(engine: Engine, path: Path) -> None:
    """Checkpoint the write-ahead log into the file and close: the file alone is then the
    whole database, ready to be copied byte for byte."""
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
    finally:
        raw.close()
    engine.dispose()
    for extra in ("-wal", "-journal"):
        leftover = path.with_name(path.name + extra)
        assert not leftover.exists() or leftover.stat().st_size == 0, leftover


@dataclass(frozen=True)
class PostgresSnapshot:
    """The rows of every table (COPY binary, parents first) and every sequence's state."""

    tables: tuple[tuple[str, bytes], ...]
    sequences: tuple[tuple[str, int, bool], ...]


def _dump_postgres(engine: Engine) -> PostgresSnapshot:
    tables: list[tuple[str, bytes]] = []
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert isinstance(raw, psycopg.Connection)
        with raw.cursor() as cursor:
            for table in Base.metadata.sorted_tables:
                with cursor.copy(f'COPY "{table.name}" TO STDOUT (FORMAT BINARY)') as out:
                    tables.append((table.name, b"".join(bytes(chunk) for chunk in out)))
            sequences = _sequence_states(cursor)
        raw.rollback()
    return PostgresSnapshot(tuple(tables), sequences)


def _sequence_states(cursor: psycopg.Cursor[Any]) -> tuple[tuple[str, int, bool], ...]:
    """The state of every sequence owned by a column of the model tables (the ones
    `TRUNCATE … RESTART IDENTITY` resets)."""
    names = cursor.execute(
        "SELECT DISTINCT s.relname FROM pg_class s"
        " JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i')"
        " JOIN pg_class t ON t.oid = d.refobjid"
        " WHERE s.relkind = 'S' AND t.relname = ANY(%s) ORDER BY s.relname",
        ([t.name for t in Base.metadata.sorted_tables],),
    ).fetchall()
    states = []
    for (name,) in names:
        row = cursor.execute(f'SELECT last_value, is_called FROM "{name}"').fetchone()
        assert row is not None
        states.append((str(name), int(row[0]), bool(row[1])))
    return tuple(states)


def _restore_postgres(engine: Engine, snapshot: PostgresSnapshot) -> None:
    """Write a snapshot back into emptied tables (same rows, same order, same ids)."""
    with engine.begin() as connection:
        raw = connection.connection.driver_connection
        assert isinstance(raw, psycopg.Connection)
        with raw.cursor() as cursor:
            for name, data in snapshot.tables:
                with cursor.copy(f'COPY "{name}" FROM STDIN (FORMAT BINARY)') as into:
                    into.write(data)
            for name, last_value, is_called in snapshot.sequences:
                cursor.execute("SELECT setval(%s, %s, %s)", (name, last_value, is_called))


class DatabaseTemplates:
    """Made on first use, once per test session: a migrated SQLite file, a SQLite file
    with the seeds imported, and a snapshot of PostgreSQL with the seeds imported."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._migrated: Path | None = None
        self._seeded: Path | None = None
        self._postgres: PostgresSnapshot | None = None
        self._summaries: dict[str, ImportSummary] = {}

    def sqlite(self, *, seeded: bool) -> Path:
        if self._migrated is None:
            path = self.folder / "migrated.db"
            engine = make_engine(str(path))
            upgrade(engine)
            _close_sqlite(engine, path)
            self._migrated = path
        if not seeded:
            return self._migrated
        if self._seeded is None:
            path = self.folder / "seeded.db"
            shutil.copyfile(self._migrated, path)
            engine = make_engine(str(path))
            self._summaries["sqlite"] = import_seeds(engine)
            _close_sqlite(engine, path)
            self._seeded = path
        return self._seeded

    def seed_postgres(self, engine: Engine) -> None:
        """Fill the emptied tables of the run database with the imported seeds."""
        if self._postgres is None:
            self._summaries["postgresql"] = import_seeds(engine)
            snapshot = _dump_postgres(engine)
            # The snapshot must give back exactly what the import stored.
            empty_tables(engine)
            _restore_postgres(engine, snapshot)
            assert _dump_postgres(engine) == snapshot
            self._postgres = snapshot
            return
        _restore_postgres(engine, self._postgres)

    def summary(self, backend: str) -> ImportSummary:
        """What importing the seeds reported (a copy: a test may not change another's)."""
        return copy.deepcopy(self._summaries[backend])


@pytest.fixture(scope="session")
def database_templates(tmp_path_factory: pytest.TempPathFactory) -> DatabaseTemplates:
    return DatabaseTemplates(tmp_path_factory.mktemp("database-templates"))


_Fingerprint = tuple[
    tuple[tuple[str, int, tuple[str, ...]], ...], tuple[tuple[str, int, bool], ...]
]


class PostgresKeeper:
    """Puts the run database in the state a test asks for, before each PostgreSQL test:
    its tables emptied (`TRUNCATE … RESTART IDENTITY CASCADE`), or emptied and then filled
    with the imported seeds.

    It repeats that work only when needed. After preparing the database it records a
    fingerprint: every table's row count and the ids of the transactions that wrote its
    visible rows (`xmin`), and every sequence's state. Any insert, update or delete since
    then, committed by any connection, changes the fingerprint: a written row carries the
    writer's transaction id, a deleted row lowers a count, and an insert advances a
    sequence even when it is rolled back. When the fingerprint is unchanged and the test
    asks for the same state, the database already is in that state — same rows, ids and
    sequences — and is used as it is.
    """

    def __init__(self, url: str, templates: DatabaseTemplates) -> None:
        self.engine = make_engine(url, pool_size=1, max_overflow=2)
        self.templates = templates
        self._prepared: tuple[bool, _Fingerprint] | None = None
        counts = " UNION ALL ".join(
            f"SELECT '{t.name}', count(*), coalesce(array_agg(DISTINCT xmin::text), '{{}}')"
            f' FROM "{t.name}"'
            for t in Base.metadata.sorted_tables
        )
        self._counts_sql = counts

    def _fingerprint(self) -> _Fingerprint:
        with self.engine.connect() as connection:
            raw = connection.connection.driver_connection
            assert isinstance(raw, psycopg.Connection)
            with raw.cursor() as cursor:
                tables = tuple(
                    (str(name), int(rows), tuple(sorted(writers)))
                    for name, rows, writers in cursor.execute(self._counts_sql).fetchall()
                )
                sequences = _sequence_states(cursor)
            raw.rollback()
        return tables, sequences

    def prepare(self, *, seeded: bool) -> None:
        if self._prepared is not None:
            was_seeded, fingerprint = self._prepared
            if was_seeded == seeded and self._fingerprint() == fingerprint:
                return
        self._prepared = None
        empty_tables(self.engine)
        if seeded:
            self.templates.seed_postgres(self.engine)
        self._prepared = (seeded, self._fingerprint())

    def dispose(self) -> None:
        self.engine.dispose()


@pytest.fixture(scope="session")
def postgres_keeper(
    postgres_url: str | None, database_templates: DatabaseTemplates
) -> Iterator[PostgresKeeper | None]:
    """Empties (and seeds) the run database between tests, through a connection of its
    own — not the engine the tests use."""
    if postgres_url is None:
        yield None
        return
    keeper = PostgresKeeper(postgres_url, database_templates)
    try:
        yield keeper
    finally:
        keeper.dispose()


# --- the fixtures the tests take ---------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    postgres_url: str | None,
    postgres_keeper: PostgresKeeper | None,
) -> Iterator[str]:
    """A URL of an empty database: a SQLite file (created by `engine`, or else by the code
    under test), then PostgreSQL (migrated, its tables emptied; holding the seeds instead
    when the test takes `seeded`)."""
    if request.param == "sqlite":
        yield to_url(str(tmp_path / SQLITE_FILE))
        return
    _skip_without_postgres(postgres_url)
    assert postgres_url is not None and postgres_keeper is not None
    postgres_keeper.prepare(seeded="seeded" in request.fixturenames)
    yield postgres_url


@pytest.fixture
def engine(
    request: pytest.FixtureRequest, database_url: str, database_templates: DatabaseTemplates
) -> Iterator[Engine]:
    """An engine on the test's database, migrated — and holding the seeds when the test
    takes `seeded` (on PostgreSQL `database_url` has put them there)."""
    if make_url(database_url).get_backend_name() == "sqlite":
        path = Path(str(make_url(database_url).database))
        template = database_templates.sqlite(seeded="seeded" in request.fixturenames)
        shutil.copyfile(template, path)
        engine = make_engine(database_url)
    else:
        engine = make_engine(database_url, pool_size=5)
    # Connect once, as running the migrations here used to: the test starts with an open
    # connection in the pool (and the dialect initialised), not with the first connect.
    with engine.connect():
        pass
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def fresh_engine(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None
) -> Iterator[Engine]:
    """For the tests of the migrations: a brand-new database that Alembic migrates for this
    test alone (no template, no shared run database)."""
    if request.param == "sqlite":
        url = to_url(str(tmp_path / "fresh.db"))
    else:
        _skip_without_postgres(postgres_url)
        url = _create_postgres_database("_fresh")
    engine = make_engine(url, **({"pool_size": 2} if request.param == "postgresql" else {}))
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        if request.param == "postgresql":
            _drop_postgres_database(url)
