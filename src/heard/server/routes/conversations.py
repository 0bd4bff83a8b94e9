"""Conversations: create, list with filters and paging, read with the timeline, update, resolve, delete."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from heard import service
from heard.playbook import Scorecard, Suggestions
from heard.respond import Solution
from heard.respond.stage import ConversationStage
from heard.server.deps import CallerDep, DatabaseDep
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

router = APIRouter(prefix="/conversations", tags=["conversations"])
log = logging.getLogger("heard.server")


@router.post("", response_model=ConversationPublic, status_code=201)
def create_conversation(body: ConversationCreate, caller: CallerDep, db: DatabaseDep) -> ConversationPublic:
    """Open a conversation, optionally for a customer of yours (created on first sight)."""
    row, customer = service.start_conversation(
        db, team_id=caller.team_id, channel=body.channel, subject=body.subject, customer=body.customer,
        customer_name=body.customer_name,
    )  # fmt: skip
    return conversation_public(row, customer)


@router.get("", response_model=ConversationPage)
def list_conversations(
    caller: CallerDep,
    db: DatabaseDep,
    status: Annotated[str | None, Query(pattern="^(open|resolved)$")] = None,
    stage: ConversationStage | None = None,
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
    listed = service.list_conversations(
        db, team_id=caller.team_id, limit=limit, offset=offset, status=status, stage=stage, category=category,
        customer=customer, min_upset=min_upset, updated_after=updated_after, sort=sort,
    )  # fmt: skip
    items = [
        conversation_public(row, ref, waiting_since=listed.waiting.get(row.id)) for row, ref in listed.rows
    ]
    return ConversationPage(items=items, total=listed.total, limit=limit, offset=offset)


@router.get("/{conversation_id}", response_model=ConversationDetail)
def get_conversation(conversation_id: int, caller: CallerDep, db: DatabaseDep) -> ConversationDetail:
    """One conversation with its playbook state, its messages in order, follow-ups and incident;
    the next action as it stands now (a burst that is over no longer says "wait")."""
    return conversation_detail(
        service.open_conversation(db, team_id=caller.team_id, conversation_id=conversation_id)
    )


def conversation_detail(opened: service.Opened, *, now: datetime | None = None) -> ConversationDetail:
    row = opened.row
    public = conversation_public(row, opened.customer, waiting_since=opened.waiting_since, now=now)
    return ConversationDetail(
        **public.model_dump(),
        state=row.state,
        timeline=[message_public(m) for m in opened.messages],
        follow_ups=[follow_up_public(f) for f in opened.follow_ups],
        incident=IncidentPublic.model_validate(opened.incident) if opened.incident else None,
    )


@router.get("/{conversation_id}/solutions", response_model=list[Solution])
def get_solutions(conversation_id: int, caller: CallerDep, db: DatabaseDep) -> list[Solution]:
    """What the team's policy allows for this complaint, each marked when it needs approval;
    empty without a catalogue or before the customer named a problem it covers."""
    return service.offers(db, team_id=caller.team_id, conversation_id=conversation_id)


@router.get("/{conversation_id}/suggestions", response_model=Suggestions)
def get_suggestions(conversation_id: int, caller: CallerDep, db: DatabaseDep) -> Suggestions:
    """Every line the agent might send next: the reflection of the customer's latest messages,
    an acknowledgement, the apology while one is owed, and questions for what is missing."""
    return service.lines(db, team_id=caller.team_id, conversation_id=conversation_id)


@router.get("/{conversation_id}/scorecard", response_model=Scorecard)
def get_scorecard(conversation_id: int, caller: CallerDep, db: DatabaseDep) -> Scorecard:
    """The conversation so far scored against the playbook (``heard.score_conversation``)."""
    return service.scorecard(db, team_id=caller.team_id, conversation_id=conversation_id)


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
    done = service.resolve_conversation(
        db, team_id=caller.team_id, role=caller.role, conversation_id=conversation_id, remedy=body.remedy,
        fixed=body.fixed, root_cause=body.root_cause, outcome=body.outcome,
        follow_up_in_hours=body.follow_up_in_hours,
    )  # fmt: skip
    return ResolveResult(
        conversation=conversation_public(done.row, done.customer),
        follow_up=follow_up_public(done.follow_up),
        warnings=done.warnings,
    )
