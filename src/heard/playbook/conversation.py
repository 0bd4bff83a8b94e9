"""The playbook as a state machine: where a conversation stands, and the next best action.

Stages, in playbook order (``heard.respond.stage`` names and explains them)::

    listening -> reflecting -> confirming -> gathering_details -> offering_solutions
              -> closing -> following_up

Each customer message (``customer_turn``), agent message (``agent_turn``) and resolution
(``resolve``) moves the state and answers with what the agent should do next: wait while the
customer is still venting, send a reflection, acknowledge and apologise, ask what is missing,
offer what policy allows, close, or follow up. Pure: the caller passes the texts, the
analysis, the time and the team's catalogue in, and stores the returned state.

>>> from heard.understand import analyze
>>> text = "You charged me twice for order 5521 and nobody answers my emails!"
>>> turn = customer_turn(PlaybookState(), burst=[text], conversation=[text], analysis=analyze(text), at=0)
>>> turn.state.stage, turn.action.kind
('reflecting', 'reflect')
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from heard.playbook.follow_up import draft_follow_up
from heard.playbook.steps import StepId
from heard.respond import Question, acknowledge, apology, questions, reflect
from heard.respond.acts import ACTS, Act
from heard.respond.policy import Catalogue
from heard.respond.solutions import Solution, solutions
from heard.respond.stage import ConversationStage
from heard.understand import Analysis, analyze, confirmation
from heard.understand.complaint import Category, Complaint, Fault
from heard.understand.conversation import BURST_GAP, QUIET, asks_or_closes, burst_interrupted

ActionKind = Literal[
    "wait", "reflect", "acknowledge", "ask", "answer", "offer", "close", "follow_up", "await_reply"
]
# What an agent's message did: the act names of ``heard.acts`` (reflection, question, apology, ...).
AgentAct = Act
AGENT_ACTS: tuple[str, ...] = ACTS
_LEVELS_UP = {"upset", "angry", "furious"}


class Rules(BaseModel):
    """How the machine reads a conversation; the defaults follow the playbook."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    burst_gap_seconds: float = Field(
        default=BURST_GAP, gt=0, description="Customer messages closer than this form a burst."
    )
    quiet_seconds: float = Field(
        default=QUIET, gt=0, description="Quiet this long, the customer's burst is over."
    )
    max_reflections: int = Field(default=3, ge=1, description="Reflections before moving on regardless.")
    flare: float = Field(default=0.15, gt=0, description="A rise in upset that sends it back to listening.")
    story_messages: int = Field(
        default=8, ge=1, description="Customer messages read for acknowledgements, apologies and questions."
    )


class PlaybookState(BaseModel):
    """Where a conversation stands in the playbook. Stored as JSON with the conversation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    stage: ConversationStage = "listening"
    burst: int = Field(default=0, description="Customer messages since the agent last wrote.")
    burst_at: list[float | None] = Field(default=[], description="When each message of the burst came.")
    settled: bool = Field(default=False, description="The burst's last message asks or signs off.")
    story: Complaint | None = Field(
        default=None, description="The complaint as told so far: every customer message's frame merged."
    )
    last_customer_at: float | None = Field(
        default=None, description="Seconds (epoch) of the last customer message."
    )
    last_upset: float = 0.0
    peak_upset: float = 0.0
    reflections: int = Field(default=0, description="Reflections the agent sent.")
    heard: bool = Field(default=False, description="The customer confirmed they feel understood.")
    apologised: bool = False
    category: Category | None = None
    fault: Fault = "unclear"
    amounts: list[str] = []
    references: list[str] = []
    offered: list[str] = Field(default=[], description="Remedy ids offered so far.")
    suggested: ActionKind | None = Field(default=None, description="The last action heard suggested.")

    def interrupted_by(self, at: float | None, rules: Rules = Rules()) -> bool:  # noqa: B008 (frozen)
        """Would a reply at ``at`` cut into the customer's burst (the one rule, in ``understand``)?"""
        return burst_interrupted(
            self.burst_at, settled=self.settled, at=at, gap=rules.burst_gap_seconds, quiet=rules.quiet_seconds
        )


