"""A practice session: a trainee replies, the simulated customer's mood moves and they answer.

Pure and deterministic: the same scenario, difficulty, seed and replies (with their times)
give the same session, so a stored session is its replies (``Practice.replay``). Times are
seconds from the session's start, as the fold's burst rule reads them.

>>> from heard.simulate.scenario import load_scenarios
>>> p = Practice.start(load_scenarios()["retail_missed_sofa"], difficulty="easy", seed=7)
>>> t = p.reply("Calm down, that is our policy.", at=60)
>>> "calm_down" in t.events and t.mood.anger > p.start_mood.anger
True
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from heard.errors import Conflict, EmptyText, InvalidTranscript, NotText, ScenarioError, TooLarge
from heard.respond.situation import Situation, situation_of
from heard.simulate.coaching import Debrief, debrief
from heard.simulate.customer import ANSWERS, ENDINGS, Voice
from heard.simulate.mood import Level, Mood, MoodChange, band, level, move, rules, starting
from heard.simulate.phrasing import Phrasing, rephrase
from heard.simulate.reading import read_reply
from heard.simulate.scenario import DIFFICULTIES, Scenario
from heard.understand import Analysis, analyze
from heard.understand.conversation import Message

Ending = Literal["resolved", "escalated", "abandoned"]
MAX_REPLY_CHARS = 5_000
# Which lines answer an event (events without one are answered by the next in ANSWERS).
_ANSWER_OF = {
    "calm_down": "calm_down", "blame": "blamed", "policy_wall": "policy_wall", "non_apology": "non_apology",
    "interrupted": "interrupted", "heated": "heated", "wrong_reflection": "correct",
    "offer_beyond_policy": "doubt_offer", "offer_early": "not_heard_yet", "offer_rejected": "reject_offer",
    "offer_low": "offer_low", "good_reflection": "confirm", "defensive": "defensive",
    "apologised": "apology_taken", "asked_other": "answer_other", "acknowledged": "go_on", "owned": "go_on",
    "stalled": "stalled",
}  # fmt: skip
_BETTER = {"good_reflection", "apologised", "acknowledged", "owned", "asked_hidden", "offer_accepted",
           "offer_rejected"}  # fmt: skip


class Line(BaseModel):
    """One message of the customer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    at: float = Field(description="Seconds from the session's start.")


class PracticeTurn(BaseModel):
    """What one reply of the trainee did."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    number: int = Field(description="The trainee's reply number, from 1.")
    reply: str
    at: float
    customer: list[Line] = Field(description="The customer's answer: a burst when angry; [] when none.")
    mood: Mood
    changes: list[MoodChange] = Field(description="Why the mood moved.")
    events: list[str] = Field(description="What heard read in the reply (data/mood.v1.yaml events).")
    revealed: list[str] = Field(default=[], description="Hidden facts (ids) the customer gave this turn.")
    ended: Ending | None = None


@functools.lru_cache(maxsize=64)
def story_reading(text: str) -> Analysis:
    """The customer's opening read once per scenario: the review judges replies against it."""
    return analyze(text)


