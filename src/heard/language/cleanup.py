"""Text as customers write it, made readable for the parser without moving a character.

Tweets, chats and letters carry things no reflection may say back and the parser misreads:
@handles, #tags, links, HTML entities (``&amp;``), greetings and sign-offs, quoted
earlier mail, and a complaint form's redaction marks (``XXXX``, ``XX/XX/2019``, ``{$50.00}``).
``tidy`` blanks them or puts plain words in their place, always with the same number of
characters, so every span read from the tidied text is a span of the original too.

- a handle addressing the company, said in the middle of a sentence ("flying with @brand
  again"), becomes "you"; other handles are blanked;
- a hashtag inside a sentence keeps its words ("my flight was #delayed", "#LostLuggage" ->
  "lost luggage"); a run of tags at the start or the end is blanked;
- redaction marks are blanked, a redacted date reads "that day", a redacted amount keeps its
  amount. Patterns and word lists: ``data/cleanup.v1.yaml``.
"""

from __future__ import annotations

import functools
import html
import importlib.resources
import re

import yaml

RULES = "cleanup.v1"


@functools.cache
def _rules() -> dict:
    path = importlib.resources.files("heard.language") / "data" / f"{RULES}.yaml"
    return yaml.safe_load(path.read_text("utf-8"))


def _blank(m: re.Match) -> str:
    return " " * len(m.group())


def _fit(word: str, width: int) -> str:
    """``word`` padded with spaces to ``width``; blank when it does not fit."""
    return word.ljust(width) if len(word) <= width else " " * width


_URL = re.compile(r"\b(?:https?://|www\.)\S+|\bhttps?:/*\S*|\bt\.co/\S+", re.I)
_ENTITY = re.compile(r"&(?:#\d{1,6}|#x[0-9a-f]{1,5}|[a-z]{2,8});?", re.I)
_HANDLE = re.compile(r"(?<![\w@])@\w{1,30}(?:'s|’s)?")
_TAG = re.compile(r"(?<![\w#&])#(\w+)")
# Emoji stay in the analysed text (the cue lexicon reads angry faces); a reflection drops them.
EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f1e6-\U0001f1ff\u200d\ufe0f\u2b50\u2b55\u231a-\u23ff"
    "\u2190-\u21ff\u2934\u2935\u3030\u303d\u3297\u3299]"
)
# Redaction: a date, an amount in braces, a run of X's (names, numbers, places)
_REDACTED_DATE = re.compile(r"\b(?:XX|\d{1,2})/(?:XX|\d{1,2})/(?:XXXX|XX|\d{2,4})\b")
_REDACTED_AMOUNT = re.compile(r"\{(\$?[\d,]+(?:\.\d\d)?)\}")
_REDACTED = re.compile(r"(?<![A-Za-z])[Xx]{2,}(?:[-/ ][Xx]{2,})*(?![A-Za-z])")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)")
# A run of handles, tags and links (with the spaces and light punctuation between them)
_ITEM = r"(?:@\w+|#\w+|(?:https?://|www\.)\S+|t\.co/\S+)"
_LEADING = re.compile(r"^[\s.,:;|\-–—]*(?:" + _ITEM + r"[\s.,:;|\-–—]*)+")
_TRAILING = re.compile(r"(?:[\s,;:|\-–—]*" + _ITEM + r")+(?=[\s.!?]*$)")


def _addressed(text: str) -> set[str]:
    """The handles the message opens with: whom it is addressed to."""
    m = _LEADING.match(text)
    return {h.lower() for h in re.findall(r"@(\w+)", m.group())} if m else set()


_WHOSE = {
    "your",
    "ur",
    "my",
    "you",
    "u",
    "the",
    "i",
    "i'm",
    "im",
    "why",
    "what",
    "how",
    "is",
    "are",
    "can",
    "do",
}


def _handle(m: re.Match, text: str, addressed: set[str]) -> str:
    """A handle in the middle of a sentence: "you" / "your" for the company addressed (or any
    handle when none was), after a word that takes one ("with", "to", "fly"); else blank."""
    said = m.group()
    name = said[1:].split("'")[0].split("’")[0].lower()
    before = text[max(0, m.start() - 20) : m.start()].lower().split()
    takes = before and before[-1].strip(",") in _rules()["before_company_handle"]
    after = text[m.end() : m.end() + 12].lower().split()
    if after and after[0].strip(",") in _WHOSE:  # "Hey @brand your drivers ...": a greeting, not "you"
        takes = False
    if takes and (not addressed or name in addressed):
        return _fit("your" if said.endswith(("'s", "’s")) else "you", len(said))
    return " " * len(said)


