"""Helper processes that end with the command that started them (the CLI edge).

A command killed outright (SIGKILL, the OOM killer) cannot tell its helpers to stop: the
worker processes of `--jobs`, the `jixiao worker` a server runs. Each asks the kernel to
send it SIGTERM when its parent dies (Linux's PR_SET_PDEATHSIG), and looks once whether
that has already happened. Elsewhere nothing is done: helpers end when their pipe does.
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """End this process (SIGTERM) when the process that started it dies."""
    if not sys.platform.startswith("linux"):
        return
    expected = os.getppid() if parent is None else parent
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != expected:  # it died before the request was made
        os.kill(os.getpid(), signal.SIGTERM)


def end_with(pid: int) -> None:
    """End this process at once (as if killed: nothing is cleaned up, so an open
    transaction is undone by the database) when the process `pid` ends, whether or not
    it is this one's parent. A job step's process is the child of multiprocessing's fork
    server, which outlives the worker while the step runs: it watches the worker itself,
    by a pidfd (Linux), or by looking twice a second elsewhere."""

    def watch() -> None:
        try:
            handle = os.pidfd_open(pid)
        except ProcessLookupError:
            os._exit(1)  # gone already
        except (AttributeError, OSError):
            while _exists(pid):
                time.sleep(0.5)
            os._exit(1)
        select.select([handle], [], [])
        os._exit(1)

    threading.Thread(target=watch, name="jixiao-end-with", daemon=True).start()


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
