"""Helper processes that end with the command that started them (the CLI edge).

A command killed outright (SIGKILL, the OOM killer) cannot tell its helpers to stop: the
worker processes of `--jobs`, the `jixiao worker` a server runs. Each asks the kernel to
send it SIGTERM when its parent dies (Linux's PR_SET_PDEATHSIG), and looks once whether
that has already happened. Elsewhere nothing is done: helpers end when their pipe does.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

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
