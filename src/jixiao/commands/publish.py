"""`jixiao publish --out DIR`: the store as an open-data package (the export step's edge).

Writes `datapackage.json` and its CSV tables (`jixiao.export.datapackage`) into a folder,
for the whole store or for the forms of the list's filters (年度、表单类型、主管部门、
实施单位). The folder is created when missing; the package's files in it are replaced.
"""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy.orm import Session

from jixiao.commands.common import list_filter_options, list_filters
from jixiao.commands.database import db_option, open_database
from jixiao.commands.language import Command
from jixiao.export.datapackage import DESCRIPTOR, describe_filters, write_package


@click.command("publish", cls=Command)
@click.option(
    "--out",
    "folder",
    required=True,
    type=click.Path(file_okay=False, dir_okay=True, writable=True, path_type=Path),
    help="写出开放数据包的文件夹（不存在时新建）。",
)
@db_option()
@list_filter_options("发布")
def publish(
    folder: Path,
    db: str,
    year: int | None,
    kind: str | None,
    department: str | None,
    unit: str | None,
) -> None:
    """把表单库（或筛选出的表单）写成开放数据包：datapackage.json 与表单、资金、指标、问题、项目五张 CSV 表。"""
    filters = list_filters(year, kind, department, unit)
    engine = open_database(db)
    try:
        with Session(engine) as session:
            summary = write_package(session, folder, filters)
    finally:
        engine.dispose()
    rows = summary.rows
    click.echo(
        f"已写出开放数据包「{folder / DESCRIPTOR}」（{describe_filters(filters)}）："
        f"表单 {rows['forms']} 张、资金行 {rows['funds']} 行、绩效指标 {rows['indicators']} 项、"
        f"问题 {rows['findings']} 条、项目 {rows['projects']} 个"
    )
