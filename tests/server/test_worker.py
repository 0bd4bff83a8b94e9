"""``heard worker`` delivers follow-ups to a real local webhook receiver, retries, and never
delivers one twice, even with two worker processes at once."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from heard.store import Database, repo
from heard.store.tables import FollowUpRow
from tests.server.conftest import HEARD


class Receiver:
    """A webhook receiver on loopback that records every delivery and answers as scripted."""

    def __init__(self, answers: list[int] | None = None, *, hold_until_workers: int = 0) -> None:
        self.deliveries: list[dict] = []
        self.answers = list(answers or [])
        self.workers: set[str] = set()
        self.all_workers_seen = threading.Event()
        self.hold_until_workers = hold_until_workers
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with receiver.lock:
                    receiver.workers.add(self.headers["Heard-Worker"])
                    if len(receiver.workers) >= receiver.hold_until_workers:
                        receiver.all_workers_seen.set()
                    status = receiver.answers.pop(0) if receiver.answers else 200
                    if status == 200:
                        receiver.deliveries.append({"headers": dict(self.headers), **body})
                if receiver.hold_until_workers:
                    # Keep each worker busy until both are delivering, so their claims overlap.
                    receiver.all_workers_seen.wait(timeout=60)
                self.send_response(status)
                if status != 200:  # what an internal service might answer: never to be echoed
                    page = b"<html>admin console: db password hunter2</html>"
                    self.send_header("Content-Length", str(len(page)))
                    self.end_headers()
                    self.wfile.write(page)
                    return
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/hooks/heard"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


@contextlib.contextmanager
def receiver(*args, **kwargs):
    r = Receiver(*args, **kwargs)
    try:
        yield r
    finally:
        r.close()


def _worker(server, *args: str, **env: str) -> subprocess.Popen:
    environ = os.environ | {"HEARD_DATABASE_URL": server.database_url, "HEARD_LOG_LEVEL": "warning",
                            "HEARD_WEBHOOK_ALLOW_HOSTS": "127.0.0.1", **env}  # fmt: skip
    return subprocess.Popen([HEARD, "worker", *args], env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)  # fmt: skip


def _run_worker(server, *args: str, **env: str) -> str:
    proc = _worker(server, *args, **env)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, out
    return out


def test_a_resolved_conversation_is_followed_up_through_the_webhook(server) -> None:
    key = server.new_team(f"hooks-{time.monotonic_ns()}")
    with receiver([503]) as hook, server.client(key) as c:
        c.patch("/v1/team", json={"webhook_url": hook.url})
        cid = c.post("/v1/conversations", json={"customer": "c-hook"}).json()["id"]
        c.post(
            f"/v1/conversations/{cid}/messages", json={"role": "customer", "text": "My parcel never came!"}
        )
        fid = c.post(f"/v1/conversations/{cid}/resolve",
                     json={"fixed": "sent a new parcel", "follow_up_in_hours": 0}).json()["follow_up"]["id"]  # fmt: skip
        # First attempt: the receiver answers 503, so it is retried after the backoff.
        assert "retry=1" in _run_worker(server, "--once", HEARD_WEBHOOK_BACKOFF_SECONDS="0.01")
        first = c.get(f"/v1/follow-ups/{fid}").json()
        assert (first["status"], first["attempts"], first["last_error"]) == (
            "scheduled", 1, "the webhook answered 503 (Service Unavailable)")  # fmt: skip
        assert "hunter2" not in json.dumps(first)  # the remote's answer is never echoed
        time.sleep(0.05)  # let the 10 ms backoff pass
        assert "delivered=1" in _run_worker(server, "--once")
        assert c.get(f"/v1/follow-ups/{fid}").json()["status"] == "delivered"
        [delivery] = hook.deliveries
        assert delivery["event"] == "follow_up.due" and delivery["follow_up"]["id"] == fid
        assert delivery["follow_up"]["customer"] == "c-hook"
        assert "sent a new parcel" in delivery["follow_up"]["message"]
        assert delivery["headers"]["Heard-Delivery"] == f"follow-up-{fid}"
        assert "delivered=0" in _run_worker(server, "--once")  # nothing is sent again
        done = c.post(
            f"/v1/follow-ups/{fid}/complete", json={"outcome": "resolved", "satisfaction": 4}
        ).json()
        assert (done["status"], done["satisfaction"]) == ("completed", 4)


def test_a_follow_up_fails_after_the_last_attempt(server) -> None:
    key = server.new_team(f"failing-{time.monotonic_ns()}")
    with receiver([500, 500]) as hook, server.client(key) as c:
        c.patch("/v1/team", json={"webhook_url": hook.url})
        cid = c.post("/v1/conversations", json={}).json()["id"]
        fid = c.post(f"/v1/conversations/{cid}/resolve", json={"follow_up_in_hours": 0}).json()["follow_up"][
            "id"
        ]
        env = {"HEARD_WEBHOOK_MAX_ATTEMPTS": "2", "HEARD_WEBHOOK_BACKOFF_SECONDS": "0.01"}
        _run_worker(server, "--once", **env)
        time.sleep(0.05)
        assert "failed=1" in _run_worker(server, "--once", **env)
        assert c.get(f"/v1/follow-ups/{fid}").json()["status"] == "failed" and hook.deliveries == []


@pytest.mark.slow
def test_two_workers_never_deliver_the_same_follow_up_twice(server) -> None:
    n = 24
    with receiver(hold_until_workers=2) as hook:
        db = Database.connect(server.database_url)
        with db.write() as s:
            team = repo.create_team(session=s, name=f"busy-{time.monotonic_ns()}", webhook_url=hook.url)
            conv = repo.create_conversation(session=s, team_id=team.id, customer_id=None, channel="chat",
                                            subject=None, state={})  # fmt: skip
            from datetime import UTC, datetime

            ids = {repo.schedule_follow_up(session=s, team_id=team.id, conversation_id=conv.id,
                                           due_at=datetime.now(UTC), message=f"check {i}").id for i in range(n)}  # fmt: skip
        env = {"HEARD_WORKER_BATCH": "2", "HEARD_WORKER_POLL_SECONDS": "0.05"}
        workers = [_worker(server, "--stop-after-idle", "1", **env) for _ in range(2)]
        outputs = [w.communicate(timeout=180)[0] for w in workers]
        assert [w.returncode for w in workers] == [0, 0], outputs
        delivered = [d["follow_up"]["id"] for d in hook.deliveries]
        assert sorted(delivered) == sorted(ids)  # every one delivered, none twice
        assert len(hook.workers) == 2  # and both workers took part
        with db.read() as s:
            rows = s.query(FollowUpRow).filter(FollowUpRow.team_id == team.id).all()
            assert {r.status for r in rows} == {"delivered"} and {r.attempts for r in rows} == {1}
            assert len({r.claimed_by for r in rows}) == 2
        db.dispose()
