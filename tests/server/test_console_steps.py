"""The console's playbook panel: before the agent replies every step is still to come; a
"don't" step is slipped only when the agent's own words broke it."""

from __future__ import annotations

from heard.playbook import score_conversation
from heard.server.console import display

MOVERS = (
    "I am very upset because you told me the moving company would be at my place by 1 pm and they "
    "didn't show up until 3 pm. I didn't have time to clean my apartment before the inspection."
)


def _status(messages: list[dict], *, resolved: bool = False) -> dict[str, str]:
    card = score_conversation(messages)
    replied = any(m["role"] == "agent" for m in messages)
    views = display.steps(card, "listen", resolved=resolved, agent_replied=replied)
    return {v.id: v.status for v in views}


def test_before_any_reply_nothing_is_done_or_slipped() -> None:
    status = _status([{"role": "customer", "text": MOVERS}])
    assert status["listen"] == "now"
    assert status["stay_calm"] == "to_come"
    assert status["take_responsibility"] == "to_come"
    assert "slipped" not in status.values() and "done" not in status.values()


def test_a_reply_that_has_not_owned_it_yet_is_not_a_slip() -> None:
    status = _status(
        [
            {"role": "customer", "text": MOVERS},
            {"role": "agent", "text": "That sounds really stressful. What's your booking reference?"},
        ]
    )
    assert status["take_responsibility"] == "to_come"
    assert status["stay_calm"] == "done"


def test_blame_in_the_agents_words_is_a_slip() -> None:
    status = _status(
        [
            {"role": "customer", "text": MOVERS},
            {"role": "agent", "text": "Calm down. The movers are not our fault, you should call them."},
        ]
    )
    assert status["stay_calm"] == "slipped"
