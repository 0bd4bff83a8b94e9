"""Does a reply *hear* the customer: say back what they told, in the agent's own words?

A reply hears the customer when the sentences that listen (reflection, acknowledgement,
empathy, apology, or a plain "you ..." statement that neither asks, advises, explains nor
defends) mean what the customer said. Meaning is the shipped sentence encoder's cosine
(``heard.language.encoder``) between those sentences (each, and together) and the customer's
words; the customer's complaint frame says which part of the story is left out. Measured on
heard's own examples: a paraphrase of the story sits near 0.6-0.9, a generic "I understand how
you feel" near 0.1, advice on the same topic near 0.2-0.3, and sentences that only share a noun
("our movers are very busy") are not listening sentences at all.

- ``heard`` 0..1: ``(cosine - FLOOR) / (FULL - FLOOR)``, clipped, at least ``ACKNOWLEDGED`` when
  anything listens; a parrot (the customer's words copied back) counts ``PARROT_CAP``: it shows
  the words arrived, not that they landed.
- ``missing``: the part of the story (what happened, what it cost them, what they were
  promised) that no listening sentence comes near, in the customer's words, for the finding
  "you didn't say back that ...".
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from heard.language.cleanup import tidy
from heard.language.encoder import load_encoder
from heard.respond.acts import ActReading, SentenceActs, fired, sentence_embedding

FLOOR = 0.15  # cosine at or below which a reply says back nothing of the story
FULL = 0.60  # cosine at or above which it says back the story
PART_SAID = 0.40  # a part of the story is said back at this cosine, or when its words are shared
PARROT_CAP = 0.0
ACKNOWLEDGED = 0.2  # a reply that acknowledges at all has heard a little, however generic
_LISTENS = ("reflection", "acknowledgement", "empathy", "apology")
_NOT_LISTENING = ("question", "solution", "information", "defensive", "dismissive", "blame", "deflection")
_PARTS = ("happened", "impact", "expected")  # in the order a reflection most needs them


@dataclass(frozen=True)
class Hearing:
    heard: float
    missing: str | None  # the customer's words for the part no listening sentence says back
    listening: tuple[int, ...]  # indexes of the sentences that listen


@functools.lru_cache(maxsize=512)
def text_vector(text: str) -> np.ndarray:
    """The encoder's vector of a text (the customer's story, one of its parts), kept for reuse."""
    vector = load_encoder().embed([text], batch_size=1)[0]
    vector.setflags(write=False)
    return vector


@functools.lru_cache(maxsize=512)
def _story(customer: str) -> str:
    return " ".join(tidy(customer).split()) or customer


def story_vector(customer: str) -> np.ndarray:
    """The vector of the customer's story: handles, links and tag marks are no part of it (left
    in, "@116090" pulls it away from every reply that says the story back)."""
    return text_vector(_story(customer))


def _listens(s: SentenceActs) -> bool:
    if max(s.acts[a] for a in _LISTENS) >= 0.5:
        return not (s.acts["dismissive"] >= 0.5 or s.acts["blame"] >= 0.5)
    # "You were promised one o'clock and nobody came." may carry no act the model knows.
    return "you_subject" in fired(s.text) and max(s.acts[a] for a in _NOT_LISTENING) < 0.5


def _answers(s: SentenceActs) -> bool:
    """A sentence that answers a question on its point (information or a way to do it)."""
    return (
        max(s.acts["information"], s.acts["solution"]) >= 0.5
        and max(s.acts[a] for a in ("defensive", "dismissive", "blame", "deflection")) < 0.5
    )


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / max(float(np.linalg.norm(a) * np.linalg.norm(b)), 1e-9))


def hearing(
    reading: ActReading,
    customer: str,
    parts: dict[str, str],
    *,
    content: Callable[[str], set[str]] = lambda t: set(),
    parrot: bool = False,
    opening: int = 8,
    answers: bool = False,
) -> Hearing:
    """How much of ``customer``'s story the reply says back (``parts``: frame part -> the
    customer's words for it, e.g. from ``Complaint.happened.text``; ``content``: a text's
    content words, so that a part whose words the reply shares counts as said back; ``answers``:
    a calm question is heard by an answer too, so information and solutions count)."""
    listening = tuple(
        k for k, s in enumerate(reading.sentences[:opening]) if _listens(s) or (answers and _answers(s))
    )
    if not listening:
        return Hearing(0.0, next((parts[p] for p in _PARTS if parts.get(p)), None), ())
    said = [reading.sentences[k].text for k in listening]
    vectors = [sentence_embedding(t) for t in said]  # already encoded when the acts were read
    if len(said) > 1:  # a reflection may run over two sentences
        vectors.append(text_vector(" ".join(said)))
    story = story_vector(customer)
    best = max(_cosine(v, story) for v in vectors)
    heard = max(float(np.clip((best - FLOOR) / (FULL - FLOOR), 0.0, 1.0)), ACKNOWLEDGED)
    if parrot:
        heard = min(heard, PARROT_CAP)
    missing = None
    for name in _PARTS:
        words = parts.get(name)
        if not words:
            continue
        part, shared = text_vector(words), content(words) & content(" ".join(said))
        if len(shared) * 2 < len(content(words)) and max(_cosine(v, part) for v in vectors) < PART_SAID:
            missing = words
            break
    return Hearing(round(heard, 3), missing, listening)
