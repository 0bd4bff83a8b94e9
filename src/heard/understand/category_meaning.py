"""A complaint's category by meaning, for the short complaints whose words do not settle it.

The words of ``data/complaint.v1.yaml`` decide most categories ("refund", "luggage"). A tweet
like "three hours and still nobody at the desk can tell us anything" names no category word or
ties two; then the message is compared, through the shipped sentence encoder, with sentences
written for each category (``data/category_prototypes.v1.yaml``), and the closest sentence of
each category adds to the word evidence. Long letters keep the words alone: their words are
many, and the encoder reads only a text's start.
"""

from __future__ import annotations

import functools
import importlib.resources

import numpy as np
import yaml

from heard.language import embed

PROTOTYPES = "category_prototypes.v1"
# Only messages up to this long are read by meaning (a tweet or a chat message).
MAX_CHARS = 600
# cosine similarity (0..1) -> word counts: the closest sentence's similarity times this is
# added to the category's word score. Set by hand while reading the development part of
# the real sets (airline reasons, support-tweet topics, CFPB issues: `heard bench real`).
MEANING_WEIGHT = 10.0
MIN_CLOSENESS = 0.45


@functools.cache
def _prototypes() -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Category names, the category of each sentence, and the sentences' embeddings (once)."""
    path = importlib.resources.files("heard.understand") / "data" / f"{PROTOTYPES}.yaml"
    written = yaml.safe_load(path.read_text("utf-8"))["prototypes"]
    names = tuple(written)
    sentences = [s for name in names for s in written[name]]
    owner = np.array([names.index(name) for name in names for _ in written[name]])
    return names, owner, embed(sentences, batch_size=1)


def closeness(text: str) -> dict[str, float]:
    """For each category, the cosine similarity of ``text`` to its closest written sentence."""
    names, owner, vectors = _prototypes()
    sims = vectors @ embed([" ".join(text.split())], batch_size=1)[0]
    return {name: float(sims[owner == k].max()) for k, name in enumerate(names)}


def decided_by_words(scores: dict[str, int]) -> bool:
    """The words alone settle it: one category leads the next by two words or more."""
    top = sorted(scores.values(), reverse=True)
    return top[0] >= 2 and top[0] >= top[1] + 2


def by_meaning(text: str, scores: dict[str, int]) -> str | None:
    """The category of a short complaint from its words and its meaning together; None when the
    words settle it or the text is too long to be read by meaning."""
    if decided_by_words(scores) or len(text) > MAX_CHARS:
        return None
    close = closeness(text)
    if not any(scores.values()) and max(close.values()) < MIN_CLOSENESS:
        return None  # no word and nothing like any category: "other" stands
    return max(close, key=lambda name: scores.get(name, 0) + MEANING_WEIGHT * close[name])
