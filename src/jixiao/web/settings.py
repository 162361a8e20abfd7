"""The web application's settings, from the environment (`JIXIAO_…`) or the command line."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from jixiao.pipeline import MAX_INPUT_BYTES
from jixiao.profile import DEFAULT_PROFILE


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JIXIAO_", extra="ignore")

    # A SQLAlchemy URL or a SQLite file path (see jixiao.store.engine.database_url).
    database_url: str = "jixiao.db"
    # The scoring and review profile applied to uploads (`national-2020`, `shanghai`, or a
    # profile file).
    profile: str = DEFAULT_PROFILE
    # Each uploaded file may be at most this large; larger ones are refused while
    # streaming, before they are read into memory.
    max_upload_bytes: int = MAX_INPUT_BYTES
    max_upload_total_bytes: int = 4 * MAX_INPUT_BYTES
    max_upload_files: int = 200
    # Threads per server process answering page and API requests at the same time.
    threads: int = 4
    # How long (seconds) a thread may hold the GIL before another may take it. Python's
    # 5 ms makes a page whose database answer has arrived wait for another's rendering.
    switch_interval: float = 0.001
    # Uploads neither saved nor discarded are forgotten after this many hours.
    pending_hours: int = 24
    # What the uploads not yet saved or discarded may hold, of one client and of all.
    max_pending_client_bytes: int = 8 * MAX_INPUT_BYTES
    max_pending_total_bytes: int = 64 * MAX_INPUT_BYTES
    # A statement a request runs is stopped after this many seconds (503 query_timeout).
    query_timeout: float = 30.0
    # A request's body must arrive with no pause longer than this (seconds), and after
    # its first minute at least this fast (bytes a second); else 408 (`web.deadlines`).
    body_idle_seconds: float = 30.0
    min_body_rate: int = 64 * 1024
    # How long (seconds) an upload or save request waits for its job before it answers
    # with the job's progress instead (202): a small upload is answered whole at once.
    job_wait: float = 1.5
    # Run the jobs in threads of this process. `jixiao serve` turns it off and runs a
    # `jixiao worker` process beside the server instead (unless `--no-jobs`: then
    # `jixiao worker` processes started elsewhere do them).
    worker: bool = True
