"""One step of an upload's job run to its end (jobs step): read or save, or a failure.

A step that raises is given back to be claimed again (`pending.release`); one that has
been claimed `MAX_ATTEMPTS` times fails, and the upload says why in Chinese. Readers
return findings rather than raise, so what raises here is the machine's (a database
gone, a disk full), not the file's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from jixiao.store.engine import writing
from jixiao.store.pending import MAX_ATTEMPTS, Step, attempts, fail, release

log = logging.getLogger(__name__)

# What each step does, given by whoever runs the jobs (the web application's staging,
# `jixiao.web.staging.job_steps`): (engine, token) → whether this call did the step.
Steps = Mapping[Step, Callable[[Engine, str], bool]]


def run_step(engine: Engine, token: str, step: Step, steps: Steps) -> bool:
    """Do `step` of the upload `token` if it waits; True when this call did it."""
    try:
        return steps[step](engine, token)
    except Exception as exc:
        log.exception("upload %s: step %s failed", token, step)
        with Session(writing(engine)) as session:
            if attempts(session, token) >= MAX_ATTEMPTS:
                what = "读取" if step == "read" else "保存"
                fail(session, token, f"{what}失败（已尝试 {MAX_ATTEMPTS} 次）：{exc}")
            else:
                release(session, token, step)
            session.commit()
        return False
