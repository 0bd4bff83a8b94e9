import pytest

from heard.understand.pii import luhn_ok, redact


@pytest.mark.parametrize(
    ("text", "expected", "kinds"),
    [
        ("Write to jo.ann+orders@mail.example.co.uk today", "Write to [email] today", ["email"]),
        ("Call me on +44 20 7946 0958 please", "Call me on [phone] please", ["phone"]),
        ("My number is (555) 123-4567.", "My number is [phone].", ["phone"]),
        ("ring 07700 900123 after six", "ring [phone] after six", ["phone"]),
        ("Card 4111 1111 1111 1111 was charged twice", "Card [card] was charged twice", ["card"]),
        ("card 5500-0000-0000-0004 expired", "card [card] expired", ["card"]),
        ("I live at 14 Mill Lane, Leeds", "I live at [address], Leeds", ["address"]),
        ("deliver to Flat 3, 221B Baker Street please", "deliver to [address] please", ["address"]),
    ],
)
def test_redact_replaces_personal_data(text: str, expected: str, kinds: list[str]) -> None:
    result = redact(text)
    assert result.text == expected
    assert [f.kind for f in result.found] == kinds


@pytest.mark.parametrize(
    "text",
    [
        "Order 4111111111111112 never arrived",  # fails Luhn: an order number, not a card
        "Order 5521 and ticket 88213 are still open",
        "I paid 120 dollars on 12 March at 3 pm",
        "I waited 45 minutes on the phone, then 3 days for an email",
        "booking 2024-03-12 at 10:30",
    ],
)
def test_redact_keeps_what_is_not_personal(text: str) -> None:
    assert redact(text).text == text


def test_redaction_spans_point_into_the_original() -> None:
    text = "mail a@b.io or call +1 415 555 0100"
    for f in redact(text).found:
        assert text[f.start : f.end] in {"a@b.io", "+1 415 555 0100"}


def test_luhn() -> None:
    assert luhn_ok("79927398713") and not luhn_ok("79927398710")
