"""Reflections a customer would recognise as being heard, on messages the project wrote."""

import re

import pytest

import heard

MOVING = (
    "I am very upset because you told me the moving company would be at my place by 1 pm and they "
    "didn't show up until 3 pm. I didn't have time to clean my apartment before the inspection."
)
FIRST_PERSON = re.compile(r"\b(I|me|my|mine|I'm|I've)\b")


def body(r: heard.Reflection) -> str:
    return r.text[len(r.opening) :]


def facts(text: str) -> set[str]:
    return set(re.findall(r"[$£€]?\d+(?:[:.,]\d+)*", text))


def test_moving_company_reflection_meets_the_bar() -> None:
    r = heard.reflect(MOVING)
    assert r.feeling == "stressed"
    assert "extremely stressful" in r.text
    assert "you needed" in r.text and "1 pm" in r.text
    assert "so you could clean your apartment before the inspection" in r.text
    assert len(r.text.split()) <= 45
    assert not FIRST_PERSON.search(body(r))


HARD_CASES = {
    "typos": "my sofa was sposed to come on monday and it never arived, i took the day of work for nothing",
    "all_caps": "YOU CHARGED ME $80 TWICE FOR ONE ORDER AND NOBODY ANSWERS THE PHONE",
    "sarcasm": "Oh wonderful, my new laptop arrived with a cracked screen. Great start.",
    "run_on": (
        "so I booked the cleaner for 10 and nobody came and then I called and they said 2 pm and I waited and "
        "nobody came again and now I have guests tonight and the flat is a mess"
    ),
    "several": "The bed frame arrived late and two slats were snapped, and you charged me £45 for delivery.",
    "third_party": "The courier left my parcel at the wrong house, I know that's not you but I need it by Friday.",
    "self_blame": "I typed the wrong flight date when I booked, totally my fault, and now I can't get to the wedding.",
    "profanity": "Your idiot driver f***ing smashed my mirror and drove off!!",
}


@pytest.mark.parametrize("case", HARD_CASES)
def test_hard_cases_reflect_without_errors(case: str) -> None:
    text = HARD_CASES[case]
    r = heard.reflect(text)
    assert r.text is not None and r.feeling
    assert len(r.text.split()) <= 45
    assert not FIRST_PERSON.search(body(r)), r.text
    assert facts(r.text.lower()) <= facts(text.lower()), "a number the customer never wrote"
    assert not re.search(r"idiot|f\*+|fault", r.text, re.I), r.text


def test_sarcasm_is_not_reflected_as_praise() -> None:
    r = heard.reflect(HARD_CASES["sarcasm"])
    assert not re.search(r"wonderful|great", r.text, re.I)


def test_short_fury_gets_a_short_reflection_and_an_invitation() -> None:
    r = heard.reflect("this is ridiculous!!!")
    assert r.text.endswith("Can you tell me more about what happened?")
    assert len(r.text.split()) <= 20


@pytest.mark.parametrize("text", ["What are your opening hours on Sunday?", "Thank you, that's sorted now!"])
def test_non_complaints_get_no_reflection_with_a_reason(text: str) -> None:
    r = heard.reflect(text)
    assert r.text is None and r.reason


def test_a_burst_is_reflected_as_one() -> None:
    r = heard.reflect(
        ["hello?", "my fridge was supposed to be delivered today", "nobody came and I waited all day"]
    )
    assert r.text is not None and "fridge" in r.text


def test_openings_vary() -> None:
    texts = [
        "My parcel was supposed to come on Monday and it still isn't here.",
        "You charged me twice for my gym membership this month.",
        "The plumber never showed up and I took the morning off.",
        "My new phone stopped working after two days.",
        "Your agent hung up on me when I asked for a refund.",
        "I have been locked out of my account since Tuesday.",
    ]
    assert len({heard.reflect(t).opening for t in texts}) >= 3


def test_the_next_reflection_takes_a_correction_into_account() -> None:
    first = heard.reflect(MOVING)
    again = heard.reflect(MOVING, reply="No, they came at 4 pm, not 3 pm.", avoid_opening=first.opening)
    assert "4 pm" in again.text
    assert again.opening != first.opening


def test_the_next_reflection_takes_an_addition_into_account() -> None:
    again = heard.reflect(MOVING, reply="And they scratched my dining table.")
    assert "scratched your dining table" in again.text


def test_a_confirmation_ends_the_loop() -> None:
    r = heard.reflect(MOVING, reply="Yes, exactly.")
    assert r.text is None and "confirmed" in r.reason


def test_a_question_is_said_back_as_what_they_want_to_know() -> None:
    r = heard.reflect("My parcel says delivered but it isn't here. Where is my parcel?")
    assert "you want to know where your parcel is" in r.text


def test_a_yes_no_question_becomes_whether() -> None:
    r = heard.reflect("I booked the wrong date by mistake, my bad. Is there any way to change it?")
    assert "whether there is any way to change it" in r.text
    assert "bad" not in r.text


def test_a_cut_quotation_is_closed() -> None:
    r = heard.reflect("Your agent told me my claim was 'not a priority' and hung up on me.")
    assert r.text.count("'") % 2 == 0


@pytest.mark.parametrize("text", ["Absolutely unbelievable. Again.", "are you actually kidding me??"])
def test_short_disbelief_is_short_fury(text: str) -> None:
    r = heard.reflect(text)
    assert r.text is not None and r.text.endswith("Can you tell me more about what happened?")


@pytest.mark.parametrize(
    ("text", "reflected"),
    [
        ("😡😡😡", True),
        ("No.", False),
        ("<p>Your <i>driver</i> dumped my parcel in a puddle.</p>", True),
        ("\x00\x07The lid arrived cracked", True),
    ],
)
def test_odd_input_is_read_without_markup_or_control_characters(text: str, reflected: bool) -> None:
    r = heard.reflect(text)
    assert (r.text is not None) == reflected
    if r.text:
        assert "<" not in r.text and "\x00" not in r.text
