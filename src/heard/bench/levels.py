"""``heard bench levels``: does ``level`` match the level a person gave heard's own examples?

The examples (``data/customer_messages.jsonl``) were written for heard, one to a few per
situation and level; they are the examples the upset weights were set against, so this
is a check that the rules say what their authors meant, not a held-out score.
"""

from __future__ import annotations

import json
from importlib.resources import files

import numpy as np

from heard.bench.metrics import spearman
from heard.understand import LEVELS, analyze_many


def bench_levels() -> dict[str, float]:
    lines = (files("heard.bench") / "data" / "customer_messages.jsonl").read_text("utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    gold = np.array([LEVELS.index(r["level"]) for r in rows])
    results = list(analyze_many(r["text"] for r in rows))
    pred = np.array([LEVELS.index(a.level) for a in results])
    return {
        "n": len(rows),
        "exact": float((pred == gold).mean()),
        "within_one_level": float((abs(pred - gold) <= 1).mean()),
        "upset_spearman": spearman(np.array([a.upset for a in results]), gold.astype(float)),
    }
