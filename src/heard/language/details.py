"""Times, money amounts and reference numbers a customer mentions, exactly as written.

All three come from regular expressions: a parser has no notion of "order A-55120", and
reading times without spaCy's entity recogniser keeps the parse about a third faster.
"""

from __future__ import annotations

import re

_MONEY = re.compile(
    r"(?:[$€£]\s?\d[\d,]*(?:\.\d\d)?(?:\s?(?:k|m|bn))?)|(?:\b\d[\d,]*(?:\.\d\d)?\s?(?:dollars|euros|pounds|bucks|usd|eur|gbp|quid)\b)",
    re.I,
)
_REFERENCE = re.compile(
    r"(?:(?<=order )|(?<=booking )|(?<=ticket )|(?<=invoice )|(?<=account )|(?<=reference )|(?<=ref )|(?<=case )"
    r"|(?<=number )|(?<=no\. )|(?<=#))[A-Z0-9][A-Z0-9-]{2,}\b"
    r"|\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{1,5}-?[A-Z0-9]{3,}\b",
    re.I,
)
_CLOCK = re.compile(r"\b\d{1,2}(?::\d\d)?\s?(?:am|pm|a\.m\.|p\.m\.)", re.I)


def _unique(items: list[str]) -> list[str]:
    seen, out = set(), []
    for item in items:
        key = item.lower()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def find_amounts(text: str) -> list[str]:
    """Money amounts as written.

    >>> find_amounts("You took £600 and then another 40 dollars")
    ['£600', '40 dollars']
    """
    return _unique([m.group().strip() for m in _MONEY.finditer(text)])


def find_references(text: str) -> list[str]:
    """Order, booking, ticket and account numbers as written.

    >>> find_references("Order A-55120 and ticket 4471 are still open")
    ['A-55120', '4471']
    """
    found = [m.group() for m in _REFERENCE.finditer(text)]
    return _unique([f for f in found if any(ch.isdigit() for ch in f) and not _CLOCK.fullmatch(f)])


_NUMBER = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|few|several|couple of)"
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_TIME = re.compile(
    "|".join(
        [
            r"\b\d{1,2}(?::\d\d)?\s?(?:am|pm|a\.m\.|p\.m\.)(?!\w)",
            r"\b\d{1,2}:\d\d\b",
            r"\b(?:noon|midnight|midday)\b",
            rf"\b(?:(?:last|next|this|every) )?{_DAY}s?(?: (?:morning|afternoon|evening|night))?\b",
            rf"\b\d{{1,2}}(?:st|nd|rd|th)?(?: of)? {_MONTH}\b(?: \d{{4}})?",
            rf"\b{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?\b(?:,? \d{{4}})?",
            r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b",
            r"\b(?:the )?\d{1,2}(?:st|nd|rd|th)\b",
            r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b",
            r"\b(?:yesterday|today|tonight|tomorrow)(?: (?:morning|afternoon|evening|night))?\b",
            r"\b(?:this|last|next|every) (?:morning|afternoon|evening|night|week(?:end)?|month|year)\b",
            rf"\b(?:over |more than |almost |nearly |about )?{_NUMBER}[ -](?:working |business )?(?:minutes?|hours?|days?|weeks?|months?|years?)(?: ago| later)?\b",
            r"\b(?:over |more than |almost |nearly |about )?(?:an|half an) hour\b",
            r"\b(?:all|the whole|the entire) (?:day|morning|afternoon|evening|night|week|weekend|trip)\b",
        ]
    ),
    re.I,
)
# Month names that are also words ("may", "march") count only with a capital.
_WORD_MONTHS = {"may", "march"}


def find_times(text: str) -> list[str]:
    """Time and date expressions as written, in order.

    >>> find_times("They said by 1 pm on Tuesday, then 3 weeks later nothing. It's 14 March now.")
    ['1 pm', 'Tuesday', '3 weeks later', '14 March']
    """
    found = []
    for m in _TIME.finditer(text):
        word = m.group()
        if word.lower() in _WORD_MONTHS and not word[0].isupper():
            continue
        found.append(word)
    return _unique(found)
