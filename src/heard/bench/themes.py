"""``heard bench themes``: agreement of ``heard.themes`` with known complaint causes.

Two labelled sets written for heard (``data/README.md``): ``themes.jsonl`` (316 texts, 10
causes of an online shop with a moving service, 25 off-topic messages, with times) was used
to choose the method; ``themes_heldout.jsonl`` (114 texts, 8 causes of a telecom provider,
10 off-topic) was written after the method was fixed and never used to tune it.

Off-topic texts count as one more cause ("none"); a text with no theme counts as one more
cluster (-1). Baselines: plain embeddings + k-means and TF-IDF + k-means, both told the true
number of causes (which ``themes`` is not).
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from importlib.resources import files
from pathlib import Path

import numpy as np

SETS = ("themes.jsonl", "themes_heldout.jsonl")


def load_set(path: Path | None = None, name: str = SETS[0]) -> list[dict]:
    """Rows of a labelled set: ``text``, ``cause`` ("none" for off-topic), optional ``at``."""
    source = path.read_text("utf-8") if path else (files("heard.bench") / "data" / name).read_text("utf-8")
    return [json.loads(line) for line in source.splitlines() if line.strip()]


def purity(labels: list[int], gold: list[str]) -> float:
    """Share of texts whose cluster's most common cause is their own (-1 counts as one cluster)."""
    by_cluster: dict[int, Counter[str]] = defaultdict(Counter)
    for label, cause in zip(labels, gold, strict=True):
        by_cluster[label][cause] += 1
    return sum(c.most_common(1)[0][1] for c in by_cluster.values()) / len(gold)


def _baselines(texts: list[str], gold: list[str]) -> dict[str, float]:
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import normalized_mutual_info_score
    from threadpoolctl import threadpool_limits

    from heard.language import embed

    k = len(set(gold))
    with threadpool_limits(limits=1):
        plain = KMeans(k, n_init=10, random_state=0).fit_predict(embed(texts))
        tfidf = TfidfVectorizer(stop_words="english").fit_transform(texts)
        words = KMeans(k, n_init=10, random_state=0).fit_predict(tfidf)
    return {
        "baseline_embeddings_kmeans_true_k_nmi": round(float(normalized_mutual_info_score(gold, plain)), 3),
        "baseline_tfidf_kmeans_true_k_nmi": round(float(normalized_mutual_info_score(gold, words)), 3),
    }


def score_set(rows: list[dict], *, now: str | None = None) -> dict:
    """NMI, purity, themes found and the share unassigned for one labelled set."""
    from sklearn.metrics import normalized_mutual_info_score

    from heard.insights.themes import themes

    texts = [r["text"] for r in rows]
    gold = [r["cause"] for r in rows]
    times = [r["at"] for r in rows] if all("at" in r for r in rows) else None
    start = time.perf_counter()
    result = themes(texts, times=times, now=now)
    seconds = time.perf_counter() - start
    labels = np.array(result.labels)
    real = np.array([g != "none" for g in gold])
    assigned = labels >= 0
    figures: dict = {
        "texts": len(texts),
        "causes": len(set(gold) - {"none"}),
        "off_topic": int((~real).sum()),
        "nmi": round(float(normalized_mutual_info_score(gold, result.labels)), 3),
        "purity": round(purity(result.labels, gold), 3),
        "nmi_assigned_only": round(
            float(normalized_mutual_info_score(np.array(gold)[assigned], labels[assigned])), 3
        ),
        "themes_found": len(result.themes),
        "unassigned_share": round(result.unassigned / len(texts), 3),
        "off_topic_unassigned": round(float((labels[~real] < 0).mean()), 3) if (~real).any() else None,
        "complaints_unassigned": round(float((labels[real] < 0).mean()), 3),
        "seconds": round(seconds, 2),
        **_baselines(texts, gold),
    }
    named = []
    for theme in result.themes:
        members = Counter(g for g, label in zip(gold, result.labels, strict=True) if label == theme.id)
        cause, count = members.most_common(1)[0]
        flags = " ".join(f for f, on in (("NEW", theme.new), ("GROWING", theme.growing)) if on)
        named.append(f"{theme.size:>3} {theme.name!r} {flags} -> {cause} ({count}/{theme.size})".rstrip())
    figures["themes"] = named
    return figures


def bench_themes(data: Path | None = None) -> dict:
    """Figures for a labelled JSONL file, or for both of heard's own sets."""
    if data is not None:
        return {data.name: score_set(load_set(data))}
    # The shipped set's times end on 31 March 2026: "now" is the start of April.
    return {
        SETS[0]: score_set(load_set(name=SETS[0]), now="2026-04-01T00:00:00Z"),
        SETS[1]: score_set(load_set(name=SETS[1])),
    }
