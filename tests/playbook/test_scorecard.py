import heard
from heard.cli.render import MOVING_COMPANY

GOOD_CHAT = [
    {"role": "customer", "text": MOVING_COMPANY, "at": "2026-03-01T10:00:00Z"},
    {
        "role": "agent",
        "text": "It sounds like it was extremely stressful because you needed the movers by 1 pm so you could "
        "clean before the inspection. I'm so sorry we let you down. What is your booking number?",
        "at": "2026-03-01T10:01:30Z",
    },
    {"role": "customer", "text": "Yes, exactly. It's MV-2231.", "at": "2026-03-01T10:02:10Z"},
    {
        "role": "agent",
        "text": "Thank you. I've refunded the booking fee of £60, and I'll call you on Friday to make sure "
        "everything is settled.",
        "at": "2026-03-01T10:03:00Z",
    },
    {"role": "customer", "text": "Thank you, that really helps.", "at": "2026-03-01T10:03:40Z"},
]


def status(card) -> dict[str, str]:
    return {s.step: s.status for s in card.steps}


def test_scorecard_of_a_conversation_that_follows_the_playbook() -> None:
    card = heard.score_conversation(GOOD_CHAT)
    got = status(card)
    assert [s.step for s in card.steps] == [s.id for s in heard.playbook.playbook_steps()]
    for step in ("stay_calm", "listen", "acknowledge", "apologise", "ask_details", "offer_solutions", "follow_up",
                 "avoid_interruptions", "take_responsibility"):  # fmt: skip
        assert got[step] == "done", (step, card.steps)
    assert got["learn"] == "not_needed"
    assert card.score >= 90
    assert card.deescalated is True
    assert card.upset.peak_message == 1 and card.upset.last < card.upset.peak
    apologise = next(s for s in card.steps if s.step == "apologise")
    assert any("sorry we let you down" in e for e in apologise.evidence)  # the sentence that apologised


def test_scorecard_of_a_conversation_that_goes_badly() -> None:
    chat = [
        {"role": "customer", "text": MOVING_COMPANY, "at": 0},
        {"role": "customer", "text": "And nobody even called me!", "at": 14},
        {"role": "agent", "text": "Calm down. You should have booked the morning slot.", "at": 20},
        {"role": "customer", "text": "This is ridiculous, I want my money back!!", "at": 26},
        {"role": "agent", "text": "That's not my department, you'll have to call the movers.", "at": 60},
        {"role": "customer", "text": "Unbelievable. I'm cancelling everything with you.", "at": 90},
    ]
    card = heard.score_conversation(chat)
    got = status(card)
    for step in ("stay_calm", "listen", "acknowledge", "apologise", "take_responsibility", "offer_solutions",
                 "follow_up", "avoid_interruptions"):  # fmt: skip
        assert got[step] == "missed", (step, card.steps)
    assert card.score <= 20
    assert card.deescalated is False
    assert [i.message for i in card.interruptions] == [3]
    calm = next(s for s in card.steps if s.step == "stay_calm")
    assert any("Calm down" in e for e in calm.evidence)


def test_scorecard_of_a_calm_question_needs_few_steps() -> None:
    card = heard.score_conversation(
        [
            {"role": "customer", "text": "Hi, what time do you open on Saturday?"},
            {"role": "agent", "text": "Hi! We open at 9 am on Saturdays."},
        ]
    )
    got = status(card)
    assert got["apologise"] == got["show_empathy"] == got["offer_solutions"] == "not_needed"
    assert got["avoid_interruptions"] == "not_needed"  # no times given
    assert card.deescalated is None and card.score == 100


def test_scorecard_of_a_call_finds_overtalk_interruptions_and_silences() -> None:
    call = {
        "segments": [
            {
                "role": "customer",
                "text": "I've been waiting since nine and nobody came.",
                "start": 0.0,
                "end": 4.2,
            },
            {"role": "agent", "text": "Okay, but the driver", "start": 2.0, "end": 3.5},
            {"role": "customer", "text": "Let me finish. Nobody called me either.", "start": 4.5, "end": 8.0},
            {
                "role": "agent",
                "text": "I'm so sorry, that's a whole morning wasted.",
                "start": 8.5,
                "end": 11.0,
            },
            {
                "role": "agent",
                "text": "I've rebooked the delivery for 8 am tomorrow.",
                "start": 25.0,
                "end": 28.0,
            },
        ]
    }
    card = heard.score_conversation(call)
    assert card.kind == "call"
    assert [round(i.at, 1) for i in card.interruptions] == [2.0]
    assert card.overtalk_seconds == 1.5
    assert [(s.start, s.seconds) for s in card.silences] == [(11.0, 14.0)]
    assert status(card)["avoid_interruptions"] == "missed"


