"""Conversations as use cases: open, list, read where one stands, its lines and offers, score,
review a draft in it, resolve. Plain functions over a database and plain values; the API
routes and the console call these and add only parsing and rendering.

Every reader here uses the readings stored when each message came in: opening a conversation
runs no model. Time is always explicit: what a draft interrupts, or what the next action is,
depends on ``now``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from heard.errors import Conflict, HeardError, MalformedInput, NotAllowed
from heard.insights.stored import read_incident, stored_scorecard
from heard.playbook import NextAction, PlaybookState, Scorecard, Suggestions, action_at, resolve, suggest
from heard.respond import Solution, review, solutions
from heard.respond.acknowledgement import Apology
from heard.respond.review import DraftReview
from heard.respond.situation import Drafted, Situation, situation_of
from heard.respond.solutions import done
from heard.service.messages import catalogue_of, keep_turn
from heard.store import Database, repo
from heard.store.tables import ConversationRow, FollowUpRow, IncidentRow, MessageRow
from heard.understand import Analysis

log = logging.getLogger("heard.service")
ROLE_RANK = {"agent": 0, "lead": 1, "admin": 2}


@dataclass(frozen=True)
class Opened:
    """A conversation with everything its page shows, read in one go."""

    row: ConversationRow
    customer: str | None
    waiting_since: datetime | None
    messages: list[MessageRow]
    follow_ups: list[FollowUpRow]
    incident: IncidentRow | None


def start_conversation(
    db: Database,
    *,
    team_id: int,
    channel: str = "chat",
    subject: str | None = None,
    customer: str | None = None,
    customer_name: str | None = None,
) -> tuple[ConversationRow, str | None]:
    """Open a conversation, optionally for a customer of the team's (created on first sight)."""
    with db.write() as session:
        row = open_in(
            session, team_id=team_id, channel=channel, subject=subject, customer=customer,
            customer_name=customer_name,
        )  # fmt: skip
        return row, customer


def open_in(
    session: Session,
    *,
    team_id: int,
    channel: str = "chat",
    subject: str | None = None,
    customer: str | None = None,
    customer_name: str | None = None,
) -> ConversationRow:
    """``start_conversation`` inside a caller's transaction (a helpdesk integration records its
    own id for the conversation in the same one, so a race never leaves an empty conversation)."""
    known = customer and repo.customer_for(
        session=session, team_id=team_id, external_ref=customer, name=customer_name
    )
    return repo.create_conversation(
        session=session, team_id=team_id, customer_id=known.id if known else None, channel=channel,
        subject=subject, state=PlaybookState().model_dump(mode="json"),
    )  # fmt: skip


@dataclass(frozen=True)
class Listed:
    rows: list[tuple[ConversationRow, str | None]]
    waiting: dict[int, datetime]
    total: int


def list_conversations(db: Database, *, team_id: int, limit: int, offset: int = 0, **filters) -> Listed:
    """A page of the team's conversations (filters as ``repo.list_conversations`` takes them)."""
    with db.read() as session:
        rows, total = repo.list_conversations(
            session=session, team_id=team_id, limit=limit, offset=offset, **filters
        )
        waiting = repo.waiting_since(session=session, conversation_ids=[row.id for row, _ in rows])
    return Listed(rows, waiting, total)


def open_conversation(db: Database, *, team_id: int, conversation_id: int) -> Opened:
    with db.read() as session:
        row = repo.get_conversation(session=session, team_id=team_id, conversation_id=conversation_id)
        return Opened(
            row=row,
            customer=repo.customer_ref(session=session, customer_id=row.customer_id),
            waiting_since=repo.waiting_since(session=session, conversation_ids=[row.id]).get(row.id),
            messages=repo.messages_of(session=session, conversation_id=row.id),
            follow_ups=repo.follow_ups_of(session=session, conversation_id=row.id),
            incident=repo.incident_of(session=session, conversation_id=row.id),
        )


def next_action(row: ConversationRow, *, now: datetime) -> NextAction | None:
    """The stored next action as it stands at ``now``: a "wait" whose burst is over is "reflect"."""
    if row.next_action is None:
        return None
    state = PlaybookState.model_validate(row.state or {})
    interrupting = state.interrupted_by(now.timestamp()) if state.burst_at else False
    return action_at(NextAction.model_validate(row.next_action), interrupting=interrupting)


def offers(db: Database, *, team_id: int, conversation_id: int) -> list[Solution]:
    """What the team's policy allows for this complaint, each marked when it needs approval."""
    with db.read() as session:
        row = repo.get_conversation(session=session, team_id=team_id, conversation_id=conversation_id)
        catalogue = catalogue_of(repo.get_policy(session=session, team_id=team_id))
    state = PlaybookState.model_validate(row.state)
    return solutions(state.category or "other", catalogue, amounts=state.amounts) if catalogue else []


