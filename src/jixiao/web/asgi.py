"""The app for ASGI servers started by import string (`uvicorn jixiao.web.asgi:app`).

Settings come from the environment (`JIXIAO_DATABASE_URL`, `JIXIAO_PROFILE` …); this is
how `jixiao serve --workers N` gives each worker process its own app.
"""

from __future__ import annotations

from jixiao.web.app import create_app

app = create_app()
