"""A proxy for the scorecard's helped-versus-failed AUC on ESConv (evaluation only, nothing fitted).

ESConv (CC BY-NC 4.0, evaluation and analysis only) has seekers rate their distress before and
after, and the supporter's empathy (1-5); no dialogue in the shared file ends worse, so "helped"
is a drop of 3 or more and "failed" a drop of 1 or less. The figures are the AUC of
``heard.score_conversation`` between the two (ties count half) and the Spearman correlation of
the score with the seeker's empathy rating.

Held-out part: the shared file has no conversation id, so a conversation's id is the SHA-1 of
its situation and its first message (``conversation_id``); the quarter with
``int(sha1, 16) % 4 == 0`` is held out. Rules are written
and read against the rest (``--part dev``); figures are reported on ``--part held-out``::

    PYTHONPATH=src python training/esconv_scorecard_proxy.py ../shared/data/esconv --part held-out

Customer messages are analysed and agent messages read once per text (the scorecard takes the
readings as the service passes them); ``--cache FILE`` keeps them between runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
from pathlib import Path

from heard.playbook.scorecard import score_conversation
from heard.respond import read_acts
from heard.understand import analyze_many

ROLES = {"usr": "customer", "sys": "agent"}


def conversation_id(d: dict) -> str:
    first = next((t["text"] for t in d["dialog"] if t["text"].strip()), "")
    return hashlib.sha1(f"{d.get('situation', '')}\n{first}".encode()).hexdigest()


def held_out(d: dict) -> bool:
    return int(conversation_id(d), 16) % 4 == 0


def rated(rows: list[dict]) -> list[tuple[dict, int, int]]:
    """(conversation, drop in distress, empathy rating) for the conversations with a survey."""
    return [(d, drop, empathy) for d, drop, empathy, _ in surveyed(rows)]


def surveyed(rows: list[dict]) -> list[tuple[dict, int, int, int]]:
    """(conversation, drop in distress, empathy rating, starting distress) with a survey."""
    out = []
    for d in rows:
        s = d["survey_score"]["seeker"]
        try:
            start = int(s["initial_emotion_intensity"])
            out.append((d, start - int(s["final_emotion_intensity"]), int(s["empathy"]), start))
        except (KeyError, TypeError, ValueError):
            continue
    return out


def auc(pos: list[float], neg: list[float]) -> float:
    return sum((a > b) + 0.5 * (a == b) for a in pos for b in neg) / (len(pos) * len(neg))


def auc_within(scored: list[tuple[float, int, int]]) -> float:
    """The AUC over helped/failed pairs that started at the same distress: a drop of 3 needs a
    start of 4 or 5, so the plain AUC also rewards reading how distressed the seeker began."""
    pairs = [
        (a > b) + 0.5 * (a == b)
        for a, da, sa in scored
        if da >= 3
        for b, db, sb in scored
        if db <= 1 and sb == sa
    ]
    return sum(pairs) / len(pairs)


def _ranks(xs: list[float]) -> list[float]:
    order = sorted(range(len(xs)), key=xs.__getitem__)
    ranks = [0.0] * len(xs)
    k = 0
    while k < len(order):
        j = k
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[k]]:
            j += 1
        for i in range(k, j + 1):
            ranks[order[i]] = (k + j) / 2
        k = j + 1
    return ranks


def spearman(xs: list[float], ys: list[float]) -> float:
    a, b = _ranks(xs), _ranks(ys)
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True))
    va, vb = sum((x - ma) ** 2 for x in a), sum((y - mb) ** 2 for y in b)
    return cov / (va * vb) ** 0.5 if va and vb else 0.0


class Readings:
    """Each text read once (analysis for a customer's, acts for an agent's), kept in a file."""

    def __init__(self, cache: Path | None):
        self.cache = cache
        self.seen: dict[tuple[str, str], object] = {}
        self.new = 0
        if cache is not None and cache.is_file():
            self.seen = pickle.loads(cache.read_bytes())  # noqa: S301 (our own cache file)

    def read_all(self, chats: list[list[dict]]) -> None:
        """Read every text not read yet: customers' in batches, agents' one by one."""
        said = {m["text"] for chat in chats for m in chat if m["role"] == "customer"}
        todo = sorted(t for t in said if ("customer", t) not in self.seen)
        for text, analysis in zip(todo, analyze_many(todo), strict=True):
            self.seen["customer", text] = analysis
            self.new += 1
        replies = {m["text"] for chat in chats for m in chat if m["role"] == "agent"}
        for k, text in enumerate(sorted(t for t in replies if ("agent", t) not in self.seen)):
            self.seen["agent", text] = read_acts(text)
            self.new += 1
            if k % 1000 == 999:
                print(f"{k + 1} replies read", file=sys.stderr)

    def __call__(self, role: str, text: str):
        return self.seen[role, text]

    def save(self) -> None:
        if self.cache is not None and self.new:
            self.cache.write_bytes(pickle.dumps(self.seen))


def chat_of(d: dict) -> list[dict]:
    return [{"role": ROLES[t["speaker"]], "text": t["text"]} for t in d["dialog"] if t["text"].strip()]


def score(d: dict, read: Readings) -> int:
    chat = chat_of(d)
    return score_conversation(
        chat,
        analyses=[read("customer", m["text"]) for m in chat if m["role"] == "customer"],
        readings=[read("agent", m["text"]) for m in chat if m["role"] == "agent"],
    ).score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="ESConv folder or its JSONL file")
    parser.add_argument("--part", choices=("held-out", "dev", "all"), default="held-out")
    parser.add_argument("--cache", type=Path, default=None, help="keep the readings in this file")
    args = parser.parse_args()
    file = args.data / "esconv_hf_train.jsonl" if args.data.is_dir() else args.data
    rows = [json.loads(line) for line in file.read_text("utf-8").splitlines() if line.strip()]
    if args.part != "all":
        rows = [d for d in rows if held_out(d) == (args.part == "held-out")]
    read = Readings(args.cache)
    read.read_all([chat_of(d) for d, _, _ in rated(rows)])
    read.save()
    scored = [(score(d, read), drop, empathy) for d, drop, empathy in rated(rows)]
    starts = [start for *_, start in surveyed(rows)]
    helped = [s for s, drop, _ in scored if drop >= 3]
    failed = [s for s, drop, _ in scored if drop <= 1]
    rho = spearman([s for s, _, _ in scored], [e for _, _, e in scored])
    print(
        f"{args.part}: {len(helped)} helped, {len(failed)} failed: AUC {auc(helped, failed):.3f}; "
        f"mean score {sum(helped) / len(helped):.1f} vs {sum(failed) / len(failed):.1f}; "
        f"Spearman with empathy rating {rho:.3f} (n={len(scored)}); AUC within the same starting "
        f"distress {auc_within([(s, drop, st) for (s, drop, _), st in zip(scored, starts, strict=True)]):.3f}"
    )


if __name__ == "__main__":
    main()
