"""`jixiao check PATH... [--json] [--profile NAME]`: read, score and review forms.

A thin wrapper over `jixiao.pipeline` and `jixiao.review`, files read on `--jobs`
processes and printed in document order. The human output is one line per
finding in the editor format `file:line: CODE severity message` (reading findings and
review findings alike), then one line per form with the printed and the reference total
and grade. `--json` prints `{"profile", "forms", "findings"}` instead. The exit code is
1 when any finding has error severity (the form contradicts itself, or nothing could be
read), else 0.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

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
from jixiao.findings import Severity
from jixiao.model import Declaration
from jixiao.numbers import fmt_score
from jixiao.pipeline import read_path
from jixiao.profile import DEFAULT_PROFILE, Profile, available_profiles, load_profile
from jixiao.read.progress import Progress
from jixiao.review import FormReview, review_result
from jixiao.scoring import Reference
from jixiao.vocabulary.grades import normalise_grade


@dataclass(slots=True)
class CheckedFile:
    """What `check` prints of one file, as plain data (what a worker sends back)."""

    forms: int = 0
    findings: list[tuple[str, str]] = field(default_factory=list)  # (severity, line)
    summaries: list[str] = field(default_factory=list)  # the forms' summary lines
    records: list[bytes] = field(default_factory=list)  # the forms' JSON, for the array
    findings_json: list[bytes] = field(default_factory=list)  # the findings' JSON
    fits: bool = True  # a part of a file read as the whole file reads it (`jixiao.parts`)


@lru_cache(maxsize=8)
def _profile(name: str) -> Profile:
    return load_profile(name)


def check_file(
    unit: Path | parts.Part,
    progress: Progress | None = None,
    *,
    profile_name: str,
    as_json: bool,
    max_bytes: int,
) -> CheckedFile:
    """Read and review one file, or one part of a large one, into what `check` prints."""
    if isinstance(unit, parts.Part):
        result = parts.read(unit)
    else:
        result = read_path(unit, progress=progress, max_bytes=max_bytes)
    review = review_result(result, profile=_profile(profile_name))
    findings = review.findings
    fits = not isinstance(unit, parts.Part) or parts.fits(unit, result, findings)
    checked = CheckedFile(
        forms=len(review.forms), findings=[finding_line(f) for f in findings], fits=fits
    )
    if as_json:
        checked.records = [encode(form_json(form), 2) for form in review.forms]
        checked.findings_json = [encode(f.to_json(), 2) for f in findings]
    else:
        checked.summaries = [form_summary(form) for form in review.forms]
    return checked


def _combined(plan: parts.Plan, read: list[CheckedFile]) -> CheckedFile:
    """A file's parts as one file: its decoding's findings, then each part's, in order."""
    return CheckedFile(
        forms=sum(c.forms for c in read),
        findings=[finding_line(f) for f in plan.findings] + [f for c in read for f in c.findings],
        summaries=[s for c in read for s in c.summaries],
        records=[r for c in read for r in c.records],
        findings_json=[encode(f.to_json(), 2) for f in plan.findings]
        + [f for c in read for f in c.findings_json],
    )


@click.command("check", cls=Command)
@click.argument("paths", nargs=-1, required=True, type=PATHS)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON：表单的参考得分与全部问题。")
@click.option(
    "--profile",
    "profile_name",
    default=DEFAULT_PROFILE,
    show_default=True,
    help=f"评分与审核方案（{'、'.join(available_profiles())}，或 .toml 文件路径）。",
)
@jobs_option()
@max_size_option()
def check(
    paths: tuple[Path, ...], as_json: bool, profile_name: str, jobs: int | None, max_mb: int
) -> None:
    """读取、计分并审核表单：列出全部问题，给出参考总分与等级。"""
    try:
        profile = _profile(profile_name)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--profile") from exc
    tune_for_batch()
    files = list(expand_paths(paths))
    max_bytes = max_mb * 1024 * 1024
    task = partial(check_file, profile_name=profile_name, as_json=as_json, max_bytes=max_bytes)
    outcomes = by_file(task, files, jobs, _combined, max_bytes)
    severities: Counter[str] = Counter()
    if as_json:
        _write_json(outcomes, profile, severities)
    else:
        _print_human(outcomes, profile, severities, len(files))
    if severities[Severity.ERROR.value]:
        sys.exit(1)


