"""`jixiao rules [--json] [--profile NAME]`: list the catalogue of findings.

Every code jixiao can report — reading codes (RD…) and review rules (AR…, ID…, SC…,
BT…, RV…) — with its kind slug, severity, title, description and basis. The same table
is documented in `docs/catalogue.md` (a test keeps the two equal).
"""

from __future__ import annotations

import json
import sys

import click

import jixiao.rules  # noqa: F401  (registers the review rules' catalogue entries)
from jixiao.catalogue import all_entries
from jixiao.commands.language import Command
from jixiao.profile import available_profiles, load_profile


@click.command("rules", cls=Command)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON 数组。")
@click.option(
    "--profile",
    "profile_name",
    default=None,
    help=f"只列出该方案启用的规则（{'、'.join(available_profiles())}，或 .toml 文件路径）。",
)
def rules(as_json: bool, profile_name: str | None) -> None:
    """列出审核规则目录：代码、类别、严重性、说明与依据。"""
    entries = all_entries()
    if profile_name is not None:
        try:
            profile = load_profile(profile_name)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--profile") from exc
        entries = [e for e in entries if profile.rule_enabled(e.code, e.kind)]
    if as_json:
        rows = [
            {
                "code": e.code,
                "kind": e.kind,
                "severity": e.severity.value,
                "family": e.family,
                "title": e.title,
                "description": e.description,
                "basis": e.basis,
            }
            for e in entries
        ]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for e in entries:
        click.echo(f"{e.code}  {e.severity.label}  {e.kind}  {e.title}")
        click.echo(f"       {e.description}")
        click.echo(f"       依据：{e.basis}")
    click.echo(f"共 {len(entries)} 条", err=True)
