"""A limit on request bodies, enforced before a route reads them (pure ASGI middleware)."""

from __future__ import annotations

import json

from heard.errors import TooLarge


def _too_large_error(limit: int) -> TooLarge:
    return TooLarge(f"the request body is over {limit:,} bytes; send less (one message at a time)")


def _too_large(limit: int) -> tuple[dict, bytes]:
    error = _too_large_error(limit)
    body = json.dumps({"code": error.code, "detail": error.detail}).encode()
    start = {
        "type": "http.response.start",
        "status": 413,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
    }
    return start, body


class BodyLimit:
    """Answer 413 when Content-Length, or the bytes actually sent, pass ``max_bytes``."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            return await self._refuse(send)
        seen = 0
        started = False

        async def counted_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:  # the app's TooLarge handler answers 413
                    raise _too_large_error(self.max_bytes)
            return message

        async def tracked_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send) -> None:
        start, body = _too_large(self.max_bytes)
        await send(start)
        await send({"type": "http.response.body", "body": body})
