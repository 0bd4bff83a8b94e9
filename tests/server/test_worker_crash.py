"""Follow-up delivery under a crash and under a slow receiver, with real worker processes and
a real receiver on loopback: every follow-up is delivered, none twice by a live worker, and
every delivery is signed with the team's secret."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from heard.server.webhooks import verify
from heard.store import Database, repo
from heard.store.tables import FollowUpRow
from tests.server.conftest import HEARD


class SlowReceiver:
    """Records every post (who sent it, whether its signature holds) and answers after a delay."""

    def __init__(self, secret: str, delay: float) -> None:
        self.received: list[tuple[int, str, bool, str]] = []  # follow-up id, worker, signed, delivery key
        self.first_post = threading.Event()
        self.release = threading.Event()
        self.hold_first = False
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                signed = verify(secret, raw, self.headers["Heard-Timestamp"], self.headers["Heard-Signature"])
                fid = json.loads(raw)["follow_up"]["id"]
                with receiver.lock:
                    first = not receiver.received
                    receiver.received.append(
                        (fid, self.headers["Heard-Worker"], signed, self.headers["Heard-Delivery"])
                    )
                if first and receiver.hold_first:
                    receiver.first_post.set()
                    receiver.release.wait(timeout=60)  # the test kills the sender meanwhile
                time.sleep(delay)
                with contextlib.suppress(OSError):  # the sender may be dead
                    self.send_response(200)
                    self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/hooks/heard"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.http.shutdown()
        self.http.server_close()


def _team_with_follow_ups(database_url: str, n: int) -> tuple[Database, int, str, set[int]]:
    db = Database.connect(database_url)
    with db.write() as s:
        team = repo.create_team(session=s, name=f"crash-{time.monotonic_ns()}")
        conv = repo.create_conversation(session=s, team_id=team.id, customer_id=None, channel="chat",
                                        subject=None, state={})  # fmt: skip
        ids = {repo.schedule_follow_up(session=s, team_id=team.id, conversation_id=conv.id,
                                       due_at=datetime.now(UTC), message=f"check {i}").id for i in range(n)}  # fmt: skip
        secret = repo.webhook_secret(session=s, team_id=team.id)
    return db, team.id, secret, ids


def _point_at(db: Database, team_id: int, url: str) -> None:
    with db.write() as s:
        repo.get_team(session=s, team_id=team_id).webhook_url = url


def _worker(server, **env: str) -> subprocess.Popen:
    environ = os.environ | {"HEARD_DATABASE_URL": server.database_url, "HEARD_LOG_LEVEL": "warning",
                            "HEARD_WEBHOOK_ALLOW_HOSTS": "127.0.0.1", "HEARD_WORKER_POLL_SECONDS": "0.05", **env}  # fmt: skip
    return subprocess.Popen([HEARD, "worker", "--stop-after-idle", "6"], env=environ, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)  # fmt: skip


def _rows(db: Database, team_id: int) -> list[FollowUpRow]:
    with db.read() as s:
        return s.query(FollowUpRow).filter(FollowUpRow.team_id == team_id).all()


@pytest.mark.slow
def test_a_worker_killed_mid_delivery_leaves_nothing_undelivered_and_nothing_twice(server) -> None:
    n = 12
    db, team_id, secret, ids = _team_with_follow_ups(server.database_url, n)
    hook = SlowReceiver(secret, delay=0.05)
    hook.hold_first = True
    try:
        _point_at(db, team_id, hook.url)
        env = {"HEARD_WORKER_BATCH": "5", "HEARD_WORKER_LEASE_SECONDS": "2"}
        doomed = _worker(server, **env)
        assert hook.first_post.wait(timeout=120), doomed.communicate(timeout=5)[0]
        survivor = _worker(server, **env)
        doomed.send_signal(signal.SIGKILL)  # mid-delivery: its post is still waiting for an answer
        doomed.wait(timeout=30)
        hook.release.set()
        out, _ = survivor.communicate(timeout=180)  # a bound on the test, not a speed assertion
        assert survivor.returncode == 0, out
    finally:
        hook.close()
        db.dispose()
    dead = f"{doomed.pid}"
    by_live = Counter(fid for fid, worker, _, _ in hook.received if not worker.endswith(f":{dead}"))
    by_dead = [fid for fid, worker, _, _ in hook.received if worker.endswith(f":{dead}")]
    assert set(by_live) | set(by_dead) == ids  # every follow-up reached the receiver
    assert max(by_live.values()) == 1  # none twice from the live worker
    assert len(by_dead) == 1 and by_dead[0] in by_live  # the one in flight was sent again, once
    assert len(hook.received) == n + 1  # bounded: one repeat, for the crash
    assert all(signed for _, _, signed, _ in hook.received)
    assert {key for fid, _, _, key in hook.received if fid == by_dead[0]} == {f"follow-up-{by_dead[0]}"}
    rows = _rows(db, team_id)
    assert {r.status for r in rows} == {"delivered"}
    assert sorted(r.attempts for r in rows) == [1] * (n - 1) + [2]  # the crashed attempt counts


@pytest.mark.slow
def test_a_slow_receiver_never_gets_a_follow_up_twice_from_live_workers(server) -> None:
    """Each post takes longer than a lease: only the lease renewal keeps the other worker off."""
    n = 6
    db, team_id, secret, ids = _team_with_follow_ups(server.database_url, n)
    hook = SlowReceiver(secret, delay=2.5)
    try:
        _point_at(db, team_id, hook.url)
        env = {"HEARD_WORKER_BATCH": "3", "HEARD_WORKER_LEASE_SECONDS": "1.5"}
        workers = [_worker(server, **env) for _ in range(2)]
        outputs = [w.communicate(timeout=240)[0] for w in workers]
        assert [w.returncode for w in workers] == [0, 0], outputs
    finally:
        hook.close()
        db.dispose()
    assert sorted(fid for fid, *_ in hook.received) == sorted(ids)  # each once
    assert {r.attempts for r in _rows(db, team_id)} == {1}
