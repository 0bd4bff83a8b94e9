"""``heard bench upset``: does ``upset`` follow how severe real complaints are, on every kind of text?

On the real sets in ``../shared/data`` (see its README), each split into a development part
and a held-out part (1 in 4 by a stable hash of the row's id, :mod:`heard.bench.real_sets`):

- Spearman of ``upset`` with the severity of finance complaint tweets (X-FINCORP) and of
  product-review complaints (CESAMARD), complaints only (no explicit reproach < disapproval <
  accusation < blame);
- AUC of ``upset`` separating negative airline tweets from neutral and positive ones;
- Pearson of ``upset`` with WASSA-2017 anger intensity (dev; nothing is fitted to WASSA);
- the share of each level per source (tweets, chats, letters, and complaints among them) so
  one can see whether a level means the same on a short tweet and a long letter;
- for comparison, the baselines measured with VADER (``docs`` figures in NOTES.md), which
  are printed, not recomputed: VADER is not a dependency.

Hand-written rules may be tuned while reading these sets; no weight is fitted to them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from heard.bench import real_sets
from heard.bench.metrics import pearson, spearman
from heard.understand import LEVELS, analyze, analyze_many

# Measured with VADER on the same kinds of text (NOTES.md, "Baselines on customer-service text").
VADER = {"airline_negative_auc": 0.75, "wassa_anger_pearson": 0.50, "xfincorp_severity_spearman": 0.20}


def auc(scores: np.ndarray, positive: np.ndarray) -> float:
    """Area under the ROC curve: the chance a positive scores above a negative (ties count half)."""
    from heard.bench.metrics import ranks

    r = ranks(scores) + 1
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if not n_pos or not n_neg:
        return float("nan")
    return float((r[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _parts(rows: Iterable[real_sets.Row], limit: int | None) -> dict[str, list[real_sets.Row]]:
    rows = list(rows)
    parts = {"dev": [r for r in rows if not real_sets.held_out(r.key)]}
    parts["heldout"] = [r for r in rows if real_sets.held_out(r.key)]
    # a spread sample, not the first rows: some sets are sorted by label
    return {
        name: part[:: max(1, len(part) // limit)][:limit] if limit else part for name, part in parts.items()
    }


def _score(rows: list[real_sets.Row], frame: bool) -> tuple[np.ndarray, list[str]]:
    results = []
    for at in range(0, len(rows), 64):
        texts = [r.text for r in rows[at : at + 64]]
        try:
            results += analyze_many(texts, frame=frame)
        except Exception:  # one text broke the frame: score that batch one by one
            results += [_one(t, frame) for t in texts]
    return np.array([a.upset for a in results]), [a.level for a in results]


FRAME_ERRORS: list[int] = [0]


def _one(text: str, frame: bool):
    try:
        return analyze(text, frame=frame)
    except Exception:  # counted and printed, so a broken frame is seen, not hidden
        FRAME_ERRORS[0] += 1
        return analyze(text, frame=False)


def _levels(levels: list[str]) -> dict[str, float]:
    counts = Counter(levels)
    return {level: round(counts[level] / max(1, len(levels)), 3) for level in LEVELS}


def _each_part(
    rows: Iterable[real_sets.Row], limit: int | None, frame: bool, figure: Callable
) -> dict[str, dict]:
    out = {}
    for name, part in _parts(rows, limit).items():
        upset, levels = _score(part, frame)
        out[name] = {"n": len(part), **figure(part, upset), "levels": _levels(levels)}
    return out


def _severity(part: list[real_sets.Row], upset: np.ndarray) -> dict[str, float]:
    sev = np.array([real_sets.SEVERITY.get(r.label, 0) for r in part], dtype=float)
    complaint = sev > 0
    return {
        "complaints": int(complaint.sum()),
        "severity_spearman": spearman(upset[complaint], sev[complaint]),
        "complaint_auc": auc(upset, complaint),
        "upset_by_severity": {
            name: round(float(upset[sev == v].mean()), 3) if (sev == v).any() else None
            for name, v in real_sets.SEVERITY.items()
        },
    }


def _negative_auc(part: list[real_sets.Row], upset: np.ndarray) -> dict[str, float]:
    negative = np.array([r.label == "negative" for r in part])
    return {"negative_auc": auc(upset, negative)}


def _anger(part: list[real_sets.Row], upset: np.ndarray) -> dict[str, float]:
    gold = np.array([float(r.label) for r in part])
    return {"anger_pearson": pearson(upset, gold), "anger_spearman": spearman(upset, gold)}


def bench_upset(data: Path, *, limit: int | None = None, frame: bool = True) -> dict:
    """Every figure above; ``limit`` caps the rows scored per part (for a quick look)."""
    FRAME_ERRORS[0] = 0
    wassa = list(real_sets.wassa_anger(data, "dev"))
    upset, levels = _score(wassa, frame)
    out: dict = {
        "xfincorp_severity": _each_part(real_sets.xfincorp(data), limit, frame, _severity),
        "amazon_severity": _each_part(real_sets.amazon(data), limit, frame, _severity),
        "airline_negative": _each_part(real_sets.airline(data), limit, frame, _negative_auc),
        "wassa_anger_dev": {"n": len(wassa), **_anger(wassa, upset), "levels": _levels(levels)},
    }
    # The same levels on every kind of text: complaints in tweets, chats and letters.
    sources = {
        "airline_negative_tweets": (r for r in real_sets.airline(data) if r.label == "negative"),
        "airline_positive_tweets": (r for r in real_sets.airline(data) if r.label == "positive"),
        "brand_support_tweets": real_sets.twcs_inbound(data),
        "support_chats": real_sets.tweetsumm_chats(data),
        "cfpb_letters": real_sets.cfpb_letters(data),
    }
    out["levels_by_source"] = {}
    for name, rows in sources.items():
        part = [r for r in rows if real_sets.held_out(r.key)][: limit or 400]
        upset, levels = _score(part, frame)
        out["levels_by_source"][name] = {
            "n": len(part),
            "mean_upset": round(float(upset.mean()), 3),
            "chars_median": int(np.median([len(r.text) for r in part])),
            **_levels(levels),
        }
    out["frame_errors"] = FRAME_ERRORS[0]  # texts whose complaint frame raised; scored without it
    out["vader_baselines"] = VADER
    return out
