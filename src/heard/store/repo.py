"""Reading and writing heard's records. Every function takes ``session`` keyword-only and
flushes but does not commit: the caller owns the transaction (``Database.write()``).

Every lookup of a team's object filters on ``team_id``; an object of another team raises
``RecordNotFound`` exactly as a missing one does.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Row, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from heard.errors import Conflict, RecordNotFound
from heard.store.tables import (
    ApiKeyRow,
    ConsoleSessionRow,
    ConversationRow,
    CustomerRow,
    FollowUpRow,
    IncidentRow,
    MessageRow,
    PolicyRow,
    TeamRow,
    UserRow,
    UTCDateTime,
    new_webhook_secret,
    now,
)
from heard.understand.upset import LEVELS, level_of

ROLES = ("agent", "lead", "admin")
KEY_PREFIX = "hd_"


def digest(key: str) -> str:
    """What is stored of an API key: its SHA-256 (keys are random, 256 bits, so no salt is needed)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


# --- teams, users, keys ---------------------------------------------------------------


def create_team(*, session: Session, name: str, **settings: Any) -> TeamRow:
    team = TeamRow(name=name, **settings)
    session.add(team)
    session.flush()
    return team


def count_teams(*, session: Session) -> int:
    return session.scalar(select(func.count()).select_from(TeamRow)) or 0


def get_team(*, session: Session, team_id: int) -> TeamRow:
    team = session.get(TeamRow, team_id)
    if team is None:
        raise RecordNotFound(f"no team {team_id}")
    return team


def team_by_name(*, session: Session, name: str) -> TeamRow:
    team = session.scalar(select(TeamRow).where(TeamRow.name == name))
    if team is None:
        known = ", ".join(sorted(session.scalars(select(TeamRow.name).limit(20)))) or "none yet"
        raise RecordNotFound(
            f"no team named {name!r} (teams: {known}); create it with 'heard team create {name}'"
        )
    return team


def create_user(*, session: Session, team_id: int, name: str, role: str) -> UserRow:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    if session.scalar(select(UserRow.id).where(UserRow.team_id == team_id, UserRow.name == name)):
        raise Conflict(f"the team already has a user named {name!r}; choose another name")
    user = UserRow(team_id=team_id, name=name, role=role)
    session.add(user)
    session.flush()
    return user


