"""``heard bench redact``: redaction scored on generated customer messages with labelled spans.

``generate(seed)`` writes, deterministically, messages in the styles customers type personal
data in: card numbers (Luhn-valid, grouped by spaces, dots, dashes or double spaces), IBANs
(valid checksum, 16 countries, grouped or not), emails (plain and spelled-out ``(at)``,
``[at] ... [dot]``, ``name @ example.com``), phone numbers (US, UK, DE, FR, ES national and
international forms, ``+`` and ``00``), street addresses and postcodes (UK, US, DE, FR, ES);
and ordinary texts full of numbers that must not change (times, counts, order and tracking
numbers, prices, dates, flight numbers, versions). Every value is built here: no real data.

Scored: recall per kind (a labelled span counts as caught when one redaction covers it
whole), half-redactions (a redaction that cuts into a labelled span without covering it)
and the share of ordinary texts changed at all.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

import phonenumbers
from stdnum import iban as _iban

from heard.understand.pii import redact

GOALS = {"card": 0.99, "iban": 0.99, "email": 0.99, "phone": 0.99, "address": 0.95, "postcode": 0.95}
MAX_ORDINARY_CHANGED = 0.01


@dataclass
class Case:
    text: str
    spans: list[tuple[str, int, int]] = field(default_factory=list)  # (kind, start, end)


class _Builder:
    """Builds one message from pieces, recording where each labelled value lands."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[tuple[str, int, int]] = []
        self.at = 0

    def add(self, text: str, kind: str | None = None) -> _Builder:
        if kind:
            self.spans.append((kind, self.at, self.at + len(text)))
        self.parts.append(text)
        self.at += len(text)
        return self

    def case(self) -> Case:
        return Case("".join(self.parts), self.spans)


# --- values -------------------------------------------------------------------------------------


def _luhn_complete(body: str) -> str:
    for d in "0123456789":
        total = 0
        for i, ch in enumerate(reversed(body + d)):
            n = int(ch)
            if i % 2:
                n = n * 2 - 9 if n > 4 else n * 2
            total += n
        if total % 10 == 0:
            return body + d
    raise AssertionError("unreachable")


def card(rng: random.Random) -> str:
    network = rng.choice(["visa", "visa", "mc", "mc2", "amex", "discover"])
    prefix, length = {
        "visa": ("4", 16),
        "mc": (str(rng.randint(51, 55)), 16),
        "mc2": (str(rng.randint(2221, 2720)), 16),
        "amex": (rng.choice(["34", "37"]), 15),
        "discover": ("6011", 16),
    }[network]
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    digits = _luhn_complete(body)
    groups = (
        [digits[:4], digits[4:10], digits[10:]]
        if length == 15
        else [digits[i : i + 4] for i in range(0, 16, 4)]
    )
    sep = rng.choice([" ", " ", "-", ".", "  ", "", " - "])
    return sep.join(groups)


# BBAN layouts: n digits, a upper-case letters, c letters or digits.
_BBAN = {
    "DE": "18n", "GB": "4a14n", "FR": "10n11c2n", "ES": "20n", "NL": "4a10n", "IT": "1a10n12c",
    "BE": "12n", "CH": "5n12c", "AT": "16n", "IE": "4a14n", "PL": "24n", "PT": "21n",
    "SE": "20n", "DK": "14n", "NO": "11n", "FI": "14n",
}  # fmt: skip


def iban(rng: random.Random) -> str:
    country = rng.choice(sorted(_BBAN))
    while True:
        bban = ""
        for count, kind in _parse_layout(_BBAN[country]):
            pool = {
                "n": "0123456789",
                "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                "c": "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ",
            }[kind]
            if kind == "c":
                pool = "0123456789" * 3 + pool  # mostly digits, as in real account numbers
            bban += "".join(rng.choice(pool) for _ in range(count))
        number = country + _iban.calc_check_digits(country + "00" + bban) + bban
        if _iban.is_valid(number):  # national check digits (FR, ES, BE, NO, ...) must hold too
            break
    grouped = rng.random() < 0.55
    text = " ".join(number[i : i + 4] for i in range(0, len(number), 4)) if grouped else number
    return text.lower() if rng.random() < 0.1 else text


