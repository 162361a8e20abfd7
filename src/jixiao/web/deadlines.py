"""Request time limits (web edge): a request body must keep arriving.

A client that opens a request and then sends its body a byte at a time (slowloris)
would hold one of the server's connections, and an upload being kept, for as long as it
likes. Each request's body must therefore arrive without a pause longer than
`Settings.body_idle_seconds`, and, after its first `GRACE_SECONDS`, at an average of at
least `Settings.min_body_rate` bytes a second; otherwise the request is answered 408
(`RequestTimeoutError`) and what arrived is dropped (nothing of it is kept).

What a request may ask of the database is bounded apart (`store.engine`'s
`query_timeout`, answered 503 `query_timeout`); work that takes long (reading and
saving uploads) runs in jobs, not in requests.
"""

from __future__ import annotations

import time

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jixiao.web.display import size_text
from jixiao.web.errors import RequestTimeoutError

GRACE_SECONDS = 60.0


class BodyDeadline:
    """ASGI middleware: the request body's pauses and average rate bounded."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        idle_seconds: float,
        min_rate: int,
        grace_seconds: float = GRACE_SECONDS,
    ) -> None:
        self.app = app
        self.idle_seconds = idle_seconds
        self.min_rate = min_rate
        self.grace_seconds = grace_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        received = 0

        async def bounded_receive() -> Message:
            nonlocal received
            with anyio.move_on_after(self.idle_seconds) as waiting:
                message = await receive()
            if waiting.cancelled_caught:
                raise RequestTimeoutError(
                    f"请求内容在 {self.idle_seconds:g} 秒内没有继续送达（已收到 "
                    f"{size_text(received)}），连接已超时；未保存任何内容，请重新上传。"
                )
            received += len(message.get("body", b""))
            elapsed = time.monotonic() - started
            if elapsed > self.grace_seconds and received < self.min_rate * elapsed:
                raise RequestTimeoutError(
                    f"请求内容送达过慢：{elapsed:.0f} 秒只收到 {size_text(received)}"
                    f"（至少需要每秒 {size_text(self.min_rate)}），连接已超时；"
                    "未保存任何内容，请检查网络后重新上传。"
                )
            return message

        await self.app(scope, bounded_receive, send)