def issue_key(*, session: Session, user: UserRow) -> str:
    """A new API key for this user. The key itself is returned once and never stored."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiKeyRow(team_id=user.team_id, user_id=user.id, prefix=key[:10], digest=digest(key)))
    session.flush()
    return key


def user_by_key(*, session: Session, key: str) -> UserRow | None:
    """The user an unrevoked key belongs to, or None."""
    return session.scalar(
        select(UserRow)
        .join(ApiKeyRow, ApiKeyRow.user_id == UserRow.id)
        .where(ApiKeyRow.digest == digest(key), ApiKeyRow.revoked_at.is_(None))
    )


def key_id_of(*, session: Session, key: str) -> int | None:
    """The id of an unrevoked key, or None."""
    return session.scalar(
        select(ApiKeyRow.id).where(ApiKeyRow.digest == digest(key), ApiKeyRow.revoked_at.is_(None))
    )


def user_name(*, session: Session, user_id: int) -> str | None:
    user = session.get(UserRow, user_id)
    return user.name if user else None


class KeyInfo(BaseModel):
    """What is shown of an API key: never the key, only its first characters."""

    id: int
    user_id: int
    user: str
    role: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


def list_keys(*, session: Session, team_id: int) -> list[KeyInfo]:
    rows = session.execute(
        select(ApiKeyRow, UserRow)
        .join(UserRow, UserRow.id == ApiKeyRow.user_id)
        .where(ApiKeyRow.team_id == team_id)
        .order_by(ApiKeyRow.id)
    ).all()
    return [_key_info(key, user) for key, user in rows]


def _key_info(key: ApiKeyRow, user: UserRow) -> KeyInfo:
    return KeyInfo(id=key.id, user_id=user.id, user=user.name, role=user.role, prefix=key.prefix,
                   created_at=key.created_at, revoked_at=key.revoked_at)  # fmt: skip


def revoke_key(*, session: Session, team_id: int, key_id: int) -> KeyInfo:
    """Revoke one of the team's keys (at once: nothing caches a key across requests for long)
    and end the console sessions signed in with it. Revoking twice keeps the first time."""
    key = session.scalar(select(ApiKeyRow).where(ApiKeyRow.id == key_id, ApiKeyRow.team_id == team_id))
    if key is None:
        raise RecordNotFound(f"the team has no API key {key_id}; GET /v1/keys lists them")
    user = session.get(UserRow, key.user_id)
    if key.revoked_at is None and user.role == "admin" and not _other_admin_keys(session, team_id, key.id):
        raise Conflict(
            "this is the team's last active admin key: revoking it would lock the team out; "
            f"issue another admin key first (POST /v1/users/{user.id}/keys or 'heard key issue'), then revoke this one"
        )
    if key.revoked_at is None:
        key.revoked_at = now()
        end_sessions(session=session, key_id=key.id)
    session.flush()
    return _key_info(key, user)


def _other_admin_keys(session: Session, team_id: int, key_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(ApiKeyRow)
            .join(UserRow, UserRow.id == ApiKeyRow.user_id)
            .where(
                ApiKeyRow.team_id == team_id,
                ApiKeyRow.id != key_id,
                ApiKeyRow.revoked_at.is_(None),
                UserRow.role == "admin",
            )  # fmt: skip
        )
        or 0
    )


def key_by_prefix(*, session: Session, team_id: int, prefix: str) -> int:
    """The id of the team's key starting with ``prefix`` (as ``heard key list`` shows it)."""
    ids = session.scalars(
        select(ApiKeyRow.id).where(
            ApiKeyRow.team_id == team_id, ApiKeyRow.prefix.startswith(prefix, autoescape=True)
        )
    ).all()
    if len(ids) != 1:
        raise RecordNotFound(
            f"{'no' if not ids else 'more than one'} key of the team starts with {prefix!r}; give its id or a longer prefix"
        )
    return ids[0]


def get_user(*, session: Session, team_id: int, user_id: int) -> UserRow:
    user = session.scalar(select(UserRow).where(UserRow.id == user_id, UserRow.team_id == team_id))
    if user is None:
        raise RecordNotFound(f"the team has no user {user_id}")
    return user


# --- console sessions -------------------------------------------------------------------


def start_session(*, session: Session, key_id: int, token: str, expires_at: datetime) -> None:
    # Sessions that ended or expired are of no more use: each sign-in clears this key's.
    session.execute(
        delete(ConsoleSessionRow).where(
            ConsoleSessionRow.key_id == key_id,
            or_(ConsoleSessionRow.ended_at.is_not(None), ConsoleSessionRow.expires_at < now()),
        )
    )
    session.add(ConsoleSessionRow(key_id=key_id, digest=digest(token), expires_at=expires_at))
    session.flush()


def user_by_session(*, session: Session, token: str, at: datetime) -> tuple[int, UserRow] | None:
    """The key id and user of a live session: not ended, not expired, its key unrevoked."""
    found = session.execute(
        select(ApiKeyRow.id, UserRow)
        .select_from(ConsoleSessionRow)
        .join(ApiKeyRow, ApiKeyRow.id == ConsoleSessionRow.key_id)
        .join(UserRow, UserRow.id == ApiKeyRow.user_id)
        .where(
            ConsoleSessionRow.digest == digest(token),
            ConsoleSessionRow.ended_at.is_(None),
            ConsoleSessionRow.expires_at > at,
            ApiKeyRow.revoked_at.is_(None),
        )
    ).first()
    return (found[0], found[1]) if found else None


def end_session(*, session: Session, token: str) -> bool:
    row = session.scalar(select(ConsoleSessionRow).where(ConsoleSessionRow.digest == digest(token)))
    if row is None or row.ended_at is not None:
        return False
    row.ended_at = now()
    session.flush()
    return True


