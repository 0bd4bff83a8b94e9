"""The complaint's category as customers write it on real channels: tweets about service,
bags, seats and refunds, and grievances with no clause to frame. Every example here was
written for heard."""

import pytest

import heard
from heard.understand import complaint as complaint_rules


def category(text: str) -> str | None:
    a = heard.analyze(text)
    return a.complaint.category if a.complaint else None


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        # a grievance about something a category names, with no clause that says what happened
        ("@acmeair worst customer service ever. Nobody even tried.", {"rude_service", "no_response"}),
        ("@shopco your service is terrible and your staff are clueless", {"rude_service", "no_response"}),
        ("@acmeair 2 hours on hold and then your customer service agent hung up on me",
         {"rude_service", "no_response"}),
        ("@acmeair can a real person help me? Phones are down and no one answers", {"no_response"}),
        # the bag outweighs the delay around it
        ("@acmeair landed 3 hours late and my luggage is still missing, nobody knows where it is",
         {"lost_or_damaged"}),
        # what was sold did not do its job
        ("@acmeair the seat won't recline, the wifi never worked and the toilet was filthy", {"faulty_product"}),
        ("@hotelco the room was dirty and the air conditioning was broken all night", {"faulty_product"}),
        ("@acmeair you charged me a change fee for a flight you cancelled. I want a refund",
         {"cancellation_refund", "billing"}),
    ],
)  # fmt: skip
def test_real_channel_complaints_get_a_category_a_team_would_pick(text: str, accepted: set[str]) -> None:
    assert category(text) in accepted


def test_a_grievance_naming_nothing_a_category_covers_is_still_no_frame() -> None:
    assert category("ugh what a day, so tired of everything") is None


def test_praise_is_not_a_complaint_even_when_it_names_the_service() -> None:
    assert category("@acmeair thank you, your customer service team sorted it in five minutes!") is None


def test_strong_words_are_words_of_their_categories() -> None:
    """A strong word counts twice only where its category's pattern finds it: one that no
    category lists would silently count for nothing."""
    rules = complaint_rules._rules()
    words = {w for ws in rules["categories"].values() for w in ws}
    assert set(rules["strong"]) <= words


def test_a_strong_word_counts_twice() -> None:
    assert dict(complaint_rules._word_scores("about the luggage"))["lost_or_damaged"] == 2
    assert dict(complaint_rules._word_scores("about the carousel"))["lost_or_damaged"] == 1


def test_a_complaint_with_no_category_word_is_read_by_meaning() -> None:
    """No word of complaint.v1 names it; the written sentences of data/category_prototypes do."""
    from heard.understand.category_meaning import by_meaning

    text = "sat at the gate for three hours and nobody will tell us when we leave"
    assert by_meaning(text, {"late_or_missed": 0, "no_response": 0}) in {"late_or_missed", "no_response"}


def test_words_that_settle_a_category_are_not_overruled_by_meaning() -> None:
    from heard.understand.category_meaning import by_meaning

    assert by_meaning("my suitcase and my bag are lost", {"lost_or_damaged": 4, "late_or_missed": 1}) is None


def test_a_long_letter_keeps_its_words_alone() -> None:
    from heard.understand.category_meaning import MAX_CHARS, by_meaning

    assert by_meaning("nobody replies. " * (MAX_CHARS // 10), {"no_response": 1, "billing": 1}) is None


def test_every_category_of_the_prototypes_is_a_category_of_the_frame() -> None:
    from typing import get_args

    from heard.understand.category_meaning import _prototypes

    names, _, vectors = _prototypes()
    assert set(names) <= set(get_args(complaint_rules.Category)) - {"other"}
    assert len(vectors) >= 3 * len(names)
