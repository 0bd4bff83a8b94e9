"""Compose brand-style labelled replies from ``training/data/brand_sentences.txt`` into
``src/heard/bench/data/replies.{train,heldout}.jsonl`` (ids ``brand-NNNN``; earlier brand rows
are replaced, heard's other replies are kept).

The sentences were written for heard in the style of brand support on social media (asking for
a DM, troubleshooting steps, links, sign-offs) and labelled by ``docs/acts-labelling.md``. Every
fourth pool sentence and every fourth written reply is held out: held-out replies are composed
only of held-out sentences, so no sentence is on both sides. A composed reply is an optional
greeting, one to three pool sentences and an optional sign-off; its sentences are cut by
``heard.language.sentence_spans`` and each gets the union of the labels of the pieces it covers
(a reply whose cut crosses a piece is skipped).

    python training/compose_brand_replies.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from heard.language import sentence_spans

ROOT = Path(__file__).resolve().parents[1]
POOL = ROOT / "training/data/brand_sentences.txt"
DATA = ROOT / "src/heard/bench/data"
CODES = {
    "R": ["reflection"], "Q": ["question", "question_closed"], "W": ["question", "question_open"],
    "A": ["apology"], "E": ["empathy"], "K": ["acknowledgement"], "O": ["ownership"], "S": ["solution"],
    "I": ["information"], "D": ["self_disclosure"], "F": ["defensive"], "X": ["dismissive"], "B": ["blame"],
    "L": ["deflection"], "U": ["follow_up"], "G": ["gratitude"], "C": ["closing"], "-": [],
}  # fmt: skip
SEED = 29
PER_SENTENCE = 3  # each pool sentence appears in about this many composed replies


def labels(codes: str) -> list[str]:
    return sorted({act for c in codes.split() for act in CODES[c]})


def read_pool() -> tuple[list, list, list, list]:
    greetings, signoffs, singles, written = [], [], [], []
    blocks = POOL.read_text("utf-8").split("\n\n")
    for block in blocks:
        lines = [ln for ln in block.splitlines() if ln.strip() and not ln.startswith("#")]
        tagged = [ln for ln in lines if ln.startswith("@")]
        for ln in tagged:
            kind, text = ln.split("\t", 1)
            (greetings if kind == "@greeting" else signoffs).append(text)
        lines = [ln for ln in lines if not ln.startswith("@")]
        if not lines:
            continue
        if all("\t" in ln for ln in lines):
            singles += [(t, labels(c)) for c, t in (ln.split("\t", 1) for ln in lines)]
        else:  # a written reply: its codes first, then its sentences, one a line
            half = len(lines) // 2
            written.append([(t, labels(c)) for c, t in zip(lines[:half], lines[half:], strict=True)])
    return greetings, signoffs, singles, written


def cut(pieces: list[tuple[str, list[str]]]) -> dict | None:
    """The reply of ``pieces`` with each sentence the runtime cuts labelled, or None."""
    text, bounds = "", []
    for piece, acts in pieces:
        if text:
            text += " "
        bounds.append((len(text), len(text) + len(piece), acts))
        text += piece
    sentences = []
    for a, b in sentence_spans(text):
        inside = [acts for s, e, acts in bounds if s < b and e > a]
        if any((s < a < e) or (s < b < e) for s, e, _ in bounds):
            return None  # the cut crosses a piece: its labels would be a guess
        sentences.append({"text": text[a:b], "acts": sorted({x for acts in inside for x in acts})})
    acts = sorted({x for s in sentences for x in s["acts"]})
    return {"text": text, "channel": "social", "acts": acts, "sentences": sentences}


def compose(singles, greetings, signoffs, rng: random.Random) -> list[dict]:
    order = [i for _ in range(PER_SENTENCE) for i in rng.sample(range(len(singles)), len(singles))]
    replies = []
    while order:
        size = rng.choice((1, 2, 2, 3))
        take, order = order[:size], order[size:]
        pieces = [singles[i] for i in take]
        if rng.random() < 0.35:
            greeting = rng.choice(greetings)
            if greeting.endswith(","):
                first, acts = pieces[0]
                pieces[0] = (first[0].lower() + first[1:] if not first.startswith("I ") else first, acts)
                pieces = [(f"{greeting} {pieces[0][0]}", pieces[0][1]), *pieces[1:]]
            else:
                pieces = [(greeting, []), *pieces]
        if rng.random() < 0.4:
            pieces.append((rng.choice(signoffs), []))
        reply = cut(pieces)
        if reply:
            replies.append(reply)
    return replies


def main() -> None:
    rng = random.Random(SEED)
    greetings, signoffs, singles, written = read_pool()
    parts = {"train": [], "heldout": []}
    for part, keep in (("train", lambda i: i % 4 != 3), ("heldout", lambda i: i % 4 == 3)):
        pool = [s for i, s in enumerate(singles) if keep(i)]
        parts[part] += compose(pool, greetings, signoffs, rng)
        parts[part] += [r for i, w in enumerate(written) if keep(i) and (r := cut(w))]
    n = 0
    for part, rows in parts.items():
        path = DATA / f"replies.{part}.jsonl"
        kept = [ln for ln in path.read_text("utf-8").splitlines() if ln.strip() and '"brand-' not in ln[:20]]
        lines = []
        for row in rows:
            n += 1
            lines.append(json.dumps({"id": f"brand-{n:04d}", **row}, ensure_ascii=False))
        path.write_text("\n".join(kept + lines) + "\n", "utf-8")
        print(f"{path.name}: {len(kept)} of heard's replies + {len(lines)} brand-style replies")


if __name__ == "__main__":
    main()
