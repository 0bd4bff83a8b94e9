"""``review``: how well a draft reply follows the playbook at this point of the conversation.

The draft is read sentence by sentence for its acts (``heard.respond.acts``); the customer's
last words (``customer=``, or the end of ``conversation=``) are analysed for how upset they
are, what went wrong and whose fault it is; the conversation so far says what already
happened (venting, heard, apologised, closing: ``heard.respond.situation``). Then each check
in ``review_checks`` may raise findings: the playbook step, a severity, the span of the
draft, a message and a concrete rewrite. The score starts at 100 and each finding takes off
its share by severity (``data/review.v1.yaml``: a high finding keeps 60% of what is left);
while the customer waits to be heard, so does what the draft does not say back
(``heard.respond.hearing``).

    >>> r = review("Calm down, the movers are not our fault.",
    ...            customer="You promised the movers by 1 pm and they came at 3!")
    >>> r.score < 50 and "calm_down" in [f.check for f in r.findings]
    True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from heard._version import __version__
from heard.respond.acts import CUES, MODEL, read_acts
from heard.respond.policy import Catalogue
from heard.respond.review_checks import CHECKS, RULES, Hit, hearing_of, not_heard, rules
from heard.respond.situation import Situation, read_situation
from heard.respond.solutions import beyond_policy, solutions
from heard.respond.stage import Stage
from heard.understand.analysis import prepare_text
from heard.understand.conversation import seconds

Severity = Literal["high", "medium", "low"]
_ORDER = {"high": 0, "medium": 1, "low": 2}
_LISTENING_FINDINGS = {"parroting", "generic_reflection", "off_topic_reflection", "no_acknowledgement"}
# While the customer waits to be heard, acknowledging is the step due now (playbook step 3);
# apologising (4) and asking for details (5) come after it.
_ACKNOWLEDGING = ("reflection", "acknowledgement", "empathy", "apology")
_LATER_STEPS = {"no_apology", "no_question"}


class Finding(BaseModel):
    """One thing to change in a draft, with where and how."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    check: str = Field(description="Which check raised it (stable id: non_apology, blame, ...).")
    step: str = Field(description="The playbook step it concerns (heard.playbook step id).")
    severity: Severity
    start: int = Field(description="Start of the span of the draft; start == end marks where to insert.")
    end: int
    text: str = Field(description="The span's text ('' for an insertion point).")
    message: str
    suggestion: str | None = Field(
        description="Replacement for the span ('' removes it); None when the fix is to hold the draft."
    )

    def apply(self, draft: str) -> str:
        """The draft with this finding's rewrite applied (unchanged when there is none)."""
        if self.suggestion is None:
            return draft
        return draft[: self.start] + self.suggestion + draft[self.end :]


