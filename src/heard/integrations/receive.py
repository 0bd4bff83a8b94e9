"""A helpdesk's events into heard: map its ids to heard's, call the service layer, and queue at
most one private note per customer burst.

Idempotent: a message id seen before is replayed by ``service.ingest_message`` (stored once,
no second note); a conversation is created once per helpdesk conversation (the map's unique
key decides a race, and the loser's whole transaction rolls back).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from heard import service
from heard.errors import Conflict, EmptyText
from heard.integrations import note as notes
from heard.integrations.base import Connection, Event
from heard.store import Database
from heard.store import integrations as stored
from heard.store.tables import ExternalConversationRow

log = logging.getLogger("heard.integrations")
MAX_CHARS = 10_000


@dataclass(frozen=True)
class Outcome:
    """What heard did with one event (no text: the webhook's answer and the logs show these)."""

    kind: str
    conversation: str
    result: str  # stored | replayed | ignored | opened | resolved | already_resolved | unknown
    heard_conversation: int | None = None
    message: str | None = None
    note: int | None = None  # the queued note's id
    reason: str | None = None


def conversation_for(db: Database, conn: Connection, event: Event) -> int:
    """heard's conversation for the helpdesk's, created (with its customer) on first sight."""
    with db.read() as session:
        found = stored.external_conversation(
            session=session, integration_id=conn.id, external_id=event.conversation
        )
    if found is not None:
        return found
    for _ in range(3):
        try:
            with db.write() as session:
                found = stored.external_conversation(
                    session=session, integration_id=conn.id, external_id=event.conversation
                )
                if found is not None:
                    return found
                row = service.open_in(
                    session, team_id=conn.team_id, channel="chat", subject=f"{conn.helpdesk} #{event.conversation}",
                    customer=event.customer, customer_name=event.customer_name,
                )  # fmt: skip
                session.add(ExternalConversationRow(
                    team_id=conn.team_id, integration_id=conn.id, external_id=event.conversation,
                    conversation_id=row.id,
                ))  # fmt: skip
                session.flush()
                return row.id
        except IntegrityError:
            continue  # another event made it first: its transaction won, ours rolled back
    raise Conflict("the helpdesk conversation was being created by another event; send the event again")


def receive(
    db: Database, conn: Connection, events: Iterable[Event], *, max_chars: int = MAX_CHARS
) -> list[Outcome]:
    """Apply the events in order; each answers with an ``Outcome``."""
    return [_one(db, conn, e, max_chars) for e in events]


def _one(db: Database, conn: Connection, e: Event, max_chars: int) -> Outcome:
    if e.kind == "ignored" or not e.conversation:
        return Outcome(e.kind, e.conversation, "ignored", message=e.message, reason=e.reason)
    if e.kind == "resolved":
        return _resolve(db, conn, e)
    heard_id = conversation_for(db, conn, e)
    if e.kind in ("opened", "reopened"):
        return Outcome(e.kind, e.conversation, "opened", heard_id)
    text = e.text if len(e.text) <= max_chars else e.text[:max_chars]  # read what fits; keep the rest out
    try:
        done = service.ingest_message(
            db, team_id=conn.team_id, conversation_id=heard_id, role=e.role or "customer", text=text,
            at=e.at, author=e.author if e.role == "agent" else None, external_id=e.message,
        )  # fmt: skip
    except EmptyText:
        return Outcome(e.kind, e.conversation, "ignored", heard_id, e.message, reason="no visible text")
    if done.replayed:
        return Outcome(e.kind, e.conversation, "replayed", heard_id, e.message)
    queued = None
    if e.role == "customer" and done.message.analysis:
        queued = _maybe_note(db, conn, e, heard_id, done.message.analysis.get("level", "calm"))
    return Outcome(e.kind, e.conversation, "stored", heard_id, e.message, note=queued)


def _maybe_note(db: Database, conn: Connection, e: Event, heard_id: int, level: str) -> int | None:
    r, burst = notes.reading(
        db, team_id=conn.team_id, conversation_id=heard_id, level=level, now=datetime.now(UTC)
    )
    if not notes.wanted(r, threshold=conn.note_threshold, on_calm=conn.notes_on_calm):
        return None
    with db.read() as session:
        if any(n.burst == burst for n in stored.notes_of(session=session, team_id=conn.team_id,
                                                          conversation_id=heard_id)):  # fmt: skip
            return None  # this burst has its note: one per burst
    text = notes.compose(db, team_id=conn.team_id, conversation_id=heard_id, r=r)
    with db.write() as session:
        row = stored.queue_note(session=session, team_id=conn.team_id, integration_id=conn.id,
                                conversation_id=heard_id, external_conversation=e.conversation,
                                burst=burst, text=text)  # fmt: skip
        return row.id if row is not None else None


def _resolve(db: Database, conn: Connection, e: Event) -> Outcome:
    with db.read() as session:
        heard_id = stored.external_conversation(
            session=session, integration_id=conn.id, external_id=e.conversation
        )
    if heard_id is None:
        return Outcome(e.kind, e.conversation, "unknown", reason="heard has no messages of this conversation")
    try:
        service.resolve_conversation(db, team_id=conn.team_id, role="agent", conversation_id=heard_id)
    except Conflict:
        return Outcome(e.kind, e.conversation, "already_resolved", heard_id)
    return Outcome(e.kind, e.conversation, "resolved", heard_id)
