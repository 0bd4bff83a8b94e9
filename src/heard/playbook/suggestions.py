"""``suggest``: every line the agent might send next, ready at once (the console's suggestion panel).

The next best action (``conversation.customer_turn``) says what to do now and carries only
the words for that. An agent working a hard conversation also wants the rest at hand: the
reflection of what the customer said since the agent last wrote, an acknowledgement, the
apology while one is owed (the company is at fault and the agent has not apologised yet),
and the questions for what is still missing, never for a reference already given. Pure, as
the state machine is: the caller passes the state and the customer's messages.

>>> from heard.playbook.conversation import PlaybookState
>>> s = suggest(PlaybookState(burst=1, fault="company"), ["You charged me twice for order 5521!"])
>>> s.apology.startswith("I'm sorry we"), [q.asks_for for q in s.questions if q.asks_for == "reference"]
(True, [])
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from heard.playbook.conversation import PlaybookState, Rules
from heard.respond import Question, acknowledge, apology, questions, reflect
from heard.understand import Analysis, analyze


class Suggestions(BaseModel):
    """Lines the agent can put into their reply now, each None when it does not fit."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reflection: str | None = Field(
        description="What the customer said since the agent last wrote, said back."
    )
    reflection_note: str | None = Field(default=None, description="Why there is no reflection, if none.")
    acknowledgement: str | None
    apology: str | None = Field(
        description="Only while one is owed: the company is at fault, not yet apologised."
    )
    questions: list[Question] = Field(description="For what is still missing to resolve the case.")


def suggest(
    state: PlaybookState,
    customer: list[str],
    *,
    readings: list[Analysis] | None = None,
    rules: Rules = Rules(),  # noqa: B008 (frozen)
) -> Suggestions:
    """The lines to suggest after the customer's messages ``customer`` (oldest first).

    ``readings``: the stored analyses of the last messages (at least the story's), in order.
    With them no model runs: the reflection says back the burst's most upset message, the
    acknowledgement and apology the story's, each quoting words of its own message, and the
    questions ask for what the story as stored (``state.story``) still lacks, as the next
    action does. Without them the recent story is read again as one text.
    """
    if not customer:
        return Suggestions(reflection=None, acknowledgement=None, apology=None, questions=[])
    if readings is not None:
        return _from_readings(state, customer, readings, rules)
    story = customer[-rules.story_messages :]
    burst = customer[-state.burst :] if state.burst else story[-1:]
    whole = analyze(story)
    r = reflect(burst, analysis=whole if burst == story else None)  # one analysis when the same words
    sorry = None
    if state.fault == "company" and not state.apologised:
        sorry = apology(story, analysis=whole).text
    asks = [
        q for q in questions(story, analysis=whole) if not (q.asks_for == "reference" and state.references)
    ]
    return Suggestions(
        reflection=r.text,
        reflection_note=r.reason if r.text is None else None,
        acknowledgement=acknowledge(story, analysis=whole),
        apology=sorry,
        questions=asks,
    )


def _from_readings(
    state: PlaybookState, customer: list[str], readings: list[Analysis], rules: Rules
) -> Suggestions:
    keep = min(len(customer), rules.story_messages)
    if len(readings) < keep:
        raise ValueError(f"{len(readings)} readings for the last {keep} customer messages")
    story = list(zip(customer[-keep:], readings[-keep:], strict=True))
    burst = story[-state.burst :] if state.burst else story[-1:]
    said, heard_in = max(burst, key=lambda m: m[1].upset)  # the first of the most upset
    told, told_in = max(story, key=lambda m: m[1].upset)
    r = reflect(said, analysis=heard_in)
    sorry = (
        apology(told, analysis=told_in).text if state.fault == "company" and not state.apologised else None
    )
    whole = readings[-1].model_copy(update={"complaint": state.story})
    asks = [
        q
        for q in questions(customer[-1:], analysis=whole)
        if not (q.asks_for == "reference" and state.references)
    ]
    return Suggestions(
        reflection=r.text,
        reflection_note=r.reason if r.text is None else None,
        acknowledgement=acknowledge(told, analysis=told_in),
        apology=sorry,
        questions=asks,
    )
