"""Security headers on every response (web edge).

A page of jixiao shows what budget units wrote; none of it may run as script, nor may
another site frame a page to trick a reviewer into a click. Every response says so:

- `Content-Security-Policy`: scripts, styles, images and fonts from jixiao itself only,
  no inline script at all, no plugin, no `<base>`, forms posted back to jixiao only, and
  no framing (`frame-ancestors 'none'`). The printable form (`/forms/{id}.html`), a
  standalone document that is also a downloaded file, sizes its cells with style
  attributes: its response allows inline styles (`PRINTABLE_CSP`), never inline script.
- `X-Content-Type-Options: nosniff`: a stored file served back is what its type says,
  never sniffed into a page (an uploaded "text" that holds HTML).
- `X-Frame-Options: DENY` for browsers older than `frame-ancestors`;
  `Referrer-Policy: same-origin`, so that a form's address and search terms do not leave
  with a link; `Cross-Origin-Opener-Policy: same-origin`.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _policy(styles: str) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            f"style-src {styles}",
            "img-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


CONTENT_SECURITY_POLICY = _policy("'self'")
PRINTABLE_CSP = _policy("'self' 'unsafe-inline'")
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


class SecurityHeaders:
    """ASGI middleware adding `HEADERS` to every HTTP response; a route that set its own
    `Content-Security-Policy` (the printable form) keeps it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                own = {name.lower() for name, _ in headers}
                message["headers"] = [*headers, *((k, v) for k, v in HEADERS if k not in own)]
            await send(message)

        await self.app(scope, receive, send_with_headers)
