"""``redact``: take personal data out of a message before it is stored.

Emails, phone numbers, payment card numbers (only digit runs that pass the Luhn check, so
order numbers stay) and street addresses are replaced by a placeholder naming what was
there, so analysis and reflections still read naturally ("call me on [phone]").

>>> redact("Mail me at ann@example.com or call +44 20 7946 0958.").text
'Mail me at [email] or call [phone].'
>>> redact("Card 4111 1111 1111 1111 was charged for order 5521.").text
'Card [card] was charged for order 5521.'
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PiiKind = Literal["email", "card", "phone", "address"]

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}\b")
# 13 to 19 digits, optionally grouped by spaces or dashes (how people type card numbers).
_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
# International (+44 ...) or national numbers with at least 9 digits in groups; a bare run
# of digits without a leading + or 0 or separators is more likely an order number.
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]?\d{2,4}){1,4}"
    r"|\(\d{2,4}\)\s?\d{3,4}[\s.-]?\d{3,4}"
    r"|0\d{2,4}[\s.-]?\d{3,4}[\s.-]?\d{3,4}"
    r"|\d{3}[.-]\d{3}[.-]\d{4})(?!\w)"
)
_STREET_TYPES = (
    "street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|court|ct|place|pl|way|terrace|close"
    "|crescent|square|sq|parkway|highway|hwy|gardens|grove|row|strasse|straße"
)
# "221B Baker Street", "12 Elm St.", "1600 Pennsylvania Avenue NW", "Flat 3, 14 Mill Lane".
_ADDRESS = re.compile(
    rf"\b(?:(?:flat|apt|apartment|unit|suite)\s*\d+[a-z]?,?\s+)?\d{{1,5}}[a-z]?,?\s+"
    rf"(?:[A-Z][\w'-]*\s+){{1,3}}(?:{_STREET_TYPES})\b\.?(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b)?",
    re.I,
)
_PLACEHOLDER = {"email": "[email]", "card": "[card]", "phone": "[phone]", "address": "[address]"}


class Redacted(BaseModel):
    """What was taken out of one text: its kind and its span in the original (never the value)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: PiiKind
    start: int
    end: int


class Redaction(BaseModel):
    """A text with its personal data replaced by placeholders."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = Field(description="The text with [email], [card], [phone] and [address] placeholders.")
    found: list[Redacted] = Field(description="What was replaced, in order, with spans in the original.")


def luhn_ok(digits: str) -> bool:
    """Whether a digit string passes the Luhn checksum that every payment card number carries.

    >>> luhn_ok("4111111111111111"), luhn_ok("4111111111111112")
    (True, False)
    """
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _spans(text: str) -> list[Redacted]:
    found: list[Redacted] = []

    def free(start: int, end: int) -> bool:
        return all(end <= f.start or start >= f.end for f in found)

    for m in _EMAIL.finditer(text):
        found.append(Redacted(kind="email", start=m.start(), end=m.end()))
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if luhn_ok(digits) and free(*m.span()):
            found.append(Redacted(kind="card", start=m.start(), end=m.end()))
    for m in _ADDRESS.finditer(text):
        if free(*m.span()):
            found.append(Redacted(kind="address", start=m.start(), end=m.end()))
    for m in _PHONE.finditer(text):
        if sum(c.isdigit() for c in m.group()) >= 9 and free(*m.span()):
            found.append(Redacted(kind="phone", start=m.start(), end=m.end()))
    return sorted(found, key=lambda f: f.start)


def redact(text: str) -> Redaction:
    """Replace emails, phone numbers, Luhn-valid card numbers and street addresses.

    Args:
        text: a message as written.

    Returns:
        The text with placeholders, and the kinds and spans replaced (no values: the
        result is safe to log and store).

    >>> redact("I live at 14 Mill Lane, call 07700 900123").text
    'I live at [address], call [phone]'
    """
    found = _spans(text)
    parts, at = [], 0
    for f in found:
        parts += [text[at : f.start], _PLACEHOLDER[f.kind]]
        at = f.end
    parts.append(text[at:])
    return Redaction(text="".join(parts), found=found)
