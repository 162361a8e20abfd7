"""`jixiao parse PATH... [--json] [--jobs N]`: read forms and print them (the reading
step's edge).

A thin wrapper over `jixiao.pipeline`: reading problems go to stderr as
`file:line: message` (so editors can jump to them); stdout gets the forms, as a summary
or as the exchange format. Files are read on `--jobs` processes and printed in document
order. The exit code is non-zero only when nothing usable could be read.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import click

from jixiao import parts
from jixiao.commands.common import (
    PATHS,
    echo_finding,
    expand_paths,
    finding_line,
    max_size_option,
)
from jixiao.commands.json_output import JsonWriter, encode
from jixiao.commands.language import Command
from jixiao.commands.parallel import by_file, jobs_option, tune_for_batch
from jixiao.exchange import form_to_exchange
from jixiao.model import Declaration, Form
from jixiao.pipeline import read_path
from jixiao.read.progress import Progress


@dataclass(slots=True)
class ParsedFile:
    """What `parse` prints of one file, as plain data (what a worker sends back)."""

    forms: int = 0
    findings: list[tuple[str, str]] = field(default_factory=list)  # (severity, line)
    records: list[bytes] = field(default_factory=list)  # the forms' JSON, for the array
    summaries: list[str] = field(default_factory=list)  # the forms' summary lines
    fits: bool = True  # a part of a file read as the whole file reads it (`jixiao.parts`)


def parse_file(
    unit: Path | parts.Part, progress: Progress | None = None, *, as_json: bool, max_bytes: int
) -> ParsedFile:
    """Read one file, or one part of a large one, into what `parse` prints of it."""
    if isinstance(unit, parts.Part):
        result = parts.read(unit)
        fits = parts.fits(unit, result)
    else:
        result, fits = read_path(unit, progress=progress, max_bytes=max_bytes), True
    parsed = ParsedFile(
        forms=len(result.forms), findings=[finding_line(f) for f in result.findings], fits=fits
    )
    if as_json:
        parsed.records = [encode(form_to_exchange(form), 1) for form in result.forms]
    else:
        parsed.summaries = [
            _summary(result.file, index, form)
            for index, form in enumerate(result.forms, start=result.first_form)
        ]
    return parsed


def _combined(plan: parts.Plan, read: list[ParsedFile]) -> ParsedFile:
    """A file's parts as one file: its decoding's findings, then each part's, in order."""
    return ParsedFile(
        forms=sum(p.forms for p in read),
        findings=[finding_line(f) for f in plan.findings] + [f for p in read for f in p.findings],
        records=[r for p in read for r in p.records],
        summaries=[s for p in read for s in p.summaries],
    )


@click.command("parse", cls=Command)
@click.argument("paths", nargs=-1, required=True, type=PATHS)
@click.option("--json", "as_json", is_flag=True, help="输出交换格式 JSON 数组（按文档顺序）。")
@jobs_option()
@max_size_option()
def parse(paths: tuple[Path, ...], as_json: bool, jobs: int | None, max_mb: int) -> None:
    """读取表单文件（PDF、Excel、Word、网页、转换文本、JSON），输出摘要或 JSON。"""
    tune_for_batch()
    files = list(expand_paths(paths))
    counts = {"forms": 0, "files": 0}
    max_bytes = max_mb * 1024 * 1024
    task = partial(parse_file, as_json=as_json, max_bytes=max_bytes)
    outcomes = by_file(task, files, jobs, _combined, max_bytes)
    if as_json:
        writer = JsonWriter()
        writer.array(_records(outcomes, counts))
        writer.write(b"\n")
        writer.flush()
    else:
        for parsed in outcomes:
            _tally(parsed, counts)
            for line in parsed.summaries:
                click.echo(line)
        click.echo(f"共读取 {counts['forms']} 张表单（{counts['files']} 个文件）", err=True)
    if not counts["forms"]:
        sys.exit(1)


def _tally(parsed: ParsedFile, counts: dict[str, int]) -> None:
    for severity, line in parsed.findings:
        echo_finding(severity, line, err=True)
    counts["forms"] += parsed.forms
    counts["files"] += 1


def _records(outcomes: Iterable[ParsedFile], counts: dict[str, int]) -> Iterator[bytes]:
    """The forms' JSON, file after file, each file's findings printed as it comes."""
    for parsed in outcomes:
        _tally(parsed, counts)
        yield from parsed.records


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
