"""The complaint frame, on complaints the project wrote."""

import pytest

import heard

MOVING = (
    "I am very upset because you told me the moving company would be at my place by 1 pm and they "
    "didn't show up until 3 pm. I didn't have time to clean my apartment before the inspection."
)


def test_moving_company_frame() -> None:
    c = heard.analyze(MOVING).complaint
    assert c is not None
    assert c.category == "late_or_missed"
    assert "1 pm" in c.expected.text and "moving company" in c.expected.text
    assert "3 pm" in c.happened.text
    assert "inspection" in c.impact.text
    assert c.need is not None and "clean" in c.need.text
    assert c.times == ["1 pm", "3 pm"]
    assert MOVING[c.expected.start : c.expected.end] == c.expected.text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("The engineer never turned up for my 9 am appointment.", "late_or_missed"),
        ("You charged my card twice for invoice 7719, £30 each time.", "billing"),
        ("The kettle arrived with a cracked base and it leaks everywhere.", "faulty_product"),
        ("The woman at your counter was rude and rolled her eyes at me.", "rude_service"),
        ("I've emailed four times and nobody has replied to me.", "no_response"),
        ("I'm locked out of my account and the reset link doesn't work.", "account_access"),
        ("I cancelled my plan in May and I still haven't had my refund.", "cancellation_refund"),
    ],
)
def test_categories(text: str, category: str) -> None:
    assert heard.analyze(text).complaint.category == category


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("You sent me the wrong size and charged me for express delivery.", "company"),
        ("I typed the wrong postcode on my order, my mistake. Can it be redirected?", "customer"),
        ("The courier lost my parcel, I know it's not your fault, but what can I do?", "third_party"),
    ],
)
def test_fault(text: str, fault: str) -> None:
    assert heard.analyze(text).fault == fault


def test_amounts_and_references_are_found_as_written() -> None:
    c = heard.analyze("Order KX-40411 cost $129.99 and you took another $129.99 on 2 March.").complaint
    assert c.amounts == ["$129.99"]
    assert c.references == ["KX-40411"]
    assert "2 March" in c.times


def test_several_problems_are_all_found_and_the_main_one_marked() -> None:
    text = (
        "The fridge arrived two days late. When it came the door was dented and the ice maker is broken. "
        "Then you billed me twice for the delivery fee."
    )
    c = heard.analyze(text).complaint
    assert len(c.problems) >= 2
    assert sum(p.main for p in c.problems) == 1
    assert {"billing"} <= {p.category for p in c.problems}


@pytest.mark.parametrize("text", ["What time do you open on Sunday?", "Thanks, that's all sorted now!"])
def test_no_complaint_no_frame(text: str) -> None:
    assert heard.analyze(text).complaint is None


@pytest.mark.parametrize(
    "text",
    [
        "Just wanted to say the movers were careful and polite, great job everyone.",
        "I said I'd be home by noon.",
    ],
)
def test_what_the_customer_says_is_no_promise(text: str) -> None:
    c = heard.analyze(text).complaint
    assert c is None or c.expected is None


def test_a_greeting_before_a_question_keeps_it_a_question() -> None:
    assert heard.analyze("Hi, what are your opening hours on Saturday?").complaint is None
    assert heard.reflect("Hello! Do you deliver to Norway?").text is None


def test_each_problem_says_back_its_own_clause_when_one_sentence_tells_two() -> None:
    c = heard.analyze(
        "I am furious!!! You charged me twice for order 5521 and NOBODY answers my emails!"
    ).complaint
    assert c.category == "billing" and "charged me twice" in c.happened.text
    other = [p for p in c.problems if not p.main]
    assert [p.category for p in other] == ["no_response"] and "answers my emails" in other[0].happened.text
