"""How upset the writer is, 0..1, and the level an agent would name.

Combines the emotion model with the cues customers use (``heard.language.cues``) in one
logistic score whose weights live in ``data/upset.v1.yaml``.
"""

from __future__ import annotations

import functools
import importlib.resources
import math
from collections.abc import Mapping, Sequence
from typing import Literal

import yaml

from heard.language import PROBLEM_KINDS, Cue

RULES = "upset.v1"

Level = Literal["calm", "concerned", "upset", "angry", "furious"]
LEVELS: tuple[Level, ...] = ("calm", "concerned", "upset", "angry", "furious")

# Cues whose weight scales with their measured strength rather than counting as present.
_GRADED = {"shouting", "exclamations"}


@functools.cache
def _rules() -> dict:
    path = importlib.resources.files("heard.understand") / "data" / f"{RULES}.yaml"
    return yaml.safe_load(path.read_text("utf-8"))


def measure_upset(
    emotions: Mapping[str, float],
    cues: Sequence[Cue],
    *,
    sarcastic: bool = False,
    problem: bool = False,
    chars: int = 0,
) -> float:
    """Return how upset the writer is, 0 (calm) to 1 (furious); ``problem``: the complaint
    frame found something that went wrong; ``chars``: the length of the text."""
    rules = _rules()
    weighted = sorted((w * emotions.get(label, 0.0) for label, w in rules["emotions"].items()), reverse=True)
    stated = max((c.strength for c in cues if c.kind == "upset_word"), default=0.0)
    others = sum(weighted[1 : 1 + rules["others_count"]])
    strongest, others = max(weighted[0], stated), min(weighted[0], stated) + others
    z = rules["bias"] + rules["strongest_weight"] * strongest + rules["others_weight"] * others

    troubles = sum(1 for c in cues if c.kind == "trouble")
    cue_sum = rules["trouble_each"] * min(troubles, rules["trouble_cap"])
    strongest_cue: dict[str, float] = {}
    for cue in cues:
        value = cue.strength if cue.kind in _GRADED else 1.0
        strongest_cue[cue.kind] = max(strongest_cue.get(cue.kind, 0.0), value)
    if not sarcastic:
        strongest_cue.pop("sarcasm", None)
    situation = set(strongest_cue) & set(rules["cues"]) - set(rules["intensity"])
    # Capitals and "!!!" make louder whatever is felt: with a grievance they read as anger,
    # with joy ("GAME DAY!!!") they do not. The gate opens with the negative feeling found.
    wrong = bool(situation & PROBLEM_KINDS) or troubles > 0 or problem
    negative = max(strongest, rules["gate_problem"] if wrong else 0.0)
    gate = min(1.0, rules["gate_floor"] + rules["gate_slope"] * negative)
    for kind, value in strongest_cue.items():
        if kind in rules["intensity"]:
            z += rules["cues"][kind] * value * gate
        else:
            cue_sum += rules["cues"].get(kind, 0.0) * value
    if problem and not situation:
        cue_sum += rules["problem"]  # a problem the lexicon had no word for
    # A long letter names more situations (and its emotion windows get more chances to
    # peak) than a tweet as upset: situation cues weigh less as the text grows.
    cue_sum *= _length_factor(chars, rules["length"])
    cap = rules["cue_cap"]
    z += cap * (1 - math.exp(-cue_sum / cap)) if cue_sum > 0 else cue_sum
    # Warm feelings (thanks, relief, joy) with nothing wrong said pull the score down.
    warm = max((emotions.get(label, 0.0) for label in rules["warm"]), default=0.0)
    grievance = situation | (set(strongest_cue) & {"upset_word", "profanity", "sarcasm"})
    if not grievance and strongest < 0.5:
        z += rules["warm_without_grievance"] * max(warm, 1.0 if "gratitude" in strongest_cue else 0.0)
    else:  # praise beside a complaint ("amazing, they gave me a credit") still softens it a little
        z += rules["warm_with_grievance"] * warm
    upset = 1.0 / (1.0 + math.exp(-z))
    if "loss" in situation and len(situation & PROBLEM_KINDS) > 1:
        upset = max(upset, rules["loss_with_problem_floor"])  # money or time lost to a fault
    return upset


def _length_factor(chars: int, rule: Mapping[str, float]) -> float:
    """1 up to ``rule["full"]`` characters, then less by ``rule["per_doubling"]`` each time the length doubles."""
    if chars <= rule["full"]:
        return 1.0
    return 1.0 / (1.0 + rule["per_doubling"] * math.log2(chars / rule["full"]))


def level_floors() -> dict[Level, float]:
    """The upset score at which each level starts, calm first.

    >>> level_floors()["angry"]
    0.6
    """
    return dict(_rules()["levels"])


def level_of(upset: float) -> Level:
    """The level name for an upset score."""
    level: Level = "calm"
    for name, floor in _rules()["levels"].items():
        if upset >= floor:
            level = name
    return level