def _tag_words(m: re.Match) -> str:
    """A hashtag's words in the same width: "#LostLuggage" -> "lost luggage"; a tag whose
    words do not fit stays one word without its mark."""
    word = m.group(1)
    if word.lower() in _rules()["tags_never_said"] or word.isdigit():
        return " " * len(m.group())
    parts = [p for p in _CAMEL.split(word) if p]
    spaced = " ".join(p if p.isupper() and len(p) > 1 else p.lower() for p in parts)
    if len(spaced) <= len(m.group()):
        return spaced.ljust(len(m.group()))
    return (word if word.isupper() else word.lower()) + " "


def _entity(m: re.Match) -> str:
    said = m.group()
    if said.lower().startswith("&amp"):
        return _fit("and", len(said))
    plain = html.unescape(said if said.endswith(";") else said + ";")
    return _fit(plain, len(said)) if plain != said else said


def _sign_off(text: str) -> str:
    """Blank a signature or a sign-off line at the end ("Regards,\\nJo", "Sent from my phone")."""
    rules = _rules()
    pattern = re.compile(
        r"(?:\n|^|(?<=[.!?])\s)\s*(?:"
        + "|".join(rules["sign_offs"])
        + r")\b[^\n]{0,40}(?:\n[^\n]{0,40}){0,3}\s*$",
        re.I,
    )
    return pattern.sub(_blank, text)


def _greeting(text: str) -> str:
    """Blank a letter's greeting line ("Dear Sir or Madam,"); a chat's "Hi, ..." is left to the parser."""
    rules = _rules()
    pattern = re.compile(
        r"^\s*(?:" + "|".join(rules["greetings"]) + r")\b(?:[ \t]+[\w'.-]+){0,3}[ \t]*[,!:]?[ \t]*\n", re.I
    )
    return pattern.sub(_blank, text, count=1)


def _quoted_mail(text: str) -> str:
    """Earlier mail quoted below the message ("On Mon, ... wrote:", "> ...", "-----Original")."""
    m = re.search(r"\n\s*(?:On [^\n]{5,120}wrote:|-{2,}\s*Original Message|From: [^\n]+\n\s*Sent:)", text)
    if m:
        text = text[: m.start()] + re.sub(r"[^\n]", " ", text[m.start() :])
    return re.sub(r"(?m)^\s*>[^\n]*", _blank, text)


@functools.cache
def _artefacts() -> tuple[re.Pattern, dict[str, str]]:
    found = {k.lower(): v for k, v in _rules()["artefacts"].items()}
    keys = sorted(found, key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys), re.I), found


def _artefact(m: re.Match) -> str:
    return _fit(_artefacts()[1][m.group().lower()], len(m.group()))


def tidy(text: str) -> str:
    """``text`` with handles, tags, links, entities, emoji, redaction marks, greetings,
    sign-offs and quoted mail blanked or put in plain words; the same length as ``text``.

    >>> tidy("@brand my flight was #delayed &amp; nobody called https://t.co/x1 #fail")
    '       my flight was delayed  and   nobody called                      '
    """
    out = _URL.sub(_blank, text)
    out = _artefacts()[0].sub(_artefact, out)
    out = _ENTITY.sub(_entity, out)
    out = _quoted_mail(out)
    addressed = _addressed(out)
    out = _LEADING.sub(_blank, out)
    out = _TRAILING.sub(_blank, out)
    out = _HANDLE.sub(lambda m: _handle(m, out, addressed), out)
    out = _TAG.sub(_tag_words, out)
    out = _REDACTED_DATE.sub(
        lambda m: _fit("that day", len(m.group())) if "X" in m.group() else m.group(), out
    )
    out = _REDACTED_AMOUNT.sub(lambda m: f" {m.group(1)} ", out)
    out = _REDACTED.sub(_blank, out)
    out = _greeting(out)
    out = _sign_off(out)
    assert len(out) == len(text), "tidy must keep every offset"
    return out
