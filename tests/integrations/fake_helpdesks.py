"""Zendesk's, Zammad's and Freshdesk's APIs as the tests play them: one loopback HTTP server
that takes each helpdesk's note call as its documentation shows it, records it (path, auth
header, body), answers as the helpdesk does, lists the notes back for the worker's lookup, and
fails on demand: ``500`` answers an error and stores nothing; ``"timeout"`` stores the note but
answers only after heard's client gave up (a lost answer)."""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# method, path pattern -> (helpdesk, what): the calls heard makes, as each API documents them
ROUTES = [
    ("PUT", re.compile(r"^/api/v2/tickets/(\d+)\.json$"), "zendesk", "note"),
    ("GET", re.compile(r"^/api/v2/tickets/(\d+)/comments\.json$"), "zendesk", "list"),
    ("POST", re.compile(r"^/api/v1/ticket_articles$"), "zammad", "note"),
    ("GET", re.compile(r"^/api/v1/ticket_articles/by_ticket/(\d+)$"), "zammad", "list"),
    ("POST", re.compile(r"^/api/v2/tickets/(\d+)/notes$"), "freshdesk", "note"),
    ("GET", re.compile(r"^/api/v2/tickets/(\d+)/conversations$"), "freshdesk", "list"),
]


def _stored(helpdesk: str, ticket: str, body: dict, note_id: int) -> dict:
    """The note as the helpdesk would list it back."""
    if helpdesk == "zendesk":
        comment = body["ticket"]["comment"]
        return {"id": note_id, "type": "Comment", "body": comment["body"], "public": comment["public"]}
    if helpdesk == "zammad":
        return {"id": note_id, "ticket_id": int(ticket), "body": body["body"], "internal": body["internal"],
                "type": body["type"], "sender": "Agent"}  # fmt: skip
    text = re.sub(r"<br>", "\n", body["body"])
    return {
        "id": note_id,
        "body": body["body"],
        "body_text": text,
        "private": body["private"],
        "incoming": False,
    }


def _answer_of(helpdesk: str, ticket: str, stored: dict) -> dict:
    if helpdesk == "zendesk":
        return {"ticket": {"id": int(ticket), "status": "open"}, "audit": {"events": [stored]}}
    return stored


class FakeHelpdesks:
    def __init__(self, script: list | None = None, *, slow_seconds: float = 3.0) -> None:
        self.notes: list[dict] = []  # helpdesk, ticket, auth, body (as sent)
        self.listed: dict[tuple[str, str], list[dict]] = {}
        self.attempts = 0
        self.lookups = 0
        self.script = list(script or [])
        self.slow_seconds = slow_seconds
        self.lock = threading.Lock()
        ids = itertools.count(5000)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status: int, body) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def _route(self):
                for method, pattern, helpdesk, what in ROUTES:
                    match = pattern.match(self.path)
                    if method == self.command and match:
                        return helpdesk, what, match.group(1) if match.groups() else None
                return None, None, None

            def do_GET(self) -> None:  # noqa: N802
                helpdesk, what, ticket = self._route()
                if what != "list":
                    return self._send(404, {"error": "RecordNotFound"})
                with fake.lock:
                    fake.lookups += 1
                    listed = list(fake.listed.get((helpdesk, ticket), []))
                self._send(200, {"comments": listed} if helpdesk == "zendesk" else listed)

            def _note(self) -> None:
                helpdesk, what, ticket = self._route()
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                if what != "note":
                    return self._send(404, {"error": "RecordNotFound"})
                ticket = ticket or str(body.get("ticket_id"))
                with fake.lock:
                    fake.attempts += 1
                    step = fake.script.pop(0) if fake.script else 200
                if step == 500:
                    return self._send(500, {"error": "internal server error"})
                stored = _stored(helpdesk, ticket, body, next(ids))
                with fake.lock:
                    fake.notes.append({"helpdesk": helpdesk, "ticket": ticket, "body": body,
                                       "auth": self.headers.get("Authorization"),
                                       "content_type": self.headers.get("Content-Type")})  # fmt: skip
                    fake.listed.setdefault((helpdesk, ticket), []).append(stored)
                if step == "timeout":
                    time.sleep(fake.slow_seconds)  # heard's client gives up first: the answer is lost
                self._send(200 if helpdesk == "zendesk" else 201, _answer_of(helpdesk, ticket, stored))

            do_POST = _note  # noqa: N815
            do_PUT = _note  # noqa: N815

            def log_message(self, *args) -> None:  # keep the test output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeHelpdesks:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
