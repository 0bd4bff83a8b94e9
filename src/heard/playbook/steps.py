"""The playbook's eleven steps as data (``data/steps.v1.yaml``): one list every layer names.

>>> [s.id for s in playbook_steps()][:3]
['stay_calm', 'listen', 'acknowledge']
>>> step("apologise").number
4
"""

from __future__ import annotations

import functools
import importlib.resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

STEPS = "steps.v1"

StepId = Literal[
    "stay_calm", "listen", "acknowledge", "apologise", "ask_details", "show_empathy",
    "avoid_interruptions", "take_responsibility", "offer_solutions", "follow_up", "learn",
]  # fmt: skip


class Step(BaseModel):
    """One step of the de-escalation playbook."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: StepId
    number: int
    name: str
    does: str


@functools.cache
def playbook_steps() -> tuple[Step, ...]:
    """The steps in playbook order, read once from ``data/steps.v1.yaml``."""
    path = importlib.resources.files("heard.playbook") / "data" / f"{STEPS}.yaml"
    return tuple(Step(**s) for s in yaml.safe_load(path.read_text("utf-8"))["steps"])


def step(step_id: str) -> Step:
    """The step with this id; raises ``KeyError`` naming the known ids otherwise."""
    for s in playbook_steps():
        if s.id == step_id:
            return s
    raise KeyError(f"no playbook step {step_id!r}; known: {', '.join(s.id for s in playbook_steps())}")
