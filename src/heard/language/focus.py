"""The sentences of a long message that matter, so the parse stays linear in the text.

Parsing costs a few milliseconds a sentence, and the frame reads each parsed sentence, so
a 10,000-character letter cannot be parsed whole within the budget. ``focus`` keeps every
character of a short message; in a long one it keeps the sentences that tell what went
wrong, what was promised, what it cost and what the customer wants (by the cue lexicon and
a few markers), plus the first and last, up to a budget of characters, and blanks the rest
with spaces. Nothing moves: a span read from the focused text is a span of the original.
"""

from __future__ import annotations

import functools
import re

from heard.language.cues import Cue, find_cues
from heard.language.sentences import sentence_spans

# Up to this many characters a message is parsed whole (every golden complaint is).
FOCUS_CHARS = 1_200
MAX_SENTENCES = 8
# A run-on "sentence" (no full stop in 2,000 words) is kept to its start: the parse of one
# sentence costs more than linear time in its length.
MAX_SENTENCE_CHARS = 400

# What a sentence that matters says: what went wrong, an expectation, a need, a cost or a
# feeling. A plain pattern, not the cue lexicon: choosing must cost less than the parse saved.
_EVENTS = (
    r"promised|supposed to|told (?:me|us)|guaranteed|was due|should have|paid|ordered|booked"
    r"|i (?:want|need|would like|expect|demand|request|am asking)|please|refund\w*|money back|cancel\w*"
    r"|lost|los(?:e|es|ing)|stop|charg\w*|never|still|not|no|nothing|no one|nobody|because|so i|now i|i had to|i have to|cost me"
    r"|late|delay\w*|broke\w*|damaged|wrong|error|fail\w*|fraud\w*|stolen|missing|refus\w*|denied"
    r"|unauthori[sz]ed|dispute\w*|fee|fees|overcharg\w*|harass\w*|threat\w*|repossess\w*|ignored"
    r"|rude|hung up|again|times|hours?|days|weeks|months|stuck|miss|missed|wait\w*|hold|stranded"
    r"|can't|cannot|won't|didn't|doesn't|isn't|wasn't|haven't|hasn't|couldn't|unable"
)
_FEELINGS = (
    r"angry|upset|frustrat\w*|disappoint\w*|unacceptable|ridiculous|worst|terrible|awful|horrible"
    r"|disgust\w*|stress\w*|worr\w*|scared|afraid"
)
_MATTERS = re.compile(rf"\b(?:{_EVENTS}|{_FEELINGS})\b|n't\b", re.I)
_TELLS = re.compile(rf"\b(?:{_EVENTS})\b|n't\b", re.I)


@functools.lru_cache(maxsize=16)
def cues_in(text: str) -> tuple[Cue, ...]:
    """``find_cues(text)``, kept for the last few texts (the analysis and the reflection both read them)."""
    return tuple(find_cues(text))


def compact(text: str) -> str:
    """A focused text with its blanks closed up, for readers that need no offsets (the emotion model)."""
    return re.sub(r"[ \t]{2,}", " ", text).strip() if "  " in text else text


def _score(text: str, start: int, end: int) -> int:
    return len(_MATTERS.findall(text, start, end))


def sentence_score(sentence: str) -> int:
    """How much a sentence says about what went wrong, what was promised, what it cost or
    what the customer wants (how many such markers it has; words of feeling alone count nothing)."""
    return len(_TELLS.findall(sentence))


def focus(text: str, budget: int = FOCUS_CHARS) -> str:
    """``text`` with only the sentences that matter kept, the rest blanked; same length.

    >>> long = "Hello there. " * 200 + "You charged me twice and I want a refund."
    >>> kept = focus(long)
    >>> len(kept) == len(long), "charged me twice" in kept, kept.count("Hello")
    (True, True, 1)
    """
    if len(text) <= budget:
        return text
    spans = sentence_spans(text)
    scores = [_score(text, *span) + 2 * (k in {0, len(spans) - 1}) for k, span in enumerate(spans)]
    order = sorted((k for k in range(len(spans)) if scores[k]), key=lambda k: (-scores[k], k))
    chosen, used = set(), 0
    for k in order:
        start, end = spans[k]
        if len(chosen) >= MAX_SENTENCES or used + (end - start) > budget and chosen:
            continue
        if end - start > MAX_SENTENCE_CHARS:  # a run-on: its start, ending at a word
            cut = text.rfind(" ", start, start + MAX_SENTENCE_CHARS)
            end = cut if cut > start else start + MAX_SENTENCE_CHARS
            spans[k] = (start, end)
        chosen.add(k)
        used += end - start
    out = [" "] * len(text)
    for k in sorted(chosen):
        start, end = spans[k]
        out[start:end] = text[start:end]
        if end < len(text):
            out[end] = "\n"  # a blanked stretch still ends a sentence
    return "".join(out)
