"""``solutions``: what the team's policy allows for this complaint; ``beyond_policy``: what a
draft promises that it does not.

Only remedies the catalogue lists for the complaint's category are offered. A money remedy
is offered for the amount the customer named when policy allows it, capped at the limit
when it does not, and marked when it needs a lead's approval.

>>> from heard.respond.policy import example_catalogue
>>> [s.text for s in solutions("billing", example_catalogue(), amounts=["$80"])]
['I can refund 80 EUR to your original payment method.']
>>> solutions("billing", example_catalogue(), amounts=["$80"])[0].needs_approval
True
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from heard.language.details import find_amounts
from heard.respond.policy import Catalogue, Remedy, RemedyKind, Role

_SCALE = {"k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
# A promise, an offer or a remedy already given: "I'll refund", "we can offer", "I've refunded",
# "we have credited", "I just refunded", "here's a refund", "please accept a voucher" - all
# are checked against the catalogue alike (the money is gone either way); "we can't refund" is none.
_PROMISE = re.compile(
    r"\b(?:(?:i|we)(?:'ll| will| can| could|'d| would| am going to| are going to|'ve| have| had"
    r"| just| already)|here(?:'s| is)|please accept)\b(?!n't|'t| not\b| never\b)[^.!?]*",
    re.I,
)
_KIND_WORDS: dict[RemedyKind, re.Pattern] = {
    "refund": re.compile(r"\brefund|\breimburs|\bmoney back|\breverse the (?:duplicate )?charge", re.I),
    "credit": re.compile(r"\bcredit|\bvoucher|\bgift card", re.I),
    "discount": re.compile(r"\bdiscount|\b\d+ ?% off\b", re.I),
    "replacement": re.compile(r"\breplace(?:ment)?\b|\bsend (?:you )?a new\b", re.I),
    "reschedule": re.compile(r"\breschedul|\brebook|\bnew (?:slot|appointment|date)\b", re.I),
}
# What was done once a remedy is given, as "We ..." continues it (the follow-up names it).
_DONE: dict[RemedyKind, str] = {
    "refund": "refunded {amount}",
    "credit": "added a {amount} credit to your account",
    "discount": "gave you a {amount} discount",
    "replacement": "sent you a replacement",
    "reschedule": "rebooked it for a time that suits you",
    "escalation": "had a team lead look into it personally",
    "other": "arranged this for you: {name}",
}
_HOURS = re.compile(r"\bwithin (?:the next )?(\d+) ?(hours?|days?)\b", re.I)


class Solution(BaseModel):
    """A remedy the catalogue allows, worded for the customer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    remedy: str = Field(description="The remedy id in the catalogue.")
    kind: RemedyKind
    text: str = Field(description="What the agent can say.")
    amount: float | None = Field(default=None, description="The amount offered, for money remedies.")
    needs_approval: bool = Field(description="The approver must agree before it is promised.")
    approver: Role | None = None
    note: str | None = Field(default=None, description="Why it differs from what the customer asked.")