def end_sessions(*, session: Session, key_id: int) -> None:
    for row in session.scalars(
        select(ConsoleSessionRow).where(
            ConsoleSessionRow.key_id == key_id, ConsoleSessionRow.ended_at.is_(None)
        )
    ):
        row.ended_at = now()


# --- webhook signing --------------------------------------------------------------------


def webhook_secret(*, session: Session, team_id: int, rotate: bool = False) -> str:
    """The team's webhook signing secret (made on first use; ``rotate``: a new one)."""
    team = get_team(session=session, team_id=team_id)
    if rotate or not team.webhook_secret:
        team.webhook_secret = new_webhook_secret()
        session.flush()
    return team.webhook_secret


def revoke_keys(*, session: Session, user_id: int) -> int:
    keys = session.scalars(
        select(ApiKeyRow).where(ApiKeyRow.user_id == user_id, ApiKeyRow.revoked_at.is_(None))
    )
    count = 0
    for key in keys:
        key.revoked_at = now()
        end_sessions(session=session, key_id=key.id)
        count += 1
    session.flush()
    return count


# --- policies ---------------------------------------------------------------------------


def get_policy(*, session: Session, team_id: int) -> str | None:
    row = session.get(PolicyRow, team_id)
    return row.catalogue if row else None


def put_policy(*, session: Session, team_id: int, catalogue: str) -> None:
    row = session.get(PolicyRow, team_id)
    if row is None:
        session.add(PolicyRow(team_id=team_id, catalogue=catalogue))
    else:
        row.catalogue, row.updated_at = catalogue, now()
    session.flush()


# --- customers and conversations ---------------------------------------------------------


def customer_for(
    *, session: Session, team_id: int, external_ref: str, name: str | None = None
) -> CustomerRow:
    """The team's customer with this reference, created on first sight."""
    row = session.scalar(
        select(CustomerRow).where(CustomerRow.team_id == team_id, CustomerRow.external_ref == external_ref)
    )
    if row is None:
        row = CustomerRow(team_id=team_id, external_ref=external_ref, name=name)
        session.add(row)
        session.flush()
    elif name and row.name != name:
        row.name = name
    return row


def create_conversation(
    *, session: Session, team_id: int, customer_id: int | None, channel: str, subject: str | None, state: dict
) -> ConversationRow:
    row = ConversationRow(
        team_id=team_id, customer_id=customer_id, channel=channel, subject=subject, state=state
    )
    session.add(row)
    session.flush()
    return row


def last_conversation_id(*, session: Session, team_id: int) -> int:
    """The highest id of the team's conversations (0 without any)."""
    return session.scalar(select(func.max(ConversationRow.id)).where(ConversationRow.team_id == team_id)) or 0


_Owned = TypeVar("_Owned", ConversationRow, IncidentRow, FollowUpRow)


def _owned(
    session: Session, model: type[_Owned], team_id: int, row_id: int, for_update: bool, what: str, listed: str
) -> _Owned:
    """One of the team's rows; another team's is "not found" as much as a missing one."""
    query = select(model).where(model.id == row_id, model.team_id == team_id)
    row = session.scalar(query.with_for_update() if for_update else query)
    if row is None:
        raise RecordNotFound(f"no {what} {row_id}; list yours with GET /v1/{listed}")
    return row


def get_conversation(
    *, session: Session, team_id: int, conversation_id: int, for_update: bool = False
) -> ConversationRow:
    return _owned(
        session, ConversationRow, team_id, conversation_id, for_update, "conversation", "conversations"
    )


