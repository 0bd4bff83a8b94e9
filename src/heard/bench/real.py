"""``heard bench real``: listening on real customer text (tweets, chats, letters).

Reads the real sets under ``../shared/data`` (airline/, twcs/, cfpb/, xfincorp/,
support_tweets_labelled/, tweetsumm/, amazon_review_complaints/), puts one row in four aside
by a stable hash of its text (``heldout``; the rules are tuned on the rest, ``dev``), and
prints for the complaints of each source: the share reflected, the share saying back noise
(handles, tags, links, entities, redaction marks), the share generic ("tell me more"), the
share the output check refuses, the share with invented words; category accuracy against
the airline reasons, CFPB issues and support-tweet topics (mapping in
``data/real_labels.v1.yaml``); complaint-detection F1 against xfincorp's label; and sample
reflections to read. Nothing of the data is written anywhere: samples are only printed.

Other figures on the same rows (upset against severity, ...) plug in through ``FIGURES``.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import yaml

from heard.bench.real_sets import read_xlsx
from heard.errors import HeardError

HELD_OUT_ONE_IN = 4
PARTS = ("dev", "heldout")


class DataMissing(HeardError):
    """A real set the benchmark needs is not where it was pointed."""


@dataclass(frozen=True)
class Row:
    """One customer text of a real set and what its set says about it."""

    source: str
    text: str
    complaint: bool | None  # None: the set does not say
    accepted: tuple[str, ...] = ()  # categories a person would accept, from the set's own label
    extra: dict = field(default_factory=dict)  # other labels (severity, sentiment), for FIGURES

    @property
    def part(self) -> str:
        return "heldout" if stable_hash(self.text) % HELD_OUT_ONE_IN == 0 else "dev"


def stable_hash(text: str) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:12], 16)


@functools.cache
def labels() -> dict:
    return yaml.safe_load((files("heard.bench") / "data" / "real_labels.v1.yaml").read_text("utf-8"))


def _csv(path: Path, encoding: str = "utf-8") -> Iterator[dict]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding=encoding, errors="replace", newline="") as f:
        yield from csv.DictReader(f)


def _airline(root: Path) -> Iterator[Row]:
    mapping = labels()["airline"]
    for r in _csv(root / "airline" / "Tweets_dev_half.csv"):
        negative = r["airline_sentiment"] == "negative"
        yield Row("airline", r["text"], negative, tuple(mapping.get(r["negativereason"], ())),
                  {"sentiment": r["airline_sentiment"]})  # fmt: skip


def _twcs(root: Path) -> Iterator[Row]:
    for r in _csv(root / "twcs" / "twcs_first5000.csv"):
        if r["inbound"] == "True" and not r["in_response_to_tweet_id"]:
            yield Row("twcs", r["text"], None)
    for r in _csv(root / "twcs" / "spotifycares_inbound.csv"):
        yield Row("twcs", r["text"], None)


def _cfpb(root: Path) -> Iterator[Row]:
    mapping = labels()["cfpb"]
    folder = root / "cfpb" / "payday_2023"
    for path in sorted(folder.glob("*.csv")):
        for r in _csv(path):
            if r["Consumer complaint narrative"].strip():
                yield Row("cfpb", r["Consumer complaint narrative"], True, tuple(mapping.get(r["Issue"], ())))
    for r in _csv(root / "cfpb" / "narratives_2015_2016" / "Consumer_Complaints.csv"):
        if r["Consumer complaint narrative"].strip():
            yield Row("cfpb", r["Consumer complaint narrative"], True)


def _xfincorp(root: Path) -> Iterator[Row]:
    for r in read_xlsx(root / "xfincorp" / "X-FINCORP.xlsx"):
        text = r.get("Complaint/ Opinion")
        if text:
            yield Row("xfincorp", str(text), str(r["Complaint Label"]) == "1",
                      extra={"severity": r.get("Severity level"), "domain": r.get("Domain")})  # fmt: skip


def _amazon(root: Path) -> Iterator[Row]:
    path = root / "amazon_review_complaints" / "CESAMARD-Aspect_Dataset.csv"
    for r in _csv(path, encoding="latin-1"):
        if r["Review_S"].strip():
            yield Row("amazon", r["Review_S"], r["Complaint"] == "1", extra={"severity": r.get("Severity")})


def _support(root: Path) -> Iterator[Row]:
    mapping = labels()["support"]
    for path in sorted((root / "support_tweets_labelled" / "data" / "labeled").glob("*-inbound.xlsx")):
        for r in read_xlsx(path):
            if not r.get("text"):
                continue
            topics = [k for k, v in r.items() if k in mapping and str(v) == "1"]
            praise = str(r.get("Service Praise")) == "1"
            accepted = tuple(dict.fromkeys(c for t in topics for c in mapping[t]))
            yield Row("support", str(r["text"]), False if praise and not topics else None, accepted)


_SPEAKER = re.compile(r"^(\w+): (.*)$")


def _tweetsumm(root: Path) -> Iterator[Row]:
    """The customer's opening turn(s) of each dialogue (a numeric speaker is the customer)."""
    for name in ("twcs_train.csv", "twcs_val.csv", "twcs_test.csv"):
        for r in _csv(root / "tweetsumm" / name):
            said = []
            for line in r["dialog"].splitlines():
                m = _SPEAKER.match(line)
                if m is None or not m.group(1).isdigit():
                    break
                said.append(m.group(2))
            if said:
                yield Row("tweetsumm", "\n".join(said), None)


