"""Find the cues customers use when upset: strong words, shouting, repeated contact, threats.

The lexicon lives in ``data/cues.v1.yaml``; structural cues (capitals, exclamation runs)
are measured here. Each cue records its span so a lead can see why heard read a message
the way it did.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

LEXICON = "cues.v1"

CueKind = Literal[
    "upset_word",
    "intensifier",
    "softener",
    "shouting",
    "exclamations",
    "profanity",
    "repeat_contact",
    "broken_promise",
    "deadline",
    "loss",
    "passed_around",
    "no_response",
    "threat_leave",
    "threat_public",
    "threat_legal",
    "sarcasm",
    "blame",
    "trouble",
    "worry",
    "confusion",
    "embarrassment",
    "overwhelm",
    "gratitude",
]


# The cue kinds that say something went wrong (as opposed to how it is said).
PROBLEM_KINDS = frozenset(
    {"trouble", "loss", "repeat_contact", "no_response", "passed_around", "broken_promise"}
)


class Cue(BaseModel):
    """One cue found in a message: what kind, where, and how strong on its own (0..1)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: CueKind
    text: str
    start: int
    end: int
    strength: float = 0.0


# Word edges that also hold where a pattern starts or ends with a symbol ("$40", ":(").
_START, _END = r"(?<!\w)", r"(?!\w)"


class _Lexicon:
    def __init__(self, raw: dict):
        flags = re.IGNORECASE
        self.version: str = raw["version"]
        self.upset_words = [
            (re.compile(rf"{_START}(?:{p}){_END}", flags), float(s)) for p, s in raw["upset_words"].items()
        ]
        self.hashtag = re.compile(rf"#\w*(?:{raw['hashtag_words']})\w*", flags)
        self.intensifier = re.compile(rf"\b(?:{raw['intensifiers']})\s+(?:\w+\s+)?$", flags)
        self.softener = re.compile(rf"\b(?:{raw['softeners']})\s+(?:\w+\s+)?$", flags)
        self.kinds = {
            kind: (
                re.compile(
                    _START + "(?:" + "|".join(f"(?:{p})" for p in spec["patterns"]) + ")" + _END, flags
                ),
                bool(spec.get("negatable", False)),
            )
            for kind, spec in raw["kinds"].items()
        }


@functools.cache
def _lexicon() -> _Lexicon:
    path = importlib.resources.files("heard.language") / "data" / f"{LEXICON}.yaml"
    return _Lexicon(yaml.safe_load(path.read_text("utf-8")))


_NEGATION = re.compile(
    r"\b(?:not|no|never|n't|nor|without|hardly)\b\W*(?:\w+\W+){0,1}$|n't\s+(?:\w+\s+)?$", re.I
)
_WORD = re.compile(r"[A-Za-z][A-Za-z']+")
_EXCLAIM = re.compile(r"[!?]*![!?]*!+[!?]*|!{2,}|\?+!+|!+\?+")
# Angry faces and gestures say how upset someone is as plainly as words do.
_ANGRY_EMOJI = re.compile("[\U0001f621\U0001f92c\U0001f620\U0001f4a2\U0001f624\U0001f595\U0001f44e]+")
# Sad, fed-up and eye-rolling faces, drawn or typed, say less but still say it.
_FED_UP_FACE = re.compile(
    "[\U0001f612\U0001f644\U0001f629\U0001f62b\U0001f61e\U0001f614\U0001f622\U0001f62d\U0001f626\U0001f627]+"
    r"|(?<![\w:])[:;=]-?[(\[/\\|](?![\w)])|(?<![\w:])>:-?[(\[]"
)


# Redaction marks (XXXX, XX/XX/2019) are capitals nobody shouted.
_REDACTED = re.compile(r"X{2,}")
_SHORT = 300  # letters in a message up to which one run of capitals is read as shouting in full


def _negated(text: str, start: int) -> bool:
    return bool(_NEGATION.search(text[max(0, start - 25) : start]))


def _shouting(text: str) -> list[Cue]:
    """Runs of three or more all-capital words (ignoring short acronyms on their own)."""
    words = list(_WORD.finditer(text))
    cues, run = [], []
    for w in words:
        if w.group().isupper() and len(w.group()) >= 2 and not _REDACTED.fullmatch(w.group()):
            run.append(w)
            continue
        if len(run) >= 3:
            cues.append(run)
        run = []
    if len(run) >= 3:
        cues.append(run)
    letters = sum(len(w.group()) for w in words) or 1
    # A run of capitals is the whole voice of a tweet but one phrase of a long letter.
    base = 0.4 * min(1.0, _SHORT / letters)
    out = []
    for r in cues:
        share = sum(len(w.group()) for w in r) / letters
        out.append(
            Cue(
                kind="shouting",
                text=text[r[0].start() : r[-1].end()],
                start=r[0].start(),
                end=r[-1].end(),
                strength=round(min(1.0, base + share), 3),
            )
        )
    return out


