"""Scores for the benchmarks: F1 per label, threshold tuning, correlations, percentiles."""

from __future__ import annotations

import numpy as np

GRID = np.round(np.arange(0.02, 0.97, 0.01), 2)


def f1_per_label(pred: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """F1 of each column of two boolean matrices; 0 where a label has no true or predicted case."""
    tp = (pred & gold).sum(0)
    denominator = pred.sum(0) + gold.sum(0)
    return np.where(denominator > 0, 2 * tp / np.maximum(denominator, 1), 0.0)


def tune_thresholds(probs: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """For each label, the threshold on ``probs`` that maximises its F1 on ``gold``."""
    best = np.full(probs.shape[1], 0.5)
    best_f1 = np.full(probs.shape[1], -1.0)
    for t in GRID:
        f1 = f1_per_label(probs >= t, gold)
        better = f1 > best_f1
        best[better], best_f1[better] = t, f1[better]
    return best


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.corrcoef(x, y)[0, 1])


def ranks(v: np.ndarray) -> np.ndarray:
    """Ranks from 0, ties sharing their average rank."""
    values, inverse, counts = np.unique(v, return_inverse=True, return_counts=True)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    return (first + (counts - 1) / 2)[inverse]


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    return pearson(ranks(x), ranks(y))


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    a = np.array(samples_ms)
    return {
        "p50": float(np.percentile(a, 50)),
        "p90": float(np.percentile(a, 90)),
        "p99": float(np.percentile(a, 99)),
    }
