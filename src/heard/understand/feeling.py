"""The feeling guess an agent would say back ("it sounds like you're feeling let down").

The situation decides before the raw emotion: a missed deadline reads as stressful, a
broken promise as let down, being passed around as frustrated. Rules: ``data/feelings.v1.yaml``.
"""

from __future__ import annotations

import functools
import importlib.resources
from collections.abc import Mapping, Sequence

import yaml

from heard.language import Cue
from heard.understand.upset import LEVELS, Level

RULES = "feelings.v1"


@functools.cache
def _rules() -> list[dict]:
    path = importlib.resources.files("heard.understand") / "data" / f"{RULES}.yaml"
    return yaml.safe_load(path.read_text("utf-8"))["rules"]


def guess_feeling(emotions: Mapping[str, float], cues: Sequence[Cue], level: Level) -> str:
    """The first feeling whose rule fits the level, cues and emotions of a message."""
    kinds = {c.kind for c in cues}
    rank = LEVELS.index(level)
    for rule in _rules():
        if rank < LEVELS.index(rule["min_level"]) or rank > LEVELS.index(rule.get("max_level", LEVELS[-1])):
            continue
        wanted_cues, wanted_emotions = rule.get("cues", []), rule.get("emotions", {})
        if not wanted_cues and not wanted_emotions:
            return rule["feeling"]
        if kinds.intersection(wanted_cues) or any(
            emotions.get(e, 0.0) >= v for e, v in wanted_emotions.items()
        ):
            return rule["feeling"]
    return "calm"