def _parse_layout(layout: str) -> list[tuple[int, str]]:
    out, num = [], ""
    for ch in layout:
        if ch.isdigit():
            num += ch
        else:
            out.append((int(num), ch))
            num = ""
    return out


_FIRST = ["ann", "jo", "maria", "li", "sam", "pierre", "lena", "carlos", "fatima", "tom", "noor", "ines"]
_LAST = ["smith", "okafor", "dubois", "garcia", "meyer", "nguyen", "rossi", "khan", "lopez", "brown"]
_DOMAINS = [
    "example.com",
    "mail.example.co.uk",
    "example.de",
    "post.example.fr",
    "example.es",
    "inbox.example.org",
]


def email(rng: random.Random) -> str:
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    local = rng.choice(
        [f"{first}.{last}", f"{first}_{last}{rng.randint(1, 99)}", f"{first[0]}{last}", f"{first}+orders"]
    )
    domain = rng.choice(_DOMAINS)
    style = rng.choice(["plain", "plain", "paren", "spaced", "bracket", "Upper"])
    if style == "paren":
        return f"{local}(at){domain}"
    if style == "spaced":
        return f"{local} @ {domain}"
    if style == "bracket":
        return f"{local} [at] {domain.replace('.', ' [dot] ')}"
    if style == "Upper":
        return f"{local.capitalize()}@{domain.upper()}"
    return f"{local}@{domain}"


def _valid_number(rng: random.Random, region: str) -> phonenumbers.PhoneNumber:
    kind = rng.choice([phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE])
    example = phonenumbers.example_number_for_type(region, kind)
    national = str(example.national_number)
    while True:
        keep = rng.randint(1, 3) if region != "US" else 0
        if region == "US":
            digits = rng.choice(["212", "415", "312", "617", "206", "303", "512"]) + str(
                rng.randint(200, 999)
            )
            digits += f"{rng.randint(0, 9999):04d}"
        else:
            digits = national[:keep] + "".join(rng.choice("0123456789") for _ in range(len(national) - keep))
        number = phonenumbers.parse(digits, region)
        if phonenumbers.is_valid_number(number):
            return number


def phone(rng: random.Random) -> str:
    region = rng.choice(["US", "US", "GB", "DE", "FR", "ES"])
    number = _valid_number(rng, region)
    intl = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    style = rng.choice(["national", "national", "intl", "e164", "00"])
    if region == "US" and style == "national":
        d = str(number.national_number)
        return rng.choice(
            [
                f"{d[:3]} {d[3:6]} {d[6:]}",
                f"({d[:3]}) {d[3:6]}-{d[6:]}",
                f"{d[:3]}-{d[3:6]}-{d[6:]}",
                f"{d[:3]}.{d[3:6]}.{d[6:]}",
            ]
        )
    if style == "intl":
        return intl
    if style == "e164":
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if style == "00":
        return "00" + intl[1:]
    return national


