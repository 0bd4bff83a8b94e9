"""``redact``: take personal data out of a message before it is stored.

Emails (also ``name(at)example.com`` and ``name [at] example [dot] com``), IBANs (checksum
checked by python-stdnum), payment card numbers (a card prefix and the Luhn check, so order
numbers stay), phone numbers (Google's libphonenumber, in the national formats of the US,
UK, Germany, France and Spain and every international form), street addresses and postcodes
(UK, US, DE, FR, ES) are replaced by a placeholder naming what was there, so analysis and
reflections still read naturally ("call me on [phone]"). A number is replaced whole or not
at all: no half-redactions.

>>> redact("Mail me at ann@example.com or call +44 20 7946 0958.").text
'Mail me at [email] or call [phone].'
>>> redact("Card 4111 1111 1111 1111 was charged for order 5521.").text
'Card [card] was charged for order 5521.'
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from typing import Literal

import phonenumbers
import yaml
from pydantic import BaseModel, ConfigDict, Field
from stdnum import iban as _iban

PiiKind = Literal["email", "card", "iban", "phone", "address"]

RULES = "pii.v1"
# Which kind wins when two detections overlap (earlier wins): the checksummed kinds first.
_PRIORITY: tuple[PiiKind, ...] = ("email", "iban", "card", "phone", "address")
_PLACEHOLDER = {
    "email": "[email]",
    "card": "[card]",
    "iban": "[iban]",
    "phone": "[phone]",
    "address": "[address]",
}
# National formats are read as these countries' numbers; international ones (+44, 0033) as any.
_REGIONS = ("US", "GB", "DE", "FR", "ES")


class Redacted(BaseModel):
    """What was taken out of one text: its kind and its span in the original (never the value)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: PiiKind
    start: int
    end: int


class Redaction(BaseModel):
    """A text with its personal data replaced by placeholders."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = Field(
        description="The text with [email], [card], [iban], [phone] and [address] placeholders."
    )
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


def _card_like(digits: str) -> bool:
    """A card network's prefix and length (Visa, Mastercard, Amex, Discover, JCB, Diners, Maestro,
    UnionPay) and the Luhn check: a 16-digit order number passes Luhn one time in ten, this rarely."""
    n = len(digits)
    two, four = int(digits[:2]), int(digits[:4])
    network = (
        (digits[0] == "4" and n in (13, 16, 19))
        or ((51 <= two <= 55 or 2221 <= four <= 2720) and n == 16)
        or (two in (34, 37) and n == 15)
        or ((digits.startswith("6011") or two == 65 or 644 <= int(digits[:3]) <= 649) and n in (16, 19))
        or (3528 <= four <= 3589 and n in (16, 19))
        or ((two in (36, 38, 39) or 300 <= int(digits[:3]) <= 305) and n in (14, 16))
        or (two in (50, 56, 57, 58, 63, 67) and 12 <= n <= 19)
        or (two == 62 and 16 <= n <= 19)
    )
    return network and luhn_ok(digits)


@functools.cache
def _rules() -> dict:
    path = importlib.resources.files("heard.understand") / "data" / f"{RULES}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# --- emails -------------------------------------------------------------------------------------

_AT = r"(?:\s*@\s*|\s*[(\[{]\s*at\s*[)\]}]\s*)"
_DOT = r"(?:\.|\s*[(\[{]\s*dot\s*[)\]}]\s*)"
# Parts bounded as RFC 5321 bounds them, which also keeps a long "a.a.a.a..." from costing seconds.
_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w.+-]{{0,63}}\w{_AT}[\w-]{{1,63}}(?:{_DOT}[\w-]{{1,63}}){{0,6}}{_DOT}[a-zA-Z]{{2,24}}\b",
    re.I,
)
# "jane at example dot com": only with both words, so "see you at home" stays.
_EMAIL_WORDS = re.compile(
    r"\b[\w.+-]{0,63}\w\s+at\s+[\w-]{1,63}(?:\s+dot\s+[\w-]{1,63}){0,6}\s+dot\s+[a-z]{2,24}\b", re.I
)


# --- card numbers and IBANs: groups of digits (letters for IBANs) with a separator between ---

# Possessive: one way to read each run, so a failed end check costs nothing ("1-1-1-...-").
_DIGIT_GROUPS = re.compile(r"(?<![\w.,-])\d++(?:(?: {1,2}|[.-]| - )\d++)*+(?![\w-]|[.,]\d)")
# At most 34 characters and one way to match each text: no backtracking blow-up on long input.
_IBAN_START = re.compile(r"\b[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){10,30}")


def _card_grouping(groups: list[str]) -> bool:
    """How card numbers are printed and typed: one run, fours (the last may be short), or the
    4-6-5 / 4-6-4 of Amex and Diners; "633-5634830-1462418" is an order number's grouping."""
    sizes = [len(g) for g in groups]
    return len(sizes) == 1 or all(n == 4 for n in sizes[:-1]) or sizes in ([4, 6, 5], [4, 6, 4])


