"""How far could any grouping of the encoder's embeddings agree with the labelled causes?

    python training/themes_supervised_ceiling.py ../shared/data

A ceiling for ``heard bench themes --real``: a logistic regression trained on the develop part's
labels (which no theme model sees) predicts the held-out part's cause from the same core
embeddings the theme model groups, and the NMI of those predictions with the labels is printed
beside the theme model's. Themes are found without labels, so they should not be expected to
agree with the causes much better than a classifier taught the causes on the same features. Same
held-out split as the bench (``real_themes.held_out``). Nothing is saved or shipped.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import normalized_mutual_info_score

from heard.bench.real_themes import airline_complaints, cfpb_complaints, cfpb_products, held_out
from heard.insights.theme_model import embed_cores


def ceiling(rows: list[tuple[str, str, str]]) -> dict:
    """NMI and accuracy of a classifier taught the develop part's causes, on the held-out part."""
    kept = np.array([held_out(r[0]) for r in rows])
    labels = np.array([r[2] for r in rows])
    vectors = embed_cores([r[1] for r in rows])
    model = LogisticRegression(max_iter=3000, C=1.0).fit(vectors[~kept], labels[~kept])
    predicted = model.predict(vectors[kept])
    return {
        "held_out": int(kept.sum()),
        "nmi": round(float(normalized_mutual_info_score(labels[kept], predicted)), 3),
        "accuracy": round(float((predicted == labels[kept]).mean()), 3),
    }


def main(data: Path) -> None:
    sets = {
        "airline reasons": airline_complaints(data),
        "cfpb payday_2023 issues": cfpb_complaints(data),
        "cfpb 2015-2016 products": cfpb_products(data),
    }
    for name, rows in sets.items():
        print(f"{name}: supervised ceiling {ceiling(rows)}", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
