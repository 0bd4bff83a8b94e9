"""The debrief of a practice session: the playbook scorecard, turning points, one tip per missed step.

The scorecard is ``heard.score_conversation`` of the transcript, the same that judges real
conversations. Each tip's better line is heard's own suggestion for that moment
(``heard.playbook.suggest`` on the customer's words before the reply that missed it, or the
policy's offer from ``heard.respond.solutions``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from heard.playbook import PlaybookState, Scorecard, score_conversation, step, suggest
from heard.respond.solutions import solutions

if TYPE_CHECKING:
    from heard.simulate.practice import Practice

_BIG = 0.12  # a mood change this large is a turning point
# What to do instead, for steps heard drafts no words for.
_PLAIN = {
    "avoid_interruptions": "(Wait until they have finished: no reply while they are still sending messages.)",
    "take_responsibility": "I'll look into this myself and come back to you today.",
    "stay_calm": None,  # the acknowledgement is the calm line
    "follow_up": "I'll check in with you on Friday to make sure it's all sorted.",
}


class Tip(BaseModel):
    """One missed step, why it matters, and a better line."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    step: str = Field(description="The playbook step (heard.playbook step id).")
    why: str
    better_line: str | None = Field(description="What heard would have suggested at that moment.")
    turn: int | None = Field(default=None, description="The reply it would have fitted (from 1).")


class Debrief(BaseModel):
    """How the session went, against the playbook."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ended: str | None
    turns: int
    scorecard: Scorecard
    turning_points: list[tuple[int, str]] = Field(description="(reply number, what happened).")
    tips: list[Tip]
    revealed: list[str] = Field(description="Hidden facts the trainee learned (ids).")
    missed_facts: list[str] = Field(description="Hidden facts never asked for (ids).")


def debrief(p: Practice) -> Debrief:
    """The debrief of session ``p`` (any time; usually once it has ended)."""
    card = score_conversation(p.transcript)
    return Debrief(
        ended=p.ended,
        turns=len(p.turns),
        scorecard=card,
        turning_points=_turning_points(p),
        tips=_tips(p, card),
        revealed=list(p.revealed),
        missed_facts=[h.id for h in p.scenario.hidden if h.id not in p.revealed],
    )


def _turning_points(p: Practice) -> list[tuple[int, str]]:
    points = []
    facts = {h.id: h.fact for h in p.scenario.hidden}
    for t in p.turns:
        big = [c for c in t.changes if abs(c.delta) >= _BIG * 0.99 and c.what != "progress"]
        if t.revealed:  # what the customer told, in their words: ids mean nothing to a trainee
            told = " ".join(f'"{facts.get(i, i)}"' for i in t.revealed)
            points.append((t.number, f"asked the right question; the customer told you {told}"))
        if big:
            c = max(big, key=lambda c: abs(c.delta))
            way = "rose" if c.delta > 0 else "fell"
            points.append((t.number, f"{c.what} {way} by {abs(c.delta):.2f}: {c.reason}"))
        if t.ended:
            points.append((t.number, f"the customer {t.ended}"))
    return points


def _moment(p: Practice, step_id: str) -> int:
    """The reply where the step was first due: the first reply, or the first offer for offers."""
    for t in p.turns:
        if step_id == "offer_solutions" and t.mood.progress >= 0.2:
            return t.number
        if step_id == "avoid_interruptions" and "interrupted" in t.events:
            return t.number
    return 1


def _tips(p: Practice, card: Scorecard) -> list[Tip]:
    tips = []
    sc = p.scenario
    for result in card.steps:
        if result.status != "missed":
            continue
        turn = _moment(p, result.step) if p.turns else None
        before = [m for m in p.transcript[: _cut(p, turn)] if m["role"] == "customer"]
        said = [m["text"] for m in before] or list(sc.opening)
        s = suggest(PlaybookState(burst=len(said), fault=sc.fault), said)
        line = {
            "listen": s.reflection,
            "acknowledge": s.acknowledgement,
            "show_empathy": s.acknowledgement,
            "stay_calm": s.acknowledgement,
            "apologise": s.apology,
            "ask_details": s.questions[0].text if s.questions else sc.hidden[0].question,
        }.get(result.step)
        if result.step == "offer_solutions":
            offers = solutions(
                sc.category, sc.policy, amounts=[str(sc.wants.amount)] if sc.wants.amount else []
            )
            line = next((o.text for o in offers if o.kind in sc.wants.kinds and not o.needs_approval), None)
        line = line or _PLAIN.get(result.step)
        why = step(result.step).name
        evidence = "; ".join(result.evidence[:1])
        tips.append(
            Tip(step=result.step, why=f"{why}: {evidence}" if evidence else why, better_line=line, turn=turn)
        )
    return tips


def _cut(p: Practice, turn: int | None) -> int:
    """How many transcript messages came before reply number ``turn``."""
    if turn is None:
        return len(p.transcript)
    seen = 0
    for k, m in enumerate(p.transcript):
        if m["role"] == "agent":
            seen += 1
            if seen == turn:
                return k
    return len(p.transcript)
