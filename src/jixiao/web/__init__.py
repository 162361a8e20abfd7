"""Presenting stored forms: the web application (the last step, after store).

A FastAPI app (`app.create_app`) with server-rendered Chinese pages and a JSON API under
`/api`, documented at `/docs`. Routers live one per resource in `routers/`; their shared
dependencies in `deps.py`; settings in `settings.py`; API errors in `errors.py`.
"""
