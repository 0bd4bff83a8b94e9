"""``heard bench themes --real DATA``: themes on real archives against the causes people labelled.

Two sets from the shared data folder (``DATA``, e.g. ``../shared/data``; nothing of them ships):

- ``airline/Tweets_dev_half.csv``: the negative tweets, against their complaint reason.
- ``cfpb/payday_2023/*.csv``: the letters, against their CFPB issue.
- ``cfpb/narratives_2015_2016/Consumer_Complaints.csv``: letters about every kind of product,
  against their CFPB product (the mix a consumer-finance team sees; the payday letters all
  concern one family of loans).

Each set is split by a stable hash of its row id (the tweet id, the complaint id) salted with
``heard-themes:``: one in four rows is held out and was never looked at while choosing the method;
the figures are for that part (``part="develop"`` gives the rest). The set's own hash split of
the airline tweets correlates with an unsalted one, hence the salt.

A team fits its own themes, so each part is fitted on its own texts: NMI (scikit-learn,
arithmetic) of the themes against the labels with -1 counted as one more group, the number of
themes, the share without a theme, and whether any name holds a handle, tag or redaction mark.
A baseline for comparison: k-means on the plain encoder embeddings of the whole texts with the
same number of themes.
"""

from __future__ import annotations

import csv
import hashlib
import re
import time
from collections import Counter
from pathlib import Path

SALT = "heard-themes:"
_NOISY_NAME = re.compile(r"[@#]|\bx{2,}|\{\$|https?:|\bamp\b", re.IGNORECASE)


def held_out(row_id: str) -> bool:
    """One row in four, by a stable hash of its id."""
    return int(hashlib.sha256((SALT + row_id).encode()).hexdigest(), 16) % 4 == 0


def airline_complaints(data: Path) -> list[tuple[str, str, str]]:
    """(id, text, reason) of every negative tweet."""
    with (data / "airline" / "Tweets_dev_half.csv").open(encoding="utf-8", newline="") as f:
        return [
            (r["tweet_id"], r["text"], r["negativereason"] or "none")
            for r in csv.DictReader(f)
            if r["airline_sentiment"] == "negative" and r["text"].strip()
        ]


def cfpb_complaints(data: Path) -> list[tuple[str, str, str]]:
    """(id, narrative, issue) of every payday_2023 letter."""
    rows = []
    for path in sorted((data / "cfpb" / "payday_2023").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                text = (r.get("Consumer complaint narrative") or "").strip()
                if text and r.get("Issue"):
                    rows.append((r["Complaint ID"], text, r["Issue"]))
    return rows


def cfpb_products(data: Path) -> list[tuple[str, str, str]]:
    """(id, narrative, product) of every 2015-2016 letter."""
    with (data / "cfpb" / "narratives_2015_2016" / "Consumer_Complaints.csv").open(
        encoding="utf-8", newline=""
    ) as f:
        return [
            (r[""], text, r["Product"])
            for r in csv.DictReader(f)
            if (text := (r.get("Consumer complaint narrative") or "").strip()) and r.get("Product")
        ]


def score(texts: list[str], gold: list[str], *, baseline: bool = True) -> dict:
    """The theme figures of one part."""
    from sklearn.metrics import normalized_mutual_info_score

    from heard.insights.theme_model import ThemeModel

    start = time.perf_counter()
    model = ThemeModel().fit(texts)
    seconds = time.perf_counter() - start
    labels = model.labels_
    names = [model.name(t) for t in range(model.n_themes_)]
    figures: dict = {
        "complaints": len(texts),
        "labels": len(set(gold)),
        "nmi": round(float(normalized_mutual_info_score(gold, labels)), 3),
        "themes_found": model.n_themes_,
        "unassigned_share": round(float((labels < 0).mean()), 3),
        "noisy_names": sum(bool(_NOISY_NAME.search(n)) for n in names),
        "fit_seconds": round(seconds, 1),
    }
    if baseline:
        from sklearn.cluster import KMeans
        from threadpoolctl import threadpool_limits

        from heard.language import embed

        with threadpool_limits(limits=1):
            plain = KMeans(max(2, model.n_themes_), n_init=3, random_state=0).fit_predict(embed(texts))
        figures["baseline_embeddings_kmeans_same_k_nmi"] = round(
            float(normalized_mutual_info_score(gold, plain)), 3
        )
    lines = []
    for t, name in enumerate(names):
        members = Counter(g for g, label in zip(gold, labels, strict=True) if label == t)
        label, count = members.most_common(1)[0]
        lines.append(f"{int(model.sizes_[t]):>4} {name!r} -> {label} ({count}/{int(model.sizes_[t])})")
    figures["themes"] = lines
    return figures


def bench_real_themes(data: Path, *, part: str = "held_out", baseline: bool = True) -> dict:
    """Figures for the airline and the two CFPB sets, on the held-out part (or ``part="develop"``)."""
    if part not in ("held_out", "develop"):
        raise ValueError("part is held_out or develop")
    data = Path(data)
    results = {}
    sets = (
        ("airline", airline_complaints(data)),
        ("cfpb_payday_2023", cfpb_complaints(data)),
        ("cfpb_products_2015_2016", cfpb_products(data)),
    )
    for name, rows in sets:
        chosen = [r for r in rows if held_out(r[0]) == (part == "held_out")]
        if not chosen:
            raise ValueError(f"no {name} rows under {data}; point --real at the shared data folder")
        results[f"{name} ({part})"] = score([r[1] for r in chosen], [r[2] for r in chosen], baseline=baseline)
    return results
