"""Records of helpdesk integrations: connections, the conversation map, the note outbox.

Same rules as ``repo``: keyword-only ``session``, flush without commit, every lookup of a
team's object filters on ``team_id``. Secrets arrive here already encrypted (bytes).

The note outbox works like the follow-up queue (``store.jobs``): a note is claimed just before
it is posted, under a lease the worker renews while it posts; on PostgreSQL the claim reads with
``FOR UPDATE SKIP LOCKED``, on SQLite the write transaction serialises claims. A 2xx marks it
sent; a failure puts it back with doubling backoff until the last attempt.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from heard.errors import RecordNotFound
from heard.store.tables import ExternalConversationRow, IntegrationRow, NoteRow, now


def new_connection_key() -> str:
    return secrets.token_urlsafe(32)


def connection_of(*, session: Session, team_id: int, helpdesk: str) -> IntegrationRow | None:
    return session.scalar(
        select(IntegrationRow).where(IntegrationRow.team_id == team_id, IntegrationRow.helpdesk == helpdesk)
    )


def connection_by_key(*, session: Session, helpdesk: str, key: str) -> IntegrationRow:
    row = session.scalar(select(IntegrationRow).where(IntegrationRow.key == key))
    if row is None or row.helpdesk != helpdesk:
        raise RecordNotFound(
            f"no {helpdesk} connection has this webhook URL; copy the URL again from heard's integration page"
        )
    return row


def connection_by_id(*, session: Session, connection_id: int) -> IntegrationRow | None:
    return session.get(IntegrationRow, connection_id)


def put_connection(*, session: Session, team_id: int, helpdesk: str, **fields) -> IntegrationRow:
    """Create or change a team's connection to a helpdesk (fields as ``IntegrationRow`` has them)."""
    row = connection_of(session=session, team_id=team_id, helpdesk=helpdesk)
    if row is None:
        row = IntegrationRow(team_id=team_id, helpdesk=helpdesk, key=new_connection_key(), frame_origins=[])
        session.add(row)
    for name, value in fields.items():
        setattr(row, name, value)
    row.updated_at = now()
    session.flush()
    return row


def external_conversation(*, session: Session, integration_id: int, external_id: str) -> int | None:
    """The heard conversation that follows a helpdesk conversation, if there is one."""
    return session.scalar(
        select(ExternalConversationRow.conversation_id).where(
            ExternalConversationRow.integration_id == integration_id,
            ExternalConversationRow.external_id == external_id,
        )
    )


def map_conversation(
    *, session: Session, team_id: int, integration_id: int, external_id: str, conversation_id: int
) -> int:
    """Record the map; when a concurrent event recorded one first, the one recorded wins (the
    caller's new conversation is then left empty, and is returned unused)."""
    try:
        with session.begin_nested():
            session.add(ExternalConversationRow(team_id=team_id, integration_id=integration_id,
                                                external_id=external_id, conversation_id=conversation_id))  # fmt: skip
    except IntegrityError:
        kept = external_conversation(session=session, integration_id=integration_id, external_id=external_id)
        if kept is not None:
            return kept
        raise
    return conversation_id


def queue_note(
    *, session: Session, team_id: int, integration_id: int, conversation_id: int,
    external_conversation: str, burst: int, text: str,
) -> NoteRow | None:  # fmt: skip
    """Queue a note for a customer's burst; None when that burst already has one."""
    have = session.scalar(
        select(NoteRow.id).where(NoteRow.conversation_id == conversation_id, NoteRow.burst == burst)
    )
    if have is not None:
        return None
    row = NoteRow(team_id=team_id, integration_id=integration_id, conversation_id=conversation_id,
                  external_conversation=external_conversation, burst=burst, text=text,
                  status="queued", attempts=0, next_attempt_at=now())  # fmt: skip
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None  # another message of the same burst queued it meanwhile
    return row


def notes_of(*, session: Session, team_id: int, conversation_id: int) -> list[NoteRow]:
    return list(
        session.scalars(
            select(NoteRow)
            .where(NoteRow.team_id == team_id, NoteRow.conversation_id == conversation_id)
            .order_by(NoteRow.id)
        )
    )


def claim_note(
    *, session: Session, worker: str, at: datetime, lease_seconds: float, skip: Collection[int] = ()
) -> NoteRow | None:
    """Claim the oldest due note (queued and due, or sending with an expired lease)."""
    due = or_(
        and_(NoteRow.status == "queued", NoteRow.next_attempt_at <= at),
        and_(NoteRow.status == "sending", NoteRow.lease_until < at),
    )
    query = (
        select(NoteRow)
        .where(due, NoteRow.id.not_in(skip) if skip else true())
        .order_by(NoteRow.next_attempt_at, NoteRow.id)
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    row = session.scalar(query)
    if row is None:
        return None
    row.status, row.claimed_by = "sending", worker
    row.lease_until = at + timedelta(seconds=lease_seconds)
    row.attempts += 1
    session.flush()
    return row


def renew_note_lease(
    *, session: Session, note_id: int, worker: str, at: datetime, lease_seconds: float
) -> bool:
    done = session.execute(
        update(NoteRow)
        .where(NoteRow.id == note_id, NoteRow.claimed_by == worker, NoteRow.status == "sending")
        .values(lease_until=at + timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )
    return bool(done.rowcount)


def finish_note(
    *, session: Session, note_id: int, worker: str, at: datetime, error: str | None,
    max_attempts: int, backoff_seconds: float,
) -> str | None:  # fmt: skip
    """Record a post: sent, retried later with doubling backoff, or failed after the last
    attempt. None when the claim was lost (its lease ran out and another worker took it)."""
    row = session.scalar(
        select(NoteRow)
        .where(NoteRow.id == note_id, NoteRow.claimed_by == worker, NoteRow.status == "sending")
        .with_for_update()
    )
    if row is None:
        return None
    row.lease_until = None
    if error is None:
        row.status, row.sent_at, row.last_error = "sent", at, None
    elif row.attempts >= max_attempts:
        row.status, row.last_error = "failed", error[:500]
    else:
        row.status, row.last_error = "queued", error[:500]
        row.next_attempt_at = at + timedelta(seconds=backoff_seconds * 2 ** (row.attempts - 1))
    session.flush()
    return row.status
