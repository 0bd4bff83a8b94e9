"""``score_conversation``: a scorecard of a whole conversation against the playbook.

Each step is *done*, *missed* or *not needed*, with the evidence (the agent's words, or why
the step did not apply). The score is the weighted share of needed steps done, 0..100
(``data/scoring.v1.yaml``: hearing the customer, owning the problem and a real apology weigh
most; a step done only in part earns part of its weight), with one more share for the outcome
in the customer's own words: how far their distress fell from its peak to their closing
messages (``settled``). The customer's upset is followed from their first message to their
peak and their last; the conversation *de-escalated* when the customer wrote again after an
agent reply that followed the peak, the last message is below the peak and reads calm or
concerned, and is not resignation ("Whatever.", "forget it") (None when the customer was
never upset: there was nothing to bring down).

Interruptions. Chat: an agent message sent while the customer was mid-burst, by the one rule
(``heard.understand.conversation.interrupts``) the live review and the state machine use; only
timed messages are judged. Calls: an
agent segment that starts while a customer segment is under way; any overlap is overtalk; a
gap of ``SILENCE`` seconds or more with nobody speaking is listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from heard._version import __version__
from heard.playbook.steps_done import StepResult, judge_steps, scoring
from heard.playbook.transcript import Segment, read_transcript
from heard.respond import ActReading, read_acts
from heard.understand import Analysis, analyze
from heard.understand.conversation import Message, interrupts

SILENCE = 8.0  # seconds of nobody speaking on a call worth listing
OVERLAP_GRACE = 0.3  # seconds: back-channel overlap shorter than this is not an interruption
UPSET = ("upset", "angry", "furious")


class Upset(BaseModel):
    """The customer's upset (0..1) over their messages."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    first: float
    peak: float
    last: float
    peak_message: int = Field(description="Number (from 1) of the message where upset peaked.")
    levels: list[str] = Field(description="The level of each customer message, in order.")


