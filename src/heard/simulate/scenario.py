"""Role-play scenarios as data: versioned YAML files validated by a schema with clear errors.

A scenario is one upset customer: who they are and how they talk, what happened, what they
want, the facts they only give when asked the right question, the team policy that applies
(the policy catalogue's own format, ``heard.respond.policy``) and how upset they start.
``heard/simulate/data/scenarios/*.v1.yaml`` are the shipped ones; ``docs/training.md``
explains every field so a team can write its own.

>>> sc = load_scenarios()["retail_missed_sofa"]
>>> sc.domain, sc.fault, sc.difficulties
('retail_delivery', 'company', ('easy', 'medium', 'hard'))
>>> parse_scenario("{id: x, domain: shoes}")
Traceback (most recent call last):
...
heard.errors.ScenarioError: [H113] domain: Input should be 'retail_delivery', 'telecom_outage', 'travel_cancellation', 'banking_charge', 'utilities_bill', 'software_subscription', 'insurance_claim' or 'healthcare_booking'; missing title, persona, facts, opening, point, point_words, correction, gripes, fault, category, wants, hidden, policy, mood: add them (docs/training.md says what each holds)
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import string
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from heard.errors import ScenarioError
from heard.respond.policy import Catalogue, RemedyKind
from heard.understand.complaint import Category, Fault

SCENARIOS = "scenario.v1"
Difficulty = Literal["easy", "medium", "hard"]
DIFFICULTIES: tuple[str, ...] = Difficulty.__args__  # type: ignore[attr-defined]
Domain = Literal[
    "retail_delivery", "telecom_outage", "travel_cancellation", "banking_charge", "utilities_bill",
    "software_subscription", "insurance_claim", "healthcare_booking",
]  # fmt: skip
DOMAINS: tuple[str, ...] = Domain.__args__  # type: ignore[attr-defined]
_ID = r"^[a-z][a-z0-9_]*$"
# Slots every line may use besides the scenario's own facts.
_SLOTS = {"name", "thing", "want", "fact", "point", "gripe", "correction"}


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Persona(_Strict):
    """Who the customer is and how they talk."""

    name: str = Field(min_length=1, description="First name the customer signs with.")
    situation: str = Field(min_length=1, description="Their life around the complaint, in one sentence.")
    voice: str = Field(min_length=1, description="How they talk, for a trainer reading the scenario.")
    openers: list[str] = Field(
        min_length=2, description="Words they start with when upset ('Look,', 'Honestly,'): their tics."
    )


class Wants(_Strict):
    """What the customer wants, and which remedies would meet it."""

    text: str = Field(min_length=1, description="What they want, in their words ('my money back').")
    kinds: list[RemedyKind] = Field(min_length=1, description="Remedy kinds that would meet it.")
    amount: float | None = Field(default=None, gt=0, description="The money they name, if any.")
    words: list[str] = Field(
        default=[],
        description="Words of an offer of what they want, beyond the remedy kind's ('bottled water').",
    )


class HiddenFact(_Strict):
    """A fact the customer gives only when the trainee asks the right question."""

    id: str = Field(pattern=_ID)
    fact: str = Field(min_length=1, description="What they say once asked, first person.")
    asked_by: list[str] = Field(
        min_length=1,
        description="Words of a question that asks for it ('before', 'last time'); any one matches.",
    )
    question: str = Field(min_length=1, description="The right question, as a skilled agent would ask it.")

    @field_validator("asked_by")
    @classmethod
    def _lower(cls, words: list[str]) -> list[str]:
        if any(not w.strip() for w in words):
            raise ValueError("asked_by words must not be empty")
        return [w.strip().lower() for w in words]


class StartMood(_Strict):
    anger: float = Field(ge=0, le=1)
    trust: float = Field(ge=0, le=1)
    progress: float = Field(default=0.0, ge=0, le=1)


class LevelChange(_Strict):
    """What this scenario changes of a difficulty's parameters (data/mood.v1.yaml, difficulties)."""

    needs_heard: int | None = Field(default=None, ge=0, le=5)
    rejects_first_offer: bool | None = None
    accept_below: float | None = Field(default=None, gt=0, le=1)
    escalate_at: float | None = Field(default=None, gt=0, le=1)
    patience: int | None = Field(default=None, ge=1)


