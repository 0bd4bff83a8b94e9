"""The last resort: an unexpected failure answers 500 and closes the connection, and the log
gets the traceback without the exception's message.

Database errors put the failing row into their message (PostgreSQL's ``DETAIL: Failing row
contains (...)``), and that row is a customer's message: so only the exception types and the
stack (file, line, code) are logged, never ``str(exception)``.
"""

from __future__ import annotations

import json
import logging
import traceback

log = logging.getLogger("heard.server")
BODY = json.dumps({"code": "H500", "detail": "internal error; the server log has the details"}).encode()


def safe_traceback(error: BaseException) -> str:
    """The chain of exception types with their stacks, and no messages."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        stack = "".join(traceback.format_tb(current.__traceback__))
        parts.append(f"{kind.__module__}.{kind.__qualname__} (message withheld)\n{stack}")
        current = current.__cause__ or current.__context__
    return "\nraised while handling:\n".join(parts)


class Unexpected:
    """Outermost middleware: nothing escapes to the server's own error log (which prints messages)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def tracked(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as e:  # noqa: BLE001 - the last resort, by design
            log.error("unexpected %s on %s %s\n%s", type(e).__name__, scope.get("method"), scope.get("path"),
                      safe_traceback(e))  # fmt: skip
            if started:  # half an answer is out: the server closes the connection after this
                return
            await send(
                {
                    "type": "http.response.start",
                    "status": 500,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(BODY)).encode()),
                        (b"connection", b"close"),  # the client starts afresh, whatever was unread
                    ],
                }
            )
            await send({"type": "http.response.body", "body": BODY})
