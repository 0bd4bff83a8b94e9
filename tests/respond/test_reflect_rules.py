"""Reflection rules added with the frame readings they depend on; messages written for these tests."""

import re

import pytest

import heard
from heard.language import parse

FIRST_PERSON = re.compile(r"\b(I|me|my|mine|I'm|I've)\b")


def body(r: heard.Reflection) -> str:
    return r.text[len(r.opening) :]


def test_all_i_need_is_said_back() -> None:
    r = heard.reflect(
        "I've been passed from sales to support to billing for an hour. "
        "All I need is someone to tell me when my landline will work again."
    )
    assert "when your landline will work again" in r.text, r.text
    assert not FIRST_PERSON.search(body(r))


def test_a_question_after_but_is_what_they_want() -> None:
    r = heard.reflect(
        "I left my scarf on the coach, silly me, but could someone check the lost property box?"
    )
    assert "lost property box" in r.text, r.text


@pytest.mark.parametrize(
    "text",
    [
        "I booked the wrong train by accident, my own stupid mistake. Can I swap it for the 9:10?",
        "I entered the wrong card number, totally my fault. Is there any way to retry the payment?",
    ],
)
def test_what_the_customer_did_wrong_is_not_said_back(text: str) -> None:
    r = heard.reflect(text)
    assert r.text is not None
    assert not re.search(r"fault|mistake|you booked the wrong|you entered the wrong", r.text, re.I), r.text


def test_the_customers_exoneration_is_not_repeated_by_the_agent() -> None:
    r = heard.reflect(
        "I can't receive the login code because my phone network has been down since noon, it's their outage, "
        "not yours. Is there another way to sign in so I can pay my rent today?"
    )
    assert r.text is not None
    assert not re.search(r"not ours|not us|their outage", r.text), r.text


def test_a_promise_without_a_teller_is_said_as_you_were_told() -> None:
    r = heard.reflect(
        "I sent the lamp back last month and got a letter saying the refund of $64 was on its way. "
        "Nothing has arrived in my bank."
    )
    assert "you were told the refund of $64 was on its way" in r.text, r.text
    assert "nothing has arrived in your bank" in r.text


def test_what_came_instead_keeps_its_subject() -> None:
    r = heard.reflect("I ordered the oat milk latte and got a cow's milk one instead.")
    assert "you got a cow's milk one instead" in r.text, r.text


def test_what_it_cost_them_outranks_a_purpose_it_does_not_repeat() -> None:
    r = heard.reflect(
        "The van was meant to be at my old flat at 8 am so we could return the keys by noon. "
        "It came at 11:50 am and it cost us another week's rent."
    )
    assert "week's rent" in r.text, r.text


def test_a_complaint_with_nothing_to_say_back_invites_more() -> None:
    r = heard.reflect("the hoover i got makes a horrible grindng noize. want a new one")
    assert r.text is not None
    assert "you want a new one" in r.text or r.text.endswith("Can you tell me more about what happened?"), (
        r.text
    )


def test_an_upset_relative_is_part_of_the_impact() -> None:
    r = heard.reflect(
        "Your steward shouted at my grandad for standing up too early. He was so shaken he cried the whole way home."
    )
    assert "cried" in r.text, r.text


def test_reflect_parses_and_analyses_exactly_once(monkeypatch) -> None:
    from heard.understand import emotions

    model = emotions.load_emotion_model()
    calls = []
    predict = model.predict
    monkeypatch.setattr(model, "predict", lambda texts, **kw: calls.append(texts) or predict(texts, **kw))
    before = parse.cache_info().misses
    heard.reflect("My boiler was meant to be serviced on the 4th and the engineer never came (test-once 1).")
    assert parse.cache_info().misses - before == 1
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        (
            "I'm paying $12 a month for an app I haven't been able to open since Monday.",
            "haven't been able to open",
        ),
        ("Your courier told me it had been delivered, and it hasn't.", "it hasn't"),
        ("The engineer laughed at me and then hung up.", "hung up"),
    ],
)
def test_a_clause_is_never_said_back_cut_short(text: str, whole: str) -> None:
    r = heard.reflect(text)
    assert r.text is not None
    assert not re.search(r"\b(for|to|of|with|and|the|were|was)\.$", r.text), r.text
    assert whole in r.text or not re.search(r"because (an?|the) \w+ (you|we)\b", r.text), r.text


@pytest.mark.parametrize(
    ("text", "never"),
    [
        (
            "My phone screen cracked on its own. Could you tell me whether my insurance covers screens?",
            "insurance covers",
        ),
        (
            "The cashier talked over me the whole time, as if I couldn't count my own change.",
            "couldn't count",
        ),
        (
            "I need you to confirm you only took one payment of $40 so my bank can refund me.",
            "only took one payment of $40, and",
        ),
    ],
)
def test_what_the_customer_asks_or_someone_implied_is_not_said_back_as_fact(text: str, never: str) -> None:
    r = heard.reflect(text)
    assert r.text is None or not r.text.startswith(never) and f"because {never}" not in r.text, r.text


def test_could_you_tell_me_is_not_said_back() -> None:
    r = heard.reflect("Nobody turned up on Monday. Can you let me know when the engineer is coming?")
    assert "you want to know when the engineer is coming" in r.text, r.text


def test_a_typed_request_after_pls_is_what_they_want() -> None:
    r = heard.reflect("hey u charegd me 3 times for booking 7781, pls refund the other two asap")
    assert "you'd like us to refund the other two" in r.text, r.text
    assert "charged" in r.text and "asap" not in r.text


def test_a_given_analysis_is_reused(monkeypatch) -> None:
    from heard.understand import emotions

    text = "The boiler engineer never came on the 4th and I lost a day of pay (reuse test)."
    analysis = heard.analyze(text)
    model = emotions.load_emotion_model()
    calls = []
    predict = model.predict
    monkeypatch.setattr(model, "predict", lambda texts, **kw: calls.append(texts) or predict(texts, **kw))
    again = heard.reflect(text, analysis=analysis)
    assert calls == []
    assert again == heard.reflect(text)
    heard.reflect(text, analysis=heard.analyze(text, frame=False))  # without the frame: read again
    assert len(calls) >= 2


def test_review_analyses_a_new_customer_message_once(monkeypatch) -> None:
    """The review's suggested reflection reuses the customer's analysis (the emotion model
    runs once on the customer, never a second time for the reflection)."""
    from heard.understand import emotions

    model = emotions.load_emotion_model()
    seen = []
    predict = model.predict
    monkeypatch.setattr(
        model, "predict", lambda texts, **kw: seen.append(list(texts)) or predict(texts, **kw)
    )
    customer = "You promised my sofa by Friday and it still hasn't come (review-once 1). I'm furious."
    found = heard.review("Our drivers are very busy this week.", customer=customer)
    assert any(f.step == "acknowledge" for f in found.findings)  # the reflection was worked out
    assert sum(customer in " ".join(texts) for texts in seen) == 1
