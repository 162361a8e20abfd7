"""Files read on several cores, the results in document order (the CLI edge).

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
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Protocol, TypeVar

import click

from jixiao.commands.common import PageProgress
from jixiao.read.progress import Progress

T = TypeVar("T", covariant=True)


class Task(Protocol[T]):
    """Reads one file; `progress` (in this process only) is told of its pages."""

    def __call__(self, path: Path, progress: Progress | None = None) -> T: ...


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


def in_order(task: Task[T], paths: Sequence[Path], jobs: int | None) -> Iterator[T]:
    """`task(path)` for each path, in the paths' order, on `jobs` processes."""
    workers = min(jobs or default_jobs(), len(paths))
    if workers <= 1:
        shown = PageProgress()
        for path in paths:
            result = task(path, shown.on(path))
            shown.clear()
            yield result
        return
    # Forked workers start with jixiao already imported; elsewhere they are spawned.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, min(16, len(paths) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(task, paths, chunksize=chunk)
