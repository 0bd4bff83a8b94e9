"""``acknowledge`` and ``apology``: name the customer's feeling, and apologise as fault requires.

When the company is at fault the apology is specific and owns it ("I'm sorry we charged
your card twice"); otherwise it sympathises without admitting fault. Never a non-apology
("sorry you feel that way", "sorry if"). Wording: ``data/responses.v1.yaml``.
"""

from __future__ import annotations

import hashlib

from pydantic import BaseModel, ConfigDict, Field

from heard.language import parse, unshouted
from heard.respond._wording import (
    after_but,
    feeling_about,
    is_clause,
    joined_text,
    promise_tokens,
    responses,
    said_happened,
    say_back,
    span_tokens,
    still_waiting,
    thanked_for,
    trouble_after,
    trouble_before,
    with_own_subject,
)
from heard.understand import MAX_CHARS, Analysis, analyze
from heard.understand.analysis import prepare_text
from heard.understand.clauses import customer_is_subject

# A promise says what would happen ("you told me the movers would come by 1 pm"); "your
# engineer says there's nothing wrong" is no promise to keep.
_PROMISING = {"would", "will", "'d", "'ll", "wud", "going", "supposed", "promised", "guaranteed", "assured",
              "due", "meant", "by", "within"}  # fmt: skip


class Apology(BaseModel):
    """An apology fitted to fault."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    owns_fault: bool = Field(description="True when it admits the company's fault (fault == company).")


def _pick(options: list[str], text: str) -> str:
    return options[int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % len(options)]


def acknowledge(text: str | list[str], *, analysis: Analysis | None = None) -> str:
    """An acknowledgement of how the customer feels.

    >>> "frustrated" in acknowledge("I've been transferred four times and nobody can help me!")
    True
    """
    joined = joined_text(text)
    analysis = analysis or analyze(joined)
    level = "concerned" if analysis.level == "calm" else analysis.level
    return _pick(responses()["acknowledgements"][level], joined).format(feeling=analysis.feeling)


def apology(text: str | list[str], *, analysis: Analysis | None = None) -> Apology:
    """An apology for what the customer told, owning it only when the company is at fault.

    >>> apology("You charged me twice for my order.").text
    "I'm sorry we charged you twice for your order. That should not have happened, and it's on us to put it right."
    """
    joined = joined_text(text)
    analysis = analysis or analyze(joined)
    rules = responses()["apologies"]
    c = analysis.complaint
    what = promise = hurt = ""
    if c is not None:
        doc = parse(unshouted(prepare_text(joined, MAX_CHARS)[0]))
        happened = with_own_subject(doc, span_tokens(doc, c.happened))
        what = said_happened(happened)
        if what and (before := trouble_before(doc, happened, taken=(c.expected, c.impact))):
            what = f"{before} and {what}"
        if what and (after := trouble_after(doc, happened, taken=(c.expected, c.impact))):
            what = f"{what} and {after}"
        if not what and (about := feeling_about(happened)):  # never "sorry you're disgusted"
            what = f"about {about}"
        if analysis.fault == "customer" and customer_is_subject(happened):
            what = said_happened(after_but(happened))  # their slip is not what we apologise for
        if not what and analysis.sarcasm:
            what = thanked_for(doc)
        if not what and c.happened is None:
            what = still_waiting(doc)
        promised = promise_tokens(doc, span_tokens(doc, c.expected))
        # "you told me X" or "I was promised X": a promise the company made
        made = (
            promised
            and any(t.lower_ in _PROMISING for t in promised)
            and (
                promised[0].lower_ in {"you", "your", "u", "ur"}
                or promised[0].lower_ in {"i", "we"}
                and any(t.dep_ == "auxpass" for t in promised[:3])
            )
        )
        promise = say_back(promised) if made and is_clause(promised) else ""
        if promise and what and promise in what:
            promise = ""
        impact = span_tokens(doc, c.impact)
        hurt = say_back(impact) if is_clause(impact) else ""
    if analysis.fault == "company":
        if promise and what:
            return Apology(text=rules["company_promise"].format(promise=promise, what=what), owns_fault=True)
        if what:
            return Apology(text=rules["company"].format(what=what), owns_fault=True)
        # Nothing said back as what went wrong: still name it, never a bare "we let you down".
        if promise:
            return Apology(text=rules["company_promise_only"].format(promise=promise), owns_fault=True)
        if hurt:
            return Apology(text=rules["company"].format(what=hurt), owns_fault=True)
        if c is not None and c.category in rules["company_category"]:
            return Apology(text=rules["company_category"][c.category], owns_fault=True)
        return Apology(text=rules["company_general"], owns_fault=True)
    if what:
        return Apology(text=rules["sympathy"].format(what=f"that {what}"), owns_fault=False)
    return Apology(text=rules["sympathy_general"], owns_fault=False)
