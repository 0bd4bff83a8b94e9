"""``heard bench emotions``: macro-F1 of the emotion model on GoEmotions.

Two figures per metric: with the shipped thresholds (tuned on this very dev split, so
about .03 optimistic) and cross-tuned (thresholds tuned on one half of the split, scored
on the other, both ways): the honest estimate for text heard has not seen.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from heard.bench.metrics import f1_per_label, tune_thresholds
from heard.understand import analyze_many
from heard.understand.emotions import EMOTIONS


def read_goemotions(path: Path) -> tuple[list[str], np.ndarray]:
    """Texts and a boolean (rows, 28) label matrix from a GoEmotions TSV file."""
    texts, rows = [], []
    for line in path.read_text("utf-8").splitlines():
        text, ids, _ = line.split("\t")
        y = np.zeros(len(EMOTIONS), dtype=bool)
        y[[int(i) for i in ids.split(",")]] = True
        texts.append(text)
        rows.append(y)
    return texts, np.stack(rows)


def ekman_groups(data: Path) -> dict[str, list[int]]:
    mapping = json.loads((data / "ekman_mapping.json").read_text("utf-8"))
    groups = {name: [EMOTIONS.index(label) for label in labels] for name, labels in mapping.items()}
    groups["neutral"] = [EMOTIONS.index("neutral")]
    return groups


def _scores(pred: np.ndarray, gold: np.ndarray, groups: dict[str, list[int]]) -> dict[str, float]:
    f1 = f1_per_label(pred, gold)
    g_pred = np.stack([pred[:, ix].any(1) for ix in groups.values()], 1)
    g_gold = np.stack([gold[:, ix].any(1) for ix in groups.values()], 1)
    out = {"macro_f1": float(f1.mean()), "ekman_macro_f1": float(f1_per_label(g_pred, g_gold).mean())}
    for label in ("anger", "annoyance", "disappointment"):
        out[f"{label}_f1"] = float(f1[EMOTIONS.index(label)])
    return out


def bench_emotions(data: Path, split: str = "dev") -> dict[str, dict[str, float]]:
    """Score ``heard.analyze`` emotions on ``data/<split>.tsv``; see the module docstring."""
    texts, gold = read_goemotions(data / f"{split}.tsv")
    probs = np.array([[a.emotions[e] for e in EMOTIONS] for a in analyze_many(texts, frame=False)])
    groups = ekman_groups(data)
    shipped = _scores(probs >= 0.5, gold, groups)
    half = np.arange(len(texts)) % 2 == 0
    cross = np.zeros_like(gold)
    for tune, score in ((half, ~half), (~half, half)):
        cross[score] = probs[score] >= tune_thresholds(probs[tune], gold[tune])
    return {
        "shipped_thresholds": shipped,
        "cross_tuned": _scores(cross, gold, groups),
        "rows": {"n": len(texts)},
    }
