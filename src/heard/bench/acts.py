"""``heard bench acts``: reply acts on real brand replies, ESConv's supporter strategies and heard's held-out replies.

Real brand replies (``real``): sentences of Twitter brand replies that heard's authors labelled
(``docs/acts-labelling.md``); only the labels are in heard, keyed by id, and the text is re-read
from ``../shared/data`` (``heard.bench.real_replies``). No weight is fitted to them: rules and
cues were tuned while reading the development part, never the held-out quarter.

ESConv labels each supporter turn with one strategy; heard reads several acts per reply.
The strategies map to acts as the issue sets out::

    Question                                         -> question
    Restatement or Paraphrasing, Reflection of feelings -> reflection
    Self-disclosure                                  -> self_disclosure
    Providing Suggestions                            -> solution
    Information                                      -> information
    Affirmation and Reassurance                      -> empathy
    Others                                           -> (none of the six)

How a multi-label reading is scored against one gold strategy:

- **top** (the headline): each turn gets one predicted strategy: of the six mapped acts, the
  one with the highest value among those present (>= 0.5); none if no mapped act is present.
  Then per-act F1 as in single-label classification (a turn counts once, for one act);
  macro-F1 is the mean over the six acts. "Others" turns are gold for no act, so predicting
  an act on them is a false positive for that act.
- **any** (strict multi-label): every mapped act present on a turn is a prediction, so a turn
  that asks *and* suggests counts a false positive for whichever the annotator did not pick.

Baseline (NOTES.md): question = "the turn contains a question mark", in both schemes.
ESConv is evaluation data only: no weight or threshold in heard is fitted to it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import numpy as np

from heard.bench.metrics import f1_per_label

STRATEGY_ACT = {
    "Question": "question",
    "Restatement or Paraphrasing": "reflection",
    "Reflection of feelings": "reflection",
    "Self-disclosure": "self_disclosure",
    "Providing Suggestions": "solution",
    "Information": "information",
    "Affirmation and Reassurance": "empathy",
    "Others": None,
}
MAPPED = ("question", "reflection", "self_disclosure", "solution", "information", "empathy")


def esconv_turns(path: Path) -> Iterator[tuple[str, str]]:
    """(supporter text, strategy) for every labelled supporter turn of ESConv's JSONL."""
    file = path / "esconv_hf_train.jsonl" if path.is_dir() else path
    with file.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            for turn in json.loads(line)["dialog"]:
                if (
                    turn.get("speaker") == "sys"
                    and turn.get("strategy") in STRATEGY_ACT
                    and turn["text"].strip()
                ):
                    yield turn["text"].strip(), turn["strategy"]


def score_top(values: list[dict[str, float]], gold: list[str | None]) -> dict[str, float]:
    """Per-act and macro F1 with one predicted act per turn (see the module docstring)."""
    pred = np.zeros((len(values), len(MAPPED)), dtype=bool)
    for i, v in enumerate(values):
        present = [(v[a], k) for k, a in enumerate(MAPPED) if v[a] >= 0.5]
        if present:
            pred[i, max(present)[1]] = True
    return _per_act(pred, _gold(gold))


def score_any(values: list[dict[str, float]], gold: list[str | None]) -> dict[str, float]:
    """Per-act and macro F1 with every present act counted as a prediction."""
    pred = np.array([[v[a] >= 0.5 for a in MAPPED] for v in values], dtype=bool)
    return _per_act(pred, _gold(gold))


def _gold(gold: list[str | None]) -> np.ndarray:
    return np.array([[g == a for a in MAPPED] for g in gold], dtype=bool)


