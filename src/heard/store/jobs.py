"""The follow-up queue: claim due follow-ups, then record how their delivery went.

A claim moves a follow-up from ``scheduled`` to ``sending`` under a lease, in one short
transaction. On PostgreSQL the claim reads with ``FOR UPDATE SKIP LOCKED``, so several
workers take disjoint follow-ups; on SQLite the write transaction (``BEGIN IMMEDIATE``)
serialises claims. The worker claims one follow-up just before it posts it and renews the
lease while the post runs (``renew_lease``), so a live worker never loses a claim to a slow
receiver, and every claim is one real delivery attempt (``attempts`` counts them). A worker
that dies mid-delivery leaves its lease to expire (``HEARD_WORKER_LEASE_SECONDS``) and the
follow-up is claimed again: at-least-once then, and the ``Heard-Delivery`` header lets the
receiver drop the repeat.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict
from sqlalchemy import and_, or_, select, true, update
from sqlalchemy.orm import Session

from heard.store.repo import customer_ref
from heard.store.tables import ConversationRow, FollowUpRow, TeamRow


class Claim(BaseModel):
    """A follow-up a worker holds, with what it needs to deliver it."""

    model_config = ConfigDict(frozen=True)

    id: int
    team_id: int
    conversation_id: int
    customer: str | None
    message: str
    due_at: datetime
    attempt: int
    webhook_url: str
    webhook_secret: str | None


def claim_due(
    *,
    session: Session,
    worker: str,
    at: datetime,
    limit: int,
    lease_seconds: float = 30.0,
    skip: Collection[int] = (),
) -> list[Claim]:
    """Claim up to ``limit`` due follow-ups of teams that have a webhook; oldest due first;
    none of ``skip`` (what this pass of the worker already tried)."""
    due = or_(
        and_(FollowUpRow.status == "scheduled", FollowUpRow.next_attempt_at <= at),
        and_(FollowUpRow.status == "sending", FollowUpRow.lease_until < at),
    )
    query = (
        select(FollowUpRow)
        .join(TeamRow, TeamRow.id == FollowUpRow.team_id)
        .where(due, FollowUpRow.channel == "webhook", TeamRow.webhook_url.is_not(None))
        .where(FollowUpRow.id.not_in(skip) if skip else true())
        .order_by(FollowUpRow.next_attempt_at, FollowUpRow.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=FollowUpRow)
    claims = []
    for row in session.scalars(query).all():
        row.status, row.claimed_by = "sending", worker
        row.lease_until = at + timedelta(seconds=lease_seconds)
        row.attempts += 1
        team = session.get(TeamRow, row.team_id)
        conversation = session.get(ConversationRow, row.conversation_id)
        claims.append(
            Claim(
                id=row.id,
                team_id=row.team_id,
                conversation_id=row.conversation_id,
                customer=customer_ref(session=session, customer_id=conversation.customer_id)
                if conversation
                else None,
                message=row.message,
                due_at=row.due_at,
                attempt=row.attempts,
                webhook_url=team.webhook_url or "",
                webhook_secret=team.webhook_secret,  # None: a team made before signing existed
            )
        )
    session.flush()
    return claims


def renew_lease(
    *, session: Session, follow_up_id: int, worker: str, at: datetime, lease_seconds: float
) -> bool:
    """Extend this worker's lease while it is still delivering; False when the claim is lost."""
    done = session.execute(
        update(FollowUpRow)
        .where(
            FollowUpRow.id == follow_up_id, FollowUpRow.claimed_by == worker, FollowUpRow.status == "sending"
        )
        .values(lease_until=at + timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )
    return bool(done.rowcount)


def finish_delivery(
    *,
    session: Session,
    follow_up_id: int,
    worker: str,
    at: datetime,
    error: str | None,
    max_attempts: int,
    backoff_seconds: float,
) -> str | None:
    """Record a delivery: delivered, or retried later with doubling backoff, or failed after the
    last attempt. Returns the new status, or None when the claim was lost (lease expired and
    another worker took it)."""
    row = session.scalar(
        select(FollowUpRow)
        .where(
            FollowUpRow.id == follow_up_id, FollowUpRow.claimed_by == worker, FollowUpRow.status == "sending"
        )
        .with_for_update()
    )
    if row is None:
        return None
    row.lease_until = None
    if error is None:
        row.status, row.delivered_at, row.last_error = "delivered", at, None
    elif row.attempts >= max_attempts:
        row.status, row.last_error = "failed", error[:500]
    else:
        row.status, row.last_error = "scheduled", error[:500]
        row.next_attempt_at = at + timedelta(seconds=backoff_seconds * 2 ** (row.attempts - 1))
    session.flush()
    return row.status
