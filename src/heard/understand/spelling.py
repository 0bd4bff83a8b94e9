"""Typing slips ("charegd", "parcle", "arived") read as the word meant.

The known words are the whole words of the emotion model's vocabulary (about 22,000 lower-case
English words, shipped with heard) plus every word of heard's own lexicons ("login",
"postcode", "overdrawn"). A word that is not known is corrected only when exactly one known
word is one slip away: two letters swapped or a letter left out, else a letter doubled. Names, capitals, numbers and short
words are never touched. Used to read categories and trouble words, and so a reflection never
says a customer's typo back to them.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import re

from heard.understand.emotions import model_dir

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_WORD = re.compile(r"\b[a-z]{4,}\b")
MIN_LENGTH = 4


@functools.cache
def known_words() -> frozenset[str]:
    """Lower-case words heard knows: the model vocabulary's whole words and heard's lexicon words."""
    from heard.language.cues import LEXICON
    from heard.understand.complaint import category_words

    vocab = json.loads((model_dir() / "tokenizer.json").read_text("utf-8"))["model"]["vocab"]
    words = {w for w in vocab if w.isalpha() and w.islower()}
    cues = importlib.resources.files("heard.language") / "data" / f"{LEXICON}.yaml"
    words |= set(re.findall(r"[a-z]{2,}", cues.read_text("utf-8").lower()))
    words |= {w for phrase in category_words() for w in re.findall(r"[a-z]{2,}", phrase)}
    return frozenset(words)


def _swaps(w: str) -> list[str]:
    return [w[:i] + w[i + 1] + w[i] + w[i + 2 :] for i in range(len(w) - 1) if w[i] != w[i + 1]]


def _insertions(w: str) -> list[str]:  # the customer left a letter out
    return [w[:i] + c + w[i:] for i in range(len(w) + 1) for c in _LETTERS]


def _doubled(w: str) -> list[str]:  # a letter typed twice ("allready", "untill")
    return [w[:i] + w[i + 1 :] for i in range(1, len(w)) if w[i] == w[i - 1]]


_SUFFIXES = ("s", "es", "ed", "d", "ing", "er", "ers", "ly", "ness", "ment", "ments", "able", "ful", "less", "y")  # fmt: skip
_PREFIXES = ("re", "un", "pre", "over", "under", "out", "mis", "dis", "non", "co", "sub", "super", "inter", "self")  # fmt: skip


def _formed(word: str, known: frozenset[str]) -> bool:
    """A known word with an ending or a prefix ("invoices", "retrain", "overcharging") is a
    word, not a slip."""
    stems = [word[: -len(x)] for x in _SUFFIXES if word.endswith(x)] + [word]
    stems += [w[len(p) :] for w in list(stems) for p in _PREFIXES if w.startswith(p)]
    return any(len(s) >= 3 and (s in known or s + "e" in known) for s in stems if s != word)


def _inflected(word: str, known: frozenset[str]) -> bool:
    """A base form whose inflections are known ("delete": "deleted", "postpone": "postponed")
    is a word the vocabulary holds only inflected, not a slip one letter short of them."""
    stem = word[:-1] if word.endswith("e") else word
    return any(f in known for f in (word + "s", word + "d", word + "ed", stem + "ing", stem + "ed"))


@functools.lru_cache(maxsize=4096)
def correct(word: str) -> str:
    """The word meant, or ``word`` itself when it is known, not lower case, too short or unclear.

    >>> correct("charegd"), correct("arived"), correct("parcle"), correct("invoices"), correct("Priya")
    ('charged', 'arrived', 'parcel', 'invoices', 'Priya')
    """
    if len(word) < MIN_LENGTH or not word.isalpha() or not word.islower():
        return word
    known = known_words()
    if word in known or _formed(word, known) or _inflected(word, known):
        return word
    # A wrong letter or an extra one could as well be a rare word ("compost" is one letter from
    # "compose"): only swaps, missing letters and doubled letters are corrected.
    for kinds in ((_swaps, _insertions), (_doubled,)):
        found = {w for slip in kinds for w in slip(word) if w in known}
        if len(found) == 1:
            return found.pop()
        if found:
            return word  # several words one slip away: leave it as written
    return word


def corrected(text: str) -> str:
    """``text`` with every lower-case slip corrected (lengths may change; for reading, not offsets)."""
    return _WORD.sub(lambda m: correct(m.group()), text)


def slips(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word meant) of each corrected word in ``text``."""
    out = []
    for m in _WORD.finditer(text):
        meant = correct(m.group())
        if meant != m.group():
            out.append((m.start(), m.end(), meant))
    return out
