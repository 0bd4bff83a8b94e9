"""The review and the scorecard judge replies like a coach: hard negatives, hearing, policy."""

import pytest

import heard
from heard.respond.acts import acts
from heard.respond.policy import example_catalogue
from heard.respond.review import review

LATE = (
    "You promised the movers by 1 pm and they turned up at 3! I had to pay my landlord for an extra "
    "day and nobody even called me."
)


@pytest.mark.parametrize(
    "text",
    [
        "Sorry for any inconvenience.",
        "We apologise for any inconvenience caused.",
        "We're sorry if you were upset.",
    ],
)
def test_non_apologies_are_no_apology(text: str) -> None:
    assert acts(text)["apology"] < 0.5


def test_a_policy_wall_owns_nothing_and_defends() -> None:
    a = acts("That's our policy.")
    assert a["ownership"] < 0.5 and a["defensive"] >= 0.5
    b = acts("I understand your frustration, but there's nothing I can do.")
    assert b["dismissive"] >= 0.5 and b["acknowledgement"] < 0.5


def test_review_does_not_pass_an_apology_for_any_inconvenience() -> None:
    r = review("We apologise for any inconvenience caused.", customer=LATE)
    assert r.score < 70
    assert "non_apology" in [f.check for f in r.findings]


def test_review_flags_empty_empathy_as_a_wall() -> None:
    r = review("I understand your frustration, but there's nothing I can do.", customer=LATE)
    assert {"policy_no_offer", "dismissive", "defensive"} & {f.check for f in r.findings}
    assert r.score <= 55


def test_review_checks_a_remedy_already_given_against_policy() -> None:
    r = review("I'm sorry about the double charge. I've refunded 120 EUR to your card.",
               customer="You charged me twice for my order!", policy=example_catalogue())  # fmt: skip
    assert "beyond_policy" in [f.check for f in r.findings]


def test_a_reply_that_says_back_the_story_is_heard_and_scores_above_the_rest() -> None:
    good = review(
        "So the movers you were promised for 1 pm only came at 3, and it cost you an extra day with your "
        "landlord. That's awful, and I'm sorry.",
        customer=LATE,
    )
    generic = review("I understand how you feel.", customer=LATE)
    advice = review("Please book your next move online for a discount.", customer=LATE)
    assert good.heard is not None and good.heard > 0.6 > generic.heard
    assert good.score > generic.score > advice.score


def test_review_names_what_was_not_said_back() -> None:
    r = review("Oh no, I'm so sorry.", customer=LATE)
    listening = [f for f in r.findings if f.step == "listen"]
    assert listening and "didn't say back" in listening[0].message


def test_scorecard_resignation_is_not_calm_and_a_wall_is_not_ownership() -> None:
    chat = [
        {"role": "customer", "text": LATE + " This is absolutely ridiculous, I'm furious!!"},
        {"role": "agent", "text": "Sorry for any inconvenience. That's our policy."},
        {"role": "customer", "text": "Whatever."},
    ]
    card = heard.score_conversation(chat)
    got = {s.step: s.status for s in card.steps}
    assert card.deescalated is False
    assert got["take_responsibility"] == "missed"
    assert got["apologise"] == "missed"


def test_scorecard_credits_a_textbook_reflection_with_listening_and_empathy() -> None:
    chat = [
        {"role": "customer", "text": LATE + " I'm so angry about this!!"},
        {
            "role": "agent",
            "text": "It sounds like you were counting on the movers at 1 pm, they came two hours late and "
            "you ended up paying your landlord for an extra day. That must have been so stressful.",
        },
        {"role": "customer", "text": "Yes, exactly."},
    ]
    got = {s.step: s.status for s in heard.score_conversation(chat).steps}
    assert got["listen"] == "done" and got["show_empathy"] == "done"


def test_scorecard_weights_listening_before_the_solution() -> None:
    listen_first = [
        {"role": "customer", "text": LATE},
        {
            "role": "agent",
            "text": "So the movers came two hours after the 1 pm you were promised, and your landlord charged you for it. I'm sorry we let you down.",
        },
        {"role": "agent", "text": "I've refunded the booking fee and I'll cover the landlord's charge."},
    ]
    fix_first = [listen_first[0], listen_first[2], listen_first[1]]
    a, b = heard.score_conversation(listen_first), heard.score_conversation(fix_first)
    assert a.score > b.score
    assert any(s.partial for s in b.steps if s.step == "listen")
