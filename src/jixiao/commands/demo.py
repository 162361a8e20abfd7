"""`jixiao demo`: a database of synthetic forms with realistic defects, then the web app.

The README's first command: it shows what jixiao does without any files of one's own.
The demo database is built once (a few seconds) and reused; `--fresh` builds it anew.
"""

from __future__ import annotations

import sys
import time
import webbrowser
from pathlib import Path

import click

from jixiao.commands.database import open_database
from jixiao.commands.language import Command
from jixiao.commands.serve import check_port, run_server
from jixiao.demo.build import DEFAULT_FORMS, DEFAULT_SEED, DEMO_PROFILE, build_demo, stored_forms
from jixiao.store.engine import database_url

DEMO_DATABASE = "jixiao-demo.db"


@click.command("demo", cls=Command)
@click.option(
    "--db",
    default=DEMO_DATABASE,
    show_default=True,
    help="演示数据库（SQLite 文件路径，或数据库 URL）。",
)
@click.option(
    "--forms",
    "count",
    default=DEFAULT_FORMS,
    show_default=True,
    type=click.IntRange(1, 200_000),
    help="生成的表单数。",
)
@click.option(
    "--seed",
    default=DEFAULT_SEED,
    show_default=True,
    type=int,
    help="随机种子（相同种子生成相同数据）。",
)
@click.option("--fresh", is_flag=True, help="删除已有的演示数据库，重新生成。")
@click.option("--no-serve", is_flag=True, help="只生成数据库，不启动网页服务。")
@click.option("--open", "open_browser", is_flag=True, help="启动后在浏览器中打开总览页。")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址。")
@click.option("--port", default=8000, show_default=True, type=int, help="端口。")
def demo(
    db: str,
    count: int,
    seed: int,
    fresh: bool,
    no_serve: bool,
    open_browser: bool,
    host: str,
    port: int,
) -> None:
    """生成一个含数百张合成表单（带有真实常见问题）的演示数据库，并启动网页服务。"""
    if not no_serve:
        check_port(host, port)  # before the build: fail fast when the port is taken
    url = database_url(db)
    if fresh and url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)
    engine = open_database(db)
    existing = stored_forms(engine)
    if existing:
        click.echo(f"使用已有的演示数据库 {db}（{existing} 张表单；--fresh 可重新生成）", err=True)
    else:
        started = time.perf_counter()
        with click.progressbar(length=count, label="生成演示数据", file=sys.stderr) as bar:
            summary = build_demo(
                engine, forms=count, seed=seed, progress=lambda doc: bar.update(len(doc.forms))
            )
        click.echo(
            f"已生成演示数据库 {db}：{summary.forms} 张表单、{summary.findings} 项问题"
            f"（评分方案 {DEMO_PROFILE}，用时 {time.perf_counter() - started:.1f} 秒）",
            err=True,
        )
    engine.dispose()
    if no_serve:
        return
    if open_browser:
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        webbrowser.open(f"http://{shown}:{port}/")
    run_server(db, host, port, DEMO_PROFILE)