def _write_json(
    outcomes: Iterable[CheckedFile], profile: Profile, severities: Counter[str]
) -> None:
    """`{"profile", "forms", "findings"}`, the forms streamed file by file."""
    findings: list[bytes] = []

    def records() -> Iterator[bytes]:
        for checked in outcomes:
            severities.update(severity for severity, _ in checked.findings)
            findings.extend(checked.findings_json)
            yield from checked.records

    writer = JsonWriter()
    writer.write(b'{\n  "profile": ' + encode(profile.summary(), 1) + b',\n  "forms": ')
    writer.array(records(), 1)
    writer.write(b',\n  "findings": ')
    writer.array(findings, 1)
    writer.write(b"\n}\n")
    writer.flush()


def _print_human(
    outcomes: Iterable[CheckedFile], profile: Profile, severities: Counter[str], files: int
) -> None:
    """Every finding (file after file, in line order), then one line per form, then the
    tally."""
    summaries: list[str] = []
    forms = 0
    for checked in outcomes:
        for severity, line in checked.findings:
            echo_finding(severity, line)
            severities[severity] += 1
        summaries.extend(checked.summaries)
        forms += checked.forms
    for line in summaries:
        click.echo(line)
    click.echo(
        f"共 {forms} 张表单（{files} 个文件，方案 {profile.name}）："
        f"错误 {severities[Severity.ERROR.value]}，警告 {severities[Severity.WARNING.value]}，"
        f"提示 {severities[Severity.INFO.value]}"
    )


def _amount(value: Decimal | None) -> str:
    return fmt_score(value) if value is not None else "-"


def form_summary(review: FormReview) -> str:
    """`file:line: [i] 自评表「project」 填报总分 … 参考总分 …` for one form."""
    form = review.form
    line = form.source.line
    place = f"{review.file}:{line}" if line else review.file
    problems = Counter(f.severity for f in review.findings)
    tally = (
        f"问题：错误 {problems[Severity.ERROR]}，警告 {problems[Severity.WARNING]}，"
        f"提示 {problems[Severity.INFO]}"
    )
    if isinstance(form, Declaration):
        return f"{place}: [{review.index}] 申报表「{form.project}」 申报表不计分；{tally}"
    total = review.score.total
    reference = _amount(total.value) if total is not None else "-"
    printed_grade = form.grade or "-"
    return (
        f"{place}: [{review.index}] 自评表「{form.project}」 "
        f"填报总分 {_amount(form.total_score)}（{printed_grade}），"
        f"参考总分 {reference}（{review.score.grade or '-'}）；{tally}"
    )


def _reference_json(reference: Reference | None) -> dict[str, Any] | None:
    if reference is None:
        return None
    return {
        "value": str(reference.value) if reference.value is not None else None,
        "formula": reference.formula,
        "low": str(reference.low) if reference.low is not None else None,
        "high": str(reference.high) if reference.high is not None else None,
    }


def _dec(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def form_json(review: FormReview) -> dict[str, Any]:
    """The form in the exchange format (as `parse --json` prints it), with its place,
    what it printed, its reference scores and how many findings it raised."""
    form = review.form
    out: dict[str, Any] = {
        "file": review.file,
        "form": review.index,
        "line": form.source.line,
        **form_to_exchange(form),
    }
    if isinstance(form, Declaration):
        out["printed"] = None
    else:
        out["printed"] = {
            "total": _dec(form.total_score),
            "grade": form.grade,
            "grade_normalised": normalise_grade(form.grade),
            "budget_weight": _dec(form.funds.total.weight),
            "budget_score": _dec(form.funds.total.score),
        }
    score = review.score
    out["reference"] = {
        "budget": _reference_json(score.budget),
        "total": _reference_json(score.total),
        "grade": score.grade,
        "indicators": [
            {
                "name": item.indicator.name,
                "line": item.indicator.source.line,
                "weight": _dec(item.indicator.weight),
                "printed_score": _dec(item.indicator.score),
                **(_reference_json(item.reference) or {}),
            }
            for item in score.indicators
        ],
    }
    counts = Counter(f.severity.value for f in review.findings)
    out["finding_counts"] = {s.value: counts[s.value] for s in Severity}
    return out