class NextAction(BaseModel):
    """What the agent should do next, with the words to use."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: ActionKind
    step: StepId = Field(description="The playbook step this action carries out.")
    why: str
    reflection: str | None = None
    acknowledgement: str | None = None
    apology: str | None = None
    questions: list[Question] = []
    solutions: list[Solution] = []
    follow_up: str | None = Field(default=None, description="The drafted follow-up message.")
    warnings: list[str] = Field(
        default=[], description="What the last agent message did against the playbook."
    )


class Turn(BaseModel):
    """The state after a message, and the next best action."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    state: PlaybookState
    action: NextAction


def _turn(state: PlaybookState, stage: ConversationStage, action: NextAction, **changes) -> Turn:
    return Turn(
        state=state.model_copy(update={"stage": stage, "suggested": action.kind, **changes}), action=action
    )


def _reflect(
    state: PlaybookState,
    texts: list[str],
    why: str,
    *,
    reply: str | None = None,
    read: list[Analysis] | None = None,
    words: bool = True,
    **changes,
) -> Turn:
    if not words:  # replaying history: the stage is all that matters, no words are drafted
        return _turn(state, "reflecting", NextAction(kind="reflect", step="listen", why=why), **changes)
    said, analysis = _said_back(texts, read)
    r = reflect(said, reply=reply, analysis=analysis)
    if r.text is None:  # not a complaint after all: acknowledge instead
        return _turn(state, "reflecting", NextAction(kind="acknowledge", step="acknowledge", why=r.reason or why,
                                                    acknowledgement=acknowledge(said, analysis=analysis)),
                     **changes)  # fmt: skip
    return _turn(
        state, "reflecting", NextAction(kind="reflect", step="listen", why=why, reflection=r.text), **changes
    )


def _said_back(texts: list[str], read: list[Analysis] | None) -> tuple[str | list[str], Analysis | None]:
    """What a reflection says back: with the messages' stored readings, the most upset message
    (its words and reading: no model run); else the messages, read again as one text."""
    if read is None or len(read) != len(texts):
        return texts, None
    text, analysis = max(zip(texts, read, strict=True), key=lambda m: m[1].upset)
    return text, analysis


def _details_or_offer(
    state: PlaybookState,
    conversation: list[str],
    analysis: Analysis,
    catalogue: Catalogue | None,
    rules: Rules,
    words: bool = True,
    readings: list[Analysis] | None = None,
    **changes,
) -> Turn:
    """Once the customer feels heard: acknowledge, apologise if owed, then ask or offer."""
    ack = sorry = None
    story = conversation[-rules.story_messages :]
    if not state.heard and words:
        # The words quote the story: its most upset message by its stored reading, or else the
        # recent story read again as one text (spans into it).
        if readings is not None:
            text, told = max(zip(story, readings[-len(story) :], strict=True), key=lambda m: m[1].upset)
        else:
            text, told = story, analyze(story)
        ack = acknowledge(text, analysis=told)  # the story's feeling, not this reply's
        if state.fault == "company" and not state.apologised:
            sorry = apology(text, analysis=told).text
    # What is missing: this message's reading with every frame so far merged (no model run), so a
    # replay of stored history decides the same as the live turn did.
    whole = analysis.model_copy(update={"complaint": changes.get("story", state.story)})
    known = changes.get("references", state.references)
    # What is missing is read from this message and the merged frame, so a replay decides the same.
    missing = [q for q in questions(story[-1:], analysis=whole) if not (q.asks_for == "reference" and known)]
    if missing:
        action = NextAction(kind="ask", step="ask_details", why="the customer feels heard; ask for what is missing",
                            acknowledgement=ack, apology=sorry, questions=missing)  # fmt: skip
        return _turn(state, "gathering_details", action, heard=True, **changes)
    return _offer(state.model_copy(update={"heard": True}), catalogue, ack=ack, sorry=sorry, **changes)


def _offer(
    state: PlaybookState, catalogue: Catalogue | None, *, why: str = "", ack=None, sorry=None, **changes
) -> Turn:
    category = changes.get("category", state.category) or "other"
    amounts = changes.get("amounts", state.amounts)
    offers = solutions(category, catalogue, amounts=amounts) if catalogue else []
    why = why or (
        "nothing is missing: offer what policy allows"
        if offers
        else "nothing is missing, but the team's policy "
        "catalogue has no remedy for this category: own it and offer what you can, or ask a lead"
    )
    action = NextAction(kind="offer", step="offer_solutions", why=why, acknowledgement=ack, apology=sorry,
                        solutions=offers)  # fmt: skip
    return _turn(state, "offering_solutions", action, offered=[s.remedy for s in offers], **changes)


