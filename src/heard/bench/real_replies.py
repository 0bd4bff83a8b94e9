"""Real brand replies from ``../shared/data``, read at run time, cut into sentences with stable ids.

The licences of these sets allow no copying of their text into heard, so the project keeps only
labels keyed by id (``data/real_reply_labels.jsonl``) and re-reads each sentence here:

- ``twcs``: the brand replies (``inbound`` False) of ``twcs/twcs_first5000.csv``, id = tweet_id;
- ``tweetsumm``: the brand lines of the dialogues in ``tweetsumm/twcs_{train,val,test}.csv``;
- ``support``: the brand replies of ``support_tweets_labelled/data/labeled/*-outbound.xlsx``.

For the last two the id is a hash of the reply's cleaned text (their lines carry no tweet id),
and a reply seen in an earlier source is skipped, so each reply appears once. A labelled
sentence is ``(source, id, sentence_index)`` of ``heard.respond.read_acts`` on the reply, with
``sha`` (a hash of the sentence) to check that the data and the splitter still cut the same way. Cleaning: leading @handles dropped, ``&amp;``-style entities
unescaped, whitespace runs folded; the rest (links, sign-offs like ``^JK``) stays as written.
"""

from __future__ import annotations

import csv
import hashlib
import html
import re
from collections.abc import Iterator
from pathlib import Path

from heard.bench.real_sets import read_xlsx

_HANDLES = re.compile(r"^(\s*@\w+)+\s*")
_SPACE = re.compile(r"\s+")


def clean(text: str) -> str:
    return _SPACE.sub(" ", _HANDLES.sub("", html.unescape(text))).strip()


def text_id(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _twcs(root: Path) -> Iterator[tuple[str, str]]:
    with (root / "twcs" / "twcs_first5000.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["inbound"].strip().lower() == "false":
                yield row["tweet_id"], row["text"]


def _tweetsumm(root: Path) -> Iterator[tuple[str, str]]:
    csv.field_size_limit(10_000_000)
    for part in ("train", "val", "test"):
        path = root / "tweetsumm" / f"twcs_{part}.csv"
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                for line in row["dialog"].splitlines():
                    speaker, _, said = line.partition(": ")
                    if said and not speaker.strip().isdigit():  # customers are numbered
                        yield "", said


def _support(root: Path) -> Iterator[tuple[str, str]]:
    for path in sorted((root / "support_tweets_labelled" / "data" / "labeled").glob("*-outbound.xlsx")):
        for row in read_xlsx(path):
            if row.get("text", "").strip():
                yield "", row["text"]


SOURCES = {"twcs": _twcs, "tweetsumm": _tweetsumm, "support": _support}


def real_replies(root: Path) -> Iterator[tuple[str, str, str]]:
    """(source, id, cleaned reply) for every brand reply, each distinct reply once."""
    seen: set[str] = set()
    for source, read in SOURCES.items():
        for raw_id, raw in read(root):
            text = clean(raw)
            key = text_id(text)
            if not text or key in seen:
                continue
            seen.add(key)
            yield source, raw_id or key, text


def held_out(source: str, rid: str) -> bool:
    """A stable quarter of replies, for figures nobody tuned on."""
    return int(hashlib.sha1(f"{source}:{rid}".encode()).hexdigest(), 16) % 4 == 0
