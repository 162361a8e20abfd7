"""`jixiao serve`: the web application over a database (the presentation step's edge)."""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
import threading
from contextlib import nullcontext
from typing import TYPE_CHECKING

import click

from jixiao.commands.database import db_option, open_database
from jixiao.commands.language import Command
from jixiao.oserrors import describe_os_error
from jixiao.profile import DEFAULT_PROFILE, load_profile

if TYPE_CHECKING:
    from sqlalchemy import Engine

# How often the server looks whether its worker process is still there.
_WATCH_SECONDS = 2.0
# The worker's CPU priority below the server's (`nice`): on a machine of few cores, the
# server's requests take a core first, and the jobs use what is left.
WORKER_NICENESS = 10


class JobWorker:
    """The `jixiao worker` process a server runs its uploads' jobs in, started again if
    it dies (its step is then taken up again when its lease runs out), stopped with the
    server (SIGTERM: the step running finishes first, up to a bound)."""

    def __init__(self, db: str) -> None:
        self.db = db
        self._process: subprocess.Popen[bytes] | None = None
        self._stop = threading.Event()
        self._watch = threading.Thread(target=self._keep, name="jixiao-worker", daemon=True)

    def __enter__(self) -> JobWorker:
        self._start()
        self._watch.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()

    def _start(self) -> None:
        command = [
            *(sys.executable, "-m", "jixiao", "worker", "--db", self.db),
            *("--parent", str(os.getpid())),
            # Behind the pages in the CPU's queue: a page waits for no job's reading.
            *("--nice", str(WORKER_NICENESS)),
        ]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL)

    def _keep(self) -> None:
        while not self._stop.wait(_WATCH_SECONDS):
            if self._process is not None and self._process.poll() is not None:
                click.secho("后台任务进程已退出，正在重新启动", fg="yellow", err=True)
                self._start()


# What to change when binding failed: the port, or the address.
_PORT_ERRORS = frozenset({errno.EADDRINUSE, errno.EACCES, errno.EPERM})


def check_port(host: str, port: int) -> None:
    """Refuse at once, in Chinese, when the port is taken (uvicorn would only log it)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        # As uvicorn binds: a port whose last server has just stopped (connections left
        # in TIME_WAIT) is free to serve again; one that is listening is still refused.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            option = "--port 指定其他端口" if exc.errno in _PORT_ERRORS else "--host 指定本机的地址"
            raise click.ClickException(
                f"无法在 {host}:{port} 上启动：{describe_os_error(exc, port=port)}；请用 {option}"
            ) from None


def run_server(
    db: str, host: str, port: int, profile: str, workers: int = 1, *, jobs: bool = True
) -> None:
    check_port(host, port)  # before importing the web app: a taken port fails at once

    engine = open_database(db)  # migrates, and reports a bad URL before serving
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    click.secho(f"jixiao 已启动：http://{shown}:{port}/  （按 Ctrl+C 停止）", fg="green", err=True)
    with JobWorker(db) if jobs else nullcontext():
        _serve(engine, db, host, port, profile, workers)


def _serve(engine: Engine, db: str, host: str, port: int, profile: str, workers: int) -> None:
    import uvicorn

    from jixiao.web.app import create_app
    from jixiao.web.settings import Settings

    if workers > 1:
        # Each worker process builds its own app from the environment (jixiao.web.asgi).
        engine.dispose()
        os.environ["JIXIAO_DATABASE_URL"] = db
        os.environ["JIXIAO_PROFILE"] = profile
        os.environ["JIXIAO_WORKER"] = "false"  # the jobs are the worker process's
        uvicorn.run(
            "jixiao.web.asgi:app", host=host, port=port, workers=workers, log_level="warning"
        )
        return
    app = create_app(Settings(database_url=db, profile=profile, worker=False), engine=engine)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        engine.dispose()


@click.command("serve", cls=Command)
@db_option()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址。")
@click.option("--port", default=8000, show_default=True, type=int, help="端口。")
@click.option(
    "--profile",
    envvar="JIXIAO_PROFILE",
    default=DEFAULT_PROFILE,
    show_default=True,
    help="上传文件默认使用的评分方案。",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="服务进程数（可设为核数）。",
)
@click.option(
    "--no-jobs",
    is_flag=True,
    help="不随服务启动后台任务进程，由另行运行的 jixiao worker 处理上传。",
)
def serve(db: str, host: str, port: int, profile: str, workers: int, no_jobs: bool) -> None:
    """启动网页服务：总览、表单列表与检索、表单页、上传审核、规则目录与 JSON 接口。"""
    try:
        load_profile(profile)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--profile") from None
    run_server(db, host, port, profile, workers, jobs=not no_jobs)
