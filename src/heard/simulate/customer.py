"""What the simulated customer says: lines per event and mood band, never the same twice.

Lines come from the scenario's own ``lines`` for the event, then the shared banks of
``data/lines.v1.yaml``, with the slots filled from the scenario. ``Voice`` remembers what
was said in the session: once a bank is used up, its lines start with one of the persona's
openers or a connective of the band, so a session of 30 turns repeats nothing.
"""

from __future__ import annotations

import functools
import importlib.resources
import random
import re
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from heard.simulate.mood import Band
from heard.simulate.scenario import Scenario

LINES = "lines.v1"
# The events the customer answers, most telling first (one answer per reply, plus reveals).
ANSWERS: tuple[str, ...] = (
    "calm_down", "blamed", "policy_wall", "non_apology", "interrupted", "heated", "correct", "doubt_offer",
    "not_heard_yet", "reject_offer", "offer_low", "confirm", "defensive", "apology_taken", "answer_other",
    "go_on", "stalled",
)  # fmt: skip
_SENTENCE_START = re.compile(r"([.!?]\s+)([a-z])")
ENDINGS = {"resolved": "accept", "escalated": "escalate", "abandoned": "abandon"}


class Bank(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: Literal["lines.v1"]
    connectives: dict[Band, list[str]]
    events: dict[str, dict[Literal["calm", "upset", "angry", "any"], list[str]]]


@functools.cache
def bank() -> Bank:
    """The shared lines (``data/lines.v1.yaml``), read once."""
    path = importlib.resources.files("heard.simulate") / "data" / f"{LINES}.yaml"
    return Bank.model_validate(yaml.safe_load(path.read_text("utf-8")))


def templates(scenario: Scenario, event: str, band: Band) -> list[str]:
    """The lines for an event in a band: the scenario's own first, then the shared ones."""
    shared = bank().events.get(event, {})
    return list(scenario.lines.get(event, [])) + list(shared.get(band, shared.get("any", [])))


class Voice:
    """One customer's voice in one session: picks lines by a seeded order and never repeats one."""

    def __init__(self, scenario: Scenario, rng: random.Random):
        self.scenario = scenario
        self.rng = rng
        self.said: set[str] = set(scenario.opening)
        self.slots = scenario.slots()

    def line(self, event: str, band: Band, **slots: str) -> str:
        """A line for this event and band, not said before in the session."""
        options = templates(self.scenario, event, band)
        if not options:
            raise KeyError(f"no lines for event {event!r} in band {band!r}")
        own = len(self.scenario.lines.get(event, []))  # the customer's own lines come first
        order = self.rng.sample(options[:own], own) + self.rng.sample(options[own:], len(options) - own)
        for template in order:
            text = self._fill(template, slots)
            if text not in self.said:
                return self._say(text)
        openers = self.scenario.persona.openers + bank().connectives[band]
        for opener in self.rng.sample(openers, len(openers)):
            for template in order:
                text = _joined(opener, self._fill(template, slots))
                if text not in self.said:
                    return self._say(text)
        # Every combination said (hundreds of lines): say the bare line again rather than nothing.
        return self._fill(order[0], slots)

    def _fill(self, template: str, slots: dict[str, str]) -> str:
        values = dict(self.slots, **slots)
        if "{gripe}" in template and "gripe" not in slots:
            fresh = [g for g in self.scenario.gripes if g not in self.said]
            values["gripe"] = fresh[0] if fresh else self.scenario.gripes[0]
        if "fact" in values and not re.match(r"I\b", values["fact"]):
            values["fact"] = values["fact"][:1].lower() + values["fact"][1:]
        text = template.format(**values)
        text = _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)
        return text[:1].upper() + text[1:]

    def _say(self, text: str) -> str:
        self.said.add(text)
        return text


def _joined(opener: str, line: str) -> str:
    """'Look,' + 'Nothing else to add.' -> 'Look, nothing else to add.'"""
    if opener[-1:] not in ".!?" and not re.match(r"I\b", line):
        line = line[:1].lower() + line[1:]
    return f"{opener} {line}"
