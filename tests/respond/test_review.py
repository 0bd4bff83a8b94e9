import pytest

import heard
from heard.cli.render import MOVING_COMPANY

GOOD = (
    "It sounds like it was extremely stressful for you because you needed the movers there by 1 pm "
    "so you could clean before the inspection. I'm so sorry we didn't keep our word on the time. "
    "What is your booking number, so I can see exactly what happened?"
)
REST = " I'm so sorry we didn't keep our word on the time. What is your booking number, so I can see exactly what happened?"


def checks(review) -> list[str]:
    return [f.check for f in review.findings]


def test_review_a_good_draft_scores_high_with_no_findings() -> None:
    r = heard.review(GOOD, customer=MOVING_COMPANY)
    assert r.findings == [] and r.score == 100
    assert r.stage == "listening"


@pytest.mark.parametrize(
    ("opening", "problem"),
    [
        ("I understand how you feel.", "generic_reflection"),
        (
            "It sounds like you're frustrated with your broadband speed and the router keeps dropping.",
            "off_topic_reflection",
        ),
        (
            "You are very upset because you told me the moving company would be at my place by 1 pm.",
            "parroting",
        ),
    ],
)
def test_review_a_poor_reflection_scores_below_a_paraphrase_with_a_feeling(
    opening: str, problem: str
) -> None:
    good = heard.review(GOOD, customer=MOVING_COMPANY)
    poor = heard.review(opening + REST, customer=MOVING_COMPANY)
    assert poor.score < good.score
    finding = next(f for f in poor.findings if f.check == problem)
    assert finding.step == "listen" and finding.text == opening
    assert "1 pm" in finding.suggestion  # the rewrite is a reflection of what the customer said


def test_review_flags_calm_down_with_its_span_and_a_rewrite() -> None:
    draft = "Calm down, the movers are not our fault."
    r = heard.review(draft, customer=MOVING_COMPANY)
    found = {f.check: f for f in r.findings}
    assert {"calm_down", "no_acknowledgement", "no_apology"} <= set(found)
    calm = found["calm_down"]
    assert calm.step == "stay_calm" and calm.severity == "high"
    assert draft[calm.start : calm.end] == calm.text == draft
    assert "calm down" not in calm.apply(draft).lower()
    assert r.score <= 20


def test_review_replaces_a_non_apology_with_an_owning_one() -> None:
    draft = "I'm sorry you feel that way. " + GOOD
    r = heard.review(draft, customer=MOVING_COMPANY)
    finding = next(f for f in r.findings if f.check == "non_apology")
    assert finding.step == "apologise" and finding.text == "I'm sorry you feel that way."
    assert finding.suggestion.startswith("I'm sorry we")
    fixed = heard.review(finding.apply(draft), customer=MOVING_COMPANY)
    assert "non_apology" not in checks(fixed) and fixed.score > r.score


def test_review_asks_for_an_apology_when_the_company_is_at_fault() -> None:
    draft = (
        "It sounds like it was extremely stressful for you because you needed the movers there by 1 pm "
        "so you could clean before the inspection. What is your booking number?"
    )
    r = heard.review(draft, customer=MOVING_COMPANY)
    finding = next(f for f in r.findings if f.check == "no_apology")
    assert finding.start == finding.end and finding.suggestion.strip().startswith("I'm sorry we")


def test_review_explaining_before_acknowledging_an_upset_customer() -> None:
    draft = "The crew was delayed by traffic on the motorway. I'm sorry about that."
    r = heard.review(draft, customer=MOVING_COMPANY)
    finding = next(f for f in r.findings if f.check == "no_acknowledgement")
    assert finding.step == "acknowledge" and finding.start == 0 and "explains" in finding.message


@pytest.mark.parametrize(
    ("draft", "check", "step"),
    [
        (
            "You should have booked the morning slot if you needed them by 1 pm.",
            "blame",
            "take_responsibility",
        ),
        ("That's not my department, you'll have to call the movers.", "deflection", "take_responsibility"),
        ("Unfortunately that is our policy.", "policy_no_offer", "offer_solutions"),
        ("When I moved house last year my movers were late too.", "self_disclosure", "listen"),
        ("As I already said, the crew was late.", "already_said", "stay_calm"),
        ("THE CREW WAS LATE.", "capitals", "stay_calm"),
        ("The crew was late!!!", "exclamations", "stay_calm"),
        ("Wow, you really don't like waiting, do you?", "sarcasm", "stay_calm"),
    ],
)
def test_review_flags_heat_blame_and_passing_around(draft: str, check: str, step: str) -> None:
    r = heard.review(draft, customer=MOVING_COMPANY)
    finding = next(f for f in r.findings if f.check == check)
    assert finding.step == step
    assert draft[finding.start : finding.end] == finding.text != ""


def test_review_a_reply_while_the_customer_is_still_venting() -> None:
    conversation = [
        {"role": "customer", "text": "The movers never came.", "at": "2026-03-01T10:00:00Z"},
        {"role": "customer", "text": "I waited all morning.", "at": "2026-03-01T10:00:12Z"},
        {"role": "customer", "text": "Now I have lost my deposit.", "at": "2026-03-01T10:00:30Z"},
    ]
    r = heard.review(GOOD, conversation=conversation)
    assert r.stage == "venting"
    assert r.findings[0].check == "still_venting" and r.findings[0].step == "avoid_interruptions"
    assert r.findings[0].suggestion is None
    later = heard.review(GOOD, conversation=conversation, at="2026-03-01T10:05:00Z")
    assert later.stage != "venting"


