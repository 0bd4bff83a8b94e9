"""``heard bench speed``: cold start, latency on one core, batch throughput on two cores.

Each measurement runs in a fresh subprocess so that model loading, thread counts and CPU
pinning are what a user gets. Budgets come from DESIGN.md and the issues:

- ``analyze_emotions``: ``analyze(text, frame=False)``, emotions, upset, level and feeling
  (the foundation's budget: p50 <= 5 ms, p99 <= 15 ms);
- ``analyze``: the full analysis with the complaint frame (spaCy parse);
- ``reflect``: a reflection from the raw message, analysis included (p50 <= 10 ms, p99 <= 30 ms);
- ``acts``: the reply acts of an agent's reply (heard's held-out labelled replies);
- ``review``: a draft reviewed against a customer message never seen before, the customer's
  analysis and the suggestions included (p99 <= 30 ms);
- ``review_typing``: a new draft against a customer message already analysed, as while an
  agent types (the customer's analysis and suggestions are kept for the last 64 customers);
- ``*_cpu``: the same calls in CPU time of the process: what a call costs on its core
  even when other processes share the machine and wall-clock figures swell with waiting;
- batch: ``analyze_many`` over an archive on 2 cores, with and without the frame (>= 300/s);
- ``long_<n>``: analysis with the frame and the reflection of messages of 1,000, 5,000 and
  10,000 characters (several paragraphs of heard's own examples; goal <= 100 ms each).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

BUDGETS = {
    "cold_start_s": 3.0,
    "analyze_emotions_p50_ms": 5.0,
    "analyze_emotions_p99_ms": 15.0,
    "reflect_p50_ms": 10.0,
    "reflect_p99_ms": 30.0,
    "reflect_cpu_p50_ms": 10.0,
    "reflect_cpu_p99_ms": 30.0,
    "review_p99_ms": 30.0,
    "batch_emotions_per_s": 300.0,
    "batch_full_per_s": 300.0,
    "long_1000_p50_ms": 100.0,
    "long_5000_p50_ms": 100.0,
    "long_10000_p50_ms": 100.0,
    "long_10000_cpu_p50_ms": 100.0,
}
LONG_CHARS = (1_000, 5_000, 10_000)

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
from heard.bench.speed import clear_caches, clear_draft_caches, sample_messages, sample_replies, sample_drafts, sample_typing
calls = {{
    "analyze_emotions": (lambda t: heard.analyze(t, frame=False), sample_messages),
    "analyze": (heard.analyze, sample_messages),
    "reflect": (heard.reflect, sample_messages),
    "acts": (heard.acts, sample_replies),
    "review": (lambda pair: heard.review(pair[0], customer=pair[1]), sample_drafts),
    "review_typing": (lambda pair: heard.review(pair[0], customer=pair[1]), sample_typing),
}}
out = {{}}
for name, (call, sample) in calls.items():
    for t in sample(30, salt="warm"):
        call(t)
    wall, cpu = [], []
    for t in sample({n}, salt=name):  # fresh texts per call, caches emptied: no cache helps
        clear_draft_caches() if name == "review_typing" else clear_caches()
        start, start_cpu = time.perf_counter(), time.process_time()
        call(t)
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    out[name] = wall
    out[name + "_cpu"] = cpu
print(json.dumps(out))
"""

_LONG = """
import json, os, time
os.sched_setaffinity(0, {{0}})
import heard
from heard.bench.speed import LONG_CHARS, clear_caches, long_messages
for t in long_messages(1_000, 3, salt="warm"):
    heard.reflect(t)
out = {{}}
for chars in LONG_CHARS:
    wall, cpu = [], []
    for t in long_messages(chars, {n}, salt="long"):
        clear_caches()
        start, start_cpu = time.perf_counter(), time.process_time()
        heard.reflect(t)  # the analysis with the frame, then the reflection
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    out[f"long_{{chars}}"] = wall
    out[f"long_{{chars}}_cpu"] = cpu
print(json.dumps(out))
"""

_BATCH = """
import time
import heard
from heard.bench.speed import sample_messages
texts = sample_messages({n}, salt="batch")
list(heard.analyze_many(texts[:64], frame={frame}))
start = time.perf_counter()
count = sum(1 for _ in heard.analyze_many(texts, frame={frame}))
print(count / (time.perf_counter() - start))
"""


