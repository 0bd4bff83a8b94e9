"""A team's policy catalogue: the remedies it may offer, per complaint category, with limits.

A catalogue is YAML (``data/policies.example.yaml`` is the example heard ships;
``docs/policies.md`` explains every field). ``load_catalogue`` validates it and raises
``InvalidPolicy`` naming the field and the fix; ``dump_catalogue`` writes it back.

>>> c = example_catalogue()
>>> c.remedy("refund").approval_above, c.remedy("refund").approver
(50.0, 'lead')
"""

from __future__ import annotations

import functools
import importlib.resources
import string
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from heard.errors import InvalidPolicy
from heard.understand.complaint import Category

POLICIES = "policies.v1"
RemedyKind = Literal["refund", "credit", "reschedule", "replacement", "discount", "escalation", "other"]
Role = Literal["agent", "lead", "admin"]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]
_PLACEHOLDERS = {"amount", "hours", "currency"}


class Remedy(BaseModel):
    """One thing a team may offer, for which categories, up to what limit, with whose approval."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="A short id: lower case, digits, underscores.")
    name: str = Field(min_length=1)
    kind: RemedyKind
    categories: list[Category | Literal["any"]] = Field(min_length=1)
    max_amount: float | None = Field(default=None, gt=0, description="Never more than this.")
    approval_above: float | None = Field(
        default=None, ge=0, description="Above this amount the approver must agree."
    )
    within_hours: int | None = Field(default=None, gt=0, description="For a reschedule: how soon.")
    approver: Role | None = Field(
        default=None, description="Who approves: always (no approval_above) or above approval_above."
    )
    says: str = Field(min_length=1, description="The wording offered; {amount}, {hours}, {currency}.")

    @model_validator(mode="after")
    def _consistent(self) -> Remedy:
        if self.approval_above is not None and self.approver is None:
            raise ValueError("approval_above needs an approver (lead or admin)")
        above, most = self.approval_above, self.max_amount
        if above is not None and most is not None and above > most:
            raise ValueError("approval_above must not be more than max_amount")
        used = {f for _, f, _, _ in string.Formatter().parse(self.says) if f}
        if unknown := used - _PLACEHOLDERS:
            raise ValueError(f"says uses unknown placeholders {sorted(unknown)}; use {sorted(_PLACEHOLDERS)}")
        if "amount" in used and self.max_amount is None:
            raise ValueError("says mentions {amount} but the remedy has no max_amount")
        if "hours" in used and self.within_hours is None:
            raise ValueError("says mentions {hours} but the remedy has no within_hours")
        return self

    def needs_approval(self, amount: float | None) -> bool:
        """Whether offering this (for this amount) needs the approver's yes."""
        if self.approver is None:
            return False
        if self.approval_above is None:
            return True
        return amount is None or amount > self.approval_above


class Catalogue(BaseModel):
    """A team's policy catalogue."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: Literal["policies.v1"] = POLICIES
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. EUR.")
    remedies: list[Remedy]

    @model_validator(mode="after")
    def _unique_ids(self) -> Catalogue:
        ids = [r.id for r in self.remedies]
        if dupes := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"remedy ids must be unique; repeated: {', '.join(dupes)}")
        return self

    def remedy(self, remedy_id: str) -> Remedy:
        """The remedy with this id; ``KeyError`` naming the known ids otherwise."""
        for r in self.remedies:
            if r.id == remedy_id:
                return r
        raise KeyError(f"no remedy {remedy_id!r}; known: {', '.join(r.id for r in self.remedies)}")

    def for_category(self, category: str) -> list[Remedy]:
        """The remedies this catalogue allows for a complaint category, in catalogue order."""
        return [r for r in self.remedies if category in r.categories or "any" in r.categories]


def _where(loc: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".") or "catalogue"


def load_catalogue(text: str) -> Catalogue:
    """Read and validate a catalogue from YAML text.

    Raises:
        InvalidPolicy: the YAML cannot be read or a field is wrong; the message names
            the field (``remedies[1].max_amount``) and what is allowed.

    >>> load_catalogue("remedies: [{id: refund, name: Refund, kind: cash}]")
    Traceback (most recent call last):
    ...
    heard.errors.InvalidPolicy: [H110] remedies[0].kind: Input should be 'refund', 'credit', 'reschedule', 'replacement', 'discount', 'escalation' or 'other'; remedies[0].categories: Field required; remedies[0].says: Field required
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InvalidPolicy(f"the catalogue is not valid YAML{where}: {getattr(e, 'problem', e)}") from None
    if not isinstance(data, dict):
        raise InvalidPolicy("a catalogue is a YAML mapping with a 'remedies' list; see docs/policies.md")
    try:
        return Catalogue.model_validate(data)
    except ValidationError as e:
        problems: dict[str, list[str]] = {}
        for err in e.errors():
            loc = tuple(
                p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-", "literal[")))
            )
            problems.setdefault(_where(loc), []).append(err["msg"].removeprefix("Value error, "))
        raise InvalidPolicy("; ".join(f"{k}: {' or '.join(v)}" for k, v in problems.items())) from None


def dump_catalogue(catalogue: Catalogue) -> str:
    """The catalogue as YAML that ``load_catalogue`` reads back unchanged."""
    data = catalogue.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@functools.cache
def example_catalogue() -> Catalogue:
    """The example catalogue heard ships (``data/policies.example.yaml``)."""
    return load_catalogue(example_catalogue_text())


def example_catalogue_text() -> str:
    """The example catalogue as YAML, comments included."""
    path = importlib.resources.files("heard.respond") / "data" / "policies.example.yaml"
    return path.read_text("utf-8")