class Practice:
    """One practice session with a simulated customer."""

    def __init__(self, scenario: Scenario, difficulty: str, seed: int, phrasing: Phrasing | None = None):
        if difficulty not in scenario.difficulties:
            allowed = ", ".join(scenario.difficulties)
            raise ScenarioError(f"difficulty {difficulty!r} is not one of this scenario's: {allowed}")
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ScenarioError(f"seed must be a whole number, not {seed!r}")
        self.scenario, self.difficulty, self.seed = scenario, difficulty, seed
        change = scenario.levels.get(difficulty)  # type: ignore[call-overload]
        own = change.model_dump(exclude_none=True) if change else {}
        self.level: Level = level(difficulty).model_copy(update=own)
        self.phrasing = phrasing
        self.rng = random.Random(f"{scenario.id}:{difficulty}:{seed}")
        self.voice = Voice(scenario, self.rng)
        self.start_mood = starting(
            scenario.mood.anger, scenario.mood.trust, scenario.mood.progress, self.level
        )
        self.mood = self.start_mood
        self.turns: list[PracticeTurn] = []
        self.revealed: list[str] = []
        self.heard = 0  # good reflections so far
        self.apologised = False
        self.rejected = False  # a hard customer has turned down an offer
        self.stalled = 0  # turns in a row with nothing better
        self.ended: Ending | None = None
        self._messages: list[Message] = []
        self._acts: list[list[str]] = []
        at, self.opening = 0.0, []
        for text in scenario.opening:
            self.opening.append(Line(text=text, at=at))
            at += self.rng.uniform(8, 20)
        self._messages = [Message(role="customer", text=ln.text, at=ln.at) for ln in self.opening]

    @classmethod
    def start(
        cls,
        scenario: Scenario,
        difficulty: str = "medium",
        seed: int = 0,
        *,
        phrasing: Phrasing | None = None,
    ) -> Practice:
        """Start a session: the customer's opening burst is in ``opening``."""
        if difficulty not in DIFFICULTIES:
            raise ScenarioError(f"difficulty must be one of {', '.join(DIFFICULTIES)}, not {difficulty!r}")
        return cls(scenario, difficulty, seed, phrasing)

    @classmethod
    def replay(
        cls, scenario: Scenario, difficulty: str, seed: int, replies: Iterable[tuple[str, float | None]]
    ) -> Practice:
        """Rebuild a session from its replies (text, at): the same session, turn for turn."""
        p = cls.start(scenario, difficulty, seed)
        for text, at in replies:
            p.reply(text, at=at)
        return p

    @property
    def transcript(self) -> list[dict]:
        """The conversation as ``heard.score_conversation`` takes it: role, text, at (seconds)."""
        return [{"role": m.role, "text": m.text, "at": m.at} for m in self._messages]

    @property
    def replies(self) -> list[tuple[str, float]]:
        """The trainee's replies with their times: all ``Practice.replay`` needs to rebuild it."""
        return [(t.reply, t.at) for t in self.turns]

    @property
    def last_at(self) -> float:
        """When the last message (the customer's, usually) was sent: a reply's time is after it."""
        return self._messages[-1].at or 0.0

    def reply(self, text: str, at: float | None = None) -> PracticeTurn:
        """The trainee sends ``text`` at ``at`` seconds (default: 45 s after the last message)."""
        if self.ended is not None:
            raise Conflict(f"this session has ended ({self.ended}); start a new one")
        if not isinstance(text, str):
            raise NotText(f"a reply is text, not {type(text).__name__}")
        if not text.strip():
            raise EmptyText("the reply is empty; write what you would send the customer")
        if len(text) > MAX_REPLY_CHARS:
            raise TooLarge(f"the reply has {len(text)} characters; keep it under {MAX_REPLY_CHARS}")
        at = self._when(at)
        number = len(self.turns) + 1
        read = read_reply(
            text, scenario=self.scenario, situation=self._situation(), conversation=self._messages, at=at,
            unrevealed=[h.id for h in self.scenario.hidden if h.id not in self.revealed],
        )  # fmt: skip
        events = list(read.events)
        if "good_reflection" in events and any(t.reply.strip() == text.strip() for t in self.turns):
            events.remove("good_reflection")  # the same words again are not hearing them again
        if "good_reflection" in events:
            self.heard += 1
        if "apologised" in events:
            self.apologised = True
        mood, changes = move(self.mood, events, self.level)
        offer = self._offer(read.offers, read.fair, events, mood)
        if not events and not offer:
            offer = ["stalled"]
        mood, more = move(mood, offer, self.level)
        events += offer
        changes += more
        self.stalled = 0 if _BETTER & set(events) else self.stalled + 1
        self.mood = mood
        self.revealed += read.asks
        self.ended = self._ending(events, number)
        self._messages.append(Message(role="agent", text=text, at=at))
        self._acts.append(read.acts)
        lines = self._answer(events, read.asks, at)
        self._messages += [Message(role="customer", text=ln.text, at=ln.at) for ln in lines]
        turn = PracticeTurn(
            number=number, reply=text, at=at, customer=lines, mood=mood, changes=changes, events=events,
            revealed=read.asks, ended=self.ended,
        )  # fmt: skip
        self.turns.append(turn)
        return turn

    def debrief(self) -> Debrief:
        """The scorecard, the turning points and one tip per missed step."""
        return debrief(self)

    # -- the rules of a turn -------------------------------------------------------------

    def _when(self, at: float | None) -> float:
        """The reply's time: never before the trainee's last reply; a reply sent before the
        customer's last line reads as sent right at it (it cut in, the burst rule says)."""
        if at is None:
            return round(self.last_at + 45.0, 1)
        if isinstance(at, bool) or not isinstance(at, int | float) or not math.isfinite(at) or at < 0:
            raise InvalidTranscript(f"at: expected seconds from the session's start (>= 0), got {at!r}")
        before = self.turns[-1].at if self.turns else 0.0
        if at < before:
            raise InvalidTranscript(
                f"at: {at} is before your previous reply ({before}); times only go forward"
            )
        return float(max(at, self.last_at))

    def _situation(self) -> Situation:
        """Where the conversation stands for the review: the customer's story, the replies' acts."""
        story = "\n".join(self.scenario.opening)
        return situation_of(
            story, story_reading(story), earlier=[], agent_acts=self._acts, category=self.scenario.category
        )

    def _offer(self, offers: list[str], fair: bool, events: list[str], mood: Mood) -> list[str]:
        """What an offer does, given how the customer feels now."""
        if not offers or "offer_beyond_policy" in events:
            return []
        owed = ["apology_missing"] if self.scenario.fault == "company" and not self.apologised else []
        if not fair:
            return ["offer_low", *owed]
        if self.heard < self.level.needs_heard or mood.anger >= self.level.accept_below:
            return ["offer_early", *owed]
        if self.level.rejects_first_offer and not self.rejected:
            self.rejected = True
            return ["offer_rejected", *owed]
        return ["offer_accepted"]

    def _ending(self, events: list[str], number: int) -> Ending | None:
        if "offer_accepted" in events:
            return "resolved"
        if self.mood.anger >= self.level.escalate_at:
            return "escalated"
        if (
            self.mood.trust <= self.level.abandon_below
            or self.stalled >= self.level.patience
            or number >= self.level.max_turns
        ):
            return "abandoned"
        return None

    def _answer(self, events: list[str], asks: list[str], at: float) -> list[Line]:
        """The customer's lines: the answer to what stood out, hidden facts asked for, venting."""
        mood_band = band(self.mood)
        texts: list[str] = []
        if self.ended == "resolved":
            texts.append(self.voice.line("accept", mood_band))
        else:
            answers = [_ANSWER_OF[e] for e in events if e in _ANSWER_OF]
            first = min(answers, key=ANSWERS.index, default=None)
            if first and not (asks and first in ("answer_other", "go_on", "stalled")):
                texts.append(self.voice.line(first, mood_band))
            facts = {h.id: h.fact for h in self.scenario.hidden}
            texts += [self.voice.line("reveal", mood_band, fact=facts[i]) for i in asks]
            if self.ended is not None:
                texts.append(self.voice.line(ENDINGS[self.ended], mood_band))
            elif mood_band != "calm":
                burst = rules().burst
                size = (
                    3
                    if self.mood.anger >= burst["three_lines"]
                    else 2
                    if self.mood.anger >= burst["two_lines"]
                    else 1
                )
                while len(texts) < size:
                    texts.append(self.voice.line("vent", mood_band))
        if self.phrasing is not None:
            texts = [rephrase(t, self.scenario, self.phrasing) for t in texts]
        lines, t = [], at
        for text in texts:
            t += self.rng.uniform(6, 18)
            lines.append(Line(text=text, at=round(t, 1)))
        return lines
