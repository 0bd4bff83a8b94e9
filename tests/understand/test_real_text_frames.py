"""Complaints as real customers write them (examples written for heard in that style)."""

import pytest

import heard


@pytest.mark.parametrize(
    ("text", "category"),
    [
        (
            "@SkyWaysAir you lost my suitcase on the way to Denver and nobody at baggage claim can help",
            "lost_or_damaged",
        ),
        (
            "Your app keeps crashing every time I try to check in online, error code 52",
            "app_or_website_broken",
        ),
        (
            "Someone opened a loan in my name, I never applied for it. This is identity theft.",
            "data_or_privacy",
        ),
        (
            "The collection agency keeps reporting a debt I paid off to the credit bureaus",
            "credit_reporting_and_debt_collection",
        ),
        ("flight delayed 3 hrs and I missed my connection in Dallas", "late_or_missed"),
        ("been on hold for 2 hours and nobody answers, the call got disconnected twice", "no_response"),
    ],
)
def test_categories_real_teams_see(text: str, category: str) -> None:
    c = heard.analyze(text).complaint
    assert c is not None and c.category == category, c


@pytest.mark.parametrize(
    "text",
    [
        "@PayQuick money debited from my account but transaction failed, still not credited after 5 days",
        "flight delayed 3 hrs bc of crew, missed my connection",
        "Stuck on the plane at the gate for 2 hours. No help from the crew.",
    ],
)
def test_a_clear_complaint_always_gets_a_reflection_of_what_happened(text: str) -> None:
    r = heard.reflect(text)
    assert r.text and "tell me more" not in r.text, r.text


@pytest.mark.parametrize(
    "text",
    [
        "Thanks so much, the refund came through and everything is sorted!",
        "Thank you for fixing my router so fast.",
    ],
)
def test_thanks_gets_no_reflection(text: str) -> None:
    assert heard.reflect(text).text is None


def test_leaving_in_anger_is_not_worry() -> None:
    assert heard.analyze("Never flying with you again, terrible service.").feeling != "worried"


def test_a_ten_thousand_character_letter_is_framed() -> None:
    paragraph = (
        "I have been a customer for eleven years and I have always paid on time. "
        "I moved house last spring and updated my address on the website. "
    )
    letter = (
        paragraph * 70
        + "In March you charged me a late fee of $39 although my payment was on time. I want it refunded."
    )
    a = heard.analyze(letter[-10_000:])
    assert a.complaint is not None and a.complaint.category == "billing"
    r = heard.reflect(letter[-10_000:], analysis=a)
    assert r.text and "fee" in r.text and len(r.text.split()) <= 45
