"""The dependencies every router shares, as `Annotated` types (one place for all)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from jixiao.store.engine import writing
from jixiao.store.stats import Stats, StatsCache
from jixiao.web.schemas import FindingQuery, FormQuery
from jixiao.web.settings import Settings


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    """A session for a request that writes: routers commit explicitly, else rollback.
    On SQLite its transaction takes the write lock as it begins (`engine.writing`)."""
    with Session(writing(engine), expire_on_commit=False) as session:
        yield session


def get_read_session(request: Request) -> Iterator[Session]:
    """A session for a request that only reads (see `app.read_engine`)."""
    with Session(request.app.state.read_engine, expire_on_commit=False) as session:
        yield session


def get_stats(request: Request, session: Annotated[Session, Depends(get_read_session)]) -> Stats:
    cache: StatsCache = request.app.state.stats_cache
    return cache.get(session)


SettingsDep = Annotated[Settings, Depends(get_settings)]
StatsDep = Annotated[Stats, Depends(get_stats)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SessionDep = Annotated[Session, Depends(get_session)]
ReadSessionDep = Annotated[Session, Depends(get_read_session)]
FormQueryDep = Annotated[FormQuery, Query()]
FindingQueryDep = Annotated[FindingQuery, Query()]