def lines(db: Database, *, team_id: int, conversation_id: int) -> Suggestions:
    """The suggestion panel's lines, as drafted when the customer last wrote."""
    with db.read() as session:
        row = repo.get_conversation(session=session, team_id=team_id, conversation_id=conversation_id)
        if row.suggestions is not None:
            return Suggestions.model_validate(row.suggestions)
        # Stored before suggestions were kept: draft them once from the stored messages.
        said = [m for m in repo.messages_of(session=session, conversation_id=row.id) if m.role == "customer"]
    stored = [m.analysis for m in said]
    readings = [Analysis.model_validate(a) for a in stored] if all(stored) else None
    return suggest(PlaybookState.model_validate(row.state), [m.text for m in said], readings=readings)


def scorecard(db: Database, *, team_id: int, conversation_id: int) -> Scorecard:
    """The conversation so far scored against the playbook, on its stored readings."""
    with db.read() as session:
        row = repo.get_conversation(session=session, team_id=team_id, conversation_id=conversation_id)
        messages = repo.messages_of(session=session, conversation_id=row.id)
    if not messages:
        raise Conflict(f"conversation {row.id} has no messages yet; there is nothing to score")
    return stored_scorecard(messages)


def review_draft(
    db: Database,
    *,
    team_id: int,
    conversation_id: int,
    draft: str,
    at: datetime,
    customer: str | list[str] | None = None,
) -> DraftReview:
    """Review a draft the agent would send at ``at`` in a stored conversation (answering
    ``customer`` when given, else the customer's last messages). The conversation is judged on
    its stored readings, so only the draft is read; the rewrites are the suggestion panel's
    lines and promises are judged for the complaint category the policy panel offers for."""
    with db.read() as session:
        conv = repo.get_conversation(session=session, team_id=team_id, conversation_id=conversation_id)
        messages = repo.messages_of(session=session, conversation_id=conv.id)
        catalogue = catalogue_of(repo.get_policy(session=session, team_id=team_id))
    if customer is not None or any(m.role == "customer" and not m.analysis for m in messages):
        # Other words than those stored, or rows stored before readings were kept: read them now.
        conversation = [{"role": m.role, "text": m.text, "at": m.at.timestamp()} for m in messages]
        return review(
            draft, customer=customer, conversation=conversation, at=at.timestamp(), policy=catalogue
        )
    return review(draft, policy=catalogue, situation=_situation(conv, messages, at))


def _situation(conv: ConversationRow, messages: list[MessageRow], at: datetime) -> Situation:
    state = PlaybookState.model_validate(conv.state or {})
    last = max((k for k, m in enumerate(messages) if m.role == "customer"), default=None)
    if last is None:
        return Situation(stage="no_context")
    burst = _burst_before(messages, last)
    # A burst is read by its most upset message's stored reading (the one its words come from).
    analysis = max((Analysis.model_validate(m.analysis) for m in burst), key=lambda a: a.upset)
    text = "\n".join(m.text for m in burst)
    lines = Suggestions.model_validate(conv.suggestions) if conv.suggestions else None
    drafted = lines and Drafted(
        reflection=lines.reflection or lines.acknowledgement,
        apology=Apology(text=lines.apology, owns_fault=state.fault == "company") if lines.apology else None,
        questions=tuple(lines.questions),
    )
    if last == len(messages) - 1 and state.interrupted_by(at.timestamp()):
        return Situation(stage="venting", customer=text, analysis=analysis, drafted=drafted)
    said = {id(m) for m in burst}
    earlier = [
        Analysis.model_validate(m.analysis) for m in messages if m.role == "customer" and id(m) not in said
    ]
    return situation_of(
        text, analysis, earlier=earlier[:2], agent_acts=[m.acts or [] for m in messages if m.role == "agent"],
        category=state.category, fault=state.fault, stage=state.stage, drafted=drafted,
    )  # fmt: skip


def _burst_before(messages: list[MessageRow], last: int) -> list[MessageRow]:
    """The customer's messages up to ``last`` since the agent spoke before them."""
    start = last
    while start > 0 and messages[start - 1].role == "customer":
        start -= 1
    return messages[start : last + 1]


@dataclass(frozen=True)
class Resolved:
    row: ConversationRow
    customer: str | None
    follow_up: FollowUpRow
    # What the resolver must know: a remedy given that the agent had promised the customer
    # though it needs approval or goes beyond policy.
    warnings: list[str] = field(default_factory=list)


