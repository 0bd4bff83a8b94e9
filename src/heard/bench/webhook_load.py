"""The webhook path of ``heard bench serve``, run as its own process:

    python -m heard.bench.webhook_load --url http://127.0.0.1:PORT --key KEY --data messages.jsonl

It plays Chatwoot on both sides: a local HTTP server takes the private notes heard's worker
posts (Chatwoot's ``POST /api/v1/accounts/{account}/conversations/{id}/messages``), and
``--clients`` concurrent clients post signed ``message_created`` events (one customer message
each, each in a conversation of its own, so each earns one note: the connection asks for notes
on calm messages too). Prints one JSON line: events/s (accepted by the webhook), the webhook's
own p50/p99, and p50/p99 from posting an event to its note arriving, with notes lost or doubled.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import re
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from heard.bench.metrics import percentiles

SECRET = "bench-webhook-secret-0123456789"
NOTE_PATH = re.compile(r"^/api/v1/accounts/1/conversations/(\d+)/messages$")


class Notes:
    """Chatwoot's API as far as notes go: records when each conversation's note arrived."""

    def __init__(self) -> None:
        self.arrived: dict[str, list[float]] = {}
        self.lock = threading.Lock()
        notes = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                at = time.perf_counter()
                match = NOTE_PATH.match(self.path)
                if match:
                    with notes.lock:
                        notes.arrived.setdefault(match[1], []).append(at)
                body = b'{"id": 1, "private": true}'
                self.send_response(200 if match else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 (the worker's look before a retry)
                body = b'{"payload": []}'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()


def event(k: int, text: str) -> dict:
    """A ``message_created`` body as Chatwoot's webhook docs show it (fields heard reads)."""
    return {
        "event": "message_created", "id": 500_000 + k, "content": text, "message_type": "incoming",
        "content_type": "text", "private": False, "content_attributes": {}, "source_id": None,
        "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "sender": {"id": 10_000 + k, "name": "Bench Customer", "avatar": "", "type": "contact"},
        "inbox": {"id": 1, "name": "Bench"}, "account": {"id": 1, "name": "Bench"},
        "conversation": {"id": 100_000 + k, "inbox_id": 1, "status": "open", "channel": "Channel::WebWidget",
                         "meta": {"sender": {"id": 10_000 + k, "name": "Bench Customer", "type": "contact"}}},
    }  # fmt: skip


def signed(body: bytes) -> dict:
    ts = str(int(time.time()))
    mac = hmac.new(SECRET.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/json",
        "X-Chatwoot-Timestamp": ts,
        "X-Chatwoot-Signature": f"sha256={mac}",
    }


async def drive(args) -> dict:
    texts = [
        json.loads(line)["text"] for line in Path(args.data).read_text("utf-8").splitlines() if line.strip()
    ]
    notes = Notes()
    admin = {"Authorization": f"Bearer {args.key}"}
    config = {"base_url": notes.url, "account": "1", "api_token": "bench-agent-token-0001",
              "webhook_secret": SECRET, "notes_on_calm": True}  # fmt: skip
    async with httpx.AsyncClient(base_url=args.url, headers=admin, timeout=60) as setup:
        answer = await setup.put("/v1/integrations/chatwoot", json=config)
        answer.raise_for_status()
        hook = answer.json()["webhook_path"]
    sent: dict[str, float] = {}
    latencies: list[float] = []
    errors = 0
    failures: Counter[str] = Counter()
    next_index = 0

    async def client() -> None:
        nonlocal next_index, errors
        async with httpx.AsyncClient(
            base_url=args.url, timeout=60, limits=httpx.Limits(max_connections=1)
        ) as c:
            while next_index < args.requests:
                k = next_index
                next_index += 1
                body = json.dumps(event(k, texts[k % len(texts)])).encode()
                started = time.perf_counter()
                sent[str(100_000 + k)] = started
                answer = await c.post(hook, content=body, headers=signed(body))
                latencies.append((time.perf_counter() - started) * 1000)
                if answer.status_code != 200:
                    errors += 1
                    failures[
                        f"{answer.status_code} {answer.json().get('code', '')} {answer.json().get('detail', '')[:80]}"
                    ] += 1
                elif answer.json()["outcomes"][0]["note"] is None:
                    errors += 1
                    failures["no note queued"] += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(args.clients)))
    wall = time.perf_counter() - started
    deadline = time.monotonic() + args.wait_seconds  # the worker drains what is queued
    while time.monotonic() < deadline and len(notes.arrived) < len(sent) - errors:
        await asyncio.sleep(0.05)
    with notes.lock:
        arrived = {k: list(v) for k, v in notes.arrived.items()}
    to_note = [(min(arrived[k]) - at) * 1000 for k, at in sent.items() if k in arrived]
    last = max((min(v) for v in arrived.values()), default=started)
    hook_p = percentiles(latencies)
    note_p = percentiles(to_note) if to_note else {"p50": float("nan"), "p99": float("nan")}
    return {
        "kind": "chatwoot_webhook", "events": len(latencies), "clients": args.clients, "errors": errors,
        "events_per_s": round(len(latencies) / wall, 1),
        "webhook_p50_ms": round(hook_p["p50"], 1), "webhook_p99_ms": round(hook_p["p99"], 1),
        "notes": len(arrived), "notes_per_s": round(len(arrived) / max(last - started, 1e-9), 1),
        "event_to_note_p50_ms": round(note_p["p50"], 1), "event_to_note_p99_ms": round(note_p["p99"], 1),
        "notes_missing": len(sent) - errors - len(arrived),
        "notes_doubled": sum(len(v) > 1 for v in arrived.values()), "failures": dict(failures),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--data", required=True, help="JSONL with a 'text' field per line")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--wait-seconds", type=float, default=120.0, help="how long notes may still come")
    print(json.dumps(asyncio.run(drive(parser.parse_args()))))


if __name__ == "__main__":
    main()
