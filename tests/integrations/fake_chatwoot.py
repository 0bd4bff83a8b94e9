"""Chatwoot's API as a test plays it: a loopback HTTP server that takes
``POST /api/v1/accounts/{account}/conversations/{id}/messages`` (records the note, its
``api_access_token`` header, and answers the message as Chatwoot does), lists a conversation's
messages on ``GET`` of the same path, and can be scripted to fail: ``500`` answers an error,
``"timeout"`` stores the note but answers only after the client gave up."""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PATH = re.compile(r"^/api/v1/accounts/(\d+)/conversations/(\d+)/messages$")


class FakeChatwoot:
    def __init__(self, script: list | None = None, *, slow_seconds: float = 3.0) -> None:
        self.notes: list[dict] = []  # every note stored: account, conversation, token, body
        self.attempts = 0
        self.script = list(script or [])
        self.slow_seconds = slow_seconds
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        ids = itertools.count(1000)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                match = PATH.match(self.path)
                if not match:
                    return self._answer(404, {"error": "not found"})
                with fake.lock:
                    listed = [n["message"] for n in fake.notes if n["conversation"] == match[2]]
                self._answer(200, {"meta": {}, "payload": listed})

            def do_POST(self) -> None:  # noqa: N802
                match = PATH.match(self.path)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if not match:
                    return self._answer(404, {"error": "not found"})
                with fake.lock:
                    fake.attempts += 1
                    step = fake.script.pop(0) if fake.script else 200
                if step == 500:
                    return self._answer(500, {"error": "internal server error"})
                message = {"id": next(ids), "content": body.get("content"), "message_type": 1,
                           "private": body.get("private"), "conversation_id": int(match[2]),
                           "created_at": int(time.time())}  # fmt: skip
                with fake.lock:
                    fake.notes.append({"account": match[1], "conversation": match[2], "body": body,
                                       "token": self.headers.get("api_access_token"), "message": message})  # fmt: skip
                    fake.arrived.notify_all()
                if step == "timeout":
                    time.sleep(fake.slow_seconds)  # stored, but the answer comes after the client's timeout
                with contextlib.suppress(OSError):
                    self._answer(200, message)

            def log_message(self, *args) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def wait_for(self, count: int, timeout: float = 60) -> list[dict]:
        """The notes once ``count`` have arrived (a limit for a hung test, not a speed check)."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.notes) >= count, timeout=timeout)
            return list(self.notes)

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


@contextlib.contextmanager
def fake_chatwoot(*args, **kwargs):
    fake = FakeChatwoot(*args, **kwargs)
    try:
        yield fake
    finally:
        fake.close()
