"""What the database commands share: the `--db` option and opening the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from jixiao.store.engine import (
    DEFAULT_DATABASE,
    MissingDriverError,
    database_url,
    display_url,
    make_engine,
)
from jixiao.store.migrate import upgrade

F = TypeVar("F", bound=Callable[..., Any])


def db_option(default: str = DEFAULT_DATABASE) -> Callable[[F], F]:
    return click.option(
        "--db",
        "db",
        envvar="JIXIAO_DATABASE_URL",
        default=default,
        show_default=True,
        help="数据库：SQLite 文件路径，或 postgresql://用户@主机/库名（环境变量 JIXIAO_DATABASE_URL）。",
    )


def open_database(db: str) -> Engine:
    """The engine for `db`, its schema upgraded; failures become a Chinese CLI error."""
    url = database_url(db)
    try:
        engine = make_engine(url)
        upgrade(engine)
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None)  # the driver's own message, when there is one
        reason = str(orig) if orig is not None else str(exc)
        raise click.ClickException(f"无法打开数据库 {display_url(url)}：{reason.strip()}") from exc
    except MissingDriverError as exc:
        raise click.ClickException(str(exc)) from None
    return engine
