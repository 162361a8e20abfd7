"""What the commands share: expanding paths and printing findings the editor way."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from jixiao.findings import Finding, Severity

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders expanded to their files (sorted, hidden ones skipped)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(p.startswith(".") for p in child.parts):
                    yield child
        else:
            yield path


def format_finding(finding: Finding) -> str:
    """`file:line: CODE severity message` (the house format for editors and grep)."""
    return f"{finding.place()}: {finding.code} {finding.severity.value} {finding.message}"


def print_finding(finding: Finding, *, err: bool = False) -> None:
    click.secho(format_finding(finding), err=err, fg=_COLOURS.get(finding.severity))
