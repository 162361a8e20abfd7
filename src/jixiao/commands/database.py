"""What the database commands share: the `--db` option and opening the database."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

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


# SQLite's primary result codes (`sqlite3.Error.sqlite_errorcode & 0xFF`) as a user reads
# them: the driver's own message is English ("unable to open database file").
_SQLITE_REASONS = {
    3: "没有访问权限",  # SQLITE_PERM
    5: "数据库正被其他程序占用",  # SQLITE_BUSY
    6: "数据库被锁定",  # SQLITE_LOCKED
    8: "数据库文件是只读的",  # SQLITE_READONLY
    10: "读写数据库文件时出错",  # SQLITE_IOERR
    11: "数据库文件已损坏",  # SQLITE_CORRUPT
    13: "磁盘空间不足",  # SQLITE_FULL
    14: "无法打开数据库文件",  # SQLITE_CANTOPEN
    23: "没有访问权限",  # SQLITE_AUTH
    26: "这不是 SQLite 数据库文件",  # SQLITE_NOTADB
}
# PostgreSQL's SQLSTATE classes and codes (psycopg's `sqlstate`), the same way.
_POSTGRES_REASONS = {
    "28": "用户名或密码不对，或该用户不能登录",
    "3D000": "数据库不存在",
    "42501": "权限不足",
    "53": "数据库服务器资源不足",
    "57P03": "数据库服务器正在启动或关闭",
}


def describe_database_error(exc: SQLAlchemyError, url: str) -> str:
    """Why the database at `url` could not be opened, in Chinese (by the driver's error
    code, never its English message)."""
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        if code & 0xFF == 14:  # SQLITE_CANTOPEN: say why, the folder is the usual cause
            folder = Path(url.removeprefix("sqlite:///")).parent
            if not folder.is_dir():
                return f"文件夹「{folder}」不存在"
            if not os.access(folder, os.W_OK):
                return f"文件夹「{folder}」没有写入权限"
        return _SQLITE_REASONS.get(code & 0xFF, f"数据库错误（SQLite 错误码 {code}）")
    state = getattr(orig, "sqlstate", None)
    if isinstance(state, str):
        reason = _POSTGRES_REASONS.get(state) or _POSTGRES_REASONS.get(state[:2])
        return reason or f"数据库错误（SQLSTATE {state}）"
    if isinstance(exc, OperationalError):
        # A driver error without a code: the server could not be reached at all.
        return "无法连接数据库服务器：请确认主机与端口正确、服务正在运行"
    return "数据库错误"


def _shown(url: str) -> str:
    """A SQLite database as its file (a URL would percent-encode a Chinese name), any
    other as its URL without the password."""
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///")
    return display_url(url)


def open_database(db: str) -> Engine:
    """The engine for `db`, its schema upgraded; failures become a Chinese CLI error."""
    url = database_url(db)
    try:
        engine = make_engine(url)
        upgrade(engine)
    except SQLAlchemyError as exc:
        reason = describe_database_error(exc, url)
        raise click.ClickException(f"无法打开数据库「{_shown(url)}」：{reason}") from exc
    except MissingDriverError as exc:
        raise click.ClickException(str(exc)) from None
    return engine
