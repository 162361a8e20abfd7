"""`jixiao export PATH... --format xlsx|pdf|docx|json|csv --out DIR`: forms in the official
layout, one file per form (the export step's edge).

The forms come from files (anything jixiao reads) or, with `--db` and no PATH, from the
store, chosen by the list's filters. Each is written by `jixiao.export.forms` in the
layout its profile names (or `--layout`), to a file named by unit, project, kind and
year; a name already taken in the run gets a number. A form that cannot be written is
reported and the others are still written; the exit code says whether any failed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import click

from jixiao.commands.common import (
    PATHS,
    list_filter_options,
    list_filters,
    print_finding,
    read_with_progress,
)
from jixiao.commands.database import db_option, open_database
from jixiao.commands.language import Command
from jixiao.exchange import form_to_exchange, forms_from_exchange
from jixiao.export.forms import FORMATS, export_forms, file_name
from jixiao.export.layout import available_layouts, load_layout
from jixiao.model import Form
from jixiao.profile import DEFAULT_PROFILE, load_profile


@click.command("export", cls=Command)
@click.argument("paths", nargs=-1, type=PATHS)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="xlsx",
    show_default=True,
    help="导出格式：xlsx（Excel）、pdf、docx（Word）、json（交换格式）、csv。",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="输出文件夹（不存在时创建）。",
)
@click.option(
    "--layout",
    default=None,
    help="表样：national、shanghai，或表样文件路径；默认用评分方案指定的表样。",
)
@click.option(
    "--profile",
    default=DEFAULT_PROFILE,
    show_default=True,
    help="评分与审核方案（决定默认表样）：national-2020、shanghai，或方案文件路径。",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=os.cpu_count() or 1,
    show_default="本机的处理器核数",
    help="同时写文件的进程数（表单较多时用满各核）。",
)
@db_option()
@list_filter_options("导出")
def export(
    paths: tuple[Path, ...],
    fmt: str,
    out: Path,
    layout: str | None,
    profile: str,
    jobs: int,
    db: str,
    year: int | None,
    kind: str | None,
    department: str | None,
    unit: str | None,
) -> None:
    """把表单按官方表样导出为 Excel、PDF、Word、JSON 或 CSV，每张表单一个文件。

    路径为要读取的表单文件或文件夹；不给路径时，从数据库（--db）按筛选条件导出。
    """
    chosen = _layout(layout, profile)  # refused here, before anything is read, when unknown
    forms = list(_read(paths)) if paths else list(_stored(db, year, kind, department, unit))
    if not forms:
        raise click.ClickException("没有可导出的表单")
    out.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    failed = 0
    for form, written in _written(forms, fmt, chosen, jobs):
        name = _unique(file_name(form, fmt), taken)
        if isinstance(written, str):
            failed += 1
            click.secho(f"「{form.project}」未能导出：{written}", err=True, fg="red")
            continue
        (out / name).write_bytes(written)
        click.echo(str(out / name))
    click.echo(f"导出完成：{len(forms) - failed} 个文件（{fmt}）写入 {out}", err=True)
    if failed:
        sys.exit(1)


def _layout(name: str | None, profile: str) -> str:
    """The layout to write in (`--layout`, else the profile's), checked to load: its name
    or path, which is what the worker processes are sent."""
    try:
        chosen = name or load_profile(profile).layout
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--profile") from None
    try:
        load_layout(chosen)
    except (ValueError, OSError) as exc:
        shipped = "、".join(available_layouts())
        raise click.BadParameter(f"{exc}（内置表样：{shipped}）", param_hint="--layout") from None
    return chosen


# Fewer forms than this are written in this process: starting workers would cost more.
_PARALLEL_FROM = 16


def _written(
    forms: list[Form], fmt: str, layout: str, jobs: int
) -> Iterator[tuple[Form, bytes | str]]:
    """Each form and its file's bytes (or why it could not be written), in order. Many
    forms are written by `jobs` processes, each sent the form as its exchange record
    (plain data) and the layout by name."""
    if jobs <= 1 or len(forms) < _PARALLEL_FROM:
        for form in forms:
            yield form, _write(form, fmt, layout)
        return
    records = [form_to_exchange(form) for form in forms]
    with ProcessPoolExecutor(max_workers=min(jobs, len(forms))) as pool:
        tasks = [(record, fmt, layout) for record in records]
        yield from zip(forms, pool.map(_write_record, tasks, chunksize=4), strict=True)


def _write_record(task: tuple[dict[str, Any], str, str]) -> bytes | str:
    """In a worker: one exchange record written as `fmt`."""
    record, fmt, layout = task
    source = record.get("source") or {}
    (form,), _ = forms_from_exchange([record], str(source.get("file") or ""))
    return _write(form, fmt, layout)


def _write(form: Form, fmt: str, layout: str) -> bytes | str:
    try:
        return export_forms([form], fmt, load_layout(layout))
    except Exception as exc:
        return _reason(exc)


def _read(paths: tuple[Path, ...]) -> Iterator[Form]:
    for result in read_with_progress(paths):
        for finding in result.findings:
            if finding.severity.value == "error":
                print_finding(finding, err=True)
        yield from result.forms


def _stored(
    db: str, year: int | None, kind: str | None, department: str | None, unit: str | None
) -> Iterator[Form]:
    from sqlalchemy.orm import Session

    from jixiao.store.queries import forms_query, get_form
    from jixiao.store.tables import FormRow

    filters = list_filters(year, kind, department, unit)
    engine = open_database(db)
    try:
        with Session(engine) as session:
            ids = list(session.scalars(forms_query(filters).with_only_columns(FormRow.id)))
            for form_id in ids:
                stored = get_form(session, form_id)
                if stored is not None:
                    yield stored.form
    finally:
        engine.dispose()


def _unique(name: str, taken: set[str]) -> str:
    """`name`, or `name（2）.ext` … when the run has written that name already."""
    candidate, number = name, 1
    stem, dot, suffix = name.rpartition(".")
    while candidate in taken:
        number += 1
        candidate = f"{stem}（{number}）{dot}{suffix}"
    taken.add(candidate)
    return candidate


def _reason(exc: Exception) -> str:
    message = str(exc)
    return message if message and not message.isascii() else f"内部错误（{type(exc).__name__}）"
