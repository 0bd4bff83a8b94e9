"""Readable theme names: the key phrases that set one group of complaints apart from the others.

Each text gives candidate phrases from its parse: noun chunks without determiners, pronouns
and numbers ("the password reset email" -> "password reset email"), and content verbs with
their particle ("locked out", "charged"). A phrase's weight in a theme is class-based TF-IDF
(Grootendorst 2022, BERTopic): its frequency in the theme times log(1 + mean theme size /
its frequency over all themes), so words every complaint uses ("order", "told") sink.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

from heard.language import load_pipeline, unshouted

_DROP_POS = {"DET", "PRON", "NUM", "PUNCT", "SYM", "SPACE", "CCONJ", "ADP", "PART", "X", "INTJ"}
# Verbs that tell the story rather than the problem.
_STORY_VERBS = {
    "say", "said", "says", "tell", "told", "get", "got", "getting", "gets", "go", "went", "going",
    "come", "came", "know", "think", "want", "wanted", "need", "needed", "try", "tried", "trying",
    "make", "made", "keep", "keeps", "kept", "take", "took", "ask", "asked", "look", "looking",
    "see", "seen", "give", "gave", "let", "start", "starting", "feel", "mean", "meant", "happen",
    "happened", "wait", "waiting", "waited", "use", "used", "pay", "paid", "explain", "spent",
}  # fmt: skip
_HOW = {"twice", "late", "again", "wrong", "early", "double", "back", "off", "down", "out"}


def _singular(word: str, tag: str) -> str:
    """A plural noun in its singular form, by spelling (heard loads no lemmatizer)."""
    if tag not in ("NNS", "NNPS") or len(word) < 4 or word.endswith("ss"):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def candidate_phrases(doc) -> list[tuple[str, str]]:
    """(key, surface form) of each candidate phrase in a parsed text, in order."""
    found: list[tuple[str, str]] = []
    for chunk in doc.noun_chunks:
        kept = [t for t in chunk if t.pos_ not in _DROP_POS and not t.like_num and not t.is_stop]
        if not kept or not any(t.pos_ in ("NOUN", "PROPN") for t in kept):
            continue
        surface = " ".join(t.lower_ for t in kept)
        key = " ".join([t.lower_ for t in kept[:-1]] + [_singular(kept[-1].lower_, kept[-1].tag_)])
        found.append((key, surface))
        if len(kept) > 1:  # "password reset email" also counts as "password", "reset", "email"
            found.extend((_singular(t.lower_, t.tag_), t.lower_) for t in kept if t.pos_ in ("NOUN", "PROPN"))
            found.extend((t.lower_, t.lower_) for t in kept if t.dep_ == "amod" and t.pos_ == "ADJ")
    for token in doc:
        if token.is_stop or len(token) < 3:
            continue
        if token.pos_ == "ADJ" and token.dep_ in ("acomp", "oprd", "xcomp", "advcl", "ROOT", "conj"):
            found.append((token.lower_, token.lower_))  # "they were late", "it arrived broken"
        if token.pos_ != "VERB" or token.lower_ in _STORY_VERBS:
            continue
        # "locked out", "charged twice": the verb with its particle or a telling adverb.
        tail = [
            c.lower_ for c in token.children if c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ in _HOW)
        ]
        phrase = " ".join([token.lower_, *tail])
        found.append((phrase, phrase))
    return found


def text_phrases(texts: Sequence[str]) -> list[list[tuple[str, str]]]:
    """Candidate phrases of every text, parsed in one pass of the pipeline."""
    docs = load_pipeline().pipe(unshouted(t[:2000]) for t in texts)
    return [candidate_phrases(doc) for doc in docs]


def name_themes(
    phrases: Sequence[Sequence[tuple[str, str]]], labels: Sequence[int], *, top: int = 3
) -> dict[int, list[str]]:
    """The ``top`` key phrases of each theme (label >= 0), most telling first.

    Phrases found in two or more of the theme's texts come first (single ones only when no phrase
    is shared), and a phrase that contains or sits inside a better one ("refund" beside "refund
    request") is left out.
    """
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    texts_with: dict[int, Counter[str]] = defaultdict(Counter)
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    sizes: Counter[int] = Counter(label for label in labels if label >= 0)
    for label, found in zip(labels, phrases, strict=True):
        if label < 0:
            continue
        for key, surface in found:
            counts[label][key] += 1
            surfaces[key][surface] += 1
        texts_with[label].update({key for key, _ in found})
    total: Counter[str] = Counter()
    for theme_counts in counts.values():
        total.update(theme_counts)
    mean_words = sum(sum(c.values()) for c in counts.values()) / max(1, len(counts))
    names: dict[int, list[str]] = {}
    for label in sorted(sizes):
        theme_counts = counts[label]
        words = sum(theme_counts.values()) or 1
        scored = sorted(
            (-(n / words) * math.log(1 + mean_words / total[key]), key) for key, n in theme_counts.items()
        )
        chosen: list[str] = []
        # Phrases shared by two or more of the theme's texts first; single ones only to fill up.
        for need in (2, 1) if sizes[label] > 1 else (1,):
            for _, key in scored:
                if len(chosen) == top or texts_with[label][key] < need:
                    continue
                if any(f" {key} " in f" {other} " or f" {other} " in f" {key} " for other in chosen):
                    continue
                chosen.append(key)
            if chosen:
                break
        names[label] = [surfaces[key].most_common(1)[0][0] for key in chosen]
    return names