def customer_turn(
    state: PlaybookState,
    *,
    burst: list[str],
    conversation: list[str],
    analysis: Analysis,
    at: float | None,
    typing: bool = False,
    catalogue: Catalogue | None = None,
    rules: Rules = Rules(),  # noqa: B008 (frozen)
    words: bool = True,
    readings: list[Analysis] | None = None,
) -> Turn:
    """Move the conversation on a customer message and say what the agent should do next.

    Args:
        state: where the conversation stood.
        burst: the customer's messages since the agent last wrote, this one last.
        conversation: every customer message so far, this one last.
        analysis: ``heard.analyze`` of this message.
        at: when it was sent, in seconds (None only for a transcript without times); bursts
            are read from the gaps.
        typing: the customer is still typing (from the chat widget), so wait.
        catalogue: the team's policy catalogue; no solutions are offered without one.
        words: draft the action's words (reflection, questions, ...); a replay of stored
            history (``heard.playbook.fold``) moves the state alone and runs no model.
        readings: the stored analyses of ``conversation`` (this one last), when known: the
            words are then drafted from them and no model runs.
    """
    text = burst[-1]
    c = analysis.complaint
    tail = readings if readings is not None else [analysis]  # stored readings of the last messages

    def read(texts: list[str], before: int = 0) -> list[Analysis] | None:
        """The stored readings of ``texts``: the messages ending ``before`` messages from the last."""
        end = len(tail) - before
        return tail[end - len(texts) : end] if len(texts) + before <= len(tail) else None

    changes = {
        "burst": state.burst + 1,
        "burst_at": [*state.burst_at, at],
        "settled": asks_or_closes(text),
        "story": merge_frames(state.story, c),
        "last_customer_at": at if at is not None else state.last_customer_at,
        "last_upset": analysis.upset,
        "peak_upset": max(state.peak_upset, analysis.upset),
        "category": state.category or (c.category if c else None),
        "fault": analysis.fault if state.fault == "unclear" else state.fault,
        "amounts": list(dict.fromkeys(state.amounts + (c.amounts if c else []))),
        "references": list(dict.fromkeys(state.references + (c.references if c else []))),
    }
    upset = analysis.level != "calm"
    venting = burst_interrupted(changes["burst_at"], settled=changes["settled"], at=at,
                                gap=rules.burst_gap_seconds, quiet=rules.quiet_seconds)  # fmt: skip
    if typing or venting and state.stage in ("listening", "reflecting"):
        # Say "wait", with the reflection of the burst so far ready for when they stop.
        why = "the customer is still typing" if typing else "the customer is still venting: let them finish"
        ready = words and (upset or c is not None)
        said, told = _said_back(burst, read(burst))
        r = reflect(said, analysis=told) if ready else None
        action = NextAction(kind="wait", step="avoid_interruptions", why=why, reflection=r and r.text)
        return _turn(state, state.stage, action, **changes)
    flared = (
        state.peak_upset > 0
        and analysis.upset - state.last_upset >= rules.flare
        and analysis.level in _LEVELS_UP
    )
    stage = state.stage
    if stage in ("listening", "reflecting") or (flared and stage != "confirming"):
        if c is None and not upset:
            asks = questions(burst, analysis=analysis) if words else []
            action = NextAction(kind="answer", step="ask_details", why="no complaint heard: answer the customer",
                                questions=asks)  # fmt: skip
            return _turn(state, "gathering_details", action, **changes)
        why = "the upset rose again: listen and reflect first" if flared else "reflect what the customer said"
        return _reflect(state, burst, why, read=read(burst), words=words, **changes)
    if stage == "confirming":
        reading = confirmation(text)
        if reading.kind in ("correct", "add"):
            earlier = conversation[:-1][-(rules.story_messages - 1) :]
            said = (earlier, read(earlier, before=1)) if earlier else (burst, read(burst))
            return _reflect(state, said[0], f"the customer {reading.kind}ed the reflection: reflect again",
                            reply=text, read=said[1], words=words, **changes)  # fmt: skip
        # Still upset, or upset again (a flare), and not yet reflected too often: listen again.
        more = (reading.kind == "none" or flared) and state.reflections < rules.max_reflections
        if more and analysis.level in _LEVELS_UP:
            why = (
                "the upset rose again: listen and reflect first"
                if flared
                else "still upset: reflect what they said now"
            )
            return _reflect(state, burst, why, read=read(burst), words=words, **changes)
        return _details_or_offer(state, conversation, analysis, catalogue, rules, words, readings, **changes)
    if stage == "gathering_details":
        return _details_or_offer(state, conversation, analysis, catalogue, rules, words, readings, **changes)
    if stage == "offering_solutions":
        reading = confirmation(text)
        if reading.kind == "confirm" or not upset:
            action = NextAction(kind="close", step="follow_up",
                                why="the customer accepts: confirm what you'll do, promise to check back, then resolve")  # fmt: skip
            return _turn(state, "closing", action, **changes)
        if reading.kind in ("correct", "add") and analysis.level in _LEVELS_UP:
            # Upset, with more to tell than the offer answered: they are not heard yet.
            return _reflect(state, burst, f"the customer {reading.kind}ed to their story: listen and reflect first",
                            read=read(burst), words=words, **changes)  # fmt: skip
        return _offer(state, catalogue, why="the customer is not satisfied: offer the alternatives or ask a lead",
                      **changes)  # fmt: skip
    if stage == "closing":
        action = NextAction(
            kind="close", step="follow_up", why="resolve the conversation; heard schedules the follow-up"
        )
        return _turn(state, "closing", action, **changes)
    # following_up: the customer answered the follow-up.
    if upset and c is not None:
        return _reflect(state, burst, "the problem is back: listen again", read=read(burst), words=words,
                        **changes)  # fmt: skip
    action = NextAction(kind="close", step="follow_up", why="record the customer's answer to the follow-up")
    return _turn(state, "following_up", action, **changes)