def _per_act(pred: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    f1 = f1_per_label(pred, gold)
    return {
        **{a: round(float(v), 3) for a, v in zip(MAPPED, f1, strict=True)},
        "macro_f1": round(float(f1.mean()), 3),
    }


def question_mark_f1(texts: list[str], gold: list[str | None]) -> float:
    pred = np.array([["?" in t] for t in texts])
    return round(float(f1_per_label(pred, np.array([[g == "question"] for g in gold]))[0]), 3)


def bench_esconv(data: Path, *, limit: int | None = None, model=None) -> dict:
    """Read every (or the first ``limit``) ESConv supporter turn and score it both ways."""
    from heard.respond.acts import read_acts

    turns = list(esconv_turns(data))[:limit]
    texts = [t for t, _ in turns]
    gold = [STRATEGY_ACT[s] for _, s in turns]
    values = [read_acts(t, model=model).acts for t in texts]
    return {
        "turns": len(turns),
        "top": score_top(values, gold),
        "any": score_any(values, gold),
        "baseline_question_mark_f1": question_mark_f1(texts, gold),
    }


def heldout_replies(path: Path | None = None) -> list[dict]:
    """heard's held-out labelled replies (``bench/data/replies.heldout.jsonl``), or another file."""
    text = (
        path.read_text("utf-8")
        if path
        else (files("heard.bench") / "data" / "replies.heldout.jsonl").read_text("utf-8")
    )
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def bench_heldout(path: Path | None = None, *, model=None) -> dict:
    """Per-act F1 on heard's held-out replies (reply level: an act is in the reply or not)."""
    from heard.respond.acts import ACTS, read_acts

    rows = heldout_replies(path)
    gold = np.array([[a in r["acts"] for a in ACTS] for r in rows], dtype=bool)
    pred = np.array([[read_acts(r["text"], model=model).acts[a] >= 0.5 for a in ACTS] for r in rows])
    f1 = f1_per_label(pred, gold)
    mark = np.array([["?" in r["text"]] for r in rows])
    return {
        "replies": len(rows),
        "per_act": {a: round(float(v), 3) for a, v in zip(ACTS, f1, strict=True)},
        "macro_f1": round(float(f1.mean()), 3),
        "baseline_question_mark_f1": round(
            float(f1_per_label(mark, gold[:, [ACTS.index("question")]])[0]), 3
        ),
    }


def bench_acts(data: Path | None, *, limit: int | None = None) -> dict:
    """heard's held-out replies always; with ``data`` (``../shared/data``) also the labelled real
    brand replies and ESConv (``data/esconv``). A folder holding ESConv's JSONL itself is read
    as ESConv only, as before."""
    figures: dict = {"heldout": bench_heldout()}
    if data is None:
        return figures
    esconv = data / "esconv" if (data / "esconv").is_dir() else data
    if data.is_file() or (esconv / "esconv_hf_train.jsonl").is_file():
        figures["esconv"] = bench_esconv(esconv if data.is_dir() else data, limit=limit)
    if (data / "twcs").is_dir():
        figures["real"] = bench_real(data)
    return figures


# The acts labelled on real brand replies (docs/acts-labelling.md); the others are too rare there.
REAL_ACTS = (
    "reflection", "question", "apology", "empathy", "ownership", "solution", "information",
    "self_disclosure", "defensive", "dismissive", "acknowledgement", "deflection", "gratitude", "closing",
)  # fmt: skip


def real_labels(path: Path | None = None) -> list[dict]:
    """The labels of real brand-reply sentences, keyed by id (``bench/data/real_reply_labels.jsonl``)."""
    text = (
        path.read_text("utf-8")
        if path
        else (files("heard.bench") / "data" / "real_reply_labels.jsonl").read_text("utf-8")
    )
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def bench_real(root: Path, *, model=None, labels: list[dict] | None = None) -> dict:
    """Sentence-level per-act F1 on the labelled real brand replies, re-read from ``root``
    (``../shared/data``): all of them, the development part and the held-out quarter."""
    from heard.bench.real_replies import held_out, real_replies, text_id
    from heard.respond.acts import read_acts

    labels = labels if labels is not None else real_labels()
    wanted: dict[tuple[str, str], dict[int, dict]] = {}
    for row in labels:
        wanted.setdefault((row["source"], row["id"]), {})[row["sentence_index"]] = row
    pred, gold, part, missing, text = [], [], [], 0, []
    found = set()
    for source, rid, reply in real_replies(root):
        rows = wanted.get((source, rid))
        if rows is None:
            continue
        found.add((source, rid))
        sentences = read_acts(reply, model=model).sentences
        for i, row in rows.items():
            if i >= len(sentences) or text_id(sentences[i].text) != row["sha"]:
                missing += 1  # the data or the splitter changed: the label no longer fits
                continue
            pred.append([sentences[i].acts[a] >= 0.5 for a in REAL_ACTS])
            gold.append([a in row["acts"] for a in REAL_ACTS])
            part.append(held_out(source, rid))
            text.append(sentences[i].text)
    missing += sum(len(rows) for key, rows in wanted.items() if key not in found)
    if not gold:
        raise FileNotFoundError(
            f"no labelled brand reply found under {root} (expected twcs/, tweetsumm/ ...)"
        )
    P, G, H = np.array(pred, dtype=bool), np.array(gold, dtype=bool), np.array(part, dtype=bool)
    mark = np.array([["?" in t] for t in text])

    # An act with no labelled case in the whole set (self-disclosure: brands hardly tell their
    # own stories) has no F1 to speak of: it is left out of the macro average, not scored 0.
    scored = G.sum(0) > 0

    def scores(rows: np.ndarray) -> dict:
        f1 = f1_per_label(P[rows], G[rows])
        q = f1_per_label(mark[rows], G[rows][:, [REAL_ACTS.index("question")]])[0]
        return {
            "sentences": int(rows.sum()),
            "per_act": {a: round(float(v), 3) for a, v, k in zip(REAL_ACTS, f1, scored, strict=True) if k},
            "cases": {a: int(n) for a, n in zip(REAL_ACTS, G[rows].sum(0), strict=True)},
            "macro_f1": round(float(f1[scored].mean()), 3),
            "baseline_question_mark_f1": round(float(q), 3),
        }

    return {
        "all": scores(np.ones(len(G), dtype=bool)),
        "dev": scores(~H),
        "heldout": scores(H),
        "missing": missing,
    }
