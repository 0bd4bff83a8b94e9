"""One conversation model: a pure fold of a conversation's messages, each with its stored reading.

``fold`` is the only answer to "where does this conversation stand?": ingest, import, review
in a conversation, the resolve route and the console all ask it (or ``advance``, its step).
Every message carries the reading made once when it arrived (a customer message its
``Analysis``, an agent message its acts), so folding runs no model: the state machine moves
on the stored readings, and only the last customer message's words (the reflection, the
questions) are drafted, and only when asked for.

Time is always explicit: ``now`` is when the answer is wanted (a page load, a draft being
typed). A burst that was live when the customer's last message came is over two minutes
later, and the next action says so.

>>> from heard.understand import analyze
>>> text = "You charged me twice for order 5521 and nobody answers my emails!"
>>> f = fold([Said(role="customer", text=text, at=0, analysis=analyze(text))], now=60)
>>> f.state.stage, f.action.kind, f.interrupting
('reflecting', 'reflect', False)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from heard.playbook.conversation import (
    NextAction,
    PlaybookState,
    Rules,
    Turn,
    agent_turn,
    customer_turn,
)
from heard.playbook.steps import StepId
from heard.respond.policy import Catalogue
from heard.respond.stage import ConversationStage
from heard.understand import Analysis

# Which playbook step an agent's act carries out (the scorecard judges the finer evidence).
_STEP_OF_ACT: dict[str, StepId] = {
    "reflection": "listen", "acknowledgement": "acknowledge", "apology": "apologise", "question": "ask_details",
    "question_open": "ask_details", "question_closed": "ask_details", "empathy": "show_empathy",
    "ownership": "take_responsibility", "solution": "offer_solutions", "follow_up": "follow_up",
}  # fmt: skip
_START = NextAction(kind="await_reply", step="listen", why="nothing from the customer yet: let them speak")


class Said(BaseModel):
    """One message with the reading stored when it arrived."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: Literal["customer", "agent"]
    text: str
    at: float | None = Field(description="When it was sent, in seconds; None in a transcript without times.")
    analysis: Analysis | None = Field(default=None, description="A customer message's analysis.")
    acts: list[str] | None = Field(
        default=None, description="An agent message's acts (declared or detected)."
    )
    author: str | None = Field(default=None, description="Who wrote an agent message, when known.")


class Folded(BaseModel):
    """Where a conversation stands at ``now``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    state: PlaybookState
    stage: ConversationStage
    burst: list[int] = Field(description="The customer's current burst: message numbers (from 1).")
    interrupting: bool = Field(description="A reply at ``now`` would cut into the customer's burst.")
    upset: list[float] = Field(description="The customer's upset, message by message (the trajectory).")
    steps: dict[str, list[int]] = Field(
        description="Steps the agent did, with the message numbers that did them."
    )
    action: NextAction = Field(description="The next best action at ``now``.")


def advance(
    state: PlaybookState,
    message: Said,
    history: Sequence[Said] = (),
    *,
    typing: bool = False,
    catalogue: Catalogue | None = None,
    rules: Rules = Rules(),  # noqa: B008 (frozen)
    words: bool = True,
) -> Turn:
    """One step of the fold: the state after ``message``, given the messages before it
    (``history``: only their texts are read, for the words of the action)."""
    if message.role == "agent":
        if message.acts is None:
            raise ValueError("an agent message needs its stored acts to be folded")
        return agent_turn(state, acts=message.acts, at=message.at, rules=rules)
    if message.analysis is None:
        raise ValueError("a customer message needs its stored analysis to be folded")
    told = [m for m in history if m.role == "customer"] + [message]
    said = [m.text for m in told]
    # The story's stored readings, when the history carries them: the words need no model run.
    recent = [m.analysis for m in told[-rules.story_messages :]]
    readings = recent if all(a is not None for a in recent) else None
    return customer_turn(
        state, burst=said[-(state.burst + 1) :], conversation=said, analysis=message.analysis, at=message.at,
        typing=typing, catalogue=catalogue, rules=rules, words=words, readings=readings,  # type: ignore[arg-type]
    )  # fmt: skip


def fold(
    messages: Sequence[Said],
    *,
    now: float | None,
    typing: bool = False,
    catalogue: Catalogue | None = None,
    rules: Rules = Rules(),  # noqa: B008 (frozen)
    words: bool = True,
) -> Folded:
    """Where the conversation stands at ``now`` (seconds, as the messages' times; None only
    for a transcript without times), with the next best action.

    Args:
        messages: the conversation, oldest first, each with its stored reading.
        now: when the answer is wanted.
        typing: the customer is typing right now.
        catalogue: the team's policy catalogue (offers come from it).
        words: draft the next action's words for the last message (a replay that only needs
            the state passes False).
    """
    state, action = PlaybookState(), _START
    upset: list[float] = []
    steps: dict[str, list[int]] = {}
    for k, m in enumerate(messages):
        last = k == len(messages) - 1
        turn = advance(
            state,
            m,
            messages[:k],
            typing=typing and last,
            catalogue=catalogue,
            rules=rules,
            words=words and last,
        )
        state, action = turn.state, turn.action
        if m.role == "customer":
            upset.append(m.analysis.upset)  # type: ignore[union-attr] (advance checked it)
        for act in m.acts or []:
            if (step := _STEP_OF_ACT.get(act)) is not None and k + 1 not in steps.setdefault(step, []):
                steps[step].append(k + 1)
    burst = _burst(messages)
    interrupting = typing or state.interrupted_by(now, rules)
    return Folded(
        state=state,
        stage=state.stage,
        burst=burst,
        interrupting=interrupting,
        upset=upset,
        steps=steps,
        action=action_at(action, interrupting=interrupting),
    )


def action_at(action: NextAction, *, interrupting: bool) -> NextAction:
    """The stored next action, as it stands now: a "wait" whose burst is over becomes
    "reflect", with the reflection that was drafted while the customer was still writing."""
    if action.kind != "wait" or interrupting:
        return action
    if action.reflection:
        return NextAction(kind="reflect", step="listen", why="the customer has finished: reflect what they said",
                          reflection=action.reflection)  # fmt: skip
    return NextAction(
        kind="acknowledge", step="acknowledge", why="the customer has finished: acknowledge them"
    )


def _burst(messages: Sequence[Said]) -> list[int]:
    found: list[int] = []
    for k in range(len(messages) - 1, -1, -1):
        if messages[k].role != "customer":
            break
        found.insert(0, k + 1)
    return found