def _cards(text: str) -> list[tuple[int, int]]:
    """Card numbers typed with spaces, dots, dashes or double spaces: a run of whole digit groups
    from the first, card-like and grouped as cards are, so a card followed by its security code is
    still caught whole and a card-like stretch inside a longer tracking number is not."""
    found = []
    for m in _DIGIT_GROUPS.finditer(text):
        groups, digits, best = [], "", None
        for g in re.finditer(r"\d+", m.group()):  # at most 19 digits are read: linear in the text
            groups.append(g)
            digits += g.group()
            if len(digits) > 19:
                break
            if len(digits) >= 13 and _card_grouping([x.group() for x in groups]) and _card_like(digits):
                best = g.end()
        if best is not None:
            found.append((m.start(), m.start() + best))
    return found


def _ibans(text: str) -> list[tuple[int, int]]:
    """IBANs grouped by fours or written in one run, any case: the longest prefix of the run, cut
    between groups, that passes the ISO 13616 checksum and the country's length (so a following
    word is not swallowed)."""
    found = []
    for m in _IBAN_START.finditer(text):
        run = m.group()
        ends = [i for i in range(len(run), 14, -1) if i == len(run) or run[i] == " " or run[i - 1] == " "]
        for end in ends:
            if run[end - 1] != " " and _iban.is_valid(run[:end].upper()):
                found.append((m.start(), m.start() + end))
                break
    return found


# --- phones --------------------------------------------------------------------------------------


@functools.cache
def _reference_before() -> re.Pattern[str]:
    return re.compile(
        rf"(?:^|[^\w])(?:{_alt(_rules()['reference_words'])})\s*(?:no\.?|number|nr\.?)?\s*[:#]?\s*$", re.I
    )


_ZIP4 = re.compile(r"\d{5}-\d{4}")


def _glued(text: str, start: int, end: int) -> bool:
    """Part of a longer code ("INV-2024-414315", "A12-...") or digit run (the tail of a tracking
    number "9400 1118 9922 3344 5566 77"), or a ZIP+4: not a number on its own."""
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]

    def joined(sep: str, other: str) -> bool:
        return (sep in "-/" and other.isalnum()) or (sep in " ." and other.isdigit())

    return (
        before[-1:].isalnum()
        or (len(before) == 2 and joined(before[1], before[0]) and text[start] not in "+(")
        or after[:1].isalnum()
        or (len(after) == 2 and joined(after[0], after[1]))
        or bool(_ZIP4.fullmatch(text[start:end]))
    )


# Where a phone number could be: digits with a few separators between them. libphonenumber
# only reads these windows; a long run of digits (a pasted log, a table) is cut into overlapping
# chunks and only the first _LONG_CHUNKS of them are read, so one message's cost stays bounded.
_PHONE_WINDOW = re.compile(r"\+?\(?\d(?:[ .\-/()]{0,3}\d)+")
_CHUNK, _STEP, _LONG_CHUNKS = 64, 32, 16


def _windows(text: str):
    budget = _LONG_CHUNKS
    for m in _PHONE_WINDOW.finditer(text):
        start, end = m.span()
        if sum(c.isdigit() for c in m.group()) < 9:
            continue
        if end - start <= _CHUNK:
            yield start, end, False, False
            continue
        at = start
        while budget > 0:
            budget -= 1
            stop = min(at + _CHUNK, end)
            yield at, stop, at > start, stop < end
            if stop == end:
                break
            at += _STEP


def _phones(text: str) -> list[tuple[int, int]]:
    """Numbers libphonenumber holds valid for one of heard's regions or, written internationally,
    for any country; also numbers of a possible length that start with +, 00, 0 or "(" (drama and
    test ranges such as 07700 900123 are not "valid" but are still someone's way of writing one)."""
    spans: set[tuple[int, int]] = set()
    for w_start, w_end, cut_before, cut_after in _windows(text):
        window = text[w_start:w_end]
        for region in _REGIONS:
            for m in phonenumbers.PhoneNumberMatcher(window, region, leniency=phonenumbers.Leniency.POSSIBLE):
                raw = m.raw_string
                digits = sum(c.isdigit() for c in raw)
                if not (phonenumbers.is_valid_number(m.number) or (digits >= 10 and raw[0] in "+0(")):
                    continue
                if (cut_before and m.start == 0) or (cut_after and m.end == len(window)):
                    continue  # may be the piece of a longer number cut at the chunk's edge
                start, end = w_start + m.start, w_start + m.end
                before = text[max(0, start - 40) : start]
                if digits < 9 or _reference_before().search(before) or _glued(text, start, end):
                    continue
                spans.add((start, end))
    return list(spans)


