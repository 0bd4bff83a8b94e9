"""``heard bench intensity``: does ``upset`` rise with how angry a message is?

Scores WASSA-2017 anger tweets (gold intensity 0..1) with Pearson and Spearman
correlation. Nothing in heard is fitted to this data: it has no licence for shipped weights.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from heard.bench.metrics import pearson, spearman
from heard.understand import analyze_many

FILES = {"dev": "anger-ratings-0to1.dev.gold.txt", "train": "anger-ratings-0to1.train.txt"}


def read_wassa(path: Path) -> tuple[list[str], np.ndarray]:
    texts, gold = [], []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            _, text, _, score = line.split("\t")
            texts.append(text.replace("\\n", "\n"))
            gold.append(float(score))
    return texts, np.array(gold)


def bench_intensity(data: Path, split: str = "dev") -> dict[str, float]:
    """Correlation of ``upset`` (and, for reference, of the anger probability alone) with gold anger."""
    texts, gold = read_wassa(data / FILES[split])
    results = list(analyze_many(texts))
    upset = np.array([a.upset for a in results])
    anger = np.array([a.emotions["anger"] for a in results])
    return {
        "n": len(texts),
        "upset_pearson": pearson(upset, gold),
        "upset_spearman": spearman(upset, gold),
        "anger_probability_pearson": pearson(anger, gold),
    }