SOURCES: dict[str, Callable[[Path], Iterator[Row]]] = {
    "airline": _airline,
    "twcs": _twcs,
    "cfpb": _cfpb,
    "xfincorp": _xfincorp,
    "support": _support,
    "tweetsumm": _tweetsumm,
    "amazon": _amazon,
}

# Things a reflection must never say back.
NOISE = re.compile(r"@\w|#\w|https?:|www\.|&[a-z]+;|&#\d+;|\bX{2,}\b|\bx{3,}\b|XX/|\{\$|\$\{|\bhttp\b", re.I)


def says_noise(reflection: str) -> bool:
    return bool(NOISE.search(reflection))


@functools.cache
def _template_words() -> frozenset[str]:
    """Words the reflection wording may add: its data file and the glue of its templates."""
    from heard.respond._wording import reflection_wording

    words: set[str] = set()

    def walk(x) -> None:
        if isinstance(x, str):
            words.update(re.findall(r"[a-z']+", x.lower()))
        elif isinstance(x, dict):
            for k, v in x.items():
                walk(k)
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(reflection_wording())
    import importlib.resources

    feelings = importlib.resources.files("heard.understand") / "data" / "feelings.v1.yaml"
    walk([r["feeling"] for r in yaml.safe_load(feelings.read_text("utf-8"))["rules"]])
    words |= set(
        [
            "you",
            "your",
            "yours",
            "you're",
            "you've",
            "you'd",
            "you'll",
            "yourself",
            "we",
            "us",
            "our",
            "ours",
            "it",
            "it's",
            "that",
            "this",
            "was",
            "were",
            "is",
            "are",
            "be",
            "been",
            "being",
            "had",
            "has",
            "have",
            "do",
            "does",
            "did",
            "because",
            "and",
            "so",
            "could",
            "can",
            "would",
            "will",
            "to",
            "know",
            "told",
            "whether",
            "needed",
            "need",
            "want",
            "wanted",
            "like",
            "feel",
            "feeling",
            "for",
            "of",
            "about",
            "with",
            "the",
            "a",
            "an",
            "not",
            "n't",
            "no",
            "still",
            "again",
            "after",
            "before",
            "then",
            "but",
            "also",
            "both",
            "by",
            "on",
            "in",
            "at",
            "all",
            "really",
            "extremely",
            "there",
            "what",
            "when",
            "where",
            "why",
            "how",
            "who",
            "which",
            "if",
            "am",
            "'re",
            "'s",
            "'ve",
            "'d",
            "'ll",
        ]
    )
    return frozenset(words)


_WORD = re.compile(r"[a-z][a-z']*")
_SHIFTED = {"you": "i", "your": "my", "yours": "mine", "yourself": "myself", "were": "was", "are": "am",
            "we're": "you're", "we've": "you've", "we'll": "you'll", "we'd": "you'd", "ourselves": "yourselves"}  # fmt: skip


def invented_words(reflection: str, source: str) -> list[str]:
    """Words of the reflection that neither the customer's text nor the wording supplies."""
    from heard.language.cleanup import tidy
    from heard.language.verbs import base_form
    from heard.respond._wording import _TEXTSPEAK_WORDS
    from heard.respond.reflection import _SPELLED_OUT
    from heard.understand.spelling import corrected

    said = source.lower().replace("’", "'")
    said = f"{said} {tidy(source).lower()} {corrected(said)}"
    known = set(_WORD.findall(said))
    # the same words written out as the reflection writes them ("hrs" -> "hours", "cant" -> "can't")
    for short, full in (*_TEXTSPEAK_WORDS.items(), *_SPELLED_OUT.items()):
        if short in known:
            known.update(_WORD.findall(full.lower()))
    known |= {base_form(w) for w in known}
    allowed = _template_words()
    out = []
    for w in _WORD.findall(reflection.lower().replace("’", "'")):
        w = w.strip("'")
        if not w or w in allowed or w in known or base_form(w) in known or _SHIFTED.get(w) in known:
            continue
        if w.endswith("n't") and w[:-3] in known | allowed:
            continue
        out.append(w)
    return out