class PolicyBreach(BaseModel):
    """Something a draft promises that the team's policy does not allow (or not without approval)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: int
    end: int
    promise: str = Field(description="The span of the draft that promises it.")
    message: str
    remedy: str | None = Field(default=None, description="The remedy it was checked against, if any.")
    kind: str | None = Field(default=None, description="What it promises: refund, credit, reschedule, ...")


def parse_amount(written: str) -> float | None:
    """A written amount as a number: '£1,200.50' -> 1200.5, '$2k' -> 2000.0."""
    m = re.search(r"(\d[\d,]*(?:\.\d+)?)\s?(k|m|bn)?\b", written, re.I)
    if not m:
        return None
    return float(m.group(1).replace(",", "")) * _SCALE.get((m.group(2) or "").lower(), 1)


def _money(amount: float, currency: str) -> str:
    return f"{amount:,.2f}".removesuffix(".00") + f" {currency}"


def _offer(remedy: Remedy, wanted: float | None, currency: str) -> Solution:
    amount, note, written = None, None, ""
    if remedy.max_amount is not None:
        # Nothing named: offer what the agent may give on their own, "up to" it.
        amount = wanted if wanted is not None else (remedy.approval_above or remedy.max_amount)
        written = _money(amount, currency) if wanted is not None else f"up to {_money(amount, currency)}"
        if amount > remedy.max_amount:
            note = f"the customer named {_money(amount, currency)}; policy allows at most {_money(remedy.max_amount, currency)}"
            amount = remedy.max_amount
            written = _money(amount, currency)
    text = remedy.says.format(
        amount=written,
        hours=remedy.within_hours or "",
        currency=currency,
    )
    return Solution(
        remedy=remedy.id,
        kind=remedy.kind,
        text=text,
        amount=amount,
        needs_approval=remedy.needs_approval(amount),
        approver=remedy.approver,
        note=note,
    )


def solutions(category: str, catalogue: Catalogue, *, amounts: list[str] = ()) -> list[Solution]:
    """The remedies to offer for a complaint of this category, most specific first.

    Args:
        category: the complaint's category (``Analysis.complaint.category``).
        catalogue: the team's policy catalogue.
        amounts: money amounts the customer named, as written; the largest sets what a
            money remedy offers.
    """
    named = [a for a in (parse_amount(x) for x in amounts) if a is not None]
    wanted = max(named) if named else None
    return [_offer(r, wanted, catalogue.currency) for r in catalogue.for_category(category)]


def done(solution: Solution, catalogue: Catalogue) -> str:
    """What was done once this solution is given, as "we ..." continues it (for the follow-up).

    >>> from heard.respond.policy import example_catalogue
    >>> c = example_catalogue()
    >>> done(solutions("billing", c, amounts=["$40"])[0], c)
    'refunded 40 EUR'
    """
    remedy = catalogue.remedy(solution.remedy)
    amount = _money(solution.amount, catalogue.currency) if solution.amount is not None else ""
    wording = _DONE[solution.kind]
    if "{amount}" in wording and not amount:
        wording = {"refund": "refunded you", "credit": "added a credit to your account"}.get(
            solution.kind, "gave you a discount"
        )
    return wording.format(amount=amount, name=remedy.name.lower())


def beyond_policy(
    draft: str, catalogue: Catalogue, category: str, *, approved: bool = False
) -> list[PolicyBreach]:
    """Promises in an agent's draft that the catalogue does not allow for this category.

    A promise is a sentence part starting "I'll / we can / I've / we have / here's ..." that
    promises, offers or reports as done a
    refund, credit, discount, replacement or reschedule: it breaches policy when the
    catalogue has no such remedy for the category, when its amount is over the limit,
    when it needs approval (and ``approved`` is false), or when a reschedule is later
    than allowed.

    >>> from heard.respond.policy import example_catalogue
    >>> [b.message for b in beyond_policy("I'll refund you $900 today.", example_catalogue(), "billing")]
    ['promises 900 EUR; refund allows at most 500 EUR']
    >>> [b.message for b in beyond_policy("I've refunded you $900.", example_catalogue(), "billing")]
    ['promises 900 EUR; refund allows at most 500 EUR']
    """
    breaches = []
    for m in _PROMISE.finditer(draft):
        promise = m.group()
        for kind, words in _KIND_WORDS.items():
            if not words.search(promise):
                continue
            message, remedy = _check(promise, kind, catalogue, category, approved)
            if message:
                breaches.append(
                    PolicyBreach(
                        start=m.start(),
                        end=m.end(),
                        promise=promise,
                        message=message,
                        remedy=remedy,
                        kind=kind,
                    )
                )
            break
    return breaches


def _check(
    promise: str, kind: str, catalogue: Catalogue, category: str, approved: bool
) -> tuple[str | None, str | None]:
    allowed = [r for r in catalogue.for_category(category) if r.kind == kind]
    if not allowed:
        return f"policy offers no {kind} for {category.replace('_', ' ')} complaints", None
    amounts = [a for a in (parse_amount(x) for x in find_amounts(promise)) if a is not None]
    amount = max(amounts) if amounts else None
    # The most generous remedy of this kind decides: a promise within any of them is fine.
    best = max(allowed, key=lambda r: (r.max_amount or 0, -(r.approval_above or 0)))
    cur = catalogue.currency
    if amount is not None and best.max_amount is not None and amount > best.max_amount:
        return (
            f"promises {_money(amount, cur)}; {best.id} allows at most {_money(best.max_amount, cur)}",
            best.id,
        )
    if not approved and all(r.needs_approval(amount) for r in allowed):
        who = best.approver or "lead"
        return f"{best.id} needs a {who}'s approval" + (
            f" above {_money(best.approval_above, cur)}" if best.approval_above is not None else ""
        ), best.id
    if kind == "reschedule" and (m := _HOURS.search(promise)):
        hours = int(m.group(1)) * (24 if m.group(2).lower().startswith("day") else 1)
        limit = max(r.within_hours or 0 for r in allowed)
        if limit and hours > limit:
            return f"promises a reschedule within {hours} hours; policy allows {limit}", best.id
    return None, None
