"""Frame readings from the parse: negative subjects, denials, guesses, fault; messages written for these tests."""

import pytest

import heard


def frame(text: str):
    a = heard.analyze(text)
    assert a.complaint is not None, text
    return a.complaint, a.fault


@pytest.mark.parametrize(
    ("text", "happened"),
    [
        ("You said my new card would come by Friday. Nothing has come through my door.", "Nothing has come"),
        ("I reported the leak on Monday. No engineer, no call, nothing.", "No engineer, no call, nothing"),
        ("The plumber was due at 8 am. He turned up at 12:40 pm.", "12:40 pm"),
        ("I ordered a blue kettle and received a red toaster.", "received a red toaster"),
    ],
)
def test_what_happened_is_read(text: str, happened: str) -> None:
    c, _ = frame(text)
    assert c.happened is not None and happened in c.happened.text, c.happened


def test_a_guess_of_the_customer_is_no_event() -> None:
    c, _ = frame(
        "My repair ticket has been open for 30 days and nobody has replied. I'll assume you all emigrated."
    )
    assert "emigrated" not in (c.happened.text if c.happened else "")


def test_an_expectation_and_what_followed_stay_one_problem() -> None:
    c, _ = frame(
        "I paid £12 for next-day delivery because it was promised for Tuesday. It's Friday and it hasn't come."
    )
    assert c.happened is not None and "hasn't come" in c.happened.text
    assert c.category == "late_or_missed"


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        (
            "I knocked my new vase off the shelf and it smashed, my own clumsy fault. Do you sell the lid separately?",
            "customer",
        ),
        (
            "I know that's on me, I missed the deadline to return the coat. Could you still take it back?",
            "customer",
        ),
        (
            "The delivery company dropped my parcel in a puddle, not your fault at all. Can you send another?",
            "third_party",
        ),
        (
            "My bank's error blocked my payment to you twice and my order was cancelled. Could you hold the item for a day?",
            "third_party",
        ),
        ("Your engineer broke my gate and left without a word.", "company"),
    ],
)
def test_fault_follows_who_the_customer_blames(text: str, fault: str) -> None:
    assert heard.analyze(text).fault == fault


def test_a_verb_counts_for_its_category_in_any_form() -> None:
    c, _ = frame("Your fitter turned up two days after the date we agreed.")
    assert c.category == "late_or_missed"


def test_blame_is_not_a_faulty_product() -> None:
    c, fault = frame("I left my umbrella on your bus, my own silly fault. Has anyone handed it in?")
    assert c.category != "faulty_product"
    assert fault == "customer"
