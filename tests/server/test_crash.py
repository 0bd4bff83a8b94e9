"""Ingestion survives kill -9: messages sent with external ids, some delivered twice, the server
killed mid-stream and started again on the same database, every message delivered until it is
acknowledged. Afterwards each is stored exactly once (SQLite and PostgreSQL)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import postgres_schema
from tests.server.conftest import HEARD, free_port

MESSAGES = 80
CONVERSATIONS = 4
SAYINGS = [
    "My parcel has not arrived and the tracking page has not moved in days.",
    "I was charged twice and nobody answers my emails.",
    "The replacement you sent is broken too, I want my money back.",
    "Thanks, that helps, but when will it actually be here?",
]


def _start(database_url: str, data_dir: Path, port: int) -> subprocess.Popen:
    environ = os.environ | {
        "HEARD_DATABASE_URL": database_url, "HEARD_DATA_DIR": str(data_dir), "HEARD_PORT": str(port),
        "HEARD_HOST": "127.0.0.1", "HEARD_LOG_LEVEL": "warning",
    }  # fmt: skip
    with (data_dir / "server.log").open("a") as out:
        proc = subprocess.Popen([HEARD, "serve"], env=environ, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120  # a start-up limit, not an assertion about speed
    while time.monotonic() < deadline:
        assert proc.poll() is None, (data_dir / "server.log").read_text()
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"http://127.0.0.1:{port}/v1/ready", timeout=2).status_code == 200:
                return proc
        time.sleep(0.2)
    raise RuntimeError("heard serve did not get ready")


class Sender:
    """Delivers each message until the server acknowledges it (at least once), a few twice."""

    def __init__(self, url: str, key: str, conversations: list[int]) -> None:
        self.url, self.key, self.conversations = url, key, conversations
        self.acknowledged: set[int] = set()
        self.errors = 0
        self.lock = threading.Lock()

    def deliver(self, i: int) -> bool:
        cid = self.conversations[i % len(self.conversations)]
        body = {
            "role": "customer",
            "text": f"{SAYINGS[i % len(SAYINGS)]} (note {i})",
            "external_id": f"m-{i}",
        }
        try:
            with httpx.Client(
                base_url=self.url, headers={"Authorization": f"Bearer {self.key}"}, timeout=30
            ) as c:
                r = c.post(f"/v1/conversations/{cid}/messages", json=body)
        except httpx.HTTPError:
            with self.lock:
                self.errors += 1
            return False
        assert r.status_code in (200, 201), r.text
        with self.lock:
            self.acknowledged.add(i)
        return True

    def run(self, numbers: range) -> None:
        for i in numbers:
            while not self.deliver(i):
                time.sleep(0.2)  # the server is down: try again, as a helpdesk queue would
            if i % 5 == 0:
                self.deliver(i)  # a redelivery of one already acknowledged


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_kill_9_mid_stream_loses_and_duplicates_nothing(kind, tmp_path) -> None:
    with contextlib.ExitStack() as stack:
        url = (
            f"sqlite:///{tmp_path / 'heard.db'}"
            if kind == "sqlite"
            else stack.enter_context(postgres_schema())
        )
        port = free_port()
        proc = _start(url, tmp_path, port)
        stack.callback(lambda: proc.poll() is None and (proc.kill(), proc.wait()))
        key = (tmp_path / "demo-api-key").read_text().strip()
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=30) as c:
            conversations = [c.post("/v1/conversations", json={}).json()["id"] for _ in range(CONVERSATIONS)]
        sender = Sender(base, key, conversations)
        half = MESSAGES // 2
        threads = [
            threading.Thread(target=sender.run, args=(r,)) for r in (range(half), range(half, MESSAGES))
        ]
        for t in threads:
            t.start()
        while len(sender.acknowledged) < MESSAGES // 3:
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)  # mid-stream: requests in flight die with it
        proc.wait()
        time.sleep(1.0)
        proc = _start(url, tmp_path, port)
        for t in threads:
            t.join(timeout=600)
        assert sender.errors > 0  # the kill did interrupt deliveries
        for i in range(0, MESSAGES, 7):  # and a helpdesk redelivers some again after the restart
            assert sender.deliver(i)
        stored: list[str] = []
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60) as c:
            for cid in conversations:
                stored += [m["external_id"] for m in c.get(f"/v1/conversations/{cid}").json()["timeline"]]
        assert len(stored) == len(set(stored)), "a message was stored twice"
        assert set(stored) == {f"m-{i}" for i in range(MESSAGES)}, "a message was lost"
