"""Files read on several cores, the results in document order (the CLI edge).

A large TSV or markdown file is cut at its forms (`jixiao.parts`) so that its parts are
read on several cores too; when a part turns out not to match what reading the whole
file gives there, the file is read whole, here.

`parse`, `check` and `import` give each file to a task that reads it (and reviews it)
and returns plain data: encoded JSON, printed lines, counts, never model objects, so that
what crosses between processes is cheap to send and what a command prints is the same
with one job or many (a test compares them byte for byte). With one job, or one file,
the task runs in this process, where a terminal also sees the pages of a long document.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

import click

from jixiao import parts
from jixiao.commands.common import PageProgress
from jixiao.commands.orphans import die_with_parent
from jixiao.read.progress import Progress

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Task(Protocol[T_co]):
    """Reads one file or one part of a file; `progress` (in this process only) is told of
    a long document's pages."""

    def __call__(self, unit: Path | parts.Part, progress: Progress | None = None) -> T_co: ...


class Fitted(Protocol):
    fits: bool  # False when a part's reading differs from the whole file's there


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def jobs_option() -> Callable[[Callable[..., object]], Callable[..., object]]:
    """`--jobs N`: how many processes read the files (default: the machine's cores)."""
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(1, 64),
        default=None,
        help="同时读取文件的进程数（默认：本机核数；1 为单进程）。",
    )


def tune_for_batch() -> None:
    """Fewer collections while reading: the readers make many small objects that die
    young, and the modules imported so far never need collecting."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


F = TypeVar("F", bound=Fitted)


def by_file(
    task: Task[F],
    files: Sequence[Path],
    jobs: int | None,
    combine: Callable[[parts.Plan, list[F]], F],
    max_bytes: int,
) -> Iterator[F]:
    """`task` of each file, in the files' order; a large file's parts read apart and
    `combine`d, or the file read whole when a part does not fit."""
    workers = jobs or default_jobs()
    plans = [(path, _plan(path, workers, max_bytes)) for path in files]
    units: list[Path | parts.Part] = []
    for path, plan in plans:
        units.extend(plan.parts if plan is not None else [path])
    results = in_order(task, units, jobs)
    for path, plan in plans:
        if plan is None:
            yield next(results)
            continue
        read = [next(results) for _ in plan.parts]
        yield combine(plan, read) if all(r.fits for r in read) else task(path)


def _plan(path: Path, workers: int, max_bytes: int) -> parts.Plan | None:
    if workers < 2:
        return None
    try:
        size = path.stat().st_size
        if not parts.MIN_BYTES <= size <= max_bytes:
            return None
        data = path.read_bytes()
    except OSError:
        return None  # read whole: the reader reports why it cannot be opened
    return parts.plan(data, str(path), workers * 4)


def in_order(task: Task[T], paths: Sequence[Path | parts.Part], jobs: int | None) -> Iterator[T]:
    """`task(unit)` for each file or part, in their order, on `jobs` processes."""
    workers = min(jobs or default_jobs(), len(paths))
    if workers <= 1:
        shown = PageProgress()
        for unit in paths:
            result = task(unit, shown.on(unit) if isinstance(unit, Path) else None)
            shown.clear()
            yield result
        return
    # Forked workers start with jixiao already imported; elsewhere they are spawned.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, min(16, len(paths) // (workers * 8)))
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=die_with_parent
    ) as pool:
        yield from pool.map(task, paths, chunksize=chunk)


@dataclass(frozen=True, slots=True)
class Ahead:
    """How far the workers may read ahead of the caller: the results not yet taken, in
    files and in bytes (the files' sizes on disk); one chunk of files whatever its size."""

    files: int
    bytes: int


def in_order_ahead(
    task: Task[T], paths: Sequence[Path], jobs: int | None, ahead: Ahead
) -> Iterator[T]:
    """`in_order` holding no more results than `ahead` allows: for results as large as the
    files they come from (the import's rows and bytes), taken by a caller that may be
    slower than the readers. Workers read on while the caller works on what it took."""
    workers = min(jobs or default_jobs(), len(paths))
    if workers <= 1:
        yield from in_order(task, paths, 1)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, min(16, len(paths) // (workers * 8)))
    pending: deque[tuple[Future[list[T]], int, int]] = deque()
    files = size = 0
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=die_with_parent
    ) as pool:
        try:
            for start in range(0, len(paths), chunk):
                part = list(paths[start : start + chunk])
                part_size = sum(_size(path) for path in part)
                while pending and (
                    files + len(part) > ahead.files or size + part_size > ahead.bytes
                ):
                    future, held_files, held_size = pending.popleft()
                    yield from future.result()
                    files, size = files - held_files, size - held_size
                pending.append((pool.submit(_each, task, part), len(part), part_size))
                files, size = files + len(part), size + part_size
            while pending:
                yield from pending.popleft()[0].result()
        finally:
            # The caller stopped early (an error, Ctrl-C): files not begun are not read.
            for future, _, _ in pending:
                future.cancel()


def _each(task: Task[T], paths: list[Path]) -> list[T]:
    """A chunk of files read in a worker (one hand-over per chunk, not per file)."""
    return [task(path) for path in paths]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the task reports why the file cannot be read
