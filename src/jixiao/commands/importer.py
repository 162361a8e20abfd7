"""`jixiao import PATH... [--jobs N]`: read, review and store files and folders (the store
step's edge).

Files are read and reviewed on `--jobs` processes, each turned there into the rows the
store writes (`store.prepared`: plain values, not model objects), and sent back in
document order to this process, which only writes: a batch of files at a time, each
batch one transaction, on a thread of its own (`store.background`), so that the next
batch is read while the database stores the last. A file whose reading failed is refused
whole, a file already imported is skipped, the rest are stored. A progress bar runs on
stderr; the summary says how many forms and findings were stored.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from functools import partial
from pathlib import Path

import click

from jixiao.commands.common import PATHS, expand_paths, stored_name
from jixiao.commands.database import db_option, open_database
from jixiao.commands.language import Command
from jixiao.commands.parallel import (
    Ahead,
    default_jobs,
    in_order_ahead,
    jobs_option,
    tune_for_batch,
)
from jixiao.intake import take_in_path
from jixiao.profile import DEFAULT_PROFILE, load_profile
from jixiao.read.progress import Progress
from jixiao.store.background import BackgroundWriter
from jixiao.store.importer import DEFAULT_BATCH, Importer
from jixiao.store.prepared import PreparedDocument, prepare

BATCH_BYTES = 64 * 1024 * 1024
# What the workers may read ahead of the writer: about two batches, so that a batch is
# ready whenever the database is done with the last one, and no more (bounded memory).
AHEAD = Ahead(files=2 * DEFAULT_BATCH, bytes=BATCH_BYTES)


def prepare_file(
    path: Path,
    progress: Progress | None = None,
    *,
    profile: str,
    folders: tuple[Path, ...] = (),
) -> PreparedDocument:
    """Read and review one file into the rows the store writes (in a worker process),
    named as it is stored (`stored_name`: never the server's folders above `folders`).

    `progress` is not passed on: the import's own bar holds stderr's line, and a long
    document's pages drawn over it (as `parse` and `check` draw them) would garble it."""
    document = prepare(take_in_path(path, profile), profile)
    return replace(document, name=stored_name(path, folders))


@click.command("import", cls=Command)
@click.argument("paths", nargs=-1, required=True, type=PATHS)
@db_option()
@click.option(
    "--profile",
    default=DEFAULT_PROFILE,
    show_default=True,
    help="评分与审核方案：national-2020、shanghai，或方案文件路径。",
)
@jobs_option()
@click.option(
    "--queue",
    is_flag=True,
    help="交给后台任务队列：文件作为上传任务存入数据库，由本命令与各处的 jixiao worker 共同保存"
    "（PostgreSQL 上多台机器可同时处理）。",
)
@click.option(
    "--no-wait",
    is_flag=True,
    help="与 --queue 同用：只排队，不等待保存完成（由 jixiao worker 或 jixiao serve 保存）。",
)
def import_(
    paths: tuple[Path, ...],
    db: str,
    profile: str,
    jobs: int | None,
    queue: bool,
    no_wait: bool,
) -> None:
    """把表单文件（或文件夹中的全部文件）读取、审核后存入数据库；同一文件不会重复导入。"""
    try:
        load_profile(profile)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--profile") from None
    if no_wait and not queue:
        raise click.BadParameter("只能与 --queue 同用", param_hint="--no-wait")
    files = list(expand_paths(paths))
    if not files:
        raise click.ClickException("没有找到要导入的文件")
    engine = open_database(db)
    folders = tuple(path for path in paths if path.is_dir())
    if queue:
        from jixiao.commands.import_queue import import_queued

        status = import_queued(
            engine, files, folders, profile, jobs=jobs or default_jobs(), wait=not no_wait
        )
        engine.dispose()
        sys.exit(status)
    tune_for_batch()
    task = partial(prepare_file, profile=profile, folders=folders)
    read = in_order_ahead(task, files, jobs, AHEAD)
    with BackgroundWriter(Importer(engine, origin="cli", profile=profile)) as writer:
        with click.progressbar(
            files,
            label="导入",
            file=sys.stderr,
            item_show_func=lambda p: p.name if p else "",
        ) as bar:
            batch: list[PreparedDocument] = []
            size = 0
            for _, document in zip(bar, read, strict=True):
                batch.append(document)
                size += document.size
                # Files are written a batch at a time (each still whole or not at all);
                # the batch is bounded in files and in bytes held.
                if len(batch) >= DEFAULT_BATCH or size > BATCH_BYTES:
                    writer.submit(batch)
                    batch, size = [], 0
            writer.submit(batch)
        summary = writer.finish()
    engine.dispose()
    problems = [o.message for o in summary.outcomes if o.status != "saved"]
    for message in problems:
        click.secho(message, err=True, fg="yellow")
    click.echo(
        f"导入完成：{summary.count('saved')} 个文件存入 {summary.forms} 张表单、"
        f"{summary.findings} 项问题；{summary.count('skipped')} 个文件已导入过；"
        f"{summary.count('refused')} 个文件无法导入（导入批次 #{summary.import_id}）"
    )
    if summary.count("refused"):
        sys.exit(1)
