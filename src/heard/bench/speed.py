"""``heard bench speed``: cold start, one-message latency on one core, batch throughput on 2 cores.

Each measurement runs in a fresh subprocess so that model loading, thread counts and CPU
pinning are what a user gets. Budgets come from DESIGN.md and the foundation issue.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

BUDGETS = {"cold_start_s": 3.0, "p50_ms": 5.0, "p99_ms": 15.0, "batch_messages_per_s": 300.0}

_COLD = """
import time
t = time.perf_counter()
import heard
heard.analyze("The movers never came and I lost my deposit.")
print(time.perf_counter() - t)
"""

_LATENCY = """
import json, os, time
os.sched_setaffinity(0, {{0}})
import heard
from heard.bench.speed import sample_messages
texts = sample_messages({n})
for t in texts[:20]:
    heard.analyze(t)
samples = []
for t in texts:
    start = time.perf_counter()
    heard.analyze(t)
    samples.append((time.perf_counter() - start) * 1000)
print(json.dumps(samples))
"""

_BATCH = """
import time
import heard
from heard.bench.speed import sample_messages
texts = sample_messages({n})
list(heard.analyze_many(texts[:64]))
start = time.perf_counter()
count = sum(1 for _ in heard.analyze_many(texts))
print(count / (time.perf_counter() - start))
"""


def sample_messages(n: int) -> list[str]:
    """``n`` customer messages cycled from heard's own written examples, each made unique."""
    from importlib.resources import files

    lines = (files("heard.bench") / "data" / "customer_messages.jsonl").read_text("utf-8").splitlines()
    base = [json.loads(line)["text"] for line in lines if line.strip()]
    return [f"{base[i % len(base)]} (ref {i})" for i in range(n)]


def _run(code: str, threads: int) -> str:
    env = {**os.environ, "HEARD_THREADS": str(threads), "OMP_NUM_THREADS": str(threads)}
    return (
        subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
        .stdout.strip()
        .splitlines()[-1]
    )


def bench_speed(*, messages: int = 1000, runs: int = 3) -> dict[str, float]:
    """Median cold start over ``runs`` processes, latency percentiles and batch throughput."""
    from heard.bench.metrics import percentiles

    cold = sorted(float(_run(_COLD, 1)) for _ in range(runs))[runs // 2]
    latency = percentiles(json.loads(_run(_LATENCY.format(n=messages), 1)))
    started = time.perf_counter()
    batch = float(_run(_BATCH.format(n=messages * 3), 2))
    return {
        "cold_start_s": cold,
        "p50_ms": latency["p50"],
        "p90_ms": latency["p90"],
        "p99_ms": latency["p99"],
        "batch_messages_per_s": batch,
        "bench_seconds": time.perf_counter() - started,
    }
