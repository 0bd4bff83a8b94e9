"""Compare clustering methods for heard.themes on heard's two labelled theme sets.

    python training/compare_theme_methods.py

Prints NMI (off-topic as one more cause, "no theme" as one more cluster), purity, themes found
and the share left without a theme, for the choices measured before ``themes.v1`` was fixed:
plain or centred embeddings; agglomerative clustering (average cosine linkage, a distance
threshold, groups under 3 texts left out); HDBSCAN on a 10-dimensional PCA; k-means with k
chosen by silhouette (what ``heard.themes`` does, plus its similarity cut); and k-means told the
true number of causes (a reference that needs what ``themes`` does not know). The choice was
made on ``themes.jsonl``; ``themes_heldout.jsonl`` was written afterwards.
"""

from __future__ import annotations

import warnings
from collections import Counter

import numpy as np
from sklearn.cluster import HDBSCAN, AgglomerativeClustering, KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import normalized_mutual_info_score
from threadpoolctl import threadpool_limits

from heard.bench.themes import SETS, load_set, purity
from heard.insights.themes import _centred, _choose_k, themes
from heard.language import embed


def _small_to_none(labels: np.ndarray, least: int = 3) -> np.ndarray:
    sizes = Counter(labels.tolist())
    return np.array([label if sizes[label] >= least else -1 for label in labels])


def methods(vectors: np.ndarray, causes: int) -> dict[str, np.ndarray]:
    centred = _centred(vectors)
    out = {}
    for name, z in (("plain", vectors), ("centred", centred)):
        for threshold in (0.7, 0.8, 0.9):
            model = AgglomerativeClustering(
                n_clusters=None, distance_threshold=threshold, metric="cosine", linkage="average"
            )
            out[f"agglomerative {threshold}, {name}"] = _small_to_none(model.fit_predict(z))
        reduced = PCA(10, random_state=0).fit_transform(z)
        out[f"HDBSCAN (PCA 10, min 4), {name}"] = HDBSCAN(min_cluster_size=4).fit_predict(reduced)
        k = _choose_k(z, range(2, 31))
        out[f"k-means, k={k} by silhouette, {name}"] = KMeans(k, n_init=10, random_state=0).fit_predict(z)
        out[f"k-means, true k={causes}, {name}"] = KMeans(causes, n_init=10, random_state=0).fit_predict(z)
    return out


def main() -> None:
    warnings.filterwarnings("ignore")
    for name in SETS:
        rows = load_set(name=name)
        texts, gold = [r["text"] for r in rows], [r["cause"] for r in rows]
        with threadpool_limits(limits=1):
            results = methods(embed(texts), len(set(gold)))
        results["heard.themes (themes.v1)"] = np.array(themes(texts).labels)
        print(f"\n{name}: {len(texts)} texts, {len(set(gold)) - 1} causes + off-topic")
        print(f"{'method':44s} {'NMI':>6s} {'purity':>7s} {'themes':>7s} {'no theme':>9s}")
        for method, labels in results.items():
            nmi = normalized_mutual_info_score(gold, labels)
            found = len(set(labels.tolist()) - {-1})
            print(
                f"{method:44s} {nmi:6.3f} {purity(labels.tolist(), gold):7.3f} {found:7d} {np.mean(labels < 0):9.2f}"
            )


if __name__ == "__main__":
    main()
