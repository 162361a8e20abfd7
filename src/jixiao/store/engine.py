"""Opening the database (storage step): URLs, engines and connection settings.

`--db` and `JIXIAO_DATABASE_URL` take either a SQLAlchemy URL or a plain file path (a
SQLite file). PostgreSQL URLs are routed to psycopg 3, an optional dependency
(`pip install "jixiao[postgres]"`): without it a PostgreSQL URL is refused with a message
saying so, and SQLite works as ever.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

DEFAULT_DATABASE = "jixiao.db"
# An execution option: on SQLite, this connection's transactions take the write lock when
# they begin (`BEGIN IMMEDIATE`), for writers that read before they write (the importer
# reads which files are known and the next ids). Without it, another writer committing
# between the read and the first write makes SQLite refuse the write (WAL snapshots).
WRITE_LOCK = "jixiao_write_lock"
# An execution option: on SQLite, this connection's commits leave the write-ahead log as
# it is, for a large write a user waits on (an upload kept): SQLite's automatic
# checkpoint would copy the whole log into the database file, and sync it, in that
# commit. The next writer's commit (the upload's job, in the worker) does it instead.
CHECKPOINT_LATER = "jixiao_checkpoint_later"
# SQLite's own default: a commit that leaves a log of over this many pages checkpoints it.
_AUTOCHECKPOINT_PAGES = 1000


def writing(engine: Engine, *, checkpoint_later: bool = False) -> Engine:
    """`engine` for transactions that write. On SQLite each takes the write lock as it
    begins (`WRITE_LOCK`), so that one that reads before it writes (purging expired
    uploads, then adding one) waits its turn (`busy_timeout`) instead of being refused at
    once for a snapshot another writer made stale: "database is locked"; with
    `checkpoint_later`, its commit leaves the log's checkpoint to the next writer
    (`CHECKPOINT_LATER`). PostgreSQL needs nothing: its engine is returned as it is."""
    if engine.dialect.name == "sqlite":
        return engine.execution_options(**{WRITE_LOCK: True, CHECKPOINT_LATER: checkpoint_later})
    return engine


class MissingDriverError(RuntimeError):
    """The database driver a URL needs is not installed."""


def require_postgres_driver() -> None:
    if importlib.util.find_spec("psycopg") is None:
        raise MissingDriverError(
            '连接 PostgreSQL 需要数据库驱动 psycopg，当前未安装：请运行 pip install "jixiao[postgres]"'
        )


def database_url(raw: str | None) -> str:
    """A SQLAlchemy URL for `raw` (a URL or a SQLite file path; None → ./jixiao.db)."""
    value = (raw or DEFAULT_DATABASE).strip()
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    url = make_url(value)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def display_url(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str, *, query_timeout: float | None = None, **kwargs: Any) -> Engine:
    """An engine for `url` with jixiao's connection settings (no schema changes here).
    With `query_timeout` (seconds), a statement running longer is stopped, its
    transaction undone, and the caller gets an `OperationalError` (`is_query_timeout`):
    the web server's bound on what one request may ask of the database."""
    url = database_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, **kwargs)
        _configure_sqlite(engine, query_timeout)
        return engine
    require_postgres_driver()
    # psycopg prepares a statement after a few runs, and PostgreSQL may then plan it once
    # for any parameters: a search term's LIKE pattern would get the plan of an unknown
    # pattern (a scan) instead of its trigram index. Plan each execution for its values.
    options = "-c plan_cache_mode=force_custom_plan"
    if query_timeout is not None:
        options += f" -c statement_timeout={max(1, round(query_timeout * 1000))}"
    connect_args = kwargs.setdefault("connect_args", {})
    connect_args.setdefault("options", options)
    # The web server answers up to 40 requests at once from its thread pool.
    kwargs.setdefault("pool_size", 20)
    kwargs.setdefault("max_overflow", 20)
    # No pre-ping (a round trip before every request's first query): a connection the
    # server dropped fails one query, and the pool then replaces all of them.
    kwargs.setdefault("pool_recycle", 3600)
    return create_engine(url, **kwargs)


# The SQLite library calls a connection's progress handler every this many steps of its
# virtual machine (well under a millisecond), where a statement over its time is stopped.
_PROGRESS_STEPS = 10_000
_DEADLINE = "jixiao_deadline"


def is_query_timeout(exc: BaseException) -> bool:
    """A database error saying a statement ran over the engine's `query_timeout`
    (SQLite's SQLITE_INTERRUPT, PostgreSQL's query_canceled), known by its code."""
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF == 9
    return getattr(orig, "sqlstate", None) == "57014"


def _configure_sqlite(engine: Engine, query_timeout: float | None = None) -> None:
    if query_timeout is not None:
        _limit_sqlite_statements(engine, query_timeout)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, issue BEGIN: otherwise pysqlite defers
        # it and DDL or SAVEPOINTs escape the transaction (SQLAlchemy's documented recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA busy_timeout = 10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        if options.get(CHECKPOINT_LATER, False):
            connection.exec_driver_sql("PRAGMA wal_autocheckpoint = 0")
            connection.connection.info[CHECKPOINT_LATER] = True
        connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get(WRITE_LOCK) else "BEGIN")

    @event.listens_for(engine.pool, "checkin")
    def _on_checkin(dbapi_connection: Any, record: Any) -> None:
        # Back in the pool, after its commit: the next user of the connection checkpoints.
        if record is not None and record.info.pop(CHECKPOINT_LATER, False):
            dbapi_connection.execute(f"PRAGMA wal_autocheckpoint = {_AUTOCHECKPOINT_PAGES}")


def _limit_sqlite_statements(engine: Engine, seconds: float) -> None:
    """Stop a SQLite statement that runs over `seconds` (SQLITE_INTERRUPT): SQLite has
    no statement timeout, so each statement sets its deadline as it starts, and the
    connection's progress handler, called while it runs, ends it past the deadline.
    The deadline holds until the statement's first row (where a sort, a count or a
    search does its work); the rows streamed after it (a CSV download) go at the pace
    of whoever reads them, and are not cut off."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        info = record.info

        def past_deadline() -> int:
            deadline = info.get(_DEADLINE)
            return int(deadline is not None and time.monotonic() > deadline)

        dbapi_connection.set_progress_handler(past_deadline, _PROGRESS_STEPS)

    @event.listens_for(engine, "before_cursor_execute")
    def _on_execute(connection: Any, *_args: Any) -> None:
        connection.connection.info[_DEADLINE] = time.monotonic() + seconds

    @event.listens_for(engine, "after_cursor_execute")
    def _on_executed(connection: Any, *_args: Any) -> None:
        connection.connection.info[_DEADLINE] = None
