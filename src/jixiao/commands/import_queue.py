"""`jixiao import --queue`: the files handed to the upload jobs (the import step's edge,
through `jixiao.jobs`).

The files are kept in the database as uploads queued to be saved at once (no preview),
a batch of files each (a large file alone), and saved by whichever workers take them:
this command's own step processes (`--jobs`), `jixiao worker` processes on any machine
(on PostgreSQL they hear of each upload through procrastinate's queue), or a server's
worker. Each upload is saved whole or not at all, a file already stored is skipped by its
SHA-256, and an upload whose worker died is taken up again once its lease runs out: so
a file is stored exactly once however many workers, and however many runs of this, take
part. At most `WINDOW_BYTES` of the import wait in the database at a time. With
`--no-wait` the command only queues the files and says so.
"""

from __future__ import annotations

import math
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import click
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from jixiao.commands.common import stored_name
from jixiao.intake import refusal_of
from jixiao.jobs.steps import Steps, run_step
from jixiao.pipeline import MAX_INPUT_BYTES, ReadResult, read_file
from jixiao.store.engine import writing
from jixiao.store.pending import claimable, delete_pending, job_state, kept_results
from jixiao.web.schemas import SavedPublic
from jixiao.web.settings import Settings
from jixiao.web.staging import RUNNING_STATES, SAVE_BATCH_BYTES, SAVE_BATCH_FILES, wait

# What one import keeps in the database unsaved at most: the next batch is kept once the
# workers have saved enough of those before it.
WINDOW_BYTES = 256 * 1024 * 1024
# How long this command's thread waits for another worker's save before it looks again
# whether the step can be taken up (that worker died).
POLL_SECONDS = 1.0


@dataclass(slots=True)
class Tally:
    """What the uploads' saves say, summed for the summary line."""

    saved: int = 0
    skipped: int = 0
    refused: int = 0
    forms: int = 0
    findings: int = 0
    imports: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, outcome: SavedPublic) -> None:
        self.forms += outcome.forms
        self.findings += outcome.findings
        self.imports.append(outcome.import_id)
        for file in outcome.files:
            if file.status == "saved":
                self.saved += 1
            elif file.status == "skipped":
                self.skipped += 1
            else:
                self.refused += 1
                self.problems.append(file.message)

    def refuse(self, message: str, files: int = 1) -> None:
        self.refused += files
        self.problems.append(message)


@dataclass(frozen=True, slots=True)
class Queued:
    """An upload of the import: its token, its files, its bytes, and (when waiting) this
    command's thread that sees it saved."""

    token: str
    files: int
    size: int
    seen: Future[None] | None = None


def import_queued(
    engine: Engine,
    files: Sequence[Path],
    folders: Sequence[Path],
    profile: str,
    *,
    jobs: int,
    wait: bool,
) -> int:
    """Queue `files` as uploads to be saved, and (with `wait`) see them saved, up to
    `jobs` at once by this command; the exit status (1 when a file was refused)."""
    from jixiao.commands.step_processes import StepProcesses
    from jixiao.jobs import Jobs
    from jixiao.web.receiving import stage

    url = engine.url.render_as_string(hide_password=False)
    settings = Settings(database_url=url, profile=profile)
    tally = Tally()
    queued: deque[Queued] = deque()  # not yet taken into the tally, oldest first
    news = Jobs(engine, {}, in_process=False)  # on PostgreSQL, the queue's workers hear
    processes = StepProcesses(url, jobs) if wait else None
    pool = ThreadPoolExecutor(max_workers=jobs) if wait else None
    try:
        bar = click.progressbar(length=len(files), label="导入", file=sys.stderr, hidden=not wait)
        with bar:
            for batch in _batches(files, folders, tally, bar.update):
                while wait and sum(q.size for q in queued) + _size(batch) > WINDOW_BYTES:
                    _collect(engine, queued.popleft(), tally, bar.update)
                token = stage(engine, batch, profile, settings, then="save", origin="cli")
                news.defer(token, "save")
                seen = None
                if pool is not None and processes is not None:
                    seen = pool.submit(_see_saved, engine, token, processes.steps)
                queued.append(Queued(token, len(batch), _size(batch), seen))
            while wait and queued:
                _collect(engine, queued.popleft(), tally, bar.update)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if processes is not None:
            processes.close()
        news.close()
    for message in tally.problems:
        click.secho(message, err=True, fg="yellow")
    if not wait:
        click.echo(
            f"已排队：{sum(q.files for q in queued)} 个文件，分为 {len(queued)} 个上传任务，"
            "由 jixiao worker（或 jixiao serve 的后台任务）保存；"
            f"{tally.refused} 个文件无法读取"
        )
    else:
        batches = f"#{min(tally.imports)}–#{max(tally.imports)}" if tally.imports else "无"
        click.echo(
            f"导入完成：{tally.saved} 个文件存入 {tally.forms} 张表单、{tally.findings} 项问题；"
            f"{tally.skipped} 个文件已导入过；{tally.refused} 个文件无法导入（导入批次 {batches}）"
        )
    return 1 if tally.refused else 0


def _see_saved(engine: Engine, token: str, steps: Steps) -> None:
    """Save the upload here if it waits (or its worker died: its lease ran out), else
    wait for the worker that has it; return once it has ended."""
    while True:
        with Session(engine) as session:
            waiting = claimable(session, token=token)
        if waiting:  # a step is a new process: started only when there is one to do
            run_step(engine, token, "save", steps)
        if wait(engine, token, POLL_SECONDS) not in RUNNING_STATES:
            return


def _size(batch: Sequence[tuple[str, bytes]]) -> int:
    return sum(len(data) for _, data in batch)


def _batches(
    files: Sequence[Path], folders: Sequence[Path], tally: Tally, advance: Callable[[int], None]
) -> Iterator[list[tuple[str, bytes]]]:
    """The files read, as uploads' worth (`SAVE_BATCH_FILES`, `SAVE_BATCH_BYTES`, a large
    file alone) of (stored name, bytes); a file that cannot be read is refused here."""
    batch: list[tuple[str, bytes]] = []
    for path in files:
        name = stored_name(path, folders)
        data = read_file(path, MAX_INPUT_BYTES)
        if isinstance(data, ReadResult):
            tally.refuse(refusal_of(name, data.findings, forms=0) or name)
            advance(1)
            continue
        if batch and (
            len(batch) >= SAVE_BATCH_FILES or _size(batch) + len(data) > SAVE_BATCH_BYTES
        ):
            yield batch
            batch = []
        batch.append((name, data))
    if batch:
        yield batch


def _collect(engine: Engine, queued: Queued, tally: Tally, advance: Callable[[int], None]) -> None:
    """Once the upload has ended (seen by this command's thread, or waited for when it
    only waits), take its outcome into the tally and delete what is left of it."""
    if queued.seen is not None:
        queued.seen.result()
    wait(engine, queued.token, math.inf)
    with Session(engine) as session:
        state = job_state(session, queued.token)
        outcome = kept_results(session, queued.token)[1]
    if state is None:
        tally.refuse(f"上传任务 {queued.token} 已不在数据库中（已被放弃或清除）", queued.files)
    elif outcome is None:
        tally.refuse(f"保存失败：{state.failure or state.state}", queued.files)
    else:
        tally.add(SavedPublic.model_validate_json(outcome))
    with Session(writing(engine)) as session:
        delete_pending(session, queued.token)
        session.commit()
    advance(queued.files)