# --- street addresses and postcodes ----------------------------------------------------------------

_NAME = r"[A-ZÀ-Ý][\w'’.-]{0,30}"  # a capitalised word of a street name (case-sensitive)
_CITY = r"[A-ZÀ-Ý][a-zà-ÿß'’-]+(?:[ -][A-ZÀ-Ý][a-zà-ÿß'’-]+)?"
_UK_POSTCODE = r"(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})"


@functools.cache
def _address_patterns() -> list[re.Pattern[str]]:
    r = _rules()
    en, de = _alt(r["street_types_en"]), _alt(r["street_suffixes_de"])
    fr, es = _alt(r["street_types_fr"]), _alt(r["street_types_es"])
    states, cues = "|".join(r["us_states"]), _alt(r["postcode_cues"])
    unit = r"(?:(?i:flat|apt\.?|apartment|unit|suite)\s*\d+[a-zA-Z]?,?\s+)?"
    number = r"\d{1,5}[a-zA-Z]?(?:-\d{1,5})?"
    # A town and a postcode may follow the street: ", 10115 Berlin", ", London SW1A 1AA".
    tail = (
        rf"(?:,?\s+(?:\d{{5}}\s+{_CITY}|{_CITY},?\s+(?:{states})\s+\d{{5}}(?:-\d{{4}})?"
        rf"|{_CITY},?\s+{_UK_POSTCODE}|{_UK_POSTCODE}))?"
    )
    return [
        # "1 Infinite Loop", "221B Baker Street", "1600 Pennsylvania Avenue NW"
        re.compile(
            rf"\b{unit}{number},?\s+(?:{_NAME}\s+){{1,3}}(?i:{en})\b\.?(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b)?{tail}"
        ),
        # "Hauptstraße 5", "Berliner Allee 4", "Am Lindenweg 12a"
        re.compile(
            rf"\b(?:(?:Am|An der|Auf dem|Im|In der)\s+)?(?:[A-ZÄÖÜ][\wäöüß-]{{0,30}}(?i:{de})|[A-ZÄÖÜ][\wäöüß-]{{0,30}}\s+(?i:{de}))"
            rf"\s+\d{{1,4}}\s?[a-zA-Z]?\b{tail}"
        ),
        # "12 rue de la Paix", "3 bis avenue Victor Hugo"
        re.compile(
            rf"\b{number}(?:\s?(?:bis|ter))?,?\s+(?i:{fr})\s+(?:(?:de la|de l'|du|des|de|d')\s*)?"
            rf"(?:{_NAME}[ -]?){{1,4}}{tail}"
        ),
        # "Calle Mayor 10", "Avenida de la Constitución, 5", "C/ Alcalá 42"
        re.compile(
            rf"(?<!\w)(?i:{es})\s*(?:(?:de la|de los|de las|del|de)\s+)?(?:{_NAME}\s+){{0,3}}{_NAME},?\s+"
            rf"(?:n[ºo°]\s*)?\d{{1,4}}\b{tail}"
        ),
        # postcodes on their own
        re.compile(rf"\b{_UK_POSTCODE}\b"),
        re.compile(rf"\b(?:{states})\s+\d{{5}}(?:-\d{{4}})?\b"),
        re.compile(rf"(?<!\w)(?i:{cues})(?:\s+(?i:is|was))?\s*[:#]?\s*\d{{5}}(?:-\d{{4}})?\b"),
        re.compile(r"(?<![\w-])\d{5}-\d{4}(?![\w-])"),
    ]


def _addresses(text: str) -> list[tuple[int, int]]:
    return [m.span() for p in _address_patterns() for m in p.finditer(text)]


# --- putting it together ------------------------------------------------------------------------


def _spans(text: str) -> list[Redacted]:
    candidates: dict[PiiKind, list[tuple[int, int]]] = {
        "email": [m.span() for p in (_EMAIL, _EMAIL_WORDS) for m in p.finditer(text)],
        "iban": _ibans(text),
        "card": _cards(text),
        "phone": _phones(text),
        "address": _addresses(text),
    }
    found: list[Redacted] = []
    for kind in _PRIORITY:
        # Longest first, so two overlapping readings of one number become one placeholder.
        for start, end in sorted(candidates[kind], key=lambda s: (s[0] - s[1], s[0])):
            if all(end <= f.start or start >= f.end for f in found):
                found.append(Redacted(kind=kind, start=start, end=end))
    return sorted(found, key=lambda f: f.start)


def redact(text: str) -> Redaction:
    """Replace emails, IBANs, card numbers, phone numbers, street addresses and postcodes.

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
