"""``heard bench listen``: complaint frames and reflections on heard's golden complaints.

Two sets written for heard, across every category and the hard cases (typos, capitals,
sarcasm, run-on text, several problems, third parties, self-blame, short fury,
non-complaints), each with its expected frame: keywords that must appear in each part, and
the times, amounts and references as written.

- ``dev`` (``data/complaints.jsonl``, 130 complaints): the rules and lexicons were tuned
  while reading its misses, so its figures are optimistic;
- ``holdout`` (``data/complaints_holdout.jsonl``, 56 complaints by another hand): never
  tuned on; its figures are the honest ones.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib.resources import files
from pathlib import Path

from heard.respond import reflect
from heard.understand import LEVELS, analyze

FIELDS = ("expected", "happened", "impact", "need")
INVITE = "Can you tell me more about what happened?"
_FIRST_PERSON = re.compile(r"\b(I|me|my|mine|myself|I'm|I've|I'd|I'll)\b")
_PROFANITY = re.compile(r"\b(f+u+c+k\w*|shit\w*|crap\w*|damn\w*|idiots?|morons?|bastards?|wtf)\b", re.I)


SETS = {"dev": "complaints.jsonl", "holdout": "complaints_holdout.jsonl"}


def golden(name: str = "dev", *, path: Path | None = None) -> list[dict]:
    """The rows of a golden set: ``dev`` or ``holdout``, or the JSONL file at ``path``."""
    if path is not None:
        text = Path(path).read_text("utf-8")
    else:
        text = (files("heard.bench") / "data" / SETS[name]).read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _has(words: list[str] | None, text: str | None) -> bool:
    return bool(text) and all(w.lower() in text.lower() for w in words or [])


_SAID_BACK = {"i": "you", "me": "you", "my": "your", "we": "you", "us": "you", "our": "your", "mine": "yours"}


def _said_back(keyword: str) -> str:
    """A gold keyword as a reflection says it: "call us" -> "call you", "off my bill" -> "off your bill"."""
    return " ".join(_SAID_BACK.get(w.lower(), w.lower()) for w in keyword.split())


def _invented(reflection: str, source: str) -> list[str]:
    """Numbers and capitalised words in the reflection that the customer never wrote."""
    body = reflection.split(" ", 1)[1] if " " in reflection else reflection
    low = source.lower()
    tokens = re.findall(r"[\w$£€'-]*\d[\w$£€:.'-]*|(?<![.!?] )\b[A-Z][a-z]+\b", body)
    return [t for t in tokens if t.lower().strip(".") not in low and t not in {"I", "We", "Can", "It", "So"}]


def bench_listen(samples: int = 20, *, rows: list[dict] | None = None) -> dict:
    """Frame accuracy per field, and the reflection checks the active-listening issue names,
    on ``rows`` (the dev set by default)."""
    rows = golden() if rows is None else rows
    field_hits = Counter()
    field_total = Counter()
    checks = Counter()
    openings: Counter[str] = Counter()
    shown = []
    for row in rows:
        a = analyze(row["text"])
        frame = a.complaint
        said_complaint = frame is not None or LEVELS.index(a.level) >= LEVELS.index("upset")
        field_hits["is_complaint"] += said_complaint == row["is_complaint"]
        field_total["is_complaint"] += 1
        if not row["is_complaint"]:
            r = reflect(row["text"])
            checks["non_complaints"] += 1
            checks["non_complaint_reflected"] += r.text is not None
            continue
        field_total["fault"] += 1
        field_hits["fault"] += a.fault == row["fault"]
        if row["hard_case"] != "short_fury":
            field_total["category"] += 1
            field_hits["category"] += (frame.category if frame else "other") == row["category"]
        for name in FIELDS:
            gold = row[name]
            part = getattr(frame, name) if frame else None
            if gold:
                field_total[f"{name}_found"] += 1
                field_hits[f"{name}_found"] += _has(gold, part.text if part else None)
        for name in ("times", "amounts", "references"):
            field_total[name] += 1
            got = {x.lower() for x in (getattr(frame, name) if frame else [])}
            field_hits[name] += got == {x.lower() for x in row[name]}
        several = frame is not None and len(frame.problems) >= 2
        field_total["several_problems"] += row["problems"] >= 2
        field_hits["several_problems"] += row["problems"] >= 2 and several
        field_total["single_problem_kept_single"] += row["problems"] < 2
        field_hits["single_problem_kept_single"] += row["problems"] < 2 and not several

        r = reflect(row["text"])
        checks["complaints"] += 1
        if r.text is None:
            checks["no_reflection"] += 1
            continue
        openings[r.opening or ""] += 1
        body = r.text[len(r.opening or "") :].replace(INVITE, "")
        checks["perspective_errors"] += bool(_FIRST_PERSON.search(body))
        checks["invented_facts"] += bool(_invented(r.text, row["text"]))
        checks["profanity_repeated"] += bool(_PROFANITY.search(r.text))
        checks["missing_feeling"] += not r.feeling
        checks["over_45_words"] += len(r.text.split()) > 45
        if row["impact"] or row["need"]:
            checks["with_impact_or_need"] += 1
            words = (row["impact"] or []) + (row["need"] or [])
            checks["impact_or_need_included"] += any(_said_back(w) in r.text.lower() for w in words)
        if len(shown) < samples:
            shown.append({"customer": row["text"], "reflection": r.text})
    accuracy = {k: round(field_hits[k] / field_total[k], 3) for k in field_total if field_total[k]}
    reflected = checks["complaints"] - checks["no_reflection"]
    return {
        "frame_accuracy": accuracy,
        "reflections": {
            "complaints": checks["complaints"],
            "reflected": reflected,
            "perspective_errors": checks["perspective_errors"],
            "invented_facts": checks["invented_facts"],
            "profanity_repeated": checks["profanity_repeated"],
            "missing_feeling": checks["missing_feeling"],
            "over_45_words": checks["over_45_words"],
            "impact_or_need_included": round(
                checks["impact_or_need_included"] / max(1, checks["with_impact_or_need"]), 3
            ),
            "most_common_opening_share": round(max(openings.values(), default=0) / max(1, reflected), 3),
            "non_complaints_reflected": checks["non_complaint_reflected"],
        },
        "samples": shown,
    }
