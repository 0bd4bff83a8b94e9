"""``acts``: what an agent's reply does: reflects, asks, apologises, owns, explains, defends ...

Each sentence of the reply is read on its own: its sentence embedding (the shipped
all-MiniLM-L6-v2 encoder, ``heard.language.embed``) and a few dozen interpretable lexical cues
(``data/act_cues.v1.yaml``) go through one logistic regression per act, trained on replies
heard's authors wrote and labelled (``models/acts/MODEL_CARD.md``). A reply does an act when
one of its sentences does. Thresholds are folded into the weights, so an act is *present*
exactly when its value is >= 0.5.

Rules then handle the hard negatives the playbook cares about, where one word turns an act
around: "sorry you feel that way" and "sorry for any inconvenience" are no apology, "that's
our policy" and "there's nothing I can do" are a defensive wall and take no responsibility, "I understand, but that's our policy" is
no acknowledgement, "you should have received an email" is no blame, "you should have booked
earlier" (blame) is no solution, and "what do you
expect me to do?" is no question.

    >>> a = acts("I'm so sorry, that must have been awful. What happened next?")
    >>> [k for k in ("apology", "empathy", "question_open") if a[k] >= 0.5]
    ['apology', 'empathy', 'question_open']
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import math
import re
from pathlib import Path
from typing import Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field

from heard._version import __version__
from heard.errors import ModelMissing
from heard.language import sentence_spans
from heard.language.encoder import DIMENSIONS, load_encoder
from heard.understand.analysis import prepare_text

MODEL = "acts.v1"
CUES = "act_cues.v1"
MAX_CHARS = 10_000
EMBEDDING_SIZE = DIMENSIONS  # a sentence's features: its embedding first, then its cues

Act = Literal[
    "reflection", "question", "question_open", "question_closed", "acknowledgement", "apology",
    "empathy", "ownership", "solution", "information", "self_disclosure", "defensive",
    "dismissive", "blame", "deflection", "follow_up", "gratitude", "closing",
]  # fmt: skip
ACTS: tuple[str, ...] = Act.__args__  # type: ignore[attr-defined]

_QUESTIONS = ("question", "question_open", "question_closed")
_HEAT = ("defensive", "dismissive", "blame")
# The act is turned around by a rule: the value is capped just below "present".
_CAP = 0.2


@functools.cache
def act_cues() -> tuple[tuple[str, re.Pattern], ...]:
    """The lexical cues, compiled once (``data/act_cues.v1.yaml``)."""
    path = importlib.resources.files("heard.respond") / "data" / f"{CUES}.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    return tuple((name, re.compile(pattern, re.I)) for name, pattern in data["cues"].items())


@functools.cache
def rule_patterns() -> dict[str, re.Pattern]:
    """Patterns the rules use beside the cues (``rules:`` in ``data/act_cues.v1.yaml``)."""
    path = importlib.resources.files("heard.respond") / "data" / f"{CUES}.yaml"
    return {k: re.compile(v, re.I) for k, v in yaml.safe_load(path.read_text("utf-8"))["rules"].items()}


def cue_names() -> list[str]:
    """The names of the cue features, in the order ``cue_features`` gives them."""
    return [name for name, _ in act_cues()] + ["shouting", "words"]


def _plain(sentence: str) -> str:
    return sentence.replace("\u2019", "'").replace("\u2018", "'").strip()


@functools.lru_cache(maxsize=4096)
def fired(sentence: str) -> frozenset[str]:
    """The names of the cues that match ``sentence`` (the review asks about each sentence
    several times, so the answer is kept)."""
    plain = _plain(sentence)
    return frozenset(name for name, pattern in act_cues() if pattern.search(plain))


def cue_features(sentence: str) -> np.ndarray:
    """The cue vector of one sentence: 1.0 per matching cue, then shouting and log length."""
    plain = _plain(sentence)
    letters = [c for c in plain if c.isalpha()]
    shouting = float(len(letters) >= 6 and sum(c.isupper() for c in letters) / len(letters) > 0.6)
    matched = fired(sentence)
    values = [1.0 if name in matched else 0.0 for name, _ in act_cues()]
    return np.array([*values, shouting, math.log1p(len(plain.split()))], dtype=np.float32)


@functools.lru_cache(maxsize=4096)
def _embedding(sentence: str) -> np.ndarray:
    # One sentence per call: int8 activations are quantised per batch, so batching would
    # make a sentence's acts depend on its neighbours.
    vector = load_encoder().embed([sentence], batch_size=1)[0]
    vector.setflags(write=False)
    return vector


def sentence_embedding(sentence: str) -> np.ndarray:
    """The encoder's vector of one sentence, as the act model read it (kept: no second run)."""
    return _embedding(sentence)