_EN_NAMES = [
    "Infinite",
    "Riverside",
    "Mill",
    "Church",
    "Baker",
    "Elm",
    "Station",
    "Oak Tree",
    "Park View",
    "Kings",
    "Maple",
    "Evergreen",
    "Pennsylvania",
    "High",
    "Victoria",
]
_EN_TYPES = [
    "Street",
    "Road",
    "Lane",
    "Avenue",
    "Walk",
    "Loop",
    "Close",
    "Drive",
    "Way",
    "Terrace",
    "Crescent",
    "Gardens",
    "St",
    "Rd",
    "Ave",
    "Mews",
    "Court",
    "Place",
    "Boulevard",
    "Row",
]
_DE_STREETS = [
    "Hauptstraße",
    "Goethestraße",
    "Bahnhofstr.",
    "Lindenweg",
    "Berliner Allee",
    "Schillerplatz",
    "Gartenstrasse",
    "Mozartgasse",
    "Am Lindenweg",
    "Kaiserdamm",
    "Rosenring",
]
_FR_STREETS = [
    "rue de la Paix",
    "avenue Victor Hugo",
    "boulevard Saint-Michel",
    "place de la République",
    "rue du Faubourg Saint-Antoine",
    "chemin des Vignes",
    "allée des Roses",
    "quai de la Tournelle",
    "rue Lepic",
    "impasse des Lilas",
]
_ES_STREETS = [
    "Calle Mayor",
    "Avenida de la Constitución",
    "C/ Alcalá",
    "Plaza de España",
    "Paseo de Gracia",
    "Calle de Serrano",
    "Carrer de Balmes",
    "Avda. Diagonal",
    "Calle Real",
    "Ronda de Segovia",
]
_CITIES = {"UK": ["London", "Leeds", "Bristol", "Manchester"], "US": ["Cupertino", "Austin", "Seattle", "Springfield"],
           "DE": ["Berlin", "München", "Hamburg", "Köln"], "FR": ["Paris", "Lyon", "Marseille", "Nantes"],
           "ES": ["Madrid", "Barcelona", "Sevilla", "Valencia"]}  # fmt: skip
_STATES = ["CA", "TX", "WA", "NY", "IL", "MA"]


def uk_postcode(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNOPRSTUWYZ"
    inward = f"{rng.randint(0, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    outward = rng.choice(
        [
            f"{rng.choice(letters)}{rng.randint(1, 9)}",
            f"{rng.choice(letters)}{rng.choice(letters)}{rng.randint(1, 99)}",
            f"{rng.choice('SWEWN')}{rng.randint(1, 9)}{rng.choice('ABCDEFGHJKPSTUW')}",
            f"{rng.choice(letters)}{rng.choice(letters)}{rng.randint(1, 9)}{rng.choice('ABEHMNPRVWXY')}",
        ]
    )
    return f"{outward} {inward}" if rng.random() < 0.9 else outward + inward


def zip_code(rng: random.Random) -> str:
    z = f"{rng.randint(1001, 99950):05d}"
    return z + f"-{rng.randint(0, 9999):04d}" if rng.random() < 0.35 else z


def address(rng: random.Random, b: _Builder) -> None:
    """A street address, sometimes with its town and postcode (the postcode labelled apart)."""
    country = rng.choice(["UK", "US", "DE", "FR", "ES"])
    city = rng.choice(_CITIES[country])
    tail = rng.random() < 0.5
    if country in ("UK", "US"):
        unit = rng.choice(["", "", "", f"Flat {rng.randint(1, 12)}, ", f"Apt {rng.randint(1, 40)}, "])
        b.add(
            f"{unit}{rng.randint(1, 2400)}{rng.choice(['', '', 'B'])} {rng.choice(_EN_NAMES)} {rng.choice(_EN_TYPES)}",
            "address",
        )
        if tail and country == "UK":
            b.add(f", {city} ").add(uk_postcode(rng), "postcode")
        elif tail:
            b.add(f", {city}, {rng.choice(_STATES)} ").add(zip_code(rng), "postcode")
    elif country == "DE":
        b.add(f"{rng.choice(_DE_STREETS)} {rng.randint(1, 150)}{rng.choice(['', '', 'a'])}", "address")
        if tail:
            b.add(", ").add(f"{rng.randint(1067, 99998):05d}", "postcode").add(f" {city}")
    elif country == "FR":
        b.add(f"{rng.randint(1, 120)}{rng.choice(['', '', ' bis'])} {rng.choice(_FR_STREETS)}", "address")
        if tail:
            b.add(", ").add(f"{rng.randint(1000, 95999):05d}", "postcode").add(f" {city}")
    else:
        b.add(f"{rng.choice(_ES_STREETS)}{rng.choice([' ', ', '])}{rng.randint(1, 200)}", "address")
        if tail:
            b.add(", ").add(f"{rng.randint(1001, 52999):05d}", "postcode").add(f" {city}")


