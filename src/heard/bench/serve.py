"""``heard bench serve``: the server under load, on SQLite and on PostgreSQL.

For each database a fresh ``heard serve`` starts on a free loopback port (SQLite in a
temporary folder; PostgreSQL in a schema of its own, dropped after), and a separate process
(``heard.bench.load``) drives it with concurrent clients: first ``POST /v1/analyze`` (with the
complaint frame, the default, and without it: ``analyze_no_frame``), then
message ingestion (``POST /v1/conversations/{id}/messages``, redaction, analysis, playbook
turn and storage included; customer and agent messages alternate, as in a chat), then the
Chatwoot webhook path (``heard.bench.webhook_load``: signed ``message_created`` events in, the
private notes ``heard worker`` posts received by a local fake of Chatwoot's API). Budgets (DESIGN.md, issue 5): analyze >= 200 requests/s with p99 <= 100 ms
on 2 cores at 32 clients; ingestion >= 100 messages/s on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

BUDGETS = {
    **{
        f"{kind}_{db}_requests_per_s": 200.0
        for db in ("sqlite", "postgresql")
        for kind in ("analyze", "analyze_no_frame")
    },
    **{
        f"{kind}_{db}_p99_ms": 100.0
        for db in ("sqlite", "postgresql")
        for kind in ("analyze", "analyze_no_frame")
    },
    "ingest_postgresql_requests_per_s": 100.0,
}
HEARD = str(Path(sys.executable).parent / "heard")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _postgres_schema(url: str):
    import psycopg

    plain = url.replace("+psycopg", "")
    schema = f"heard_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@contextlib.contextmanager
def _server(database_url: str, data_dir: Path, workers: int):
    port = _free_port()
    env = os.environ | {
        "HEARD_DATABASE_URL": database_url, "HEARD_DATA_DIR": str(data_dir), "HEARD_PORT": str(port),
        "HEARD_HOST": "127.0.0.1", "HEARD_WORKERS": str(workers), "HEARD_LOG_LEVEL": "warning",
        "HEARD_WEBHOOK_ALLOW_HOSTS": "127.0.0.1",  # the webhook bench's fake Chatwoot listens on loopback
    }  # fmt: skip
    log = (data_dir / "server.log").open("w")
    proc = subprocess.Popen([HEARD, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/v1/ready", timeout=2).status_code == 200:
                    # every worker process loads the models on start: let them finish
                    key = (data_dir / "demo-api-key").read_text().strip()
                    for _ in range(4 * workers):
                        httpx.post(f"{url}/v1/analyze", json={"text": "warm up"}, timeout=60,
                                   headers={"Authorization": f"Bearer {key}"})  # fmt: skip
                    yield url, key, proc.pid
                    return
            time.sleep(0.3)
        raise RuntimeError(f"heard serve did not start; see {data_dir / 'server.log'}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its live children, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
    return total


def _drive(server: tuple, kind: str, data: Path, requests: int, clients: int) -> dict:
    url, key, pid = server
    command = [sys.executable, "-m", "heard.bench.load", "--url", url, "--key", key, "--kind", kind,
               "--data", str(data), "--requests", str(requests), "--clients", str(clients)]  # fmt: skip
    cpu = _cpu_seconds(pid)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    # CPU the server spent per request: what the machine's other load does not change much.
    figures["server_cpu_ms"] = round((_cpu_seconds(pid) - cpu) * 1000 / requests, 2)
    return figures


@contextlib.contextmanager
def _note_workers(database_url: str, data_dir: Path, count: int):
    """``heard worker`` processes posting the notes (sharing the server's data folder: its
    secrets key); they look for work every 50 ms when idle, so the wait is not the poll."""
    env = os.environ | {
        "HEARD_DATABASE_URL": database_url, "HEARD_DATA_DIR": str(data_dir), "HEARD_LOG_LEVEL": "warning",
        "HEARD_WEBHOOK_ALLOW_HOSTS": "127.0.0.1", "HEARD_WORKER_POLL_SECONDS": "0.05",
    }  # fmt: skip
    log = (data_dir / "worker.log").open("w")
    procs = [
        subprocess.Popen([HEARD, "worker"], env=env, stdout=log, stderr=subprocess.STDOUT)
        for _ in range(count)
    ]
    try:
        yield procs
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()


def _drive_webhook(server: tuple, note_procs: list, data: Path, requests: int, clients: int) -> dict:
    """Chatwoot ``message_created`` events to the notes the worker posts (``heard.bench.webhook_load``)."""
    url, key, pid = server
    workers = [p.pid for p in note_procs]
    cpu, worker_cpu = _cpu_seconds(pid), sum(_cpu_seconds(w) for w in workers)
    command = [sys.executable, "-m", "heard.bench.webhook_load", "--url", url, "--key", key, "--data", str(data),
               "--requests", str(requests), "--clients", str(clients)]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    # CPU per event in the server, and per note in the workers: what other load changes little.
    figures["server_cpu_ms_per_event"] = round(
        (_cpu_seconds(pid) - cpu) * 1000 / max(figures["events"], 1), 2
    )
    spent = sum(_cpu_seconds(w) for w in workers) - worker_cpu
    figures["worker_cpu_ms_per_note"] = round(spent * 1000 / max(figures["notes"], 1), 2)
    return figures


def bench_serve(
    data: Path,
    *,
    requests: int = 2000,
    clients: int = 32,
    workers: int = 2,
    postgres: str | None = None,
    kinds: tuple[str, ...] = ("analyze", "analyze_no_frame", "ingest", "webhook"),
    note_workers: int = 2,
) -> dict:
    """Figures per database: ``{"sqlite": {"analyze": {...}, "ingest": {...}, "webhook": {...}},
    "postgresql": ...}``. ``webhook``: Chatwoot events in, notes out through ``note_workers``
    ``heard worker`` processes (a quarter of ``requests`` events: each runs the engine and the worker)."""
    figures: dict = {"workers": workers, "clients": clients, "requests": requests}
    databases: list[tuple[str, contextlib.AbstractContextManager]] = []
    tmp = Path(tempfile.mkdtemp(prefix="heard-bench-"))
    databases.append(("sqlite", contextlib.nullcontext(f"sqlite:///{tmp / 'sqlite' / 'heard.db'}")))
    if postgres:
        databases.append(("postgresql", _postgres_schema(postgres)))
    try:
        for name, database in databases:
            with database as database_url:
                data_dir = tmp / name
                data_dir.mkdir(exist_ok=True)
                with _server(database_url, data_dir, workers) as server:
                    figures[name] = {
                        k: _drive(server, k, data, requests, clients) for k in kinds if k != "webhook"
                    }
                    if "webhook" in kinds:
                        with _note_workers(database_url, data_dir, note_workers) as procs:
                            events = max(requests // 4, 1)
                            figures[name]["webhook"] = _drive_webhook(server, procs, data, events, clients)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return figures
