"""Sarcasm: praise that means the opposite ("great, just great, late again").

A sarcastic phrase only counts when the message also says something went wrong (or
quotes the company's words back at it), so a sincere "oh great, thanks!" stays happy. When it counts, the praise the emotion model
heard is turned down and annoyance up, so sarcasm never reads as happy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from heard.language import PROBLEM_KINDS, Cue

POSITIVE = ("admiration", "amusement", "approval", "excitement", "gratitude", "joy", "love", "optimism",
            "pride", "relief")  # fmt: skip
NEGATIVE = ("anger", "annoyance", "disappointment", "disapproval", "disgust", "sadness")
_COMPLAINT_CUES = PROBLEM_KINDS | {"upset_word", "profanity"}


# The company's own words quoted back ("my 'waterproof' jacket", "'in progress' for 43 days").
# An apostrophe inside a word ("'we're experiencing high volumes'") does not end the quote.
SCARE_QUOTES = re.compile(r"(?<![\w'])'((?:[^'\n]|(?<=\w)'(?=\w)){2,40})'(?![\w'])")


def is_sarcastic(emotions: Mapping[str, float], cues: Sequence[Cue], text: str = "") -> bool:
    kinds = {c.kind for c in cues}
    if "sarcasm" not in kinds:
        return False
    return (
        bool(kinds & _COMPLAINT_CUES)
        or max(emotions.get(e, 0.0) for e in NEGATIVE) >= 0.3
        or bool(SCARE_QUOTES.search(text))
    )


def read_sarcasm(emotions: Mapping[str, float]) -> dict[str, float]:
    """Emotions of a sarcastic message: praise damped, annoyance present."""
    out = dict(emotions)
    for label in POSITIVE:
        out[label] = out[label] * 0.2
    out["annoyance"] = max(out["annoyance"], 0.6)
    out["neutral"] = out["neutral"] * 0.5
    return out
