"""A real server: ``heard serve`` in a subprocess on a free loopback port, on SQLite or PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import postgres_schema

HEARD = str(Path(sys.executable).parent / "heard")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    key: str
    database_url: str
    log: Path

    def client(self, key: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key or self.key}"}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)

    def new_team(self, name: str) -> str:
        """Another team on the same database; returns its admin key."""
        from heard.server.bootstrap import create_team_with_admin
        from heard.store import Database

        db = Database.connect(self.database_url)
        try:
            return create_team_with_admin(db, name)
        finally:
            db.dispose()


@contextlib.contextmanager
def run_server(database_url: str, data_dir: Path, **env: str):
    port = free_port()
    log = data_dir / "server.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    environ = os.environ | {
        "HEARD_DATABASE_URL": database_url, "HEARD_DATA_DIR": str(data_dir), "HEARD_PORT": str(port),
        "HEARD_HOST": "127.0.0.1", "HEARD_LOG_LEVEL": "warning",
        "HEARD_WEBHOOK_ALLOW_HOSTS": "127.0.0.1",  # the tests' webhook receivers listen on loopback
        **env,
    }  # fmt: skip
    with log.open("w") as out:
        proc = subprocess.Popen([HEARD, "serve"], env=environ, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # start-up limit, not an assertion about speed
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"heard serve exited with {proc.returncode}:\n{log.read_text()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/v1/ready", timeout=2).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"heard serve did not get ready:\n{log.read_text()}")
            time.sleep(0.2)
        key = (data_dir / "demo-api-key").read_text().strip()
        yield Server(url=url, key=key, database_url=database_url, log=log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("heard-data")
    if request.param == "sqlite":
        with run_server(f"sqlite:///{data_dir / 'heard.db'}", data_dir) as s:
            yield s
        return
    with postgres_schema() as url, run_server(url, data_dir) as s:
        yield s
