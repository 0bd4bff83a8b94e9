"""Conversations: create, list with filters and paging, read with the timeline, update, resolve, delete."""

from __future__ import annotations

import functools
import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from heard.errors import Conflict, HeardError, MalformedInput, NotAllowed
from heard.insights.stored import read_incident
from heard.playbook import PlaybookState, Scorecard, Suggestions, resolve, score_conversation, suggest
from heard.playbook.conversation import Stage
from heard.respond import Solution, solutions
from heard.respond.solutions import done
from heard.server.deps import ROLE_RANK, Caller, CallerDep, DatabaseDep
from heard.server.ingest import catalogue_of
from heard.server.schemas import (
    ConversationCreate,
    ConversationDetail,
    ConversationPage,
    ConversationPublic,
    ConversationUpdate,
    IncidentPublic,
    ResolveCreate,
    ResolveResult,
)
from heard.server.views import conversation_public, follow_up_public, message_public
from heard.store import repo
from heard.understand import Analysis, analyze

router = APIRouter(prefix="/conversations", tags=["conversations"])
log = logging.getLogger("heard.server")


@router.post("", response_model=ConversationPublic, status_code=201)
def create_conversation(body: ConversationCreate, caller: CallerDep, db: DatabaseDep) -> ConversationPublic:
    """Open a conversation, optionally for a customer of yours (created on first sight)."""
    with db.write() as session:
        customer = body.customer and repo.customer_for(
            session=session, team_id=caller.team_id, external_ref=body.customer, name=body.customer_name
        )
        row = repo.create_conversation(
            session=session,
            team_id=caller.team_id,
            customer_id=customer.id if customer else None,
            channel=body.channel,
            subject=body.subject,
            state=PlaybookState().model_dump(mode="json"),
        )
        return conversation_public(row, body.customer)