def sample_messages(n: int, salt: str = "ref") -> list[str]:
    """``n`` customer messages cycled from heard's own written examples, each made unique
    (so no cache helps)."""
    from importlib.resources import files

    lines = (files("heard.bench") / "data" / "customer_messages.jsonl").read_text("utf-8").splitlines()
    base = [json.loads(line)["text"] for line in lines if line.strip()]
    return [f"{base[i % len(base)]} ({salt} {i})" for i in range(n)]


def long_messages(chars: int, n: int, salt: str = "ref") -> list[str]:
    """``n`` letters of about ``chars`` characters: heard's own example messages as
    paragraphs, in a different order for each letter (so no cache helps)."""
    base = sample_messages(200, salt)
    out = []
    for i in range(n):
        paragraphs, size, k = [], 0, i * 7
        while size < chars:
            text = base[k % len(base)]
            paragraphs.append(text)
            size += len(text) + 2
            k += 13
        out.append("\n\n".join(paragraphs)[:chars].rsplit(" ", 1)[0])
    return out


def clear_caches() -> None:
    """Empty the caches of parses, sentence embeddings and customer analyses, so a timed call
    pays for everything a first call would."""
    from heard.language.pipeline import parse
    from heard.respond.acts import _embedding, fired
    from heard.respond.hearing import text_vector as _vector
    from heard.respond.situation import _analysis, _apology, _questions, _reflection

    for cached in (parse, _embedding, fired, _analysis, _vector, _reflection, _apology, _questions):
        cached.cache_clear()


def clear_draft_caches() -> None:
    """Empty only what depends on the draft: a new draft to the same customer, as while typing."""
    from heard.respond.acts import _embedding, fired
    from heard.respond.hearing import text_vector as _vector

    for cached in (_embedding, fired, _vector):
        cached.cache_clear()


def sample_replies(n: int, salt: str = "ref") -> list[str]:
    """``n`` agent replies cycled from heard's held-out labelled replies, each made unique
    without adding a sentence (a tag opens the first one)."""
    from heard.bench.acts import heldout_replies

    base = [r["text"] for r in heldout_replies()]
    return [f"{salt} {i}: {base[i % len(base)]}" for i in range(n)]


def sample_drafts(n: int, salt: str = "ref") -> list[tuple[str, str]]:
    """``n`` (draft, customer message) pairs: held-out replies against customer messages, each
    pair unique, so every review analyses its customer afresh."""
    return list(zip(sample_replies(n, salt), sample_messages(n, salt + "c"), strict=True))


def sample_typing(n: int, salt: str = "ref") -> list[tuple[str, str]]:
    """``n`` new drafts against the same few customer messages: the customer side is analysed
    once (as while an agent types), each draft is read afresh."""
    customers = sample_messages(8, "typing")
    return [(d, customers[i % len(customers)]) for i, d in enumerate(sample_replies(n, salt))]


def _run(code: str, threads: int) -> str:
    env = {**os.environ, "HEARD_THREADS": str(threads), "OMP_NUM_THREADS": str(threads)}
    done = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1]


def bench_speed(*, messages: int = 500, runs: int = 3) -> dict[str, float]:
    """Median cold start over ``runs`` processes, latency percentiles and batch throughput."""
    from heard.bench.metrics import percentiles

    figures: dict[str, float] = {
        "cold_start_s": sorted(float(_run(_COLD, 1)) for _ in range(runs))[runs // 2]
    }
    for name, samples in json.loads(_run(_LATENCY.format(n=messages), 1)).items():
        for key, value in percentiles(samples).items():
            figures[f"{name}_{key}_ms"] = value
    for name, samples in json.loads(_run(_LONG.format(n=max(5, messages // 25)), 1)).items():
        for key, value in percentiles(samples).items():
            figures[f"{name}_{key}_ms"] = value
    figures["batch_emotions_per_s"] = float(_run(_BATCH.format(n=messages * 4, frame=False), 2))
    figures["batch_full_per_s"] = float(_run(_BATCH.format(n=messages * 2, frame=True), 2))
    return figures
