"""`jixiao parse PATH... [--json]`: read forms and print them (the reading step's edge).

A thin wrapper over `jixiao.read`: reading problems go to stderr as `file:line: message`
(so editors can jump to them); stdout gets the forms, as a summary or as the exchange
format. The exit code is non-zero only when nothing usable could be read.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from jixiao.commands.common import PATHS, print_finding, read_with_progress
from jixiao.commands.language import Command
from jixiao.exchange import form_to_exchange
from jixiao.model import Declaration, Form
from jixiao.pipeline import ReadResult


@click.command("parse", cls=Command)
@click.argument("paths", nargs=-1, required=True, type=PATHS)
@click.option("--json", "as_json", is_flag=True, help="输出交换格式 JSON 数组（按文档顺序）。")
def parse(paths: tuple[Path, ...], as_json: bool) -> None:
    """读取表单文件（PDF、Excel、Word、网页、转换文本、JSON），输出摘要或 JSON。"""
    results = list(_read_all(paths))
    for result in results:
        for finding in result.findings:
            print_finding(finding, err=True)
    forms = [form for result in results for form in result.forms]
    if as_json:
        json.dump([form_to_exchange(f) for f in forms], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for result in results:
            for index, form in enumerate(result.forms, start=1):
                click.echo(_summary(result.file, index, form))
        click.echo(f"共读取 {len(forms)} 张表单（{len(results)} 个文件）", err=True)
    if not forms:
        sys.exit(1)


def _read_all(paths: tuple[Path, ...]) -> Iterator[ReadResult]:
    yield from read_with_progress(paths)


def _summary(file: str, index: int, form: Form) -> str:
    line = form.source.line
    place = f"{file}:{line}" if line else file
    kind = "申报表" if isinstance(form, Declaration) else "自评表"
    head = f"{place}: [{index}] {kind} {form.year or '????'} 「{form.project}」 {form.unit or ''}"
    if isinstance(form, Declaration):
        total = form.funds.annual_total
        amount = total if total is not None else "-"
        return f"{head}  年度资金 {amount} {form.funds_unit}  指标 {len(form.indicators)} 个"
    return (
        f"{head}  全年预算 {form.funds.total.adjusted if form.funds.total.adjusted is not None else '-'} "
        f"{form.funds_unit}  指标 {len(form.indicators)} 个  总分 {form.total_score or '-'}  "
        f"等级 {form.grade or '-'}"
    )