def agent_turn(
    state: PlaybookState,
    *,
    acts: Collection[str],
    at: float | None,
    rules: Rules = Rules(),  # noqa: B008 (frozen)
) -> Turn:
    """Move the conversation on an agent message sent at ``at`` that did ``acts`` (``heard.acts``
    names); ``at`` is None only in a transcript without times.

    >>> agent_turn(PlaybookState(stage="reflecting"), acts={"reflection"}, at=0).state.stage
    'confirming'
    """
    if unknown := set(acts) - set(AGENT_ACTS):
        raise ValueError(f"unknown acts {sorted(unknown)}; known: {', '.join(AGENT_ACTS)}")
    warnings = []
    if state.interrupted_by(at, rules):
        warnings.append("avoid_interruptions: the customer was still venting when the agent replied")
    stage: ConversationStage = state.stage
    if "solution" in acts:
        stage = "offering_solutions"
    elif "reflection" in acts:
        stage = "confirming"
    elif {"follow_up", "closing"} & set(acts) and state.stage in ("offering_solutions", "closing"):
        stage = "closing"
    elif "question" in acts and state.heard:
        stage = "gathering_details"
    if {"defensive", "dismissive", "blame"} & set(acts):
        warnings.append("stay_calm: the reply was defensive, dismissive or blamed the customer")
    if "deflection" in acts:
        warnings.append("take_responsibility: the reply passed the customer on instead of owning it")
    action = NextAction(kind="await_reply", step="listen", why="let the customer answer", warnings=warnings)
    return _turn(
        state,
        stage,
        action,
        burst=0,
        burst_at=[],
        settled=False,
        reflections=state.reflections + ("reflection" in acts),
        apologised=state.apologised or "apology" in acts,
    )


def resolve(state: PlaybookState, *, fixed: str | None = None) -> Turn:
    """Close the conversation as resolved and draft the follow-up that checks the fix worked."""
    draft = draft_follow_up(state.category, fixed=fixed, references=state.references)
    action = NextAction(kind="follow_up", step="follow_up", why="resolved: heard schedules this follow-up",
                        follow_up=draft)  # fmt: skip
    return _turn(state, "following_up", action)


def merge_frames(told: Complaint | None, new: Complaint | None) -> Complaint | None:
    """The complaint as told so far: the first category, each part where first told, every
    time, amount and reference (the customer adds to their story; they seldom retell it)."""
    if told is None or new is None:
        return told or new

    def union(a: list, b: list) -> list:
        return list(dict.fromkeys(a + b))

    return told.model_copy(
        update={
            "expected": told.expected or new.expected,
            "happened": told.happened or new.happened,
            "impact": told.impact or new.impact,
            "need": told.need or new.need,
            "times": union(told.times, new.times),
            "amounts": union(told.amounts, new.amounts),
            "references": union(told.references, new.references),
            "problems": (told.problems + [p for p in new.problems if p not in told.problems])[:5],
        }
    )