def list_conversations(
    *,
    session: Session,
    team_id: int,
    limit: int,
    offset: int,
    status: str | None = None,
    stage: str | None = None,
    category: str | None = None,
    customer: str | None = None,
    min_upset: float | None = None,
    updated_after: datetime | None = None,
    sort: str = "updated",
) -> tuple[list[tuple[ConversationRow, str | None]], int]:
    """A page of the team's conversations with each customer's reference; and the total.

    ``sort="updated"``: newest change first. ``sort="attention"``: the order an agent works a
    queue in (``attention_order``); it reads every matching row, so use it with ``status="open"``.
    """
    where = [ConversationRow.team_id == team_id]
    if status:
        where.append(ConversationRow.status == status)
    if stage:
        where.append(ConversationRow.stage == stage)
    if category:
        where.append(ConversationRow.category == category)
    if min_upset is not None:
        where.append(ConversationRow.peak_upset >= min_upset)
    if updated_after is not None:
        where.append(ConversationRow.updated_at > updated_after)
    if customer:
        where.append(CustomerRow.external_ref == customer)
    base = select(ConversationRow, CustomerRow.external_ref).outerjoin(
        CustomerRow, CustomerRow.id == ConversationRow.customer_id
    )
    total = session.scalar(select(func.count()).select_from(base.where(*where).subquery())) or 0
    if sort == "attention":
        every = [(r[0], r[1]) for r in session.execute(base.where(*where)).all()]
        waiting = waiting_since(session=session, conversation_ids=[c.id for c, _ in every])
        every.sort(key=lambda pair: attention_order(pair[0], waiting.get(pair[0].id)))
        return every[offset : offset + limit], total
    rows = session.execute(
        base.where(*where)
        .order_by(ConversationRow.updated_at.desc(), ConversationRow.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [(r[0], r[1]) for r in rows], total


def attention_order(row: ConversationRow, waiting: datetime | None) -> tuple:
    """Sort key of a work queue: the most upset customer first (the level of their last
    message), then the one waiting longest for an answer, then those not waiting."""
    state = row.state or {}
    upset = state.get("last_upset", 0.0) if state.get("last_customer_at") is not None else 0.0
    rank = LEVELS.index(level_of(upset))
    return (-rank, waiting is None, waiting or row.updated_at, row.id)


def waiting_since(*, session: Session, conversation_ids: list[int]) -> dict[int, datetime]:
    """For each conversation whose last word is the customer's: when their unanswered messages began."""
    if not conversation_ids:
        return {}
    last_agent = (
        select(MessageRow.conversation_id, func.max(MessageRow.at).label("at"))
        .where(MessageRow.conversation_id.in_(conversation_ids), MessageRow.role == "agent")
        .group_by(MessageRow.conversation_id)
        .subquery()
    )
    rows = session.execute(
        select(MessageRow.conversation_id, func.min(MessageRow.at))
        .outerjoin(last_agent, last_agent.c.conversation_id == MessageRow.conversation_id)
        .where(
            MessageRow.conversation_id.in_(conversation_ids),
            MessageRow.role == "customer",
            or_(last_agent.c.at.is_(None), MessageRow.at > last_agent.c.at),
        )
        .group_by(MessageRow.conversation_id)
    )
    return {cid: UTCDateTime().process_result_value(at, None) for cid, at in rows}


def customer_ref(*, session: Session, customer_id: int | None) -> str | None:
    if customer_id is None:
        return None
    row = session.get(CustomerRow, customer_id)
    return row.external_ref if row else None


def customers_for(*, session: Session, team_id: int, refs: Collection[str]) -> dict[str, int]:
    """The ids of the team's customers with these references, creating those not seen before."""
    if not refs:
        return {}
    found = dict(
        session.execute(
            select(CustomerRow.external_ref, CustomerRow.id).where(
                CustomerRow.team_id == team_id, CustomerRow.external_ref.in_(refs)
            )
        ).all()
    )
    new = [CustomerRow(team_id=team_id, external_ref=ref) for ref in refs if ref not in found]
    if new:
        session.add_all(new)
        session.flush()
        found |= {row.external_ref: row.id for row in new}
    return found


def conversations_by_external_id(
    *, session: Session, team_id: int, external_ids: Collection[str], for_update: bool = False
) -> dict[str, ConversationRow]:
    """The team's conversations with these external ids (an archive's ids), by external id."""
    if not external_ids:
        return {}
    query = select(ConversationRow).where(
        ConversationRow.team_id == team_id, ConversationRow.external_id.in_(external_ids)
    )
    rows = session.scalars(query.with_for_update() if for_update else query)
    return {row.external_id: row for row in rows if row.external_id is not None}


# --- messages ------------------------------------------------------------------------------


def messages_of(*, session: Session, conversation_id: int) -> list[MessageRow]:
    return list(
        session.scalars(
            select(MessageRow).where(MessageRow.conversation_id == conversation_id).order_by(MessageRow.id)
        )
    )


def message_readings(*, session: Session, conversation_id: int) -> list[tuple[str, str, dict | None]]:
    """Role, text and stored analysis of each message, in order (what a new message's words quote)."""
    rows = session.execute(
        select(MessageRow.role, MessageRow.text, MessageRow.analysis)
        .where(MessageRow.conversation_id == conversation_id)
        .order_by(MessageRow.id)
    )
    return [(role, text, analysis) for role, text, analysis in rows]


def message_by_external_id(*, session: Session, conversation_id: int, external_id: str) -> MessageRow | None:
    return session.scalar(
        select(MessageRow).where(
            MessageRow.conversation_id == conversation_id, MessageRow.external_id == external_id
        )
    )


def stored_message_ids(
    *, session: Session, conversation_ids: Collection[int], external_ids: Collection[str]
) -> set[tuple[int, str]]:
    """Which (conversation id, external id) pairs among these are stored already."""
    if not conversation_ids or not external_ids:
        return set()
    rows = session.execute(
        select(MessageRow.conversation_id, MessageRow.external_id).where(
            MessageRow.conversation_id.in_(conversation_ids), MessageRow.external_id.in_(external_ids)
        )
    )
    return {(cid, ext) for cid, ext in rows}


def add_messages(*, session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert many messages in one statement batch (no objects loaded back: the fast path of heard import)."""
    if rows:
        session.execute(insert(MessageRow), rows)


def add_message(*, session: Session, **fields: Any) -> MessageRow:
    row = MessageRow(**fields)
    session.add(row)
    session.flush()
    return row


# --- incidents and follow-ups ------------------------------------------------------------------


INCIDENT_FIELDS = (
    "category", "root_cause", "fault", "peak_upset", "peak_level", "final_level", "deescalated",
    "messages_to_deescalate", "minutes_to_deescalate", "steps_done", "remedy",
)  # fmt: skip


def record_incident(
    *,
    session: Session,
    conversation: ConversationRow,
    root_cause: str | None,
    outcome: str | None,
    remedy: str | None = None,
    read: dict[str, Any] | None = None,
) -> IncidentRow:
    """Record (or, when a reopened conversation is resolved again, rewrite) its incident.

    ``read`` holds more of ``INCIDENT_FIELDS``, as heard.insights read them from the messages.
    The root cause the resolver gave wins over the one read from the complaint; a root cause
    someone edited since is kept, and so is satisfaction (it comes from the follow-up).
    """
    fields = dict(read or {})
    unknown = set(fields) - set(INCIDENT_FIELDS)
    if unknown:
        raise ValueError(f"not incident fields: {', '.join(sorted(unknown))}")
    row = session.scalar(select(IncidentRow).where(IncidentRow.conversation_id == conversation.id))
    if row is None:
        row = IncidentRow(team_id=conversation.team_id, conversation_id=conversation.id)
        session.add(row)
    else:
        row.updated_at = now()
    derived = fields.pop("root_cause", None)
    for name, value in fields.items():
        setattr(row, name, value)
    # The conversation's own category and peak are what its agent saw; they win when known.
    row.category = conversation.category or fields.get("category")
    row.peak_upset = max(conversation.peak_upset, fields.get("peak_upset") or 0.0)
    if root_cause is not None:
        row.root_cause = root_cause
    elif row.root_cause_edited_by is None:
        row.root_cause = derived
    row.outcome, row.remedy = outcome, remedy
    session.flush()
    return row


def imported_without_incident(*, session: Session, team_id: int, after_id: int, limit: int) -> list[int]:
    """Ids (ascending, above ``after_id``) of the team's imported conversations with no incident yet."""
    recorded = select(IncidentRow.id).where(IncidentRow.conversation_id == ConversationRow.id).exists()
    return list(
        session.scalars(
            select(ConversationRow.id)
            .where(
                ConversationRow.team_id == team_id,
                ConversationRow.source == "import",
                ConversationRow.id > after_id,
                ~recorded,
            )
            .order_by(ConversationRow.id)
            .limit(limit)
        )
    )


def incident_of(*, session: Session, conversation_id: int) -> IncidentRow | None:
    return session.scalar(select(IncidentRow).where(IncidentRow.conversation_id == conversation_id))


def get_incident(
    *, session: Session, team_id: int, incident_id: int, for_update: bool = False
) -> IncidentRow:
    return _owned(session, IncidentRow, team_id, incident_id, for_update, "incident", "incidents")


IncidentContext = tuple[IncidentRow, ConversationRow, str | None, FollowUpRow | None]


def list_incidents(
    *,
    session: Session,
    team_id: int,
    limit: int | None = None,
    offset: int = 0,
    category: str | None = None,
    fault: str | None = None,
    peak_level: str | None = None,
    deescalated: bool | None = None,
    customer: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> tuple[list[IncidentContext], int]:
    """A page of the team's incidents, newest first, each with its conversation, the customer's
    reference and the latest follow-up; and the total. ``since``/``until`` bound when the
    conversation opened (``until`` excluded); ``limit=None`` reads them all (for insights)."""
    where = [IncidentRow.team_id == team_id]
    for column, value in (
        (IncidentRow.category, category), (IncidentRow.fault, fault), (IncidentRow.peak_level, peak_level),
        (IncidentRow.deescalated, deescalated), (CustomerRow.external_ref, customer),
    ):  # fmt: skip
        if value is not None:
            where.append(column == value)
    if since is not None:
        where.append(ConversationRow.created_at >= since)
    if until is not None:
        where.append(ConversationRow.created_at < until)
    base = (
        select(IncidentRow, ConversationRow, CustomerRow.external_ref)
        .join(ConversationRow, ConversationRow.id == IncidentRow.conversation_id)
        .outerjoin(CustomerRow, CustomerRow.id == ConversationRow.customer_id)
        .where(*where)
    )
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    query = base.order_by(IncidentRow.created_at.desc(), IncidentRow.id.desc()).offset(offset)
    rows = session.execute(query if limit is None else query.limit(limit)).all()
    latest = _latest_follow_ups(session=session, conversation_ids=[r[1].id for r in rows])
    return [(i, c, ref, latest.get(c.id)) for i, c, ref in rows], total


# What a team's insights report reads of each incident: plain columns, no ORM objects (at 16,000
# incidents loading whole rows, with each conversation's state, cost more than the report itself).
INCIDENT_FACTS = (
    IncidentRow.category, IncidentRow.root_cause, IncidentRow.fault, IncidentRow.peak_upset,
    IncidentRow.peak_level, IncidentRow.final_level, IncidentRow.deescalated,
    IncidentRow.messages_to_deescalate, IncidentRow.minutes_to_deescalate, IncidentRow.steps_done,
    IncidentRow.remedy, IncidentRow.satisfaction, ConversationRow.id.label("conversation_id"),
    ConversationRow.created_at.label("opened_at"), ConversationRow.resolved_at.label("closed_at"),
    CustomerRow.external_ref.label("customer"),
)  # fmt: skip
FOLLOW_UP_FACTS = (FollowUpRow.conversation_id, FollowUpRow.status, FollowUpRow.due_at, FollowUpRow.outcome)


def incident_facts(
    *, session: Session, team_id: int, since: datetime | None = None, until: datetime | None = None
) -> tuple[list[Row], dict[int, Row]]:
    """Every incident of the team whose conversation opened in [since, until), oldest first, as
    ``INCIDENT_FACTS`` columns; and each conversation's latest follow-up as ``FOLLOW_UP_FACTS``."""
    where = [IncidentRow.team_id == team_id]
    if since is not None:
        where.append(ConversationRow.created_at >= since)
    if until is not None:
        where.append(ConversationRow.created_at < until)
    rows = session.execute(
        select(*INCIDENT_FACTS)
        .join(ConversationRow, ConversationRow.id == IncidentRow.conversation_id)
        .outerjoin(CustomerRow, CustomerRow.id == ConversationRow.customer_id)
        .where(*where)
        .order_by(IncidentRow.created_at, IncidentRow.id)
    ).all()
    latest: dict[int, Row] = {}
    for row in session.execute(
        select(*FOLLOW_UP_FACTS).where(FollowUpRow.team_id == team_id).order_by(FollowUpRow.id)
    ):
        latest[row.conversation_id] = row  # the last one wins: a reopened conversation's newest
    return list(rows), latest


def _latest_follow_ups(*, session: Session, conversation_ids: list[int]) -> dict[int, FollowUpRow]:
    found: dict[int, FollowUpRow] = {}
    for start in range(0, len(conversation_ids), 500):  # bounded IN lists
        chunk = conversation_ids[start : start + 500]
        for row in session.scalars(
            select(FollowUpRow).where(FollowUpRow.conversation_id.in_(chunk)).order_by(FollowUpRow.id)
        ):
            found[row.conversation_id] = row  # the last one wins: a reopened conversation's newest
    return found


def incident_context(*, session: Session, incident: IncidentRow) -> IncidentContext:
    """One incident with its conversation, the customer's reference and the latest follow-up."""
    conversation = session.get(ConversationRow, incident.conversation_id)
    assert conversation is not None  # the foreign key cascades
    latest = _latest_follow_ups(session=session, conversation_ids=[conversation.id])
    return (
        incident,
        conversation,
        customer_ref(session=session, customer_id=conversation.customer_id),
        latest.get(conversation.id),
    )


def copy_satisfaction(*, session: Session, conversation_id: int, satisfaction: int | None) -> None:
    """The follow-up came back: its satisfaction goes into the conversation's incident."""
    row = incident_of(session=session, conversation_id=conversation_id)
    if row is not None and satisfaction is not None:
        row.satisfaction, row.updated_at = satisfaction, now()
        session.flush()


def schedule_follow_up(
    *,
    session: Session,
    team_id: int,
    conversation_id: int,
    due_at: datetime,
    message: str,
    channel: str = "webhook",
) -> FollowUpRow:
    row = FollowUpRow(
        team_id=team_id,
        conversation_id=conversation_id,
        due_at=due_at,
        next_attempt_at=due_at,
        message=message,
        channel=channel,
    )
    session.add(row)
    session.flush()
    return row


def follow_ups_of(*, session: Session, conversation_id: int) -> list[FollowUpRow]:
    return list(
        session.scalars(
            select(FollowUpRow).where(FollowUpRow.conversation_id == conversation_id).order_by(FollowUpRow.id)
        )
    )


def get_follow_up(
    *, session: Session, team_id: int, follow_up_id: int, for_update: bool = False
) -> FollowUpRow:
    return _owned(session, FollowUpRow, team_id, follow_up_id, for_update, "follow-up", "follow-ups")


def list_follow_ups(
    *,
    session: Session,
    team_id: int,
    limit: int,
    offset: int,
    status: str | None = None,
    due_before: datetime | None = None,
) -> tuple[list[FollowUpRow], int]:
    where = [FollowUpRow.team_id == team_id]
    if status:
        where.append(FollowUpRow.status == status)
    if due_before is not None:
        where.append(FollowUpRow.due_at <= due_before)
    total = session.scalar(select(func.count()).select_from(FollowUpRow).where(*where)) or 0
    rows = session.scalars(
        select(FollowUpRow)
        .where(*where)
        .order_by(FollowUpRow.due_at, FollowUpRow.id)
        .limit(limit)
        .offset(offset)
    )
    return list(rows), total