def postcode(rng: random.Random, b: _Builder) -> None:
    """A postcode or ZIP given on its own, the way a form-less chat asks for it."""
    kind = rng.choice(["uk", "uk", "zip", "zip_state", "plz", "cp_fr", "cp_es"])
    if kind == "uk":
        b.add(rng.choice(["my postcode is ", "postcode ", "it's ", "we're at "])).add(
            uk_postcode(rng), "postcode"
        )
    elif kind == "zip":
        b.add(rng.choice(["ZIP ", "zip code ", "my zip is ", "Zip: "])).add(zip_code(rng), "postcode")
    elif kind == "zip_state":
        b.add(f"{rng.choice(_CITIES['US'])}, ").add(f"{rng.choice(_STATES)} {zip_code(rng)}", "postcode")
    elif kind == "plz":
        b.add(rng.choice(["PLZ ", "Postleitzahl: PLZ "])).add(f"{rng.randint(1067, 99998):05d}", "postcode")
    elif kind == "cp_fr":
        b.add("code postal ").add(f"{rng.randint(1000, 95999):05d}", "postcode")
    else:
        b.add(rng.choice(["código postal ", "CP "])).add(f"{rng.randint(1001, 52999):05d}", "postcode")


_PII_TEMPLATES = {
    "card": ["My card {} was charged twice", "card number: {} - please refund", "I paid with {} and got nothing",
             "the charge on {}, exp 09/27, is wrong", "Refund to {} please!!"],
    "iban": ["Please send the refund to {} thanks", "IBAN: {}", "my account is {}, name on it is mine",
             "wire it to {} asap", "refund to iban {} not the card"],
    "email": ["Email me at {} please", "contact: {}", "I wrote to you from {} three times", "reply to {}!!",
              "my address is {} - use that"],
    "phone": ["Call me on {} please", "my number is {}", "ring {} after 6pm", "You can reach me at {}.",
              "tel: {} (mobile)", "I gave you {} already"],
}  # fmt: skip
_PII_VALUES = {"card": card, "iban": iban, "email": email, "phone": phone}


def pii_case(rng: random.Random, kind: str) -> Case:
    b = _Builder()
    if kind in _PII_VALUES:
        before, after = rng.choice(_PII_TEMPLATES[kind]).split("{}")
        b.add(before).add(_PII_VALUES[kind](rng), kind).add(after)
    elif kind == "address":
        b.add(
            rng.choice(["Deliver to ", "I live at ", "my address is ", "ship it to ", "The parcel went to "])
        )
        address(rng, b)
        b.add(rng.choice([" please", ", not the old one", ".", " and nobody came", ""]))
    else:
        postcode(rng, b)
        b.add(rng.choice([".", " - check it", " if that helps", ""]))
    return b.case()


