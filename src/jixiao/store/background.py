"""Writing behind the reading (storage step): the database stores one batch while the
caller reads the next.

`BackgroundWriter` hands batches of prepared documents to an `Importer` on a thread of
its own, in the order given. The drivers let go of the interpreter while the database
works (SQLite inserting and maintaining its indexes, PostgreSQL's server taking a COPY),
so that reading — in this process with one job, in worker processes with more — goes on
meanwhile. Memory stays bounded: `submit` waits while a batch is already waiting, so at
most two batches are held here, the one being written and the next.

Each batch is still its importer transaction, stored whole or not at all. An error the
importer does not turn into an outcome (a bug, a lost connection) is raised to the
caller by the next `submit` or by `finish`, and no batch is written after it.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Sequence
from types import TracebackType

from jixiao.store.importer import Importer, ImportSummary
from jixiao.store.prepared import PreparedDocument

_STOP = None


class BackgroundWriter:
    """`importer.add_prepared` of each submitted batch, on a thread; then `finish`."""

    def __init__(self, importer: Importer) -> None:
        self.importer = importer
        self._batches: queue.Queue[Sequence[PreparedDocument] | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        # Started with the first batch: by then the caller's worker processes have been
        # forked, and forking a process that runs threads is best avoided.
        self._thread = threading.Thread(target=self._write, name="jixiao-import-writer")

    def __enter__(self) -> BackgroundWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        # Leaving early (an error, Ctrl-C): the batch being written ends as its
        # transaction ends; the one waiting is not begun.
        self._stop(discard=error is not None)
        self.importer.close()

    def submit(self, batch: Sequence[PreparedDocument]) -> None:
        """Queue `batch` for writing (waits while another batch is waiting)."""
        self._raise()
        if not batch:
            return
        if self._thread.ident is None:  # not started yet
            self._thread.start()
        self._batches.put(batch)

    def finish(self) -> ImportSummary:
        """Write what is queued, then record the run (`Importer.finish`)."""
        self._stop(discard=False)
        self._raise()
        return self.importer.finish()

    def _write(self) -> None:
        while (batch := self._batches.get()) is not _STOP:
            if self._error is not None:
                continue  # nothing after a failure; keep taking so that `submit` never hangs
            try:
                self.importer.add_prepared(batch)
            except BaseException as exc:  # handed to the caller's thread, raised there
                self._error = exc

    def _stop(self, *, discard: bool) -> None:
        if not self._thread.is_alive():
            return
        if discard:
            with contextlib.suppress(queue.Empty):
                self._batches.get_nowait()
        self._batches.put(_STOP)
        self._thread.join()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error