def sentence_features(sentence: str) -> np.ndarray:
    """What the act model reads of one sentence: its embedding, then its cue vector."""
    return np.concatenate([_embedding(sentence), cue_features(sentence)])


class ActModel:
    """One logistic regression per act over standardised sentence features."""

    def __init__(self, *, acts: list[str], mean, scale, weights, bias, name: str = MODEL):
        self.acts = list(acts)
        self.mean = np.asarray(mean, dtype=np.float32)
        self.scale = np.asarray(scale, dtype=np.float32)
        self.weights = np.asarray(weights, dtype=np.float32)  # (acts, features)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.name = name

    @classmethod
    def from_file(cls, path: Path) -> ActModel:
        if not path.is_file():
            raise ModelMissing(f"the reply-act model is missing: {path}; reinstall heard")
        data = json.loads(path.read_text("utf-8"))
        return cls(**{k: data[k] for k in ("acts", "mean", "scale", "weights", "bias", "name")})

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Calibrated probabilities, shape (sentences, acts); 0.5 is each act's threshold."""
        z = ((features - self.mean) / self.scale) @ self.weights.T + self.bias
        return 1.0 / (1.0 + np.exp(-z))


@functools.cache
def load_act_model() -> ActModel:
    """The shipped reply-act model, loaded on first use."""
    path = Path(str(importlib.resources.files("heard.respond") / "models" / "acts" / f"{MODEL}.json"))
    return ActModel.from_file(path)


class SentenceActs(BaseModel):
    """One sentence of a reply and what it does."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: int = Field(description="Character offset of the sentence in the reply.")
    end: int
    text: str
    acts: dict[str, float] = Field(description="Every act, 0..1; present when >= 0.5.")

    def present(self) -> list[str]:
        return [k for k, v in self.acts.items() if v >= 0.5]


class ActReading(BaseModel):
    """What a reply does as a whole, and sentence by sentence."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    acts: dict[str, float] = Field(description="Every act, 0..1: the highest over the sentences.")
    sentences: list[SentenceActs]
    produced_by: dict[str, str]

    def present(self) -> list[str]:
        """The acts present (value >= 0.5), strongest first."""
        return [k for k, v in sorted(self.acts.items(), key=lambda kv: -kv[1]) if v >= 0.5]