def resolve_conversation(
    db: Database,
    *,
    team_id: int,
    role: str,
    conversation_id: int,
    remedy: str | None = None,
    fixed: str | None = None,
    root_cause: str | None = None,
    outcome: str | None = None,
    follow_up_in_hours: float | None = None,
) -> Resolved:
    """Mark it resolved, record the incident, and schedule the follow-up with a drafted message.

    A ``remedy`` that needs an approval the resolver cannot give, or that the policy does not
    allow here, is refused, unless the agent already promised it to the customer (a stored
    reply's policy breach names it): then the conversation resolves as promised, and the
    result's ``warnings`` say what still needs a lead."""
    # Reading the incident from the messages is the slow part: do it outside the write lock,
    # and again inside only if a message came in meanwhile.
    with db.read() as session:
        row = repo.get_conversation(session=session, team_id=team_id, conversation_id=conversation_id)
        messages = repo.messages_of(session=session, conversation_id=row.id)
        version, fields, promised = row.version, _fields_of(messages), _promised(messages)
    with db.write() as session:
        row = repo.get_conversation(
            session=session, team_id=team_id, conversation_id=conversation_id, for_update=True
        )
        if row.status == "resolved":
            raise Conflict(f"conversation {row.id} is already resolved; its follow-up is scheduled")
        if row.version != version:
            messages = repo.messages_of(session=session, conversation_id=row.id)
            fields, promised = _fields_of(messages), _promised(messages)
        team = repo.get_team(session=session, team_id=team_id)
        state = PlaybookState.model_validate(row.state)
        warnings: list[str] = []
        if remedy is not None:
            policy = repo.get_policy(session=session, team_id=team_id)
            given, warnings = _remedy(remedy, state, policy, role, promised)
            fixed = fixed or given
        turn = resolve(state, fixed=fixed)
        at = datetime.now(UTC)
        keep_turn(row, turn, at)
        row.status, row.resolved_at = "resolved", at
        repo.record_incident(
            session=session,
            conversation=row,
            root_cause=root_cause,
            outcome=outcome,
            remedy=remedy,
            read=fields,
        )
        hours = follow_up_in_hours if follow_up_in_hours is not None else team.follow_up_delay_hours
        follow_up = repo.schedule_follow_up(
            session=session, team_id=team_id, conversation_id=row.id,
            due_at=at + timedelta(hours=hours), message=turn.action.follow_up or "",
        )  # fmt: skip
        customer = repo.customer_ref(session=session, customer_id=row.customer_id)
        return Resolved(row, customer, follow_up, warnings)


def _fields_of(messages: list) -> dict:
    """What the incident records; a conversation the engine cannot read still resolves (the
    incident keeps what the conversation row knows, and the log says why)."""
    try:
        return read_incident(messages)  # the stored readings: no message read again
    except (HeardError, ValueError) as e:
        log.warning("incident of a conversation not read: %s %s", type(e).__name__, getattr(e, "code", ""))
        return {}


def _promised(messages: list[MessageRow]) -> list[dict]:
    """What the agent's sent replies promised beyond policy (stored with each reply)."""
    return [b for m in messages if m.role == "agent" for b in (m.policy or [])]


def _remedy(
    remedy: str, state: PlaybookState, catalogue_text: str | None, role: str, promised: list[dict]
) -> tuple[str, list[str]]:
    """Check the remedy fits this complaint and the resolver may give it: what was done, in
    words, and the warnings when it goes through only because the agent had promised it."""
    catalogue = catalogue_of(catalogue_text)
    allowed = solutions(state.category or "other", catalogue, amounts=state.amounts) if catalogue else []
    chosen = next((s for s in allowed if s.remedy == remedy), None)
    known = next((r for r in catalogue.remedies if r.id == remedy), None) if catalogue else None
    # A promise checked against this remedy, or of its kind where the policy has none for the complaint.
    kept = [b for b in promised if b.get("remedy") == remedy or (known and b.get("kind") == known.kind)]
    said = "; ".join(f'"{b["promise"]}" ({b["message"]})' for b in kept)
    if chosen is None:
        if known is None or not kept:
            names = (
                ", ".join(s.remedy for s in allowed) or "none (no catalogue, or no remedy for this category)"
            )
            raise MalformedInput(f"remedy {remedy!r} is not one the policy allows here; allowed: {names}")
        return known.name.lower(), [
            f"{remedy} is not one the policy allows for this complaint, but the agent promised it: {said}. "
            "Resolved as promised; ask a lead to confirm it can be given."
        ]
    approver = chosen.approver or "lead"
    unapproved = chosen.needs_approval and ROLE_RANK[role] < ROLE_RANK[approver]
    if unapproved and not kept:
        raise NotAllowed(
            f"{chosen.remedy} needs a {approver}'s approval here; ask a {approver} to resolve it, or choose "
            "a remedy without the approval mark"
        )
    warnings = [
        f"{chosen.remedy} needs a {approver}'s approval here, and the agent promised it to the customer: "
        f"{said}. Resolved as promised; ask a {approver} to approve it before it is given."
    ]
    return done(chosen, catalogue), warnings if unapproved else []  # type: ignore[arg-type]
