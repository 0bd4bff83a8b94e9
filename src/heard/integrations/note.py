"""The private note heard posts on a helpdesk conversation, composed from what the service layer
already knows of it (the stored reading, the fold's next action, the suggestion lines, the
policy offers): nothing here judges the conversation on its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from heard import service
from heard.integrations.base import level_at_least
from heard.playbook import PlaybookState
from heard.store import Database, repo

HEADER = "heard"  # every note starts with it, so agents (and heard) can tell its notes apart


@dataclass(frozen=True)
class Reading:
    """What decides whether a customer's message earns a note."""

    level: str
    venting: bool


def reading(
    db: Database, *, team_id: int, conversation_id: int, level: str, now: datetime
) -> tuple[Reading, int]:
    """The customer's level and whether they are still venting (the fold's "wait"), with the
    number that names the current burst (messages before it began: the same for every message
    of one burst, larger for each later burst)."""
    with db.read() as session:
        row = repo.get_conversation(session=session, team_id=team_id, conversation_id=conversation_id)
    state = PlaybookState.model_validate(row.state or {})
    action = service.next_action(row, now=now)
    return Reading(
        level=level, venting=action is not None and action.kind == "wait"
    ), row.messages - state.burst


def wanted(r: Reading, *, threshold: str, on_calm: bool) -> bool:
    """A note when the customer is at or above the threshold, or still venting while not calm;
    on calm messages only when the team asked for notes on calm ones too."""
    return on_calm or level_at_least(r.level, threshold) or (r.venting and r.level != "calm")


def compose(db: Database, *, team_id: int, conversation_id: int, r: Reading) -> str:
    """The note's text: level, "still venting: wait", the reflection, the apology when owed, the
    questions still open, what policy allows."""
    lines = service.lines(db, team_id=team_id, conversation_id=conversation_id)
    offers = service.offers(db, team_id=team_id, conversation_id=conversation_id)
    out = [f"{HEADER} · the customer is {r.level}"]
    if r.venting:
        out.append("Still venting: wait. Let them finish before you reply.")
    if said := lines.reflection or lines.acknowledgement:
        out.append(f"Reflect: {said}")
    if lines.apology:
        out.append(f"Apologise: {lines.apology}")
    if lines.questions:
        out.append("Still to ask:")
        out.extend(f"- {q.text}" for q in lines.questions)
    if offers:
        out.append("Policy allows:")
        for s in offers:
            approval = f" (needs a {s.approver or 'lead'}'s approval)" if s.needs_approval else ""
            out.append(f"- {s.text}{approval}")
    return "\n".join(out)
