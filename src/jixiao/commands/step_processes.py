"""Each step of an upload's job in a process of its own (the `jixiao worker` edge).

A worker lives as long as the server. Reading a 60 MB file leaves it larger than it
was: the label caches fill, and Python keeps the memory its small objects were in while
any of them lives. Run in the worker itself, every large upload would raise what the
worker holds for good. So `jixiao worker` runs each step in a new process, forked from
a process that has jixiao already imported (multiprocessing's forkserver), which ends
with the step and gives back all it took; the worker itself stays at its start size.

A step's process that dies (killed, out of memory) fails its step like an exception
would: `jobs.steps.run_step`, in the worker, gives the step back to be tried again, or
fails it after `MAX_ATTEMPTS`. A step's process ends at once with the worker
(`orphans.end_with`): killed, the worker leaves no step going on behind its back.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial

from sqlalchemy import Engine

from jixiao.commands.orphans import end_with
from jixiao.jobs.steps import Steps
from jixiao.store.pending import Step

# Imported once by the fork server, so that a step's process starts at once.
_PRELOAD = ["jixiao.web.staging", "jixiao.store.engine"]


def _child_started(worker: int) -> None:
    # Its parent is the fork server, which lives while any step runs: it watches the
    # worker instead, and ends at once with it, its step undone.
    end_with(worker)
    # Ctrl+C reaches the whole terminal's process group: the worker stops after the
    # step running, so the step's own process lets it finish.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_in_child(url: str, step: Step, token: str) -> bool:
    """The step, in its own process, on its own connections."""
    from sqlalchemy.engine import make_url

    from jixiao.store.engine import make_engine
    from jixiao.web.settings import Settings
    from jixiao.web.staging import job_steps

    # No statement cache on SQLite: a cached statement keeps a copy of what it was last
    # bound to, and a large file's many bulk inserts would keep a copy of much of it.
    sqlite = make_url(url).get_backend_name() == "sqlite"
    engine = make_engine(url, connect_args={"cached_statements": 0} if sqlite else {})
    try:
        return job_steps(Settings(database_url=url))[step](engine, token)
    finally:
        engine.dispose()


class StepProcesses:
    """Up to `concurrency` steps at once, each in a new process (see the module)."""

    def __init__(self, url: str, concurrency: int) -> None:
        self.url = url
        self.concurrency = concurrency
        self._lock = threading.Lock()
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        self._context = context
        self._pool = self._new_pool()
        # The fork server starts (and imports jixiao) now, not at the first upload.
        self._pool.submit(int).result()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.concurrency,
            mp_context=self._context,
            max_tasks_per_child=1,
            initializer=_child_started,
            initargs=(os.getpid(),),
        )

    @property
    def steps(self) -> Steps:
        return {"read": partial(self._run, "read"), "save": partial(self._run, "save")}

    def _run(self, step: Step, _engine: Engine, token: str) -> bool:
        with self._lock:
            pool = self._pool
        try:
            return pool.submit(_run_in_child, self.url, step, token).result()
        except BrokenProcessPool as broken:
            # A step's process died: the pool takes no more work, a new one will.
            with self._lock:
                if self._pool is pool:
                    self._pool = self._new_pool()
            pool.shutdown(wait=False, cancel_futures=True)
            raise RuntimeError("处理任务的进程意外退出") from broken

    def close(self) -> None:
        with self._lock:
            self._pool.shutdown(wait=True, cancel_futures=True)
