"""Train the reply-act model heard ships: one logistic regression per act over sentence features.

    python training/train_acts.py                      # choose C by cross-validation, fit, write the model
    python training/train_acts.py --compare --esconv ../shared/data/esconv   # also compare feature sets

Data: heard's own labelled agent replies, ``src/heard/bench/data/replies.train.jsonl`` (the
held-out part, ``replies.heldout.jsonl``, is never read here: ``heard bench acts`` scores it).
Each sentence carries its own labels, so the model is trained per sentence and a reply does
an act when one of its sentences does (the same max the runtime takes).

Features per sentence (``heard.respond.acts.sentence_features``): the shipped all-MiniLM-L6-v2
int8 embedding (384) and the lexical cues of ``act_cues.v1.yaml``. Options compared by 5-fold
cross-validation over replies (folds never split a reply): cues only, embedding only, both;
regularisation C on a small grid. Thresholds: F1-optimal per act on the out-of-fold reply
predictions, folded into the bias so that 0.5 is each act's threshold. Writes
``src/heard/respond/models/acts/acts.v1.json``. Needs scikit-learn (training only).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from heard.bench.metrics import f1_per_label
from heard.language import sentence_spans
from heard.respond.acts import ACTS, EMBEDDING_SIZE, MODEL, ActModel, read_acts, sentence_features

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src/heard/bench/data/replies.train.jsonl"
OUT = ROOT / "src/heard/respond/models/acts" / f"{MODEL}.json"
GRID = np.round(np.arange(0.05, 0.96, 0.01), 2)
FOLDS = 5
SEED = 13
WEIGHTING: str | None = "balanced"  # positives weighted up to the negatives (--unweighted: plain)


def load(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    for row in rows:  # the runtime must cut each reply exactly where its labels were written
        spans = sentence_spans(row["text"])
        assert [row["text"][a:b] for a, b in spans] == [s["text"] for s in row["sentences"]], row["id"]
    return rows


def sentence_table(rows: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels (sentences x acts) and the reply each sentence belongs to."""
    X, Y, owner = [], [], []
    for i, row in enumerate(rows):
        for s in row["sentences"]:
            X.append(sentence_features(s["text"]))
            Y.append([a in s["acts"] for a in ACTS])
            owner.append(i)
    return np.stack(X), np.array(Y, dtype=bool), np.array(owner)


def columns(option: str) -> slice:
    return {
        "cues": slice(EMBEDDING_SIZE, None),
        "embedding": slice(0, EMBEDDING_SIZE),
        "both": slice(0, None),
    }[option]


def fit(
    X: np.ndarray, Y: np.ndarray, C: float, *, offsets: np.ndarray | None = None, option: str = "both"
) -> ActModel:
    """One logistic regression per act on the ``option`` columns; the others get weight 0."""
    cols = columns(option)
    # A few int8 embedding dimensions hardly vary; a floor on the scale keeps them from blowing up.
    centre, spread = X[:, cols].mean(0), np.maximum(X[:, cols].std(0), 1e-3)
    Z = (X[:, cols] - centre) / spread
    weights, bias = [], []
    for k in range(Y.shape[1]):
        lr = LogisticRegression(C=C, max_iter=3000, class_weight=WEIGHTING, random_state=SEED)
        lr.fit(Z, Y[:, k])
        weights.append(lr.coef_[0])
        bias.append(lr.intercept_[0])
    bias = np.array(bias) - (offsets if offsets is not None else 0.0)
    mean, scale, full = np.zeros(X.shape[1]), np.ones(X.shape[1]), np.zeros((Y.shape[1], X.shape[1]))
    mean[cols], scale[cols] = centre, spread
    full[:, cols] = np.array(weights)
    return ActModel(acts=list(ACTS), mean=mean, scale=scale, weights=full, bias=bias)


def reply_gold(rows: list[dict]) -> np.ndarray:
    return np.array([[a in r["acts"] for a in ACTS] for r in rows], dtype=bool)


def folds(n: int) -> np.ndarray:
    return np.random.default_rng(SEED).permutation(n) % FOLDS


def out_of_fold(rows, X, Y, owner, option: str, C: float) -> np.ndarray:
    """Out-of-fold reply probabilities (max over sentences, before rules)."""
    fold_of = folds(len(rows))
    probs = np.zeros((len(rows), len(ACTS)))
    for f in range(FOLDS):
        train = fold_of[owner] != f
        model = fit(X[train], Y[train], C, option=option)
        test = ~train
        p = model.probabilities(X[test])
        for row, i in zip(p, owner[test], strict=True):
            probs[i] = np.maximum(probs[i], row)
    return probs


