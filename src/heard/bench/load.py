"""The load driver of ``heard bench serve``, run as its own process:

    python -m heard.bench.load --url http://127.0.0.1:PORT --key KEY --kind analyze --requests 2000

``--clients`` concurrent clients (asyncio + httpx, one connection each) send a fixed number
of requests in total and print one JSON line: requests/s, p50, p99, errors. ``ingest`` posts
messages round-robin over fresh conversations (about eight messages each), each with its own
``external_id``; as in a chat, each conversation gets a customer message, then an agent
reply, then the customer again.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

import httpx

from heard.bench.metrics import percentiles

AGENT = "I'm sorry this happened. Could you tell me your order number so I can look into it right away?"


def _texts(data: Path) -> list[str]:
    return [json.loads(line)["text"] for line in data.read_text("utf-8").splitlines() if line.strip()]


async def _drive(args) -> dict:
    texts = _texts(Path(args.data))
    headers = {"Authorization": f"Bearer {args.key}"}
    latencies: list[float] = []
    errors = 0
    next_index = 0
    async with httpx.AsyncClient(base_url=args.url, headers=headers, timeout=60) as setup:
        conversations = []
        if args.kind == "ingest":
            # about eight messages each, a typical chat, unless told otherwise
            for _ in range(args.conversations or max(32, args.requests // 8)):
                answer = await setup.post("/v1/conversations", json={"channel": "chat"})
                conversations.append(answer.json()["id"])

    async def client(worker: int) -> None:
        nonlocal next_index, errors
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(base_url=args.url, headers=headers, timeout=60, limits=limits) as c:
            while next_index < args.requests:
                i = next_index
                next_index += 1
                text = texts[i % len(texts)]
                started = time.perf_counter()
                if args.kind.startswith("analyze"):
                    frame = args.kind == "analyze"
                    answer = await c.post("/v1/analyze", json={"text": text, "frame": frame})
                else:
                    conv = conversations[i % len(conversations)]
                    customer = (i // len(conversations)) % 2 == 0
                    body = {"role": "customer" if customer else "agent", "text": text if customer else AGENT,
                            "external_id": f"bench-{i}"}  # fmt: skip
                    answer = await c.post(f"/v1/conversations/{conv}/messages", json=body)
                latencies.append((time.perf_counter() - started) * 1000)
                if answer.status_code >= 300:
                    errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(client(w) for w in range(args.clients)))
    wall = time.perf_counter() - started
    p = percentiles(latencies)
    return {
        "kind": args.kind,
        "requests": len(latencies),
        "clients": args.clients,
        "errors": errors,
        "requests_per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(p["p50"], 1),
        "p99_ms": round(p["p99"], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--kind", choices=["analyze", "analyze_no_frame", "ingest"], required=True)
    parser.add_argument("--data", required=True, help="JSONL with a 'text' field per line")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--conversations", type=int, default=0, help="default: one per 8 requests")
    print(json.dumps(asyncio.run(_drive(parser.parse_args()))))


if __name__ == "__main__":
    main()