def test_done_in_order_follows_the_first_message_each_step_quotes() -> None:
    from heard.playbook import StepResult, done_in_order

    steps = [
        StepResult(step="stay_calm", status="done", evidence=["no capitals, sarcasm, blame or dismissal"]),
        StepResult(step="listen", status="done", evidence=['#4: "So the movers came late"']),
        StepResult(step="apologise", status="missed", evidence=["never apologised"]),
        StepResult(step="offer_solutions", status="done", evidence=['#2: "I can refund"', '#6: "or rebook"']),
        StepResult(step="learn", status="not_needed", evidence=["done after the conversation"]),
    ]
    assert done_in_order(steps) == ["stay_calm", "offer_solutions", "listen"]


LATE = "The movers you sent were two hours late and I had to pay my landlord for an extra day. I'm so angry!!"


def test_a_pleasantry_is_not_asking_for_details() -> None:
    chat = [
        {
            "role": "customer",
            "text": "My parcel never arrived and I paid for next-day delivery. This is ridiculous!",
        },
        {"role": "agent", "text": "I'm sorry to hear that. How are you today? Is there anything else?"},
    ]
    got = status(heard.score_conversation(chat))
    assert got["ask_details"] == "missed"
    chat[1] = {"role": "agent", "text": "I'm sorry to hear that. What is the order number on your receipt?"}
    assert status(heard.score_conversation(chat))["ask_details"] == "done"


def test_an_apology_or_remedy_before_the_customer_said_what_was_wrong_answers_nothing() -> None:
    chat = [
        {"role": "customer", "text": "Hi there."},
        {
            "role": "agent",
            "text": "Hello! Sorry for the wait. I'll refund you straight away if anything is wrong.",
        },
        {"role": "customer", "text": LATE},
        {"role": "agent", "text": "I see."},
    ]
    got = status(heard.score_conversation(chat))
    assert got["offer_solutions"] == "missed" and got["take_responsibility"] == "missed"
    assert got["apologise"] == "missed"  # sorry for the wait, not for the late movers


def test_calm_counts_only_in_the_customers_own_words_after_an_agent_reply() -> None:
    unanswered = [
        {"role": "customer", "text": LATE},
        {"role": "customer", "text": "Anyway, thanks."},
        {"role": "agent", "text": "I'm sorry we let you down."},
    ]
    assert heard.score_conversation(unanswered).deescalated is False
    answered = [*unanswered, {"role": "customer", "text": "Thank you, I appreciate that."}]
    assert heard.score_conversation(answered).deescalated is True


def test_the_score_weighs_whether_the_customer_settled() -> None:
    # The same agent messages: the customer who settles scores above the one who gives up.
    agent = [
        {
            "role": "agent",
            "text": "So the movers came two hours late and you paid your landlord for it. I'm sorry we let you down.",
        },
        {"role": "agent", "text": "I've refunded the booking fee and I'll call you on Friday."},
    ]
    settled = [
        {"role": "customer", "text": LATE},
        *agent,
        {"role": "customer", "text": "Thank you, that really helps."},
    ]
    gave_up = [
        {"role": "customer", "text": LATE},
        *agent,
        {"role": "customer", "text": "Whatever. I give up."},
    ]
    a, b = heard.score_conversation(settled), heard.score_conversation(gave_up)
    assert a.deescalated is True and b.deescalated is False
    assert a.score > b.score


def test_an_outcome_not_shown_yet_is_left_out_of_the_score() -> None:
    from heard.playbook.scorecard import weighted_score

    chat = [
        {"role": "customer", "text": LATE},
        {"role": "agent", "text": "I'm sorry the movers let you down. I've refunded the booking fee."},
    ]
    card = heard.score_conversation(chat)
    assert card.score == weighted_score(card.steps)  # the customer has not answered yet
    later = heard.score_conversation([*chat, {"role": "customer", "text": "Whatever."}])
    assert later.score < weighted_score(later.steps)  # resignation: the outcome counts as missed
