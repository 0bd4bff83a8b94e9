"""The simulated customer's mood and the rules (``data/mood.v1.yaml``) that move it.

Mood is anger, trust and progress, each 0..1. Each event read from the trainee's reply adds
its changes, scaled by the difficulty (worse changes by ``worse``, better ones by
``better``), and each change carries the reason the trainee sees.

>>> m, changes = move(Mood(anger=0.6, trust=0.4, progress=0.0), ["calm_down"], level("medium"))
>>> round(m.anger, 2), changes[0].what, changes[0].reason.startswith('"calm down"')
(0.9, 'anger', True)
"""

from __future__ import annotations

import functools
import importlib.resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

MOOD = "mood.v1"
Band = Literal["calm", "upset", "angry"]
BANDS: tuple[str, ...] = Band.__args__  # type: ignore[attr-defined]


class Mood(BaseModel):
    """How the simulated customer feels: each 0..1."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    anger: float = Field(ge=0, le=1)
    trust: float = Field(ge=0, le=1)
    progress: float = Field(ge=0, le=1, description="How far towards a resolution they feel.")


class MoodChange(BaseModel):
    """One change of the mood, with why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    what: Literal["anger", "trust", "progress"]
    delta: float
    reason: str
    event: str = Field(description="The event read from the reply (data/mood.v1.yaml).")


class Level(BaseModel):
    """What a difficulty changes (data/mood.v1.yaml, difficulties)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: dict[Literal["anger", "trust", "progress"], float]
    better: float = Field(gt=0)
    worse: float = Field(gt=0)
    needs_heard: int = Field(ge=0)
    rejects_first_offer: bool
    accept_below: float = Field(gt=0, le=1)
    escalate_at: float = Field(gt=0, le=1)
    abandon_below: float = Field(ge=0, lt=1)
    patience: int = Field(ge=1)
    max_turns: int = Field(ge=1)


class Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    reason: str
    anger: float = 0.0
    trust: float = 0.0
    progress: float = 0.0


class Rules(BaseModel):
    """The mood rules file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: Literal["mood.v1"]
    bands: dict[Literal["calm", "angry"], float]
    burst: dict[Literal["two_lines", "three_lines"], float]
    heard_enough: float
    asked_by_meaning: float = Field(gt=0, le=1)
    events: dict[str, Rule]
    difficulties: dict[Literal["easy", "medium", "hard"], Level]
    offer_words: dict[str, list[str]]


@functools.cache
def rules() -> Rules:
    """The mood rules (``data/mood.v1.yaml``), read once."""
    path = importlib.resources.files("heard.simulate") / "data" / f"{MOOD}.yaml"
    return Rules.model_validate(yaml.safe_load(path.read_text("utf-8")))


def level(difficulty: str) -> Level:
    """The parameters of a difficulty (easy, medium, hard)."""
    return rules().difficulties[difficulty]  # type: ignore[index]


def band(mood: Mood) -> Band:
    """The band that picks the customer's lines: calm, upset or angry."""
    b = rules().bands
    return "calm" if mood.anger < b["calm"] else "angry" if mood.anger >= b["angry"] else "upset"


def starting(anger: float, trust: float, progress: float, lvl: Level) -> Mood:
    """The scenario's starting mood at this difficulty."""
    return Mood(
        anger=_clip(anger + lvl.start.get("anger", 0.0)),
        trust=_clip(trust + lvl.start.get("trust", 0.0)),
        progress=_clip(progress + lvl.start.get("progress", 0.0)),
    )


def move(mood: Mood, events: list[str], lvl: Level) -> tuple[Mood, list[MoodChange]]:
    """The mood after these events, and each change with its reason."""
    values = mood.model_dump()
    changes: list[MoodChange] = []
    for event in events:
        rule = rules().events[event]
        for what in ("anger", "trust", "progress"):
            delta = getattr(rule, what)
            if not delta:
                continue
            worse = (what == "anger") == (delta > 0)
            if what != "progress":
                delta *= lvl.worse if worse else lvl.better
            new = _clip(values[what] + delta)
            if new != values[what]:
                changes.append(
                    MoodChange(what=what, delta=round(new - values[what], 3), reason=rule.reason, event=event)
                )
                values[what] = new
    return Mood(**values), changes


def _clip(x: float) -> float:
    return round(min(1.0, max(0.0, x)), 4)
