"""The playbook state machine walks a conversation through the steps, one message at a time."""

import pytest

from heard.playbook import PlaybookState, Said, agent_turn, customer_turn, fold, resolve
from heard.respond import example_catalogue
from heard.understand import analyze


class Chat:
    """A conversation driven through the fold as the service drives it: every message stored
    with its reading, the conversation folded again at each message's time."""

    def __init__(self) -> None:
        self.messages: list[Said] = []
        self.state, self.clock = PlaybookState(), 0.0

    def _fold(self, typing: bool = False):
        folded = fold(self.messages, now=self.clock, typing=typing, catalogue=example_catalogue())
        self.state = folded.state
        return folded.action

    def customer_says(self, text: str, *, after: float = 60, typing: bool = False):
        self.clock += after
        self.messages.append(Said(role="customer", text=text, at=self.clock, analysis=analyze(text)))
        return self._fold(typing)

    def agent_does(self, *acts: str, after: float = 60):
        self.clock += after
        before = self.state
        self.messages.append(Said(role="agent", text="(agent reply)", at=self.clock, acts=sorted(acts)))
        self._fold()
        return agent_turn(before, acts=set(acts), at=self.clock).action


def test_walks_a_double_charge_from_venting_to_follow_up() -> None:
    chat = Chat()
    action = chat.customer_says("I am furious. You charged me twice for my order!")
    assert (action.kind, chat.state.stage) == ("reflect", "reflecting")
    assert "charged you twice" in action.reflection
    action = chat.customer_says("And nobody answers my emails!!", after=5)
    assert action.kind == "wait" and action.step == "avoid_interruptions"
    assert action.reflection  # ready for when the customer stops
    chat.agent_does("reflection")
    assert chat.state.stage == "confirming"
    action = chat.customer_says("Yes, exactly.")
    assert action.kind == "ask" and chat.state.stage == "gathering_details"
    assert action.apology.startswith("I'm sorry we charged you twice")
    assert {q.asks_for for q in action.questions} >= {"reference"}
    chat.agent_does("question", "empathy")
    action = chat.customer_says("It was order 5521 last Tuesday, 80 dollars each time. I want a refund.")
    assert action.kind == "offer" and chat.state.stage == "offering_solutions"
    refund = action.solutions[0]
    assert (
        refund.remedy == "refund" and refund.amount == 80 and refund.needs_approval
    )  # over 50: a lead approves
    chat.agent_does("solution", "ownership")
    action = chat.customer_says("Okay, thank you, that works for me.")
    assert action.kind == "close" and chat.state.stage == "closing"
    final = resolve(chat.state, fixed="refunded the duplicate charge")
    assert final.state.stage == "following_up"
    assert (
        "order 5521" in final.action.follow_up and "refunded the duplicate charge" in final.action.follow_up
    )


def test_a_correction_gets_a_new_reflection() -> None:
    chat = Chat()
    chat.customer_says("The movers were supposed to come by 1 pm and they came at 3 pm, I'm so stressed.")
    chat.agent_does("reflection")
    action = chat.customer_says("No, they came at 4 pm, not 3 pm.")
    assert action.kind == "reflect" and "4 pm" in action.reflection
    assert chat.state.stage == "reflecting"


def test_typing_means_wait() -> None:
    action = Chat().customer_says("My parcel is late", typing=True)
    assert action.kind == "wait"


def test_a_calm_question_is_answered_not_reflected() -> None:
    chat = Chat()
    action = chat.customer_says("Hi, what are your opening hours on Saturday?")
    assert action.kind == "answer" and chat.state.stage == "gathering_details"


def test_upset_that_flares_again_goes_back_to_listening() -> None:
    chat = Chat()
    chat.customer_says("Where is my parcel? It was due yesterday.")
    chat.agent_does("reflection")
    chat.customer_says("Yes.")
    chat.agent_does("question")
    action = chat.customer_says("THIS IS RIDICULOUS!!! I have asked THREE TIMES and you still have no idea?!")
    assert action.kind == "reflect" and chat.state.stage == "reflecting"


def test_an_agent_reply_inside_a_burst_is_flagged() -> None:
    chat = Chat()
    chat.customer_says("You cancelled my booking without telling me!")
    chat.customer_says("I drove two hours for nothing!!", after=4)
    action = chat.agent_does("information", after=3)
    assert any(w.startswith("avoid_interruptions") for w in action.warnings)


def test_defensive_reply_is_flagged() -> None:
    chat = Chat()
    chat.customer_says("You charged me twice!")
    action = chat.agent_does("defensive", "blame")
    assert any(w.startswith("stay_calm") for w in action.warnings)


def test_unknown_acts_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown acts"):
        agent_turn(PlaybookState(), acts={"hug"}, at=0)


def test_no_catalogue_means_no_solutions_but_a_reason() -> None:
    state = PlaybookState(stage="gathering_details", heard=True, category="billing")
    first, text = (
        "You charged me twice for my order!",
        "It was order 5521, on Monday, and I want my money back.",
    )
    turn = customer_turn(state, burst=[text], conversation=[first, text], analysis=analyze(text), at=0)
    assert turn.action.kind == "offer" and turn.action.solutions == [] and "catalogue" in turn.action.why


def test_a_reference_given_long_ago_is_not_asked_again() -> None:
    chat = Chat()
    chat.customer_says("My order 5521 never arrived and I am really annoyed.")
    chat.agent_does("reflection")
    for _ in range(9):
        chat.customer_says("It still has not arrived.", after=60)
        chat.agent_does("empathy")
    action = chat.customer_says("Yes.")
    assert "reference" not in {q.asks_for for q in action.questions}


def test_passing_the_customer_on_is_flagged() -> None:
    chat = Chat()
    chat.customer_says("You charged me twice!")
    action = chat.agent_does("deflection")
    assert any(w.startswith("take_responsibility") for w in action.warnings)


def test_a_single_message_is_analysed_once_on_its_turn(monkeypatch) -> None:
    """Ingestion analyses the message, and the reflection the turn answers with reuses that
    analysis: the emotion model never runs on the message a second time."""
    from heard.understand import emotions

    model = emotions.load_emotion_model()
    seen = []
    predict = model.predict
    monkeypatch.setattr(
        model, "predict", lambda texts, **kw: seen.append(list(texts)) or predict(texts, **kw)
    )
    text = "You promised the plumber by noon and nobody came (turn-once 1). I took the day off for this!"
    turn = customer_turn(PlaybookState(), burst=[text], conversation=[text], analysis=analyze(text), at=0)
    assert turn.action.kind == "reflect" and turn.action.reflection
    assert sum(text in " ".join(texts) for texts in seen) == 1
