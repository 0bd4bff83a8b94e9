"""Times, money amounts and reference numbers a customer mentions, exactly as written.

Money and references come from regular expressions (a parser has no notion of "order
A-55120"); times and dates from spaCy's TIME and DATE entities plus clock times the
entity recogniser sometimes misses ("until 3pm", "between 8 and 12").
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
_CLOCK = re.compile(
    r"\b\d{1,2}(?::\d\d)?\s?(?:am|pm|a\.m\.|p\.m\.)|\bnoon\b|\bmidnight\b|\b\d{1,2}(?::\d\d)? o'clock\b", re.I
)


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


def find_times(doc) -> list[str]:
    """Time and date expressions in a parsed text, in order, as written."""
    spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in {"TIME", "DATE"}]
    spans += [(m.start(), m.end()) for m in _CLOCK.finditer(doc.text)]
    spans.sort(key=lambda s: (s[0], -s[1]))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return _unique([doc.text[s:e] for s, e in merged])
