"""``questions``: open questions for what is still missing to resolve the case.

Never asks for what the customer already said: no reference number question when they
gave one, no "when" when they said when, no "what would you like" when they asked for it.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from heard.respond._wording import joined_text, responses
from heard.understand import Analysis, analyze

# Cases that are looked up by a reference (an order, a booking, an invoice, an account).
_LOOKED_UP = {"late_or_missed", "billing", "faulty_product", "cancellation_refund", "account_access"}


# An outcome named in passing is an outcome asked for: "still waiting for my refund", "cancel
# my subscription. I've asked three times", "I asked for a replacement".
_OUTCOME = re.compile(
    r"\b(?:refund|money back|cancel|replacement|replace it|exchange|compensation|reimburse\w*|credit(?:ed)? back"
    r"|call me back|callback)\b",
    re.I,
)


class Question(BaseModel):
    """An open question and what it asks for."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    asks_for: str = Field(description="outcome, reference, when, what_wrong, who_contacted or what_happened")


def questions(text: str | list[str], *, analysis: Analysis | None = None) -> list[Question]:
    """What to ask next, most useful first; empty when nothing is missing or nothing is wrong.

    >>> [q.asks_for for q in questions("My order 5512 arrived broken yesterday and I want a refund.")]
    []
    """
    analysis = analysis or analyze(joined_text(text))
    c = analysis.complaint
    wording = responses()["questions"]
    if c is None:
        if analysis.level == "calm":
            return []
        return [Question(text=wording["what_happened"], asks_for="what_happened")]
    wanted: list[str] = []
    said = " ".join([joined_text(text)] + [p.text for p in (c.expected, c.happened, c.impact) if p])
    if c.need is None and not _OUTCOME.search(said):
        wanted.append("outcome")
    if c.category in _LOOKED_UP and not c.references:
        wanted.append("reference")
    if not c.times and c.category in {"late_or_missed", "billing", "faulty_product", "no_response"}:
        wanted.append("when")
    if c.category == "faulty_product" and c.happened is None:
        wanted.append("what_wrong")
    if c.category == "no_response" and c.times == []:
        wanted.append("who_contacted")
    return [Question(text=wording[k], asks_for=k) for k in wanted]