# Figures other parts of heard add on the same rows: name -> f(list of (row, analysis)) -> number.
FIGURES: dict[str, Callable[[list], float | None]] = {}


def _f1(pairs: list[tuple[bool, bool]]) -> dict:
    tp = sum(p and g for p, g in pairs)
    fp = sum(p and not g for p, g in pairs)
    fn = sum(g and not p for p, g in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3), "n": len(pairs)}


def load_rows(data: Path, sources: list[str] | None = None) -> dict[str, list[Row]]:
    """Every row of each chosen source, deduplicated by text."""
    chosen = sources or list(SOURCES)
    unknown = [s for s in chosen if s not in SOURCES]
    if unknown:
        raise DataMissing(f"unknown source {unknown}; choose from {', '.join(SOURCES)}")
    out: dict[str, list[Row]] = {}
    for name in chosen:
        try:
            seen: dict[str, Row] = {}
            for row in SOURCES[name](Path(data)):
                seen.setdefault(row.text, row)
            out[name] = list(seen.values())
        except FileNotFoundError as e:
            raise DataMissing(
                f"{name}: {e.filename} not found; point --data at the shared data folder"
            ) from None
    return out


def _take(rows: list[Row], part: str, limit: int) -> list[Row]:
    """Up to ``limit`` rows of a part, spread over the set by the hash (the same rows every run)."""
    mine = [r for r in rows if r.part == part]
    return sorted(mine, key=lambda r: stable_hash("order" + r.text))[:limit]


def score_source(rows: list[Row], *, samples: int = 0) -> dict:
    """The figures of one source's rows (one part)."""
    from heard.respond import reflect
    from heard.respond.reflection import refusals
    from heard.understand import analyze

    read, errors = [], []
    for row in rows:
        try:
            a = analyze(row.text)
            r = reflect(row.text, analysis=a)
        except Exception as e:  # a crash on real text is a finding, not the end of the run
            errors.append(type(e).__name__)
            continue
        read.append((row, a, r))
    # A set that labels every row: its complaints; one that labels only praise: the rest.
    labelled = bool(read) and all(row.complaint is not None for row, _, _ in read)
    complaints = [
        (row, a, r) for row, a, r in read if (row.complaint if labelled else row.complaint is not False)
    ]
    made = [(row, a, r) for row, a, r in complaints if r.text]
    invite = "Can you tell me more about what happened?"
    n = max(len(complaints), 1)
    figures: dict = {
        "rows": len(read),
        "errors": len(errors),
        "complaints": len(complaints) if labelled else f"{len(complaints)} (unlabelled: every text)",
        "reflected": round(len(made) / n, 3),
        "noise": round(sum(says_noise(r.text) for _, _, r in made) / n, 3),
        "generic": round(sum(invite in r.text for _, _, r in made) / n, 3),
        "refused": round(sum(bool(refusals(r.text, row.text)) for row, _, r in made) / n, 3),
        "invented": round(sum(bool(invented_words(r.text, row.text)) for row, _, r in made) / n, 3),
        "framed": round(sum(a.complaint is not None for _, a, _ in complaints) / n, 3),
    }
    scored = [(row, a) for row, a, _ in complaints if row.accepted]
    if scored:
        hits = sum((a.complaint.category if a.complaint else "other") in row.accepted for row, a in scored)
        figures["category_accuracy"] = round(hits / len(scored), 3)
        figures["category_n"] = len(scored)
    if labelled:
        figures["complaint_detection"] = _f1(
            [(a.complaint is not None, bool(row.complaint)) for row, a, _ in read]
        )
    for name, figure in FIGURES.items():
        value = figure([(row, a) for row, a, _ in read])
        if value is not None:
            figures[name] = value
    figures["samples"] = [
        {"customer": row.text, "reflection": r.text or f"(none: {r.reason})", "category": a.complaint.category
         if a.complaint else None, "check": refusals(r.text, row.text) if r.text else [],
         "invented": invented_words(r.text, row.text) if r.text else []}
        for row, a, r in complaints[:samples]
    ]  # fmt: skip
    return figures


def bench_real(
    data: Path,
    *,
    sources: list[str] | None = None,
    parts: tuple[str, ...] = PARTS,
    limit: int = 200,
    samples: int = 30,
) -> dict:
    """Figures per source and part; ``limit`` rows per source and part (the same rows every run)."""
    loaded = load_rows(data, sources)
    return {
        name: {part: score_source(_take(rows, part, limit), samples=samples if part == parts[-1] else 0)
               for part in parts}
        for name, rows in loaded.items()
    }  # fmt: skip
