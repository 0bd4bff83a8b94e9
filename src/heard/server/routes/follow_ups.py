"""Follow-ups: list (due ones first), read, and complete with the outcome and satisfaction."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from heard import service
from heard.errors import Conflict
from heard.server.deps import CallerDep, DatabaseDep
from heard.server.schemas import FollowUpComplete, FollowUpPage, FollowUpPublic, FollowUpUpdate
from heard.server.views import follow_up_public
from heard.store import repo

router = APIRouter(prefix="/follow-ups", tags=["follow-ups"])


@router.get("", response_model=FollowUpPage)
def list_follow_ups(
    caller: CallerDep,
    db: DatabaseDep,
    status: Annotated[str | None, Query(pattern="^(scheduled|sending|delivered|failed|completed)$")] = None,
    due: Annotated[bool, Query(description="Only those due by now.")] = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> FollowUpPage:
    """The team's follow-ups, soonest due first."""
    with db.read() as session:
        rows, total = repo.list_follow_ups(
            session=session, team_id=caller.team_id, limit=limit, offset=offset, status=status,
            due_before=datetime.now(UTC) if due else None,
        )  # fmt: skip
        return FollowUpPage(
            items=[follow_up_public(r) for r in rows], total=total, limit=limit, offset=offset
        )


@router.get("/{follow_up_id}", response_model=FollowUpPublic)
def get_follow_up(follow_up_id: int, caller: CallerDep, db: DatabaseDep) -> FollowUpPublic:
    with db.read() as session:
        return follow_up_public(
            repo.get_follow_up(session=session, team_id=caller.team_id, follow_up_id=follow_up_id)
        )


@router.patch("/{follow_up_id}", response_model=FollowUpPublic)
def update_follow_up(
    follow_up_id: int, body: FollowUpUpdate, caller: CallerDep, db: DatabaseDep
) -> FollowUpPublic:
    """Adjust a scheduled follow-up before it goes: when it is due, and its message."""
    row = service.adjust_follow_up(
        db, team_id=caller.team_id, follow_up_id=follow_up_id, due_at=body.due_at, message=body.message
    )
    return follow_up_public(row)


@router.post("/{follow_up_id}/complete", response_model=FollowUpPublic)
def complete_follow_up(
    follow_up_id: int, body: FollowUpComplete, caller: CallerDep, db: DatabaseDep
) -> FollowUpPublic:
    """Record how the follow-up went: the outcome and the customer's satisfaction (1-5); the
    satisfaction goes into the conversation's incident too."""
    with db.write() as session:
        row = repo.get_follow_up(
            session=session, team_id=caller.team_id, follow_up_id=follow_up_id, for_update=True
        )
        if row.status == "completed":
            raise Conflict(f"follow-up {row.id} is already completed ({row.outcome})")
        row.status, row.completed_at = "completed", datetime.now(UTC)
        row.outcome, row.satisfaction, row.note = body.outcome, body.satisfaction, body.note
        repo.copy_satisfaction(
            session=session, conversation_id=row.conversation_id, satisfaction=body.satisfaction
        )
        return follow_up_public(row)