@router.get("", response_model=ConversationPage)
def list_conversations(
    caller: CallerDep,
    db: DatabaseDep,
    status: Annotated[str | None, Query(pattern="^(open|resolved)$")] = None,
    stage: Stage | None = None,
    category: str | None = None,
    customer: str | None = None,
    min_upset: Annotated[float | None, Query(ge=0, le=1, description="Peak upset at least this.")] = None,
    updated_after: datetime | None = None,
    sort: Annotated[
        Literal["updated", "attention"],
        Query(
            description="updated: newest change first; attention: most upset, then longest waiting, first."
        ),
    ] = "updated",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ConversationPage:
    """The team's conversations, most recently changed first (or in the order to work them)."""
    with db.read() as session:
        rows, total = repo.list_conversations(
            session=session, team_id=caller.team_id, limit=limit, offset=offset, status=status, stage=stage,
            category=category, customer=customer, min_upset=min_upset, updated_after=updated_after, sort=sort,
        )  # fmt: skip
        waiting = repo.waiting_since(session=session, conversation_ids=[row.id for row, _ in rows])
        items = [conversation_public(row, ref, waiting_since=waiting.get(row.id)) for row, ref in rows]
    return ConversationPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{conversation_id}", response_model=ConversationDetail)
def get_conversation(conversation_id: int, caller: CallerDep, db: DatabaseDep) -> ConversationDetail:
    """One conversation with its playbook state, its messages in order, follow-ups and incident."""
    with db.read() as session:
        row = repo.get_conversation(session=session, team_id=caller.team_id, conversation_id=conversation_id)
        incident = repo.incident_of(session=session, conversation_id=row.id)
        waiting = repo.waiting_since(session=session, conversation_ids=[row.id]).get(row.id)
        return ConversationDetail(
            **conversation_public(
                row, repo.customer_ref(session=session, customer_id=row.customer_id), waiting_since=waiting
            ).model_dump(),
            state=row.state,
            timeline=[message_public(m) for m in repo.messages_of(session=session, conversation_id=row.id)],
            follow_ups=[
                follow_up_public(f) for f in repo.follow_ups_of(session=session, conversation_id=row.id)
            ],
            incident=IncidentPublic.model_validate(incident) if incident else None,
        )


@router.get("/{conversation_id}/solutions", response_model=list[Solution])
def get_solutions(conversation_id: int, caller: CallerDep, db: DatabaseDep) -> list[Solution]:
    """What the team's policy allows for this complaint, each marked when it needs approval;
    empty without a catalogue or before the customer named a problem it covers."""
    with db.read() as session:
        row = repo.get_conversation(session=session, team_id=caller.team_id, conversation_id=conversation_id)
        catalogue = catalogue_of(repo.get_policy(session=session, team_id=caller.team_id))
    state = PlaybookState.model_validate(row.state)
    if catalogue is None:
        return []
    return solutions(state.category or "other", catalogue, amounts=state.amounts)


@router.get("/{conversation_id}/suggestions", response_model=Suggestions)
def get_suggestions(conversation_id: int, caller: CallerDep, db: DatabaseDep) -> Suggestions:
    """Every line the agent might send next: the reflection of the customer's latest messages,
    an acknowledgement, the apology while one is owed, and questions for what is missing."""
    with db.read() as session:
        row = repo.get_conversation(session=session, team_id=caller.team_id, conversation_id=conversation_id)
        said = tuple(
            t for role, t in repo.message_texts(session=session, conversation_id=row.id) if role == "customer"
        )
        state = row.state
    return _suggestions(said, PlaybookState.model_validate(state).model_dump_json())


@functools.lru_cache(maxsize=512)
def _suggestions(said: tuple[str, ...], state: str) -> Suggestions:
    """Suggestions read the story again: keep those of unchanged conversations."""
    return suggest(PlaybookState.model_validate_json(state), list(said))


@router.get("/{conversation_id}/scorecard", response_model=Scorecard)
def get_scorecard(conversation_id: int, caller: CallerDep, db: DatabaseDep) -> Scorecard:
    """The conversation so far scored against the playbook (``heard.score_conversation``)."""
    with db.read() as session:
        row = repo.get_conversation(session=session, team_id=caller.team_id, conversation_id=conversation_id)
        messages = tuple(
            (m.role, m.text, m.at.isoformat(), json.dumps(m.analysis) if m.analysis else None)
            for m in repo.messages_of(session=session, conversation_id=row.id)
        )
    if not messages:
        raise Conflict(f"conversation {row.id} has no messages yet; there is nothing to score")
    return _scorecard(messages)


@functools.lru_cache(maxsize=512)
def _scorecard(messages: tuple[tuple[str, str, str, str | None], ...]) -> Scorecard:
    """Scoring reads the agent's acts again: keep the cards of unchanged conversations. Customer
    messages are scored on the analyses stored with them (only one stored without is analysed)."""
    analyses = [
        Analysis.model_validate_json(a) if a else analyze(t) for r, t, _, a in messages if r == "customer"
    ]
    transcript = [{"role": r, "text": t, "at": at} for r, t, at, _ in messages]
    return score_conversation(transcript, analyses=analyses)


@router.patch("/{conversation_id}", response_model=ConversationPublic)
def update_conversation(
    conversation_id: int, body: ConversationUpdate, caller: CallerDep, db: DatabaseDep
) -> ConversationPublic:
    """Change a conversation's subject or channel."""
    with db.write() as session:
        row = repo.get_conversation(session=session, team_id=caller.team_id, conversation_id=conversation_id)
        for field, value in body.model_dump(exclude_unset=True).items():
            setattr(row, field, value)
        row.updated_at = datetime.now(UTC)
        return conversation_public(row, repo.customer_ref(session=session, customer_id=row.customer_id))


@router.delete("/{conversation_id}", status_code=204, response_class=Response)
def delete_conversation(conversation_id: int, caller: CallerDep, db: DatabaseDep) -> Response:
    """Delete a conversation with its messages, follow-ups and incident (a lead's or admin's key)."""
    caller.require("lead")
    with db.write() as session:
        session.delete(
            repo.get_conversation(session=session, team_id=caller.team_id, conversation_id=conversation_id)
        )
    return Response(status_code=204)


@router.post("/{conversation_id}/resolve", response_model=ResolveResult)
def resolve_conversation(
    conversation_id: int, body: ResolveCreate, caller: CallerDep, db: DatabaseDep
) -> ResolveResult:
    """Mark it resolved, record the incident, and schedule the follow-up with a drafted message."""
    # Reading the incident from the messages is the slow part: do it outside the write lock,
    # and again inside only if a message came in meanwhile.
    version, fields = _incident_fields(conversation_id, caller, db)
    with db.write() as session:
        row = repo.get_conversation(
            session=session, team_id=caller.team_id, conversation_id=conversation_id, for_update=True
        )
        if row.status == "resolved":
            raise Conflict(f"conversation {row.id} is already resolved; its follow-up is scheduled")
        if row.version != version:
            fields = _fields_of(repo.messages_of(session=session, conversation_id=row.id))
        team = repo.get_team(session=session, team_id=caller.team_id)
        state = PlaybookState.model_validate(row.state)
        fixed = body.fixed
        if body.remedy is not None:
            given = _remedy(
                body.remedy, state, repo.get_policy(session=session, team_id=caller.team_id), caller
            )
            fixed = fixed or given
        turn = resolve(state, fixed=fixed)
        at = datetime.now(UTC)
        row.status, row.resolved_at, row.updated_at = "resolved", at, at
        row.stage, row.state, row.version = (
            turn.state.stage,
            turn.state.model_dump(mode="json"),
            row.version + 1,
        )
        row.next_action = turn.action.model_dump(mode="json")
        repo.record_incident(
            session=session, conversation=row, root_cause=body.root_cause, outcome=body.outcome,
            remedy=body.remedy, read=fields,
        )  # fmt: skip
        hours = body.follow_up_in_hours if body.follow_up_in_hours is not None else team.follow_up_delay_hours
        follow_up = repo.schedule_follow_up(
            session=session, team_id=caller.team_id, conversation_id=row.id,
            due_at=at + timedelta(hours=hours), message=turn.action.follow_up or "",
        )  # fmt: skip
        customer = repo.customer_ref(session=session, customer_id=row.customer_id)
        return ResolveResult(
            conversation=conversation_public(row, customer), follow_up=follow_up_public(follow_up)
        )


def _incident_fields(conversation_id: int, caller: Caller, db) -> tuple[int, dict]:
    """The conversation's version and what its incident records (``heard.insights.stored``)."""
    with db.read() as session:
        row = repo.get_conversation(session=session, team_id=caller.team_id, conversation_id=conversation_id)
        version, messages = row.version, repo.messages_of(session=session, conversation_id=row.id)
    return version, _fields_of(messages)


def _fields_of(messages: list) -> dict:
    """What the incident records; a conversation the engine cannot read still resolves (the
    incident keeps what the conversation row knows, and the log says why)."""
    try:
        return read_incident(messages)  # the stored analyses: no customer message analysed again
    except (HeardError, ValueError) as e:
        log.warning("incident of a conversation not read: %s %s", type(e).__name__, getattr(e, "code", ""))
        return {}


def _remedy(remedy: str, state: PlaybookState, catalogue_text: str | None, caller: Caller) -> str:
    """Check the remedy fits this complaint and the caller may give it; what was done, in words."""
    catalogue = catalogue_of(catalogue_text)
    offers = solutions(state.category or "other", catalogue, amounts=state.amounts) if catalogue else []
    chosen = next((s for s in offers if s.remedy == remedy), None)
    if chosen is None:
        allowed = ", ".join(s.remedy for s in offers) or "none (no catalogue, or no remedy for this category)"
        raise MalformedInput(f"remedy {remedy!r} is not one the policy allows here; allowed: {allowed}")
    approver = chosen.approver or "lead"
    if chosen.needs_approval and ROLE_RANK[caller.role] < ROLE_RANK[approver]:
        raise NotAllowed(
            f"{chosen.remedy} needs a {approver}'s approval here; ask a {approver} to resolve it, or choose "
            "a remedy without the approval mark"
        )
    return done(chosen, catalogue)
