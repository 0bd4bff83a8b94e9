"""Upset as customers really write: capitals, repeat contact, threats, blame, money and time
lost, text-speak and hashtags; and levels that mean the same on a tweet and a long letter.
Every example here was written for heard."""

import pytest

import heard
from heard.language import find_cues

RANK = {level: i for i, level in enumerate(heard.LEVELS)}

LETTER = (
    "Dear Sir or Madam,\n\n"
    "I am writing about my current account. On 3 March a payment of $450.00 left my account "
    "without my permission. I contacted your branch the same day and was told the money would "
    "be returned within five working days. Six weeks later it has not been returned. I have had "
    "to borrow from my family to pay my rent, and my landlord charged me a late fee of $35.\n\n"
    "I would be grateful if you could look into this and return the $450 together with the fee. "
    "I have banked with you for twelve years and have always been happy with your service.\n\n"
    "Yours faithfully,\nA. Customer"
)


def kinds(text: str) -> set[str]:
    return {c.kind for c in find_cues(text)}


def test_capitals_raise_upset_over_the_same_words_in_lower_case() -> None:
    loud = heard.analyze("I HAVE BEEN WAITING FOR MY REFUND FOR THREE WEEKS", frame=False)
    quiet = heard.analyze("i have been waiting for my refund for three weeks", frame=False)
    assert loud.upset > quiet.upset + 0.15
    assert RANK[loud.level] >= RANK["upset"]


def test_joyful_capitals_stay_calm() -> None:
    a = heard.analyze("THANK YOU SO MUCH, YOU GUYS ARE THE BEST!!!", frame=False)
    assert a.level == "calm"


@pytest.mark.parametrize(
    "text",
    [
        "This is the THIRD time I've called about my broken boiler.",
        "for the 4th time, my parcel has not arrived",
        "I have emailed you five times and still nothing",
        "I've asked TWICE now. Sort it out.",
    ],
)
def test_repeat_contact_is_found_and_reads_at_least_upset(text: str) -> None:
    assert "repeat_contact" in kinds(text)
    assert RANK[heard.analyze(text).level] >= RANK["upset"]


def test_repeat_contact_reads_above_a_first_contact() -> None:
    again = heard.analyze("This is the THIRD time I've called about my broken boiler.", frame=False)
    first = heard.analyze("I called about my broken boiler.", frame=False)
    assert again.upset > first.upset + 0.15


def test_blame_in_capitals_is_read_as_blame_and_stress() -> None:
    found = kinds("I was charged TWICE and it was YOUR mistake, not mine.")
    assert {"blame", "repeat_contact", "shouting"} <= found
    assert "blame" not in kinds("No worries, not your fault, the weather was awful.")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Fix this today or I'm closing my account.", "threat_leave"),
        ("never flying with you again", "threat_leave"),
        ("I'll be leaving a one-star review for everyone to see.", "threat_public"),
        ("My solicitor will be in touch.", "threat_legal"),
    ],
)
def test_threats_are_found(text: str, kind: str) -> None:
    assert kind in kinds(text)


def test_threats_raise_upset() -> None:
    plain = heard.analyze("My card payment was declined today.", frame=False)
    threat = heard.analyze(
        "My card payment was declined today. Fix it or I'm closing my account and going to the ombudsman.",
        frame=False,
    )
    assert threat.upset > plain.upset + 0.1


def test_a_letter_opening_is_not_a_threat_to_go_public() -> None:
    assert "threat_public" not in kinds("I am writing about my savings account.")


def test_money_and_time_lost_as_written() -> None:
    assert "loss" in kinds("on hold for 2 hrs and no answer")
    assert "loss" in kinds("they charged me $40 for nothing")
    assert "loss" in kinds("stranded at the airport overnight")


def test_text_speak_and_hashtags_read_upset() -> None:
    a = heard.analyze("@brandco 3 hrs on hold smh #fail #worstservice", frame=False)
    assert RANK[a.level] >= RANK["upset"]
    assert {"loss", "upset_word"} <= {c.kind for c in a.cues}
    assert "profanity" in kinds("wtf is going on with my order")
    assert "upset_word" in kinds("still waiting :(")


def test_calm_thanks_is_calm() -> None:
    a = heard.analyze("Thanks so much, that sorted it!")
    assert a.level == "calm"


def test_a_long_polite_letter_about_lost_money_is_at_least_upset() -> None:
    a = heard.analyze(LETTER)
    assert RANK[a.level] >= RANK["upset"]
    assert a.level != "furious"  # polite, however much went wrong


def test_redaction_marks_are_not_shouting() -> None:
    text = "On XX/XX/2019 I paid XXXX the sum of {$200.00} and XXXX XXXX XXXX never credited it."
    assert "shouting" not in kinds(text)


def test_a_short_angry_tweet_reads_above_a_long_calm_letter() -> None:
    tweet = heard.analyze("@airline you LOST my bags AGAIN!!! worst airline ever", frame=False)
    letter = heard.analyze(LETTER, frame=False)
    assert RANK[tweet.level] >= RANK["angry"]
    assert tweet.upset > letter.upset


def test_many_cue_hits_in_a_long_letter_do_not_pile_up_to_furious() -> None:
    story = (
        "I booked a delivery for Monday. It did not arrive, so I called and was told it would come "
        "on Tuesday. On Tuesday nobody came and I waited in all day. I called again and was passed "
        "to another department. They said the driver had been but nobody was home, which was wrong. "
        "I was charged a redelivery fee of $15. "
    )
    a = heard.analyze(story * 3, frame=False)
    assert RANK["upset"] <= RANK[a.level] <= RANK["angry"]


def test_sarcasm_reads_as_annoyance_not_fury() -> None:
    a = heard.analyze("Oh great, my parcel is late again. Just what I needed.")
    assert a.sarcasm
    assert RANK["concerned"] <= RANK[a.level] <= RANK["upset"]
    assert a.feeling not in {"grateful", "pleased", "calm"}


def test_blame_raises_upset_over_the_same_complaint_without_it() -> None:
    blamed = heard.analyze("The payment failed and it was your mistake, your bank's error not mine")
    plain = heard.analyze("The payment failed and I would like it looked at")
    assert blamed.upset > plain.upset


def test_several_negative_feelings_at_once_read_angrier_than_one() -> None:
    """The strongest emotion leads; further ones add (angry, annoyed and disgusted at once)."""
    from heard.understand.upset import measure_upset

    one = measure_upset({"anger": 0.6}, [])
    several = measure_upset({"anger": 0.6, "annoyance": 0.5, "disgust": 0.5, "disapproval": 0.5}, [])
    assert several > one + 0.1
