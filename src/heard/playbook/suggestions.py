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
    analysis: Analysis | None = None,
    rules: Rules = Rules(),  # noqa: B008 (frozen)
) -> Suggestions:
    """The lines to suggest after the customer's messages ``customer`` (oldest first);
    ``analysis``: the stored reading of the last one, used when it is the whole story."""
    if not customer:
        return Suggestions(reflection=None, acknowledgement=None, apology=None, questions=[])
    story = customer[-rules.story_messages :]
    burst = customer[-state.burst :] if state.burst else story[-1:]
    # One message is read by its stored analysis; a longer story quotes spans of the whole text.
    whole = analysis if analysis is not None and len(story) == 1 else analyze(story)
    r = reflect(
        burst, analysis=whole if burst == story else None
    )  # one analysis when they are the same words
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