class DraftReview(BaseModel):
    """The review of one draft reply."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    score: int = Field(ge=0, le=100, description="How well the draft follows the playbook here, 0..100.")
    findings: list[Finding] = Field(description="Most severe first, then in draft order.")
    stage: Stage = Field(description="Where the conversation stands (see heard.respond.stage).")
    acts: dict[str, float] = Field(description="What the draft does (heard.acts).")
    heard: float | None = Field(
        default=None,
        description="While the customer waits to be heard: how much of their story the draft says "
        "back in its own words, 0..1 (heard.respond.hearing); None at other stages.",
    )
    produced_by: dict[str, str]


def review(
    draft: str,
    *,
    customer: str | list[str] | None = None,
    conversation: Iterable[object] | None = None,
    at: str | float | None = None,
    policy: Catalogue | None = None,
    situation: Situation | None = None,
) -> DraftReview:
    """Check an agent's draft against the playbook, given where the conversation stands.

    Args:
        draft: the reply the agent is about to send.
        customer: what the customer last wrote (a burst of messages as a list); by default
            the customer's messages at the end of ``conversation``.
        conversation: the messages so far, oldest first, each a ``Message`` or a mapping
            ``{"role": "customer" | "agent", "text": ..., "at": ISO time or seconds}``.
        at: when the draft would be sent (as the messages' times); a draft long after the
            customer's last message does not interrupt them.
        policy: the team's policy catalogue; with it, a draft that promises more than the
            catalogue allows for this complaint (a remedy it does not list, an amount over the
            limit or needing approval, a reschedule too late) gets a ``beyond_policy`` finding.
        situation: where the conversation stands, when the caller has it from stored readings
            (``heard.respond.situation.situation_of``); ``customer``, ``conversation`` and ``at``
            are then not read.

    Raises:
        EmptyText: the draft is empty.
        NotText: the draft is not a string.
        InvalidTranscript: a message of ``conversation`` is malformed (the error names it).
    """
    prepared, _ = prepare_text(draft, 10_000)
    reading = read_acts(draft[: len(prepared)])  # the same offsets, links and sign-offs kept for the acts
    # A stored conversation's situation comes from its stored readings (heard.service); else read it.
    situation = situation or read_situation(customer, conversation, at=seconds(at, where="at"))
    findings = []
    heard = hearing_of(reading, situation)
    hits: list[Hit] = [hit for check in CHECKS for hit in check(prepared, reading, situation)]
    if not {h.check for h in hits} & _LISTENING_FINDINGS:  # one finding about listening is enough
        hits += not_heard(prepared, reading, heard, situation)
    hits = _due_step_first(hits, reading, situation)
    # What a listening finding names as left out: "you didn't say back ...".
    unsaid = f' (you didn\'t say back "{heard.missing}")' if heard is not None and heard.missing else ""
    for hit in hits:
        rule = rules()["checks"][hit.check]
        findings.append(
            Finding(
                check=hit.check,
                step=rule["step"],
                severity=hit.severity or rule["severity"],
                start=hit.start,
                end=hit.end,
                text=prepared[hit.start : hit.end],
                message=rule["message"].format(
                    level=situation.analysis.level if situation.analysis else "",
                    unsaid=unsaid,
                    **(hit.detail or {}),
                ),
                suggestion=hit.suggestion,
            )
        )
    if policy is not None:
        findings += _beyond_policy(prepared, policy, situation)
    findings.sort(key=lambda f: (_ORDER[f.severity], f.start))
    penalties = rules()["penalties"]
    # Each finding takes its share of what is left, so a draft with many faults still ranks
    # below one with fewer (no floor at 0 where every bad draft ties). While the customer
    # waits to be heard, what the draft leaves unsaid costs its share too.
    left = 1.0
    for f in findings:
        left *= 1 - penalties[f.severity] / 100
    if heard is not None:
        left *= 1 - rules()["hearing"]["weight"] * (1 - heard.heard) / 100
    return DraftReview(
        score=round(100 * left),
        heard=heard.heard if heard else None,
        findings=findings,
        stage=situation.stage,
        acts=reading.acts,
        produced_by={"heard": __version__, "review": RULES, "acts": MODEL, "cues": CUES},
    )


def _due_step_first(hits: list[Hit], reading, situation: Situation) -> list[Hit]:
    """A draft that does the step due now (it acknowledges a customer waiting to be heard, and
    does so first) leaves a later step to the next message: that is a hint (low), not a fault.
    heard's own reflection, sent alone, is such a draft."""
    if situation.stage != "listening" or any(h.check == "no_acknowledgement" for h in hits):
        return hits
    if not any(max(s.acts[a] for a in _ACKNOWLEDGING) >= 0.5 for s in reading.sentences):
        return hits
    return [replace(h, severity="low") if h.check in _LATER_STEPS else h for h in hits]


def _beyond_policy(draft: str, policy: Catalogue, situation: Situation) -> list[Finding]:
    """Promises the catalogue does not allow; the rewrite is what it does allow, when anything."""
    category = situation.complaint_category or "other"
    complaint = situation.analysis.complaint if situation.analysis else None
    allowed = [s for s in solutions(category, policy, amounts=complaint.amounts if complaint else []) if
               not s.needs_approval]  # fmt: skip
    rule = rules()["checks"]["beyond_policy"]
    return [
        Finding(
            check="beyond_policy",
            step=rule["step"],
            severity=rule["severity"],
            start=b.start,
            end=b.end,
            text=draft[b.start : b.end],
            message=rule["message"].format(detail=b.message),
            suggestion=allowed[0].text.rstrip(".") if allowed else None,
        )
        for b in beyond_policy(draft, policy, category)
    ]
