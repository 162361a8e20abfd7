"""`jixiao worker`: a process that does the uploads' jobs (the jobs step's edge).

On PostgreSQL it takes them from procrastinate's queue (`jobs.queue`), so that any
number of workers on any machine share them; on SQLite it takes what waits in the
database file (`jobs.local`), beside the server's own worker. Ctrl+C or SIGTERM stop it
after the step running; a worker killed outright leaves its step to be taken up again
when its lease runs out.
"""

from __future__ import annotations

import os
import signal
from typing import TYPE_CHECKING

import click

from jixiao.commands.database import db_option, open_database
from jixiao.commands.language import Command
from jixiao.commands.orphans import die_with_parent

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy import Engine

    from jixiao.jobs.local import LocalWorker
    from jixiao.jobs.steps import Steps


@click.command("worker", cls=Command)
@db_option()
@click.option(
    "--concurrency",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="同时处理的任务数（每个任务一个线程；多核时可多开几个 worker 进程）。",
)
@click.option(
    "--nice",
    "niceness",
    default=0,
    show_default=True,
    type=click.IntRange(0, 19),
    help="降低本进程的 CPU 优先级（0–19，数值越大越靠后）：与网页服务同机时，让页面请求先用 CPU。",
)
@click.option("--parent", type=int, hidden=True, help="随此进程结束（jixiao serve 内部使用）。")
def worker(db: str, concurrency: int, niceness: int, parent: int | None) -> None:
    """处理上传的后台任务（读取、审核、保存），直到按 Ctrl+C 停止。"""
    if parent is not None:
        die_with_parent(parent)
    if niceness:
        os.nice(niceness)
    from jixiao.commands.step_processes import StepProcesses

    engine = open_database(db)
    url = engine.url.render_as_string(hide_password=False)
    click.secho(
        f"jixiao worker 已启动（并发 {concurrency}）；按 Ctrl+C 停止",
        fg="green",
        err=True,
    )
    # Each step in a process of its own, which gives its memory back when it ends.
    processes = StepProcesses(url, concurrency)
    try:
        if engine.dialect.name == "postgresql":
            from jixiao.jobs.queue import run_worker

            run_worker(engine, processes.steps, concurrency=concurrency)
        else:
            _run_local(engine, processes.steps, concurrency)
    finally:
        processes.close()
        engine.dispose()
    click.echo("jixiao worker 已停止", err=True)


def stop_once(local: LocalWorker) -> Callable[[int, object], None]:
    """The signal handler that stops `local`: once. A second signal (the server's SIGTERM,
    then its death's) may come while the first one's handler is setting the stop event,
    holding the event's lock: handling it would wait on that lock for ever, in the very
    thread that holds it."""
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        local.stop(timeout=0)

    return stop


def _run_local(engine: Engine, steps: Steps, concurrency: int) -> None:
    from jixiao.jobs.local import LocalWorker

    # Steps deferred by another process are seen by looking: a few times a second.
    local = LocalWorker(engine, steps, threads=concurrency, poll=0.2, idle=None)

    stop = stop_once(local)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    local.run_forever()
