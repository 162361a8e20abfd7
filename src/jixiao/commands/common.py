"""What the commands share: expanding paths and printing findings the editor way."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from jixiao.findings import Finding, Severity
from jixiao.pipeline import MAX_INPUT_BYTES, ReadResult, read_path
from jixiao.read.progress import Progress
from jixiao.vocabulary.kinds import KINDS_BY_LABEL

if TYPE_CHECKING:
    from jixiao.store.queries import FormFilters

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}

# The type of the reading commands' PATH... argument. The pipeline checks the files, not
# click: an unreadable file is then reported as a missing one is (RD002, beside the other
# files' results), not refused as a usage error before any file is read.
PATHS = click.Path(path_type=Path, readable=False)


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders expanded to their files (sorted, hidden ones skipped).

    Hidden means hidden inside the folder given: `../forms` and a folder under a dot
    folder (`~/.local/share/forms`) are read like any other, and how many hidden entries
    were skipped is said on stderr. A sub-folder that cannot be opened is yielded itself,
    in its place, so that the reader reports it (RD002) rather than its files going
    missing in silence."""
    for path in paths:
        if path.is_dir():
            yield from _files_in(path)
        else:
            yield path


def _files_in(folder: Path) -> list[Path]:
    found: list[Path] = []
    hidden = 0

    def unreadable(error: OSError) -> None:
        found.append(Path(error.filename) if error.filename else folder)

    for root, folders, files in os.walk(folder, onerror=unreadable):
        hidden += sum(1 for name in (*folders, *files) if name.startswith("."))
        folders[:] = [name for name in folders if not name.startswith(".")]
        found.extend(Path(root, name) for name in files if not name.startswith("."))
    if hidden:
        # Said, not skipped in silence: a reviewer who copied a folder should know.
        click.echo(
            f"文件夹「{folder}」中有 {hidden} 个隐藏的文件或文件夹（名称以“.”开头），未读取",
            err=True,
        )
    return sorted(found)


def stored_name(path: Path, folders: Sequence[Path]) -> str:
    """The name a stored file keeps: its path inside the folder it was found in, under
    that folder's own name (`forms/2024/a.pdf`), or, given by itself, its file name. The
    server's folders above are nobody's business on the form page or in the API."""
    for folder in folders:
        try:
            inside = path.relative_to(folder)
        except ValueError:
            continue
        return (Path(folder.resolve().name or folder.name) / inside).as_posix()
    return path.name


def read_with_progress(paths: Iterable[Path]) -> Iterator[ReadResult]:
    """Each file read, a long one showing its pages as they are read."""
    shown = PageProgress()
    for path in expand_paths(paths):
        result = read_path(path, progress=shown.on(path))
        shown.clear()
        yield result


def max_size_option() -> Callable[[F], F]:
    """`--max-size MB`: the largest file read (larger ones get INPUT_TOO_LARGE)."""
    return click.option(
        "--max-size",
        "max_mb",
        type=click.IntRange(1, 4096),
        default=MAX_INPUT_BYTES // (1024 * 1024),
        show_default=True,
        help="单个文件的大小上限（MB），超过的文件不读取。",
    )


def format_finding(finding: Finding) -> str:
    """`file:line: CODE 严重性 message` (the house format for editors and grep); the
    severity is the word a user reads (错误、警告、提示), `--json` keeps the slug."""
    return f"{finding.place()}: {finding.code} {finding.severity.label} {finding.message}"


def print_finding(finding: Finding, *, err: bool = False) -> None:
    click.secho(format_finding(finding), err=err, fg=_COLOURS.get(finding.severity))


def finding_line(finding: Finding) -> tuple[str, str]:
    """(severity, printed line): a finding as a worker process sends it back."""
    return finding.severity.value, format_finding(finding)


def echo_finding(severity: str, line: str, *, err: bool = False) -> None:
    """Print a `finding_line` in its severity's colour."""
    click.secho(line, err=err, fg=_COLOURS.get(Severity(severity)))


class PageProgress:
    """Pages read of a long document, on one line of a terminal's stderr (nothing when
    stderr is not a terminal, so logs and pipes stay clean)."""

    def __init__(self) -> None:
        self.shown = False
        self.name = ""
        self._last = 0.0

    def on(self, path: Path) -> Progress | None:
        if not sys.stderr.isatty():
            return None
        self.name = path.name
        return self

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if total < 2 or (done < total and now - self._last < 0.2):
            return
        self._last = now
        click.echo(f"\r读取「{self.name}」：第 {done}/{total} 页\033[K", nl=False, err=True)
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            click.echo("\r\033[K", nl=False, err=True)
            self.shown = False


F = TypeVar("F", bound=Callable[..., Any])


def list_filter_options(verb: str) -> Callable[[F], F]:
    """The list's filters as options (`--year`, `--kind`, `--department`, `--unit`), for
    the commands that act on stored forms (`export`, `publish`); `verb` says what they do."""

    def decorate(command: F) -> F:
        for option in reversed(
            (
                click.option("--year", type=int, default=None, help=f"只{verb}此年度的表单。"),
                click.option(
                    "--kind",
                    type=click.Choice(list(KINDS_BY_LABEL)),
                    default=None,
                    help=f"只{verb}自评表或申报表。",
                ),
                click.option(
                    "--department", default=None, help=f"只{verb}此主管部门的表单（名称完全一致）。"
                ),
                click.option("--unit", default=None, help=f"只{verb}实施单位包含此文字的表单。"),
            )
        ):
            command = option(command)
        return command

    return decorate


def list_filters(
    year: int | None, kind: str | None, department: str | None, unit: str | None
) -> FormFilters:
    """Those options as the store's filters (`--kind 自评表` → `self_evaluation`)."""
    from jixiao.store.queries import FormFilters  # SQLAlchemy only for the commands that use it

    return FormFilters(
        year=year,
        kind=KINDS_BY_LABEL[kind] if kind else None,
        department=department or None,
        unit=unit or None,
    )