class Interruption(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    message: int = Field(description="Number (from 1) of the agent's message or turn that interrupted.")
    at: float | None = Field(description="When, in seconds (as the transcript's times).")
    text: str


class Silence(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    start: float
    seconds: float


class Scorecard(BaseModel):
    """How an agent followed the playbook over one conversation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["chat", "call"]
    score: int = Field(
        ge=0,
        le=100,
        description="Weighted share of the needed steps that were done, 0..100 (data/scoring.v1.yaml).",
    )
    steps: list[StepResult]
    upset: Upset | None = Field(description="None when the customer said nothing.")
    deescalated: bool | None = Field(
        description="Upset fell from its peak to calm or concerned; None: never upset."
    )
    interruptions: list[Interruption]
    overtalk_seconds: float = Field(description="Calls: seconds both spoke at once.")
    silences: list[Silence] = Field(description="Calls: gaps with nobody speaking.")
    messages: int
    produced_by: dict[str, str]


def chat_interruptions(messages: Sequence[Message]) -> list[Interruption]:
    found = []
    for k, agent in enumerate(messages):
        if agent.role != "agent" or agent.at is None or k == 0 or messages[k - 1].role != "customer":
            continue
        if interrupts(messages[:k], at=agent.at):
            found.append(Interruption(message=k + 1, at=agent.at, text=agent.text))
    return found


def call_timing(segments: Sequence[Segment], turns: Sequence[Message]):
    """Agent interruptions, seconds of overtalk and long silences of a call."""
    interruptions, overtalk, silences = [], 0.0, []
    customer = [s for s in segments if s.role == "customer"]
    for s in segments:
        if s.role != "agent":
            continue
        for c in customer:
            overlap = min(s.end, c.end) - max(s.start, c.start)
            if overlap > 0:
                overtalk += overlap
            if c.start < s.start < c.end - OVERLAP_GRACE:
                turn = max(
                    (k for k, t in enumerate(turns) if t.role == "agent" and t.at <= s.start), default=0
                )
                interruptions.append(Interruption(message=turn + 1, at=s.start, text=s.text))
                break
    spoken_until = None
    for s in segments:
        if spoken_until is not None and s.start - spoken_until >= SILENCE:
            silences.append(Silence(start=round(spoken_until, 2), seconds=round(s.start - spoken_until, 2)))
        spoken_until = s.end if spoken_until is None else max(spoken_until, s.end)
    return interruptions, round(overtalk, 2), silences


def weighted_score(steps: Sequence[StepResult], settled: float | None = None) -> int:
    """The weighted share of needed steps done, 0..100 (100 when nothing was needed), with the
    outcome (``settled``, 0..1; None: nothing to settle) as one more share of its own weight."""
    rules = scoring()
    needed = [(s, rules["weights"].get(s.step, 1.0)) for s in steps if s.status != "not_needed"]
    total = sum(w for _, w in needed)
    got = sum(w * (rules["partial"] if s.partial else 1.0) for s, w in needed if s.status == "done")
    if settled is not None:
        total += rules["outcome"]
        got += rules["outcome"] * settled
    if not total:
        return 100
    return round(100 * got / total)


def distress(a: Analysis) -> float:
    """How distressed a customer message reads, 0..1: its upset or strongest distress emotion,
    less its strongest relief emotion ("thank you, that really helps")."""
    rules = scoring()
    low = max(a.emotions.get(e, 0.0) for e in rules["distress"])
    eased = max(a.emotions.get(e, 0.0) for e in rules["relief"])
    return min(1.0, max(0.0, max(a.upset, low) - eased))


def settled(customer: Sequence[tuple[int, Analysis]], messages: Sequence[Message]) -> float | None:
    """How far the customer's distress fell, in their own later messages, from its peak to
    their closing messages, as a share of the peak (0..1). Only messages written after an
    agent reply that followed the peak count (the agent must have had a turn to move them);
    resignation at the close settles nothing. None, left out of the score, when the distress
    never reached ``troubled`` or the customer has not written since such a reply (not known yet)."""
    rules = scoring()
    if not customer:
        return None
    values = [distress(a) for _, a in customer]
    peak = max(range(len(values)), key=values.__getitem__)
    answered = next(
        (k + 1 for k, m in enumerate(messages) if m.role == "agent" and k + 1 > customer[peak][0]), 0
    )
    later = [v for (n, _), v in zip(customer, values, strict=True) if answered and n > answered]
    if values[peak] < rules["troubled"] or not later:
        return None
    if rules["resigned"].search(messages[customer[-1][0] - 1].text.strip()):
        return 0.0
    closing = later[-rules["closing_messages"] :]
    return max(0.0, values[peak] - sum(closing) / len(closing)) / values[peak]


def _upset(
    analyses: list[tuple[int, Analysis]], messages: Sequence[Message]
) -> tuple[Upset | None, bool | None]:
    if not analyses:
        return None, None
    values = [a.upset for _, a in analyses]
    peak = max(range(len(values)), key=values.__getitem__)
    upset = Upset(
        first=values[0], peak=values[peak], last=values[-1], peak_message=analyses[peak][0],
        levels=[a.level for _, a in analyses],
    )  # fmt: skip
    if not any(a.level in UPSET for _, a in analyses):
        return upset, None
    n_last, last = analyses[-1]
    if scoring()["resigned"].search(messages[n_last - 1].text.strip()):
        return upset, False  # "Whatever." reads calm, but the customer has given up
    # Calm shows in the customer's own words after the agent answered the peak, not before.
    answered = any(m.role == "agent" for m in messages[analyses[peak][0] : n_last - 1])
    return upset, answered and last.level in ("calm", "concerned") and values[-1] < values[peak]


def score_conversation(
    transcript: object,
    *,
    analyses: Sequence[Analysis] | None = None,
    readings: Sequence[ActReading] | None = None,
) -> Scorecard:
    """Score a whole conversation against the playbook.

    Args:
        transcript: a chat as a list of messages ``{"role", "text", "at"?}`` (or
            ``{"messages": [...]}``), a call as ``{"segments": [{"role", "text", "start", "end"}]}``,
            or a ``Transcript`` (``heard.playbook.load_transcript`` reads JSON and CSV files).
        analyses: the customer messages' analyses, in order, when they are known already (the
            service and ``heard import`` store them): no message is analysed twice.
        readings: the agent messages' act readings, in order, when stored (the service stores
            them): no reply is read twice.

    Raises:
        InvalidTranscript: the transcript is malformed; the message names the field.
        ValueError: ``analyses`` does not hold one analysis per customer message.
    """
    t = read_transcript(transcript)
    messages = t.messages
    said = [k + 1 for k, m in enumerate(messages) if m.role == "customer"]
    if analyses is None:
        customer = [(n, analyze(messages[n - 1].text)) for n in said]
    elif len(analyses) != len(said):
        raise ValueError(f"{len(analyses)} analyses for {len(said)} customer messages")
    else:
        customer = list(zip(said, analyses, strict=True))
    replies = [(k + 1, m.text) for k, m in enumerate(messages) if m.role == "agent"]
    if readings is None:
        agent = [(n, text, read_acts(text)) for n, text in replies]
    elif len(readings) != len(replies):
        raise ValueError(f"{len(readings)} act readings for {len(replies)} agent messages")
    else:
        agent = [(n, text, r) for (n, text), r in zip(replies, readings, strict=True)]
    if t.kind == "call":
        interruptions, overtalk, silences = call_timing(t.segments, messages)
    else:
        interruptions, overtalk, silences = chat_interruptions(messages), 0.0, []
    upset, deescalated = _upset(customer, messages)
    steps = judge_steps(t, customer, agent, interruptions)
    score = weighted_score(steps, settled(customer, messages))
    return Scorecard(
        kind=t.kind,
        score=score,
        steps=steps,
        upset=upset,
        deescalated=deescalated,
        interruptions=interruptions,
        overtalk_seconds=overtalk,
        silences=silences,
        messages=len(messages),
        produced_by={"heard": __version__, "playbook": "steps.v1", "review": "review.v1"},
    )


def most_missed(cards: Sequence[Scorecard]) -> list[tuple[str, int]]:
    """The playbook steps missed over several scorecards, most often missed first (ties in
    playbook order), with how many conversations missed each; steps never missed are left out."""
    order = {s.step: i for i, s in enumerate(cards[0].steps)} if cards else {}
    counts: dict[str, int] = {}
    for card in cards:
        for s in card.steps:
            if s.status == "missed":
                counts[s.step] = counts.get(s.step, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], order.get(kv[0], 0)))
