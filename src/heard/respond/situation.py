"""Where a conversation stands when the agent drafts a reply (what ``review`` judges against),
in the stages of ``heard.respond.stage``:

- **venting**: the customer is mid-burst; any reply interrupts them (playbook step 2).
- **listening**: the customer is upset or has a complaint and has not yet been heard:
  acknowledge and reflect before anything else (steps 3 and 6).
- **gathering_details**: they have been heard and a stored conversation's fold says details
  are still missing: ask for them (step 5), or offer if the draft can already.
- **offering_solutions**: an earlier agent message reflected or acknowledged them and they
  confirmed it or calmed down: now offer what can be done (step 9).
- **closing**: the customer thanks or signs off after a complaint: promise the follow-up (step 10).
- **answering**: a calm customer with no complaint (a plain question).
- **no_context**: the draft alone, with nothing from the customer.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from heard.respond.acknowledgement import Apology, acknowledge, apology
from heard.respond.acts import read_acts
from heard.respond.questions import Question, questions
from heard.respond.reflection import reflect
from heard.respond.stage import ConversationStage, Stage
from heard.understand import Analysis, analyze, confirmation
from heard.understand.conversation import customer_burst, interrupts, to_messages

UPSET = ("upset", "angry", "furious")
_HEARD = ("reflection", "acknowledgement", "empathy")
_CLOSING_FEELINGS = {"grateful", "relieved", "pleased"}
# How many earlier agent messages are read for what they already did (apologised, reflected).
_LOOK_BACK = 3


@dataclass(frozen=True)
class Situation:
    """The customer's words the draft answers, how they read, and what already happened."""

    stage: Stage
    customer: str | None = None
    analysis: Analysis | None = None
    complaint_category: str | None = None
    fault: str = "unclear"
    apologised: bool = False  # an earlier agent message already apologised
    feeling: str = "frustrated"
    # The lines a stored conversation already drafted for this customer message (the service
    # keeps them): the review's rewrites are then the very lines the suggestion panel shows.
    drafted: Drafted | None = None

    @property
    def upset(self) -> bool:
        return self.analysis is not None and self.analysis.level in UPSET

    # Suggestions are worked out only when a finding needs one, once per customer message.
    def reflection(self) -> str:
        if self.drafted is not None:
            return self.drafted.reflection or ""
        return _reflection(self.customer) if self.customer else ""

    def apology(self) -> Apology | None:
        if self.drafted is not None:
            return self.drafted.apology
        return _apology(self.customer) if self.customer else None

    def questions(self) -> list[Question]:
        if self.drafted is not None:
            return list(self.drafted.questions)
        return list(_questions(self.customer)) if self.customer else []


@dataclass(frozen=True)
class Drafted:
    """Lines drafted when the customer's message was read: a reflection (or acknowledgement),
    the apology fitted to fault, and the questions for what is missing."""

    reflection: str | None
    apology: Apology | None
    questions: tuple[Question, ...] = ()


# While an agent types, the same customer message is reviewed against draft after draft:
# its analysis and the suggestions for it are kept for the last few customers.
@functools.lru_cache(maxsize=64)
def _analysis(text: str) -> Analysis:
    return analyze(text)


@functools.lru_cache(maxsize=64)
def _reflection(customer: str) -> str:
    analysis = _analysis(customer)  # analysed once: the reflection reuses it
    return reflect(customer, analysis=analysis).text or acknowledge(customer, analysis=analysis)


@functools.lru_cache(maxsize=64)
def _apology(customer: str) -> Apology:
    return apology(customer, analysis=_analysis(customer))


@functools.lru_cache(maxsize=64)
def _questions(customer: str) -> tuple[Question, ...]:
    return tuple(questions(customer, analysis=_analysis(customer)))


def read_situation(
    customer: str | list[str] | None, conversation: Iterable[object] | None, *, at: float | None = None
) -> Situation:
    """Where the conversation stands for a reply to ``customer`` (or to the conversation's last
    customer messages when ``customer`` is None), sent at ``at``: by default right after the
    conversation's last message (a live draft; pass the real time when it is known)."""
    messages = to_messages(conversation) if conversation is not None else []
    if at is None and messages:
        at = messages[-1].at
    if messages and interrupts(messages, at=at):
        burst = customer_burst(messages)
        text = "\n".join(m.text for m in burst)
        return Situation(stage="venting", customer=text, analysis=_analysis(text))
    if customer is None:
        # The customer's last messages, even when the agent has spoken since (a second reply).
        last = max((k for k, m in enumerate(messages) if m.role == "customer"), default=None)
        burst = customer_burst(messages[: last + 1]) if last is not None else []
        customer = "\n".join(m.text for m in burst) if burst else None
    elif isinstance(customer, list):
        customer = "\n".join(customer)
    if customer is None or not customer.strip():
        return Situation(stage="no_context")
    earlier_agent = [m for m in messages if m.role == "agent"][-_LOOK_BACK:]
    earlier_customer = [m for m in messages if m.role == "customer" and m.text not in customer]
    return situation_of(
        customer,
        _analysis(customer),
        earlier=[_analysis(m.text) for m in earlier_customer[:2]],
        agent_acts=[read_acts(m.text).present() for m in earlier_agent],  # each agent message read once
    )


def situation_of(
    customer: str,
    analysis: Analysis,
    *,
    earlier: list[Analysis],
    agent_acts: list[list[str]],
    category: str | None = None,
    fault: str | None = None,
    stage: ConversationStage | None = None,
    drafted: Drafted | None = None,
) -> Situation:
    """Where the conversation stands for a reply to ``customer`` (read as ``analysis``), from
    readings made before: the first earlier customer messages' analyses, the acts of the last
    agent messages, and, when a stored conversation knows it, its complaint ``category`` (the
    one its policy panel offers for, so the review judges promises by the same catalogue) and
    its ``fault`` (the one its suggestions apologise for, unless still unclear) and ``stage``
    (the fold's: while it gathers details, a heard customer is asked, not yet offered)."""
    first = next((a for a in earlier if a.complaint), None)
    complaint = analysis.complaint or (first.complaint if first else None)
    if fault is None or fault == "unclear":
        fault = analysis.fault if analysis.complaint else (first.fault if first else "unclear")
    readings = [set(acts) for acts in agent_acts[-_LOOK_BACK:]]
    confirmed = confirmation(customer).kind == "confirm"
    apologised = any("apology" in r for r in readings)
    heard = any(r & set(_HEARD) for r in readings) and (confirmed or analysis.level not in UPSET)
    now: Stage
    if heard and complaint is not None and confirmed:
        now = "offering_solutions"
    elif complaint is not None and analysis.complaint is None and analysis.feeling in _CLOSING_FEELINGS:
        now = "closing"
    elif heard and complaint is not None:
        now = "offering_solutions"
    elif analysis.complaint is not None or analysis.level in UPSET:
        now = "listening"
    else:
        now = "answering"
    if now == "offering_solutions" and stage == "gathering_details":
        now = "gathering_details"
    return Situation(
        stage=now,
        customer=customer,
        analysis=analysis,
        complaint_category=category or (complaint.category if complaint else None),
        drafted=drafted,
        fault=fault,
        apologised=apologised,
        feeling=analysis.feeling if analysis.level != "calm" else "frustrated",
    )
