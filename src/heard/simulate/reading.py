"""Read a trainee's reply with heard's own engine: what it does, as events for the customer.

The acts (``heard.read_acts``), the review's findings and how much of the story the reply
says back (``heard.review`` at the point the conversation stands, with the scenario's policy),
the interruption rule every part of heard uses (``heard.understand.conversation.interrupts``,
the fold's burst rule, on the messages' times), which hidden facts its questions ask for, and
which remedy it offers. Events are names of ``data/mood.v1.yaml``; what an offer does to the
customer (early, turned down, accepted) is decided by the session, which knows the mood.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from heard.language.details import find_amounts
from heard.respond import read_acts, review
from heard.respond.situation import Situation
from heard.respond.solutions import beyond_policy, parse_amount
from heard.simulate.mood import rules
from heard.simulate.scenario import Scenario
from heard.understand.conversation import Message, interrupts

# Review findings and the event each one is for the customer.
_FINDING_EVENTS = {
    "calm_down": "calm_down", "blame": "blame", "deflection": "blame", "policy_no_offer": "policy_wall",
    "defensive": "defensive", "dismissive": "defensive", "capitals": "heated", "exclamations": "heated",
    "sarcasm": "heated", "non_apology": "non_apology",
}  # fmt: skip
_QUESTION = re.compile(r"\?\s*$")
# A sentence that promises: "I can ...", "we'll ...", "I've ..." (not "we can't").
_PROMISE = re.compile(
    r"\b(?:i|we)(?:'ll| will| can| could|'d| would|'ve| have| am going to)\b(?!n't|'t| not)", re.I
)


class Reading(BaseModel):
    """What one reply does, as the simulated customer hears it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    acts: list[str] = Field(description="heard.acts present in the reply.")
    findings: list[str] = Field(description="The review's checks that raised a finding.")
    heard: float | None = Field(description="How much of the story the reply says back (review), 0..1.")
    events: list[str] = Field(description="Events of data/mood.v1.yaml, in the order they apply.")
    asks: list[str] = Field(description="Hidden facts (ids) its questions ask for.")
    offers: list[str] = Field(description="Remedy kinds the reply offers.")
    fair: bool = Field(description="It offers what the customer wants, within policy.")


def _matches(words: Sequence[str], text: str) -> bool:
    """Any of the words (or phrases) at a word start in ``text`` (lower case): stems match too."""
    return any(re.search(r"(?<![a-z])" + re.escape(w), text) for w in words)


def read_reply(
    text: str,
    *,
    scenario: Scenario,
    situation: Situation,
    conversation: Sequence[Message],
    at: float | None,
    unrevealed: Sequence[str],
) -> Reading:
    """Read the trainee's ``text``, sent at ``at`` after ``conversation``."""
    reading = read_acts(text)
    acts = reading.present()
    checked = review(text, situation=situation, policy=scenario.policy)
    findings = [f.check for f in checked.findings]
    events: list[str] = []
    if interrupts(list(conversation), at=at):
        events.append("interrupted")
    events += dict.fromkeys(_FINDING_EVENTS[f] for f in findings if f in _FINDING_EVENTS)
    if "defensive" not in events and {"defensive", "dismissive"} & set(acts):
        events.append("defensive")
    if "blame" not in events and {"blame", "deflection"} & set(acts):
        events.append("blame")
    lower = text.lower()
    if "reflection" in acts:
        said_back = _matches(scenario.point_words, lower) or (checked.heard or 0) >= rules().heard_enough
        misheard = _matches(scenario.wrong_words, lower) and not _matches(scenario.point_words, lower)
        events.append("good_reflection" if said_back and not misheard else "wrong_reflection")
    if "apology" in acts and "non_apology" not in events and scenario.fault == "company":
        events.append("apologised")
    if {"acknowledgement", "empathy"} & set(acts) or ("apology" in acts and scenario.fault != "company"):
        events.append("acknowledged")
    if "ownership" in acts:
        events.append("owned")
    questions = [
        s.text.lower()
        for s in reading.sentences
        if _QUESTION.search(s.text) or {"question", "question_open", "question_closed"} & set(s.present())
    ]
    hidden = {h.id: h for h in scenario.hidden}
    asks = [i for i in unrevealed if any(_matches(hidden[i].asked_by, q) for q in questions)]
    if asks:
        events.append("asked_hidden")
    elif questions:
        events.append("asked_other")
    offered = " ".join(
        s.text for s in reading.sentences if "solution" in s.present() or _PROMISE.search(s.text)
    )
    offers, fair = _offers(offered, scenario)
    if offers and beyond_policy(text, scenario.policy, scenario.category):
        events.append("offer_beyond_policy")
        fair = False
    return Reading(
        acts=acts, findings=findings, heard=checked.heard, events=events, asks=asks, offers=offers, fair=fair
    )


def _offers(text: str, scenario: Scenario) -> tuple[list[str], bool]:
    """The remedy kinds a reply offers, and whether they meet what the customer wants."""
    if not text:
        return [], False
    lower = text.lower()
    offers = [kind for kind, words in rules().offer_words.items() if _matches(words, lower)]
    wanted = [k for k in offers if k in scenario.wants.kinds]
    if not wanted:
        return offers, False
    if scenario.wants.amount is None or not ({"refund", "credit", "discount"} & set(wanted)):
        return offers, True
    amounts = [a for a in (parse_amount(x) for x in find_amounts(text)) if a is not None]
    # An amount below what they named falls short (none named: the offer reads as the whole thing).
    return offers, not amounts or max(amounts) >= scenario.wants.amount
