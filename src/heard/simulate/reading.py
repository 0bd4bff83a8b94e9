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

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from heard.language.details import find_amounts
from heard.respond import read_acts, review
from heard.respond.acts import sentence_embedding
from heard.respond.hearing import text_vector
from heard.respond.situation import Situation
from heard.respond.solutions import beyond_policy, parse_amount
from heard.simulate.mood import rules
from heard.simulate.scenario import HiddenFact, Scenario
from heard.understand.conversation import Message, interrupts

# Review findings and the event each one is for the customer.
_FINDING_EVENTS = {
    "calm_down": "calm_down", "blame": "blame", "deflection": "blame", "policy_no_offer": "policy_wall",
    "defensive": "defensive", "dismissive": "defensive", "capitals": "heated", "exclamations": "heated",
    "sarcasm": "heated", "already_said": "heated", "non_apology": "non_apology",
}  # fmt: skip
_QUESTION = re.compile(r"\?\s*$")
_REPORTED = re.compile(r"\b(?:says?|said|saying|told|tells|claims?|promised)\b", re.I)
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
    lower = text.lower()
    # Said back: the review finds enough of the story in it, or it names the customer's point
    # while reflecting or acknowledging (heard's act reading misses some plain reflections).
    names_point = _matches(scenario.point_words, lower)
    said_back = (checked.heard or 0) >= rules().heard_enough or (
        names_point and bool({"reflection", "empathy", "acknowledgement"} & set(acts))
    )
    misheard = _matches(scenario.wrong_words, lower) and not names_point
    if said_back and not misheard:
        events.append("good_reflection")
    elif "reflection" in acts or misheard:
        events.append("wrong_reflection")
    if "apology" in acts and "non_apology" not in events and scenario.fault == "company":
        events.append("apologised")
    if {"acknowledgement", "empathy"} & set(acts) or ("apology" in acts and scenario.fault != "company"):
        events.append("acknowledged")
    if "ownership" in acts:
        events.append("owned")
    questions = [
        s.text
        for s in reading.sentences
        if _QUESTION.search(s.text) or {"question", "question_open", "question_closed"} & set(s.present())
    ]
    hidden = {h.id: h for h in scenario.hidden}
    asks = [i for i in unrevealed if any(_asks_for(hidden[i], q) for q in questions)]
    if asks:
        events.append("asked_hidden")
    elif questions:
        events.append("asked_other")
    offered = " ".join(_offered(s.text, s.present()) for s in reading.sentences)
    offers, fair = _offers(offered, scenario)
    if offers and beyond_policy(text, scenario.policy, scenario.category):
        events.append("offer_beyond_policy")
        fair = False
    return Reading(
        acts=acts, findings=findings, heard=checked.heard, events=events, asks=asks, offers=offers, fair=fair
    )


def _asks_for(fact: HiddenFact, question: str) -> bool:
    """A question asks for a hidden fact by its words, or by meaning: close to the right
    question in the encoder's space (the sentence was encoded when its acts were read)."""
    if _matches(fact.asked_by, question.lower()):
        return True
    a, b = sentence_embedding(question), text_vector(fact.question)
    return float(a @ b / max(float(np.linalg.norm(a) * np.linalg.norm(b)), 1e-9)) >= rules().asked_by_meaning


def _offered(sentence: str, acts: list[str]) -> str:
    """The part of a sentence that offers something: after "I can / we'll ...", unless it
    reports what the customer was told ("the text says we'll rebook") or says it back."""
    if "reflection" in acts:
        return ""
    for m in _PROMISE.finditer(sentence):
        if not _REPORTED.search(sentence[max(0, m.start() - 30) : m.start()]):
            return sentence[m.start() :]
    return sentence if "solution" in acts and not _REPORTED.search(sentence) else ""


def _offers(text: str, scenario: Scenario) -> tuple[list[str], bool]:
    """The remedy kinds a reply offers, and whether they meet what the customer wants."""
    if not text:
        return [], False
    lower = text.lower()
    offers = [kind for kind, words in rules().offer_words.items() if _matches(words, lower)]
    if scenario.wants.words and _matches([w.lower() for w in scenario.wants.words], lower):
        offers.append(scenario.wants.kinds[0])
    wanted = [k for k in offers if k in scenario.wants.kinds]
    if not wanted:
        return offers, False
    if scenario.wants.amount is None or not ({"refund", "credit", "discount"} & set(wanted)):
        return offers, True
    amounts = [a for a in (parse_amount(x) for x in find_amounts(text)) if a is not None]
    # An amount below what they named falls short (none named: the offer reads as the whole thing).
    return offers, not amounts or max(amounts) >= scenario.wants.amount
