"""`jixiao check PATH... [--json] [--profile NAME]`: read, score and review forms.

A thin wrapper over `jixiao.read` and `jixiao.review`. The human output is one line per
finding in the editor format `file:line: CODE severity message` (reading findings and
review findings alike), then one line per form with the printed and the reference total
and grade. `--json` prints `{"profile", "forms", "findings"}` instead. The exit code is
1 when any finding has error severity (the form contradicts itself, or nothing could be
read), else 0.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from jixiao.commands.common import PATHS, print_finding, read_with_progress
from jixiao.commands.language import Command
from jixiao.exchange import form_to_exchange
from jixiao.findings import Finding, Severity
from jixiao.model import Declaration
from jixiao.numbers import fmt_score
from jixiao.profile import DEFAULT_PROFILE, Profile, available_profiles, load_profile
from jixiao.review import FileReview, FormReview, review_result
from jixiao.scoring import Reference
from jixiao.vocabulary.grades import normalise_grade


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
def check(paths: tuple[Path, ...], as_json: bool, profile_name: str) -> None:
    """读取、计分并审核表单：列出全部问题，给出参考总分与等级。"""
    try:
        profile = load_profile(profile_name)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--profile") from exc
    reviews = [review_result(result, profile=profile) for result in read_with_progress(paths)]
    findings = [f for review in reviews for f in review.findings]
    if as_json:
        json.dump(check_json(reviews, profile), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_human(reviews, findings, profile)
    if any(f.severity is Severity.ERROR for f in findings):
        sys.exit(1)


def _print_human(reviews: list[FileReview], findings: list[Finding], profile: Profile) -> None:
    for finding in findings:
        print_finding(finding)
    for review in reviews:
        for form_review in review.forms:
            click.echo(form_summary(form_review))
    counts = Counter(f.severity for f in findings)
    forms = sum(len(r.forms) for r in reviews)
    click.echo(
        f"共 {forms} 张表单（{len(reviews)} 个文件，方案 {profile.name}）："
        f"错误 {counts[Severity.ERROR]}，警告 {counts[Severity.WARNING]}，"
        f"提示 {counts[Severity.INFO]}"
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


def check_json(reviews: list[FileReview], profile: Profile) -> dict[str, Any]:
    """The `--json` document: the profile, every form's scores, every finding."""
    return {
        "profile": profile.summary(),
        "forms": [form_json(form) for review in reviews for form in review.forms],
        "findings": [f.to_json() for review in reviews for f in review.findings],
    }
