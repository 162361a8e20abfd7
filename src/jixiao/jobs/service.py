"""What the web application defers steps to (jobs step), by database.

With `in_process`, a worker runs in this process (`local.LocalWorker`, threads): what a
library user or a test gets. `jixiao serve` runs its jobs in a `jixiao worker` process
of its own instead, so that reading a large upload never holds the server's pages up
(the threads of one process take turns at the GIL). On PostgreSQL every step is also
deferred as a procrastinate job (`queue`), which the `jixiao worker` processes hear of
at once; on SQLite they look for waiting steps a few times a second. Whichever claims
a step first does it.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from jixiao.jobs.local import LocalWorker
from jixiao.jobs.steps import Steps
from jixiao.store.pending import Step, claimable

if TYPE_CHECKING:
    from jixiao.jobs.queue import QueueDeferrer


class Jobs:
    def __init__(self, engine: Engine, steps: Steps, *, in_process: bool = True) -> None:
        postgresql = engine.dialect.name == "postgresql"
        self.local = LocalWorker(engine, steps) if in_process else None
        self._engine = engine
        self._queue: QueueDeferrer | None = None
        self._postgresql = postgresql
        self._lock = threading.Lock()

    def defer(self, token: str, step: Step) -> None:
        if self._postgresql:
            self._deferrer().defer(token, step)
        if self.local is not None:
            self.local.wake()

    def wake(self) -> None:
        """Look for steps waiting (one deferred elsewhere, or one whose worker died)."""
        if self.local is not None:
            self.local.wake()

    def recover(self) -> None:
        """Take up the steps that wait or were cut short (at the server's start)."""
        if self.local is None:
            return
        with Session(self._engine) as session:
            if claimable(session, limit=1):
                self.local.wake()

    def close(self) -> None:
        if self.local is not None:
            self.local.stop()
        if self._queue is not None:
            self._queue.close()
            self._queue = None

    def _deferrer(self) -> QueueDeferrer:
        from jixiao.jobs.queue import QueueDeferrer

        with self._lock:
            if self._queue is None:
                self._queue = QueueDeferrer(self._engine)
            return self._queue
