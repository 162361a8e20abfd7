"""`jixiao import PATH...`: read, review and store files and folders (the store step's edge).

Each file is its own transaction: a file whose reading failed is refused whole, a file
already imported is skipped, the rest are stored. A progress bar runs on stderr; the
summary says how many forms and findings were stored.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from jixiao.commands.common import PATHS, expand_paths
from jixiao.commands.database import db_option, open_database
from jixiao.commands.language import Command
from jixiao.intake import Intake, take_in_path
from jixiao.profile import DEFAULT_PROFILE, load_profile
from jixiao.store.importer import DEFAULT_BATCH, Importer

BATCH_BYTES = 64 * 1024 * 1024


@click.command("import", cls=Command)
@click.argument("paths", nargs=-1, required=True, type=PATHS)
@db_option()
@click.option(
    "--profile",
    default=DEFAULT_PROFILE,
    show_default=True,
    help="评分与审核方案：national-2020、shanghai，或方案文件路径。",
)
def import_(paths: tuple[Path, ...], db: str, profile: str) -> None:
    """把表单文件（或文件夹中的全部文件）读取、审核后存入数据库；同一文件不会重复导入。"""
    try:
        load_profile(profile)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--profile") from None
    files = list(expand_paths(paths))
    if not files:
        raise click.ClickException("没有找到要导入的文件")
    engine = open_database(db)
    with Importer(engine, origin="cli", profile=profile) as importer:
        with click.progressbar(
            files,
            label="导入",
            file=sys.stderr,
            item_show_func=lambda p: p.name if p else "",
        ) as bar:
            batch: list[Intake] = []
            for path in bar:
                batch.append(take_in_path(path, profile))
                # Files are written a batch at a time (each still whole or not at all);
                # the batch is bounded in files and in bytes held.
                if len(batch) >= DEFAULT_BATCH or sum(i.size for i in batch) > BATCH_BYTES:
                    importer.add_many(batch)
                    batch = []
            importer.add_many(batch)
        summary = importer.finish()
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