def _sentence_rules(sentence: str, p: dict[str, float]) -> dict[str, float]:
    """Hard negatives inside one sentence (see the module docstring)."""
    cues = fired(sentence)
    if rule_patterns()["apology_opening"].search(_plain(sentence)) or rule_patterns()["apology_end"].search(
        _plain(sentence)
    ):
        p["apology"] = max(p["apology"], 0.9)
    if rule_patterns()["commitment"].search(_plain(sentence)):
        p["ownership"] = max(p["ownership"], 0.9)
    if rule_patterns()["reflection_opening"].search(_plain(sentence)):
        p["reflection"] = max(p["reflection"], 0.9)
        p["self_disclosure"] = min(p["self_disclosure"], _CAP)
    if rule_patterns()["remedy_done"].search(_plain(sentence)):
        p["solution"] = max(p["solution"], 0.9)
    if rule_patterns()["wall"].search(_plain(sentence)):  # "that's our policy": no ownership
        p["defensive"] = max(p["defensive"], 0.9)
        for act in ("ownership", "solution", "follow_up"):
            p[act] = min(p[act], _CAP)
        if rule_patterns()["wall_nothing"].search(_plain(sentence)):
            p["dismissive"] = max(p["dismissive"], 0.9)
    if "non_apology" in cues:  # "sorry you feel that way" regrets the feeling, not the failure
        p["apology"] = min(p["apology"], _CAP)
        p["empathy"] = min(p["empathy"], _CAP)
    if "sorry_politeness" in cues:  # "sorry, could you repeat that?"
        p["apology"] = min(p["apology"], _CAP)
    if "not_blame" in cues:
        p["blame"] = min(p["blame"], _CAP)
    if "rhetorical" in cues:
        for act in _QUESTIONS:
            p[act] = min(p[act], _CAP)
    # "I understand, but that's our policy": the "but" takes back the acknowledgement; and
    # no sentence that brushes the customer off or blames them is empathy ("calm down, ...").
    if ("ack_frame" in cues and "but" in cues and max(p[a] for a in _HEAT) >= 0.5) or max(
        p["dismissive"], p["blame"]
    ) >= 0.5:
        p["acknowledgement"] = min(p["acknowledgement"], _CAP)
        p["empathy"] = min(p["empathy"], _CAP)
    # "You should have booked the morning slot": hindsight that blames is no way forward.
    if p["blame"] >= 0.5:
        p["solution"] = min(p["solution"], _CAP)
    # A question shows: a question mark, a question's opening or a request to tell or send.
    if not {"ends_question", "wh_start", "aux_start", "polite_request", "invite_more"} & cues:
        for act in _QUESTIONS:
            p[act] = min(p[act], _CAP)
    # An open or a closed question is a question.
    p["question"] = max(p["question"], p["question_open"], p["question_closed"])
    return p


_TAKES_BACK = re.compile(r"^(but|however|unfortunately|that said|still)\b", re.I)


def _reply_rules(sentences: list[tuple[str, dict[str, float]]]) -> None:
    """Hard negatives across sentences: "I understand. But that's our policy." """
    for (_, before), (text, after) in zip(sentences, sentences[1:], strict=False):
        if _TAKES_BACK.match(_plain(text)) and max(after[a] for a in _HEAT) >= 0.5:
            before["acknowledgement"] = min(before["acknowledgement"], _CAP)
            before["empathy"] = min(before["empathy"], _CAP)


def read_acts(text: str, *, model: ActModel | None = None, max_chars: int = MAX_CHARS) -> ActReading:
    """What an agent's reply does, as a whole and sentence by sentence.

    Args:
        text: the reply (a draft or a sent message).
        model: the act model to use; the shipped one by default.
        max_chars: longer replies are read on their start.

    Raises:
        EmptyText: the reply is empty or whitespace.
        NotText: the reply is not a string.
    """
    # Untidied: the act model was trained and its labels written on replies as brands send them.
    prepared, _ = prepare_text(text, max_chars, tidy_text=False)
    model = model or load_act_model()
    spans = sentence_spans(prepared) or [(0, len(prepared))]
    pieces = [prepared[a:b] for a, b in spans]
    probs = model.probabilities(np.stack([sentence_features(s) for s in pieces]))
    read = [(s, _sentence_rules(s, dict(zip(model.acts, map(float, row), strict=True)))) for s, row in zip(pieces, probs, strict=True)]  # fmt: skip
    _reply_rules(read)
    whole = {act: max(p[act] for _, p in read) for act in model.acts}
    return ActReading(
        acts={k: round(v, 4) for k, v in whole.items()},
        sentences=[
            SentenceActs(start=a, end=b, text=s, acts={k: round(v, 4) for k, v in p.items()})
            for (a, b), (s, p) in zip(spans, read, strict=True)
        ],
        produced_by={"heard": __version__, "acts": model.name, "cues": CUES, "encoder": "minilm-l6-v2.int8"},
    )


def acts(text: str) -> dict[str, float]:
    """What an agent's reply does: every reply act with a probability 0..1 (present when >= 0.5).

    Acts: reflection, question (and question_open / question_closed), acknowledgement,
    apology, empathy, ownership, solution, information, self_disclosure, defensive,
    dismissive, blame, deflection, follow_up, gratitude, closing.

    Raises:
        EmptyText: the reply is empty or whitespace.
        NotText: the reply is not a string.

    >>> acts("You should have read the terms.")["blame"] >= 0.5
    True
    """
    return read_acts(text).acts
