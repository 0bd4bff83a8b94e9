"""The base form of the handful of verbs heard's rules look for ("told" -> "tell").

spaCy's lemmatizer would do this for every token of every message; heard needs it for a
few dozen verbs, so the pipeline runs without it (about a sixth of the parse time) and
this table answers instead. Unknown words fall back to simple suffix rules.
"""

from __future__ import annotations

_IRREGULAR = {
    "told": "tell", "said": "say", "paid": "pay", "sent": "send", "took": "take", "taken": "take",
    "gave": "give", "given": "give", "got": "get", "gotten": "get", "came": "come", "went": "go",
    "gone": "go", "left": "leave", "made": "make", "broke": "break", "broken": "break", "lost": "lose",
    "bought": "buy", "brought": "bring", "thought": "think", "knew": "know", "known": "know",
    "was": "be", "were": "be", "is": "be", "are": "be", "am": "be", "been": "be", "'s": "be", "'re": "be",
    "has": "have", "had": "have", "'ve": "have", "does": "do", "did": "do", "done": "do",
}  # fmt: skip
_KEEP_E = {"promis", "assur", "guarante", "quot", "advis", "schedul", "suppos", "issu", "receiv", "charg",
           "arriv", "requir", "clos", "mov"}  # fmt: skip


def base_form(word: str) -> str:
    """The base form of a verb as written: "told" -> "tell", "promised" -> "promise".

    >>> [base_form(w) for w in ("told", "promised", "quoted", "ordered", "says", "booked")]
    ['tell', 'promise', 'quote', 'order', 'say', 'book']
    """
    low = word.lower()
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    for suffix in ("ied", "ies"):
        if low.endswith(suffix) and len(low) > 4:
            return low[: -len(suffix)] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            stem = low[: -len(suffix)]
            if suffix in {"ed", "ing"} and len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "ls":
                stem = stem[:-1]  # "stopped" -> "stop"
            elif suffix in {"ed", "ing"} and stem.endswith("ell") and len(stem) > 5:
                stem = stem[:-1]  # British "cancelled" -> "cancel"
            if stem in _KEEP_E or (suffix in {"ed", "ing", "es"} and stem + "e" in _KNOWN):
                return stem + "e"
            return stem
    return low


_KNOWN = {"promise", "assure", "guarantee", "quote", "advise", "schedule", "suppose", "issue", "receive",
          "charge", "arrive", "require", "close", "move", "like", "state", "confirm", "use", "pay"}  # fmt: skip
