"""The core of a complaint for grouping and naming: what happened and its impact, without the
noise real archives carry (handles, hashtags, links, HTML entities, emoji, greetings, sign-offs,
redaction marks such as ``XXXX``, ``XX/XX/2019`` and ``{$50.00}``).

Grouping reads this core, not the raw text: a handle or a redaction mark repeated across
thousands of complaints otherwise pulls them together and becomes a theme's name.

    >>> core("@SkyAir hi, my bag never made it to the carousel in Denver!! #fail http://t.co/x")
    'my bag never made it to the carousel in Denver!!'
    >>> core("On XX/XX/2023 I paid {$250.00} but XXXX XXXX charged a late fee. Sincerely, XXXX")
    'On a date I paid an amount but they charged a late fee.'
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from importlib.resources import files

METHOD = "themes.v2"  # the grouping method: a stored model of another method is refitted
MAX_CHARS = 1500  # the start of a long letter says what happened; the rest is detail


@cache
def _noise() -> dict[str, list[str]]:
    return json.loads((files("heard.insights") / "data" / "theme_noise.json").read_text("utf-8"))


_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@\w+")
_TAG = re.compile(r"(?<![\w#])#(\w+)")
_DATE_MARK = re.compile(r"\b(?:XX|\d{1,2})/(?:XX|\d{1,2})/(?:XXXX|XX|\d{2,4})\b", re.IGNORECASE)
_MONEY_MARK = re.compile(r"\{\$[\d,.]+\}")
_MARK = re.compile(r"\b(?:X{2,}[\w']*)(?:[\s,.\-/]+X{2,}[\w']*)*", re.IGNORECASE)
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]+")
_SPACE = re.compile(r"[ \t]+")
_SPACE_PUNCT = re.compile(r"\s+([,.!?;:])")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_REPEAT_PUNCT = re.compile(r"([,.;:])(?:\s*[,.;:])+")


def _tag_words(match: re.Match) -> str:
    """A hashtag that says something (#LostLuggage) keeps its words; one that only brands or
    grades the tweet (#fail, #united) goes."""
    word = match.group(1)
    if word.lower() in _noise()["tags"] or word.isdigit():
        return " "
    return " " + _CAMEL.sub(" ", word).lower() + " "


def _drop_edges(text: str) -> str:
    """Greetings at the start and sign-offs at the end carry no cause."""
    noise = _noise()
    for pattern in noise["openings"]:
        text = re.sub(rf"^\s*(?:{pattern})\b[\s,.!:;-]*", "", text, flags=re.IGNORECASE)
    for pattern in noise["closings"]:
        text = re.sub(rf"[\s,.!;-]*\b(?:{pattern})\b.*$", ".", text, flags=re.IGNORECASE | re.DOTALL)
    return text


def core(text: str, *, max_chars: int = MAX_CHARS) -> str:
    """The complaint's core as plain text (may be empty when nothing but noise was written)."""
    text = html.unescape(text)
    text = _LINK.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _TAG.sub(_tag_words, text)
    text = _DATE_MARK.sub(" a date ", text)
    text = _MONEY_MARK.sub(" an amount ", text)
    text = _MARK.sub(" they ", text)
    text = _EMOJI.sub(" ", text)
    text = _SPACE.sub(" ", text)
    text = _drop_edges(text.strip())
    text = re.sub(r"\bthey(?:\s+they)+\b", "they", text)
    text = re.sub(r"\b(a date|an amount)(?:\s+\1)+\b", r"\1", text)
    text = _REPEAT_PUNCT.sub(r"\1", _SPACE_PUNCT.sub(r"\1", text))
    text = re.sub(r"\s*\n\s*", "\n", text).strip(" \n,;:-")
    if len(text) > max_chars:
        cut = text.rfind(".", 0, max_chars)
        text = text[: cut + 1 if cut > max_chars // 2 else max_chars]
    return text


NOISE_WORDS = frozenset({"xxxx", "xx", "amp", "http", "https", "rt", "dm"})


def is_noise(phrase: str) -> bool:
    """Whether a candidate name phrase is noise a lead cannot read (a handle, tag, mark, link)."""
    words = phrase.lower().split()
    return (
        not words
        or any(w.startswith(("@", "#", "http", "www.")) or re.fullmatch(r"x{2,}\w*", w) for w in words)
        or any(w in NOISE_WORDS for w in words)
        or any(w in _noise()["name_words"] for w in words)
    )
