"""A limit on request bodies, enforced before a route reads them (pure ASGI middleware)."""

from __future__ import annotations

import json

from heard.errors import TooLarge

API_PATHS = ("/v1/", "/openapi.json", "/docs", "/redoc")
# A plain link back: the CSP (server/headers.py) runs no javascript: URLs.
_PAGE = (
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>Too large · heard</title>'
    '<link rel="stylesheet" href="/static/console.css"><main class="narrow"><h1>That was too large</h1>'
    '<p role="alert">[{code}] The upload is over {limit} bytes (HEARD_MAX_BODY_BYTES). Send smaller '
    'files, or fewer at a time.</p><p><a href="/">Back to the console</a></p></main></html>'
)


async def read_bounded(request, limit: int, too_large: TooLarge) -> bytes:
    """A route's whole body, refused with ``too_large`` once past ``limit`` (by the declared
    length, or by the bytes as they arrive): for uploads, such as YAML, that cost far more to
    parse than their size says, under a tighter limit than ``BodyLimit``'s."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)


def _too_large_error(limit: int) -> TooLarge:
    return TooLarge(f"the request body is over {limit:,} bytes; send less (one message at a time)")


def _too_large(limit: int, path: str = "/v1/") -> tuple[dict, bytes]:
    error = _too_large_error(limit)
    body = json.dumps({"code": error.code, "detail": error.detail}).encode()
    kind = b"application/json"
    if not path.startswith(API_PATHS):  # the console: a page a person can read, with a way back
        body = _PAGE.format(code=error.code, limit=f"{limit:,}").encode()
        kind = b"text/html; charset=utf-8"
    start = {
        "type": "http.response.start",
        "status": 413,
        "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
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
            return await self._refuse(send, scope.get("path", ""))
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
                await self._refuse(send, scope.get("path", ""))

    async def _refuse(self, send, path: str) -> None:
        start, body = _too_large(self.max_bytes, path)
        await send(start)
        await send({"type": "http.response.body", "body": body})
