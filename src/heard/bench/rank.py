"""``heard bench rank``: does the review score a better reply above a worse one?

Real customer messages (first tweets to brands in ``../shared/data/twcs/twcs_first5000.csv``,
re-read at run time: heard keeps only their ids) each get six replies of graded quality:

- 3: a reflection heard's authors wrote for that message (``data/rank_replies.jsonl``);
- 2: a generic acknowledgement ("I understand how you feel.");
- 1: a parrot (the message's first sentence said back word for word, made at run time),
  advice without listening (written per message), a non-apology ("sorry for any inconvenience");
- 0: a defensive or dismissive reply ("That's our policy.").

The kind-level replies come from ``data/rank_pools.yaml``, one per message by a hash of its id.
Every pair of replies of different grades is a pair; the figure is the share where the better
reply's review score is strictly higher (a tie counts as a miss). One message in three (SHA-1 of
its id divisible by 3) is held out: the review was not tuned while reading it.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from importlib.resources import files
from pathlib import Path

import yaml

from heard.bench.real_replies import clean

GRADES = {"reflection": 3, "generic": 2, "parrot": 1, "advice": 1, "non_apology": 1, "defensive": 0}
_LINK = re.compile(r"https?://\S+")


def held_out(rid: str) -> bool:
    return int(hashlib.sha1(rid.encode()).hexdigest(), 16) % 3 == 0


def _pick(pool: list[str], rid: str, kind: str) -> str:
    return pool[int(hashlib.sha1(f"{kind}:{rid}".encode()).hexdigest(), 16) % len(pool)]


def customer_text(raw: str) -> str:
    return _LINK.sub("", clean(raw)).strip()


def parrot(customer: str) -> str:
    """The customer's first sentence of six words or more, said back word for word."""
    from heard.language import sentence_spans

    pieces = [customer[a:b].strip() for a, b in sentence_spans(customer)] or [customer]
    # The first sentence with something in it: "Ugh!" said back is no parrot.
    first = next((p for p in pieces if len(p.split()) >= 6), " ".join(customer.split()[:20]))
    return f"So {first[:1].lower()}{first[1:]}" if first else customer


def rank_set(root: Path) -> list[dict]:
    """Each message with its customer text and its six graded replies."""
    rows = [json.loads(line) for line in (files("heard.bench") / "data" / "rank_replies.jsonl").read_text("utf-8").splitlines() if line.strip()]  # fmt: skip
    pools = yaml.safe_load((files("heard.bench") / "data" / "rank_pools.yaml").read_text("utf-8"))
    wanted = {r["id"]: r for r in rows}
    texts: dict[str, str] = {}
    with (root / "twcs" / "twcs_first5000.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["tweet_id"] in wanted:
                texts[row["tweet_id"]] = customer_text(row["text"])
    out = []
    for rid, row in wanted.items():
        if rid not in texts:
            continue
        customer = texts[rid]
        replies = {
            "reflection": row["reflection"],
            "generic": _pick(pools["generic"], rid, "generic"),
            "parrot": parrot(customer),
            "advice": row["advice"],
            "non_apology": _pick(pools["non_apology"], rid, "non_apology"),
            "defensive": _pick(pools["defensive"], rid, "defensive"),
        }
        out.append({"id": rid, "customer": customer, "replies": replies, "heldout": held_out(rid)})
    return out


def bench_rank(root: Path, *, limit: int | None = None) -> dict:
    from heard.respond.review import review

    items = rank_set(root)[:limit]
    tallies: dict[str, dict[str, int]] = {p: {"pairs": 0, "better": 0, "ties": 0} for p in ("dev", "heldout")}
    by_kind: dict[str, list[int]] = {k: [] for k in GRADES}
    for item in items:
        scores = {k: review(text, customer=item["customer"]).score for k, text in item["replies"].items()}
        for k, s in scores.items():
            by_kind[k].append(s)
        t = tallies["heldout" if item["heldout"] else "dev"]
        for a in GRADES:
            for b in GRADES:
                if GRADES[a] > GRADES[b]:
                    t["pairs"] += 1
                    t["better"] += scores[a] > scores[b]
                    t["ties"] += scores[a] == scores[b]
    figures: dict = {"messages": len(items), "missing": len(json_ids()) - len(items) if limit is None else 0}
    for part, t in tallies.items():
        figures[part] = {
            "messages": sum(1 for i in items if i["heldout"] == (part == "heldout")),
            "pairs": t["pairs"],
            "better_share": round(t["better"] / t["pairs"], 3) if t["pairs"] else 0.0,
            "tie_share": round(t["ties"] / t["pairs"], 3) if t["pairs"] else 0.0,
        }
    figures["mean_score"] = {k: round(sum(v) / len(v), 1) for k, v in by_kind.items() if v}
    return figures


def json_ids() -> list[str]:
    text = (files("heard.bench") / "data" / "rank_replies.jsonl").read_text("utf-8")
    return [json.loads(line)["id"] for line in text.splitlines() if line.strip()]