# A focused long letter (``language.focus``) is mostly blanks; the lexicon's patterns cost
# more on a run of spaces than on words, so they read only the stretches between long blanks.
_BLANKS = re.compile(r"\s{16,}")


def _stretches(text: str) -> list[tuple[int, int]]:
    """Where the words are: the whole text, or the stretches between long runs of blanks."""
    if len(text) < 2_000:
        return [(0, len(text))]
    out, start = [], 0
    for m in _BLANKS.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def _matches(pattern: re.Pattern, text: str, stretches: list[tuple[int, int]]):
    """``_matches(pattern, text, stretches)`` over the stretches; offsets stay those of ``text``."""
    for start, end in stretches:
        yield from pattern.finditer(text, start, end)


def find_cues(text: str) -> list[Cue]:
    """Every cue in ``text``, in order of position.

    >>> [c.kind for c in find_cues("This is the THIRD TIME I AM CALLING!!!")]
    ['repeat_contact', 'shouting', 'exclamations']
    """
    lex = _lexicon()
    stretches = _stretches(text)
    cues: list[Cue] = []
    for pattern, strength in lex.upset_words:
        for m in _matches(pattern, text, stretches):
            before = text[max(0, m.start() - 25) : m.start()]
            if _negated(text, m.start()) and not m.group().lower().startswith("not "):
                continue
            if boost := lex.intensifier.search(before):
                soft = lex.softener.search(before)
                kind = "softener" if soft else "intensifier"
                strength_here = strength - 0.1 if soft else min(1.0, strength + 0.1)
                cues.append(
                    Cue(
                        kind=kind,
                        text=boost.group().strip(),
                        start=m.start() - len(before) + boost.start(),
                        end=m.start() - len(before) + boost.start() + len(boost.group().rstrip()),
                    )
                )
            else:
                strength_here = strength
            cues.append(
                Cue(kind="upset_word", text=m.group(), start=m.start(), end=m.end(), strength=strength_here)
            )
    for kind, (pattern, negatable) in lex.kinds.items():
        for m in _matches(pattern, text, stretches):
            if negatable and _negated(text, m.start()):
                continue
            cues.append(Cue(kind=kind, text=m.group(), start=m.start(), end=m.end()))
    cues += _shouting(text)
    for m in _matches(_ANGRY_EMOJI, text, stretches):
        strength = 0.85 if len(m.group()) > 1 else 0.7
        cues.append(Cue(kind="upset_word", text=m.group(), start=m.start(), end=m.end(), strength=strength))
    for m in _matches(lex.hashtag, text, stretches):
        cues.append(Cue(kind="upset_word", text=m.group(), start=m.start(), end=m.end(), strength=0.55))
    for m in _matches(_FED_UP_FACE, text, stretches):
        cues.append(Cue(kind="upset_word", text=m.group(), start=m.start(), end=m.end(), strength=0.45))
    for m in _matches(_EXCLAIM, text, stretches):
        cues.append(
            Cue(
                kind="exclamations",
                text=m.group(),
                start=m.start(),
                end=m.end(),
                # "?!" asks in disbelief: as strong as "!!"
                strength=round(min(1.0, 0.2 * max(2, m.group().count("!"))), 3),
            )
        )
    cues += _emphasis(cues)
    return sorted(_drop_overlaps(cues), key=lambda c: (c.start, c.kind))


_CAPITAL_WORD = re.compile(r"\b[A-Z]{3,}\b")


def _emphasis(cues: list[Cue]) -> list[Cue]:
    """A cue word put in capitals ("the THIRD time", "YOUR mistake") is stressed as plainly
    as a shouted sentence, though it is too short to count as one."""
    out = []
    for cue in cues:
        if cue.kind in {"shouting", "exclamations", "gratitude", "softener", "intensifier"}:
            continue
        for m in _CAPITAL_WORD.finditer(cue.text):
            if not _REDACTED.fullmatch(m.group()):
                start = cue.start + m.start()
                out.append(
                    Cue(
                        kind="shouting", text=m.group(), start=start, end=start + len(m.group()), strength=0.5
                    )
                )
    return out


def _drop_overlaps(cues: list[Cue]) -> list[Cue]:
    """Keep one cue per span and kind: the longest, then the strongest."""
    kept: list[Cue] = []
    for cue in sorted(cues, key=lambda c: (c.kind, -(c.end - c.start), -c.strength)):
        if not any(k.kind == cue.kind and k.start < cue.end and cue.start < k.end for k in kept):
            kept.append(cue)
    return kept