class Scenario(_Strict):
    """One upset customer to practise with."""

    version: Literal["scenario.v1"] = SCENARIOS
    id: str = Field(pattern=_ID, description="A short id: lower case, digits, underscores.")
    title: str = Field(min_length=1)
    domain: Domain
    persona: Persona
    facts: dict[str, str] = Field(description="Named facts the lines quote ({thing} at least).")
    opening: list[str] = Field(min_length=1, description="The customer's first burst, one message each.")
    point: str = Field(min_length=1, description="Their point said back to them ('you waited all day ...').")
    point_words: list[str] = Field(min_length=2, description="Words a reflection that heard them uses.")
    wrong_words: list[str] = Field(default=[], description="Words of a reflection that misheard them.")
    correction: str = Field(min_length=1, description="What they say to correct a wrong reflection.")
    gripes: list[str] = Field(min_length=3, description="More they vent when angry, first person.")
    fault: Fault = Field(description="Who is at fault: company means an apology is owed.")
    category: Category = Field(description="The complaint category the policy is read for.")
    wants: Wants
    hidden: list[HiddenFact] = Field(min_length=1)
    policy: Catalogue = Field(description="The remedies the team may offer (heard.respond.policy format).")
    mood: StartMood = Field(description="How they start, at medium difficulty.")
    difficulties: tuple[Difficulty, ...] = DIFFICULTIES
    levels: dict[Difficulty, LevelChange] = Field(
        default={},
        description="Optional: this customer's own difficulty parameters ({hard: {needs_heard: 3}}).",
    )
    lines: dict[str, list[str]] = Field(
        default={}, description="Lines of this customer per event, said before the shared ones."
    )

    @field_validator("point_words", "wrong_words")
    @classmethod
    def _words(cls, words: list[str]) -> list[str]:
        return [w.strip().lower() for w in words if w.strip()]

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        if "thing" not in self.facts:
            raise ValueError("facts needs 'thing': what the complaint is about ('the sofa')")
        ids = [h.id for h in self.hidden]
        if dupes := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"hidden ids must be unique; repeated: {', '.join(dupes)}")
        allowed = {r.kind for r in self.policy.for_category(self.category)}
        if not allowed & set(self.wants.kinds):
            raise ValueError(
                f"wants.kinds {self.wants.kinds} has nothing the policy allows for {self.category}"
                f" (it allows {sorted(allowed) or 'nothing'}); add a remedy to policy.remedies or change wants.kinds"
            )
        known = _SLOTS | set(self.facts)
        for event, lines in self.lines.items():
            for line in lines:
                used = {f for _, f, _, _ in string.Formatter().parse(line) if f}
                if unknown := used - known:
                    raise ValueError(
                        f"lines.{event}: {line!r} uses unknown slots {sorted(unknown)}; use {sorted(known)}"
                    )
        return self

    def slots(self) -> dict[str, str]:
        """The values a line's slots are filled with."""
        return {"name": self.persona.name, "want": self.wants.text, "point": self.point,
                "correction": self.correction, **self.facts}  # fmt: skip


def _where(loc: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".") or "scenario"


def _fix(err: dict) -> str:
    """The error's message with what to change."""
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        return "unknown field; remove it or check its spelling (docs/training.md lists the fields)"
    if err["type"] == "string_type" and isinstance(err.get("input"), int | float):
        return f'{msg}; quote it in the YAML ("{err["input"]}")'
    return msg


def parse_scenario(text: str) -> Scenario:
    """Read and validate a scenario from YAML text.

    Raises:
        ScenarioError: not YAML, or a field is missing, unknown or wrong; the message names
            the field (``hidden[0].asked_by``) and what to change.
    """
    if not isinstance(text, str):
        raise ScenarioError(f"a scenario is YAML text, not {type(text).__name__}")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ScenarioError(f"the scenario is not valid YAML{where}: {getattr(e, 'problem', e)}") from None
    if not isinstance(data, dict):
        raise ScenarioError(
            "a scenario is a YAML mapping (id, title, domain, persona, ...); see docs/training.md"
        )
    try:
        return Scenario.model_validate(data)
    except ValidationError as e:
        problems: dict[str, list[str]] = {}
        missing: list[str] = []
        for err in e.errors():
            loc = tuple(
                p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-", "literal[")))
            )
            if err["type"] == "missing":
                missing.append(_where(loc))
            else:
                problems.setdefault(_where(loc), []).append(_fix(err))
        said = [f"{k}: {' or '.join(v)}" for k, v in problems.items()]
        if missing:
            said.append(f"missing {', '.join(missing)}: add them (docs/training.md says what each holds)")
        raise ScenarioError("; ".join(said)) from None


def load_scenarios() -> dict[str, Scenario]:
    """The shipped scenarios (``data/scenarios/*.v1.yaml``), by id, sorted (read once)."""
    return dict(_shipped())


@functools.cache
def _shipped() -> dict[str, Scenario]:
    folder = importlib.resources.files("heard.simulate") / "data" / "scenarios"
    found: dict[str, Scenario] = {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not re.fullmatch(r"[a-z0-9_]+\.v\d+\.yaml", entry.name):
            continue
        try:
            sc = parse_scenario(entry.read_text("utf-8"))
        except ScenarioError as e:
            raise ScenarioError(f"{entry.name}: {str(e).removeprefix('[H113] ')}") from None
        found[sc.id] = sc
    return found
