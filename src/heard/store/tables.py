"""The tables, as SQLAlchemy 2 typed mappings. ORM classes end in ``Row`` (STYLE.md).

Every row that belongs to a team carries ``team_id``, and every query in ``repo`` filters on
it: that is how one team's data stays invisible to another. Engine outputs are stored as
JSON with the versions that produced them. Schema changes go through ``migrations/``.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every database (SQLite keeps no time zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("store only aware datetimes (datetime.now(UTC))")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def now() -> datetime:
    return datetime.now(UTC)


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class Base(DeclarativeBase):
    type_annotation_map = {dict: JSON, list: JSON, datetime: UTCDateTime}


class TeamRow(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    redact_pii: Mapped[bool] = mapped_column(default=True)
    follow_up_delay_hours: Mapped[float] = mapped_column(default=48.0)
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    # Signs outbound webhook deliveries (HMAC-SHA256); made when first needed, shown to admins.
    webhook_secret: Mapped[str | None] = mapped_column(String(100), default=lambda: new_webhook_secret())
    created_at: Mapped[datetime] = mapped_column(default=now)


class UserRow(Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("team_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(10))  # agent | lead | admin
    created_at: Mapped[datetime] = mapped_column(default=now)


class ApiKeyRow(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    prefix: Mapped[str] = mapped_column(String(12))
    digest: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the key; the key is never stored
    created_at: Mapped[datetime] = mapped_column(default=now)
    revoked_at: Mapped[datetime | None]


class ConsoleSessionRow(Base):
    """A console sign-in; the cookie carries a random token whose SHA-256 is stored here, so
    signing out (``ended_at``) or revoking the key ends it on every server process at once."""

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)


class CustomerRow(Base):
    __tablename__ = "customers"
    __table_args__ = (UniqueConstraint("team_id", "external_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    external_ref: Mapped[str] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=now)


class ConversationRow(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        Index("ix_conversations_team_updated", "team_id", "updated_at"),
        Index("ux_conversations_team_external", "team_id", "external_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(20), default="chat")
    subject: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | resolved
    stage: Mapped[str] = mapped_column(String(20), default="listening")
    state: Mapped[dict] = mapped_column(default=dict)  # heard.playbook.PlaybookState
    next_action: Mapped[dict | None]  # heard.playbook.NextAction
    suggestions: Mapped[dict | None]  # heard.playbook.Suggestions, drafted when the customer last wrote
    category: Mapped[str | None] = mapped_column(String(40))  # the longest category has 36 characters
    peak_upset: Mapped[float] = mapped_column(default=0.0)
    messages: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=0)  # bumped on every change: optimistic concurrency
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    resolved_at: Mapped[datetime | None]
    external_id: Mapped[str | None] = mapped_column(String(200))  # the archive's id (heard import)
    source: Mapped[str | None] = mapped_column(String(10))  # None: live; "import": heard import


class MessageRow(Base):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("conversation_id", "external_id"),
        Index("ix_messages_team_author", "team_id", "author"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(10))  # customer | agent
    text: Mapped[str] = mapped_column(Text)  # redacted unless the team turned redaction off
    external_id: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[datetime]
    analysis: Mapped[dict | None]  # heard.Analysis of a customer message
    acts: Mapped[list | None]  # what an agent message did
    acts_source: Mapped[str | None] = mapped_column(String(10))  # declared | detected
    author: Mapped[str | None] = mapped_column(String(100))  # who wrote an agent message (a user's name)
    act_reading: Mapped[dict | None]  # heard.respond.ActReading of an agent message, read once
    action: Mapped[dict]  # the next best action answered for this message
    policy: Mapped[list | None]  # promises beyond policy in an agent message
    redactions: Mapped[list] = mapped_column(default=list)  # kinds and spans, never values
    produced_by: Mapped[dict] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=now)


class IncidentRow(Base):
    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), unique=True
    )
    category: Mapped[str | None] = mapped_column(String(40))  # the longest category has 36 characters
    root_cause: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    peak_upset: Mapped[float] = mapped_column(default=0.0)
    # The rest of heard.insights.Incident; None where the conversation cannot tell yet.
    fault: Mapped[str | None] = mapped_column(String(12))
    peak_level: Mapped[str | None] = mapped_column(String(10))
    final_level: Mapped[str | None] = mapped_column(String(10))
    deescalated: Mapped[bool | None]
    messages_to_deescalate: Mapped[int | None]
    minutes_to_deescalate: Mapped[float | None]
    steps_done: Mapped[list | None]
    remedy: Mapped[str | None] = mapped_column(String(100))
    satisfaction: Mapped[int | None]  # copied from the follow-up when it comes back
    root_cause_edited_by: Mapped[str | None] = mapped_column(String(100))  # the user who edited it
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime | None]


class FollowUpRow(Base):
    __tablename__ = "follow_ups"
    __table_args__ = (Index("ix_follow_ups_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    due_at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(String(20), default="webhook")
    # scheduled -> sending -> delivered -> completed; or failed after the last attempt
    status: Mapped[str] = mapped_column(String(10), default="scheduled")
    message: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    delivered_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(20))  # resolved | not_resolved | no_answer
    satisfaction: Mapped[int | None]  # 1..5
    note: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)


class PolicyRow(Base):
    __tablename__ = "policies"

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    catalogue: Mapped[str] = mapped_column(Text)  # the YAML as validated and written back
    updated_at: Mapped[datetime] = mapped_column(default=now)


class ThemeModelRow(Base):
    """A team's fitted theme model (``heard.insights.ThemeModel``), one row per refit."""

    __tablename__ = "theme_models"
    __table_args__ = (UniqueConstraint("team_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]  # 1, 2, ... per team: the latest is the one in use
    method: Mapped[str] = mapped_column(String(40))  # e.g. themes.v2 over minilm-l6-v2.int8
    incidents: Mapped[int]  # how many incidents it was fitted on
    model: Mapped[bytes] = mapped_column(LargeBinary)  # ThemeModel.to_bytes(): numpy arrays + JSON
    themes: Mapped[list]  # each theme's id, name, phrases, size and examples, as fitted
    fitted_at: Mapped[datetime] = mapped_column(default=now)
    seconds: Mapped[float] = mapped_column(default=0.0)  # how long the refit took


class IncidentThemeRow(Base):
    """An incident's embedding (of its root cause's core) and its theme under a model version."""

    __tablename__ = "incident_themes"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    encoder: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(64))  # sha256 of the text embedded: re-embed when it changes
    embedding: Mapped[bytes] = mapped_column(LargeBinary)  # float32, unit length
    theme: Mapped[int | None]  # -1: fits no theme; None: not assigned yet
    model_version: Mapped[int | None]


class PracticeScenarioRow(Base):
    """A scenario a team added for its own practice (``heard.simulate.parse_scenario`` validated it)."""

    __tablename__ = "practice_scenarios"
    __table_args__ = (UniqueConstraint("team_id", "scenario_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    scenario_id: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(300))
    domain: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(Text)  # the YAML as uploaded
    added_by: Mapped[str | None] = mapped_column(String(100))  # the user's name
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)


class PracticeSessionRow(Base):
    """A trainee's practice session with a simulated customer.

    Only what ``Practice.replay`` needs is kept (the scenario, difficulty, seed and the replies
    with their times; a team scenario's YAML as it stood when the session began, so editing the
    scenario later changes no old session), plus summary figures for the lead's view."""

    __tablename__ = "practice_sessions"
    __table_args__ = (Index("ix_practice_sessions_team_user", "team_id", "user_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))  # the trainee
    scenario_id: Mapped[str] = mapped_column(String(100))
    scenario_title: Mapped[str] = mapped_column(String(300))
    scenario_source: Mapped[str | None] = mapped_column(Text)  # a team scenario's YAML; None: shipped
    difficulty: Mapped[str] = mapped_column(String(10))
    seed: Mapped[int] = mapped_column(BigInteger)
    replies: Mapped[list] = mapped_column(
        default=list
    )  # [[text, at seconds], ...], redacted as the team says
    turns: Mapped[int] = mapped_column(default=0)
    mood: Mapped[dict | None]  # the customer's mood after the last turn (anger, trust, progress)
    outcome: Mapped[str | None] = mapped_column(String(12))  # resolved | escalated | abandoned | stopped
    score: Mapped[int | None]  # the debrief scorecard's score, once ended
    missed: Mapped[list | None]  # the playbook steps the debrief scorecard missed, once ended
    produced_by: Mapped[dict] = mapped_column(default=dict)
    version: Mapped[int] = mapped_column(default=0)  # bumped on every change: optimistic concurrency
    started_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)
    ended_at: Mapped[datetime | None]


class IntegrationRow(Base):
    """A team's connection to its helpdesk. The API token and the webhook secret are stored
    encrypted (``heard.integrations.secrets``); ``key`` is the unguessable part of its webhook URL."""

    __tablename__ = "integrations"
    __table_args__ = (UniqueConstraint("team_id", "helpdesk"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    helpdesk: Mapped[str] = mapped_column(String(20))  # chatwoot | zendesk | zammad | freshdesk
    key: Mapped[str] = mapped_column(String(64), unique=True)
    base_url: Mapped[str] = mapped_column(String(500))
    account: Mapped[str | None] = mapped_column(String(100))
    api_token: Mapped[bytes | None] = mapped_column(LargeBinary)  # Fernet token of the API token
    webhook_secret: Mapped[bytes | None] = mapped_column(LargeBinary)  # Fernet token, or None: unsigned
    note_threshold: Mapped[str] = mapped_column(String(10), default="upset")
    notes_on_calm: Mapped[bool] = mapped_column(default=False)
    frame_origins: Mapped[list] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)


class ExternalConversationRow(Base):
    """A helpdesk's conversation (or ticket) and the heard conversation that follows it."""

    __tablename__ = "external_conversations"
    __table_args__ = (UniqueConstraint("integration_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    integration_id: Mapped[int] = mapped_column(ForeignKey("integrations.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200))
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=now)


class NoteRow(Base):
    """A private note to post on a helpdesk conversation: the outbox the worker delivers from.

    ``burst`` names the customer's burst the note is for (``<messages before the burst>``), and
    one note per burst is all the unique constraint allows. queued -> sending -> sent; or
    failed after the last attempt."""

    __tablename__ = "integration_notes"
    __table_args__ = (
        UniqueConstraint("conversation_id", "burst"),
        Index("ix_integration_notes_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    integration_id: Mapped[int] = mapped_column(ForeignKey("integrations.id", ondelete="CASCADE"))
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    external_conversation: Mapped[str] = mapped_column(String(200))
    burst: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=now)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)