def ordinary(rng: random.Random) -> str:
    """A message with numbers that are nobody's personal data."""
    n = rng.randint
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    pieces = [
        f"I've called {n(2, 12)} times in a row",
        f"I waited {n(5, 90)} minutes on hold at {n(1, 12)}:{n(0, 59):02d}",
        f"order #{n(10000, 99999999)} never arrived",
        f"order number {n(100, 999)}-{n(1000000, 9999999)}-{n(1000000, 9999999)}",
        f"order {n(100000000, 999999999)} is {n(3, 14)} days late",
        f"tracking 1Z{n(100, 999)}{rng.choice(letters)}{rng.choice(letters)}{n(10**9, 10**10 - 1)}{n(0, 9)}",
        f"tracking number {n(9200, 9499)} {n(1000, 9999)} {n(1000, 9999)} {n(1000, 9999)} {n(1000, 9999)} {n(10, 99)}",
        f"ticket {n(100000, 999999999)} is still open",
        f"case ref {n(10**9, 10**10 - 1)}",
        f"it cost ${n(1, 2)},{n(100, 999)}.{n(10, 99)}",
        f"you charged me €{n(5, 500)}.{n(0, 99):02d} twice",
        f"I paid £{n(10, 900)} on {n(1, 28)} March",
        f"booked on {n(1, 28)}/{n(1, 12):02d}/{n(2022, 2026)}",
        f"delivery was due {n(2022, 2026)}-{n(1, 12):02d}-{n(1, 28):02d} at {n(8, 18)}:00",
        f"flight {rng.choice(['BA', 'LH', 'AF', 'IB', 'UA'])} {n(10, 9999)} was cancelled",
        f"my flight {rng.choice(['BA', 'LH', 'AF', 'IB'])}{n(10, 9999)} left at {n(1, 12)} pm",
        f"the app version {n(1, 12)}.{n(0, 9)}.{n(0, 20)} build {n(1000, 99999)} crashes",
        f"iOS {n(14, 18)}.{n(0, 6)}.{n(1, 3)} on my phone",
        f"{n(2, 5)} days in a row the parcel was at the depot",
        f"I walked {n(2, 9)} miles down the road to the locker",
        f"Room {n(100, 999)} on floor {n(1, 30)}",
        f"{n(3, 40)} emails and {n(2, 9)} phone calls later",
        f"I bought {n(2, 12)} items for {n(20, 300)} dollars",
        f"since {n(1, 12)} am, {n(2, 6)} hours now",
        f"seat {n(1, 40)}{rng.choice('ABCDEF')} in row {n(1, 40)} was broken",
        f"invoice {rng.choice(['INV', 'FA'])}-{n(2023, 2026)}-{n(100000, 999999)} is wrong",
        f"{n(10, 99)} percent off was promised, I got {n(1, 9)}",
        f"your ref {n(10**11, 10**12 - 1)} means nothing to me",
        f"serial {rng.choice(letters)}{rng.choice(letters)}{n(10**7, 10**8 - 1)}",
        f"week {n(1, 52)} of {n(2023, 2026)}, still nothing",
    ]
    chosen = rng.sample(pieces, rng.choice([1, 2, 2, 3]))
    return rng.choice([", ", ". ", " and ", " - "]).join(chosen) + rng.choice([".", "!", "", "?!"])


def generate(seed: int = 15, per_kind: int = 200, ordinary_texts: int = 400) -> tuple[list[Case], list[str]]:
    """Labelled messages (``per_kind`` of each kind) and ordinary texts, the same for one seed."""
    rng = random.Random(seed)
    cases = [pii_case(rng, kind) for kind in GOALS for _ in range(per_kind)]
    return cases, [ordinary(rng) for _ in range(ordinary_texts)]


def bench_redaction(seed: int = 15, per_kind: int = 200, ordinary_texts: int = 400) -> dict:
    cases, plain = generate(seed, per_kind, ordinary_texts)
    caught, total, halves = Counter(), Counter(), 0
    for case in cases:
        found = redact(case.text).found
        for kind, start, end in case.spans:
            total[kind] += 1
            if any(f.start <= start and end <= f.end for f in found):
                caught[kind] += 1
            elif any(f.start < end and start < f.end for f in found):
                halves += 1
    changed = sum(1 for t in plain if redact(t).text != t)
    recall = {k: round(caught[k] / total[k], 4) for k in GOALS}
    return {
        "messages": len(cases) + len(plain),
        "labelled_values": dict(total),
        "recall": recall,
        "half_redactions": halves,
        "ordinary_texts": len(plain),
        "ordinary_changed": round(changed / len(plain), 4),
        "goals_met": all(recall[k] >= g for k, g in GOALS.items())
        and changed / len(plain) <= MAX_ORDINARY_CHANGED
        and halves == 0,
    }