def test_review_asks_for_missing_details() -> None:
    r = heard.review(
        "I'm so sorry your washing machine has stopped working, that must be really frustrating.",
        customer="My new washing machine stopped working and I am fed up.",
    )
    finding = next(f for f in r.findings if f.check == "no_question")
    assert finding.step == "ask_details" and finding.start == finding.end
    assert finding.suggestion.strip().endswith("?")


def test_review_offers_something_once_the_customer_feels_heard() -> None:
    conversation = [
        {"role": "customer", "text": MOVING_COMPANY},
        {
            "role": "agent",
            "text": "It sounds like it was really stressful because the movers came two hours late.",
        },
        {"role": "customer", "text": "Yes, exactly."},
    ]
    r = heard.review("Thanks for confirming that.", conversation=conversation)
    assert r.stage == "offering_solutions"
    assert "no_solution" in checks(r)
    offer = heard.review("I've refunded the booking fee of £60 to your card.", conversation=conversation)
    assert "no_solution" not in checks(offer) and offer.score > r.score


def test_review_promises_a_follow_up_at_the_close() -> None:
    conversation = [
        {"role": "customer", "text": "You charged me twice for my order and I am really annoyed."},
        {"role": "agent", "text": "I'm so sorry we charged you twice. I've refunded the second payment."},
        {"role": "customer", "text": "Thank you, that's great."},
    ]
    r = heard.review("You're welcome, have a lovely day!", conversation=conversation)
    assert r.stage == "closing"
    finding = next(f for f in r.findings if f.check == "no_follow_up")
    assert finding.step == "follow_up"
    better = heard.review(
        "You're welcome! I'll check in on Friday to make sure the refund has reached your card.",
        conversation=conversation,
    )
    assert "no_follow_up" not in checks(better)


def test_review_without_context_still_reads_the_draft() -> None:
    r = heard.review("Calm down. You should have read the terms.")
    assert r.stage == "no_context"
    assert {"calm_down", "blame"} <= set(checks(r))
    assert heard.review("Thanks for getting in touch, I'm happy to help.").findings == []


def test_review_findings_use_playbook_step_ids() -> None:
    from heard.playbook import playbook_steps
    from heard.respond.review_checks import rules

    ids = {s.id for s in playbook_steps()}
    assert {c["step"] for c in rules()["checks"].values()} <= ids


def test_review_rejects_a_malformed_conversation() -> None:
    with pytest.raises(heard.InvalidTranscript, match=r"messages\[1\]\.role"):
        heard.review("Hello", conversation=[{"role": "customer", "text": "hi"}, {"role": "bot", "text": "x"}])
    with pytest.raises(heard.InvalidTranscript, match=r"messages\[0\]\.at"):
        heard.review("Hello", conversation=[{"role": "customer", "text": "hi", "at": "yesterday"}])
    with pytest.raises(heard.EmptyText):
        heard.review("  ", customer="hi")


def test_review_inserts_after_a_greeting_line() -> None:
    draft = "Dear Ms Okafor,\nThank you for your email. What is your booking number?"
    r = heard.review(draft, customer=MOVING_COMPANY)
    apology = next(f for f in r.findings if f.check == "no_apology")
    assert apology.start == draft.index("Thank")
    assert apology.apply(draft).startswith("Dear Ms Okafor,\nI'm sorry we")


def test_review_a_reflection_alone_leaves_later_steps_as_hints_but_advice_alone_does_not() -> None:
    customer = "You charged my card twice for order 8812 and nobody answers my emails!"
    reflection = heard.review(
        "It sounds like it was really frustrating for you because we charged you twice and nobody "
        "answered your emails.",
        customer=customer,
    )
    advice = heard.review("Please send me the order number so I can check the charges.", customer=customer)
    assert {f.check: f.severity for f in reflection.findings} == {"no_apology": "low", "no_question": "low"}
    assert {f.check: f.severity for f in advice.findings}["no_apology"] == "high"
    assert reflection.score > advice.score


def test_review_a_shifted_copy_inside_a_feeling_is_a_reflection_and_an_unframed_one_parrots() -> None:
    customer = "I was promised a call back on Monday and nobody called."
    framed = heard.review(
        "So you're feeling let down because you were promised a call back on Monday and nobody called.",
        customer=customer,
    )
    bare = heard.review("So you were promised a call back on Monday and nobody called.", customer=customer)
    assert "parroting" not in {f.check for f in framed.findings}
    assert "parroting" in {f.check for f in bare.findings}


def test_defending_the_company_to_an_angry_customer_is_a_high_finding() -> None:
    angry = "This is a DISGRACE. Third time my parcel has gone missing and nobody at your company cares!!"
    calm = "Hi, my parcel seems to be a day late, could you check where it is?"
    draft = "Our couriers follow the delivery instructions on every order."
    defensive = {c: next(f for f in heard.review(draft, customer=c).findings if f.check == "defensive") for c in (angry, calm)}  # fmt: skip
    assert defensive[angry].severity == "high"
    assert defensive[calm].severity == "medium"


def test_a_story_is_heard_without_its_handles_and_links() -> None:
    from heard.respond.hearing import story_vector

    bare = "my parcel was marked delivered but never came"
    assert (story_vector(f"@12345 {bare} https://t.co/AbC123xyZ") == story_vector(bare)).all()
    reflection = "So the parcel shows as delivered, but it never reached you."
    tagged = heard.review(reflection, customer=f"@116090 @AskBrand {bare}, worst service https://t.co/Zz9")
    plain = heard.review(reflection, customer=f"{bare}, worst service")
    assert tagged.heard == plain.heard