def tuned(probs: np.ndarray, gold: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-act F1-optimal thresholds and the F1 they give."""
    best_t, best_f1 = np.full(len(ACTS), 0.5), np.full(len(ACTS), -1.0)
    for t in GRID:
        f1 = f1_per_label(probs >= t, gold)
        better = f1 > best_f1
        best_t[better], best_f1[better] = t, f1[better]
    return best_t, best_f1


def with_rules(rows, X, Y, owner, C: float, thresholds: np.ndarray) -> np.ndarray:
    """Out-of-fold reply decisions through the runtime path (``read_acts``), rules included."""
    fold_of = folds(len(rows))
    offsets = np.log(thresholds / (1 - thresholds))
    pred = np.zeros((len(rows), len(ACTS)), dtype=bool)
    for f in range(FOLDS):
        model = fit(X[fold_of[owner] != f], Y[fold_of[owner] != f], C, offsets=offsets)
        for i in np.flatnonzero(fold_of == f):
            a = read_acts(rows[i]["text"], model=model).acts
            pred[i] = [a[k] >= 0.5 for k in ACTS]
    return pred


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--compare", action="store_true", help="also cross-validate cues only and embedding only")
    ap.add_argument("--compare-only", action="store_true", help="compare, write nothing")
    ap.add_argument(
        "--esconv",
        type=Path,
        help="also print each option's ESConv figures (evaluation only: nothing is fitted to it)",
    )
    ap.add_argument("--esconv-limit", type=int, default=3000)
    ap.add_argument("--unweighted", action="store_true", help="no class weighting (compare)")
    ap.add_argument("--C", type=float, action="append", help="cross-validate only these C values (faster)")
    args = ap.parse_args()
    global WEIGHTING
    WEIGHTING = None if args.unweighted else "balanced"
    rows = load(args.data)
    X, Y, owner = sentence_table(rows)
    gold = reply_gold(rows)
    print(f"{len(rows)} replies, {len(X)} sentences, {X.shape[1]} features")
    question_mark = np.array([["?" in r["text"]] * len(ACTS) for r in rows])
    print(
        f"baseline 'contains ?' question F1: {f1_per_label(question_mark, gold)[ACTS.index('question')]:.3f}"
    )
    results = {}
    compare = args.compare or args.compare_only
    for option in ("cues", "embedding", "both") if compare else ("both",):
        for C in args.C or (0.01, 0.03, 0.1, 0.3):
            probs = out_of_fold(rows, X, Y, owner, option, C)
            at_half = f1_per_label(probs >= 0.5, gold).mean()
            thresholds, f1 = tuned(probs, gold)
            results[(option, C)] = (f1.mean(), thresholds)
            print(f"{option:9s} C={C:<5} macro-F1 at 0.5 {at_half:.3f}, tuned {f1.mean():.3f}")
    option, C = max(results, key=lambda k: results[k][0])
    print(f"best by cross-validation: {option}, C={C}")
    if args.esconv:
        from heard.bench.acts import bench_esconv

        for opt in ("cues", "embedding", "both") if compare else ("both",):
            c = max((k for k in results if k[0] == opt), key=lambda k: results[k][0])[1]
            offsets = np.log(results[(opt, c)][1] / (1 - results[(opt, c)][1]))
            fitted = fit(X, Y, c, offsets=offsets, option=opt)
            esconv = bench_esconv(args.esconv, limit=args.esconv_limit, model=fitted)
            print(f"ESConv {opt:9s} C={c:<5} top {esconv['top']} any macro {esconv['any']['macro_f1']}")
    # Cues were written by the authors of the data they are scored on, so cross-validation
    # flatters them; the embedding carries what the cues have no word for. Ship both.
    option = "both"
    C = max((k for k in results if k[0] == option), key=lambda k: results[k][0])[1]
    if args.compare_only:
        return
    thresholds = results[(option, C)][1]
    pred = with_rules(rows, X, Y, owner, C, thresholds)
    f1 = f1_per_label(pred, gold)
    print("out-of-fold with rules, per act:")
    for act, value in zip(ACTS, f1, strict=True):
        print(f"  {act:16s} {value:.3f}")
    print(f"  macro-F1         {f1.mean():.3f}")
    model = fit(X, Y, C, offsets=np.log(thresholds / (1 - thresholds)))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    rounded = lambda a: [float(f"{v:.6g}") for v in np.ravel(a)]  # noqa: E731
    OUT.write_text(
        json.dumps(
            {
                "name": MODEL,
                "acts": list(ACTS),
                "features": f"{EMBEDDING_SIZE} embedding dims + cues of act_cues.v1 + shouting + log words",
                "trained_on": f"{args.data.name}: {len(rows)} replies, {len(X)} sentences",
                "C": C,
                "thresholds": dict(zip(ACTS, rounded(thresholds), strict=True)),
                "cv_macro_f1": round(float(f1.mean()), 4),
                "mean": rounded(model.mean),
                "scale": rounded(model.scale),
                "weights": [rounded(w) for w in model.weights],
                "bias": rounded(model.bias),
            },
            separators=(",", ":"),
        )
        + "\n",
        "utf-8",
    )
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KB); math check {math.isfinite(f1.mean())}")


if __name__ == "__main__":
    main()
