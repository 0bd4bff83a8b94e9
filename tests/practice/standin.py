"""A tiny stand-in for ``heard.simulate`` (the shared contract of issue 18), used only until the
real package lands: deterministic, with a mood that moves on an apology or a question."""

from __future__ import annotations

import random

import yaml
from pydantic import BaseModel

from heard.errors import HeardError
from heard.playbook import score_conversation


class ScenarioError(HeardError, ValueError):
    code = "H113"


class Scenario(BaseModel):
    id: str
    title: str
    domain: str
    difficulties: tuple[str, ...] = ("easy", "medium", "hard")
    opening: list[str]


class Line(BaseModel):
    text: str
    at: float


class Mood(BaseModel):
    anger: float
    trust: float
    progress: float


class MoodChange(BaseModel):
    what: str
    delta: float
    reason: str


class PracticeTurn(BaseModel):
    number: int
    reply: str
    at: float
    customer: list[Line]
    mood: Mood
    changes: list[MoodChange]
    ended: str | None


class Tip(BaseModel):
    step: str
    why: str
    better_line: str


class Debrief(BaseModel):
    scorecard: object
    turning_points: list[tuple[int, str]]
    tips: list[Tip]


SHIPPED = {
    "parcel_late": Scenario(
        id="parcel_late",
        title="A parcel three days late",
        domain="retail_delivery",
        opening=["My parcel is three days late and nobody tells me anything.", "This is the third time!"],
    )  # fmt: skip
}


def load_scenarios() -> dict[str, Scenario]:
    return dict(SHIPPED)


def parse_scenario(text: str) -> Scenario:
    try:
        data = yaml.safe_load(text)
        return Scenario.model_validate(data)
    except Exception as e:  # noqa: BLE001 - a stand-in
        raise ScenarioError(f"id: {type(e).__name__}") from None


class Practice:
    def __init__(self, sc: Scenario, difficulty: str, seed: int) -> None:
        self.sc, self.difficulty, self.rng = sc, difficulty, random.Random(seed)
        self.mood = Mood(anger=0.8, trust=0.2, progress=0.0)
        self.opening = [Line(text=t, at=float(i * 2)) for i, t in enumerate(sc.opening)]
        self.transcript = [{"role": "customer", "text": t.text, "at": t.at} for t in self.opening]
        self.turns = 0

    @classmethod
    def start(cls, sc: Scenario, *, difficulty: str, seed: int) -> Practice:
        return cls(sc, difficulty, seed)

    @classmethod
    def replay(cls, sc, difficulty, seed, replies):
        p = cls(sc, difficulty, seed)
        for text, at in replies:
            p.reply(text, at=at)
        return p

    def reply(self, text: str, *, at: float) -> PracticeTurn:
        self.transcript.append({"role": "agent", "text": text, "at": at})
        changes = []
        if "sorry" in text.lower():
            changes.append(MoodChange(what="anger", delta=-0.3, reason="you apologised"))
        if "?" in text:
            changes.append(MoodChange(what="progress", delta=0.4, reason="you asked for the facts"))
        if not changes:
            changes.append(MoodChange(what="anger", delta=0.1, reason="nothing you said helped"))
        m = self.mood.model_dump()
        for c in changes:
            m[c.what] = min(1.0, max(0.0, round(m[c.what] + c.delta, 2)))
        self.mood = Mood(**m)
        ended = "resolved" if m["progress"] >= 0.8 else ("escalated" if m["anger"] >= 1.0 else None)
        said = f"Line {self.rng.randint(1, 10_000)}."
        customer = [Line(text=said, at=at + 5)]
        self.transcript.append({"role": "customer", "text": said, "at": at + 5})
        self.turns += 1
        return PracticeTurn(number=self.turns, reply=text, at=at, customer=customer, mood=self.mood,
                            changes=changes, ended=ended)  # fmt: skip

    def debrief(self) -> Debrief:
        card = score_conversation(self.transcript)
        tips = [
            Tip(step=s.step, why="missed", better_line="I'm sorry.")
            for s in card.steps
            if s.status == "missed"
        ]
        return Debrief(scorecard=card, turning_points=[(1, "the first reply")], tips=tips)


def install(monkeypatch) -> None:
    """Put the stand-in's names on ``heard.simulate`` (only where the real ones are missing)."""
    import heard.simulate

    if hasattr(heard.simulate, "Practice"):
        return
    for name in ("load_scenarios", "parse_scenario", "Practice", "ScenarioError", "Scenario"):
        monkeypatch.setattr(heard.simulate, name, globals()[name], raising=False)
