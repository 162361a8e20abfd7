"""The worker inside a process (jobs step): threads that do the steps waiting in the
database, on SQLite and PostgreSQL alike.

It wakes when this process defers a step (`wake`), and otherwise looks every `poll`
seconds while it has work; it stops after `idle` seconds with nothing to do, so that an
idle server holds no thread and no connection for it, and starts again at the next
`wake`. What waits is found by `store.pending.claimable`, which includes steps whose
worker died (their lease ran out), so a step cut short is taken up again.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from jixiao.jobs.steps import Steps, run_step
from jixiao.store.pending import claimable

log = logging.getLogger(__name__)


class LocalWorker:
    def __init__(
        self,
        engine: Engine,
        steps: Steps,
        *,
        threads: int = 1,
        poll: float = 1.0,
        idle: float | None = 10.0,
    ) -> None:
        self.engine = engine
        self.steps = steps
        self.threads = threads
        self.poll = poll
        self.idle = idle  # None: never stop (a `jixiao worker` process)
        self._lock = threading.Lock()
        self._running: list[threading.Thread] = []
        self._wake = threading.Event()
        self._stop = threading.Event()

    def wake(self) -> None:
        """Something waits: start the threads if they have stopped, or wake them."""
        with self._lock:
            self._wake.set()
            self._running = [t for t in self._running if t.is_alive()]
            while len(self._running) < self.threads and not self._stop.is_set():
                thread = threading.Thread(target=self._loop, name="jixiao-jobs", daemon=True)
                thread.start()
                self._running.append(thread)

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        for thread in self._running:
            thread.join(timeout)

    def run_forever(self) -> None:
        """Do the steps as they come, in this thread too, until `stop`."""
        self.wake()
        while not self._stop.is_set():
            self._stop.wait(1.0)

    def _loop(self) -> None:
        last_work = time.monotonic()
        while not self._stop.is_set():
            self._wake.clear()
            try:
                did = self._work_once()
            except Exception:  # the database away: try again after a while
                log.exception("jobs: looking for work failed")
                did = False
            if did:
                last_work = time.monotonic()
                continue
            if self.idle is not None and time.monotonic() - last_work > self.idle:
                with self._lock:
                    # A `wake` between the last look and now must not be missed.
                    if not self._wake.is_set():
                        self._running.remove(threading.current_thread())
                        return
                continue
            self._wake.wait(self.poll)

    def _work_once(self) -> bool:
        with Session(self.engine) as session:
            waiting = claimable(session, limit=10)
        did = False
        for token, step in waiting:
            if self._stop.is_set():
                break
            did = run_step(self.engine, token, step, self.steps) or did
        return did
