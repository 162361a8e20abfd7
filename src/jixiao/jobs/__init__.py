"""Background jobs (an edge): reading and saving uploads off the request.

A request keeps an upload's files and asks for a step (`Jobs.defer`); a worker does it
(`jixiao.web.staging.read_step` and `save_step`) and the upload's row says how far it
is. Whoever does a step first claims it in the database (`store.pending.claim`), so any
number of workers, in the server or in `jixiao worker` processes on any machine, can
share the work and none does a step twice; a worker that dies lets its lease run out and
the step is done again by another.

- `steps`: one step run, with its failures handled (retried, then failed with a reason);
- `local`: the worker inside a process (threads that claim what waits in the database),
  on every database;
- `queue`: on PostgreSQL, procrastinate's queue, kept in the database itself, through
  which `jixiao worker` processes hear of a step at once;
- `Jobs`: what the web application defers steps to.
"""

from __future__ import annotations

from jixiao.jobs.service import Jobs

__all__ = ["Jobs"]
