"""What every helpdesk integration is made of: a connection (one team's helpdesk settings), the
events its webhooks carry in heard's words, and the adapter protocol each helpdesk module
implements (``chatwoot.py``, ``zendesk.py``, ...). Adapters are plain code over bytes, dicts
and these values: no web framework, no database; ``receive`` and the worker do the rest."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

Helpdesk = Literal["chatwoot", "zendesk", "zammad", "freshdesk"]
EventKind = Literal["message", "opened", "resolved", "reopened", "ignored"]
Role = Literal["customer", "agent"]
# The upset levels in order (heard.Analysis.level): a note goes out at or above a team's threshold.
LEVELS: tuple[str, ...] = ("calm", "concerned", "upset", "angry", "furious")


@dataclass(frozen=True)
class Connection:
    """One team's connection to its helpdesk, secrets decrypted (never shown by ``repr``)."""

    team_id: int
    helpdesk: str
    base_url: str
    account: str | None = None  # Chatwoot account id, Zendesk subdomain, ...
    api_token: str = field(default="", repr=False)
    webhook_secret: str | None = field(default=None, repr=False)
    note_threshold: str = "upset"
    notes_on_calm: bool = False
    frame_origins: tuple[str, ...] = ()
    id: int | None = None  # the stored connection's id (None before it is stored)
    key: str | None = None  # the unguessable key in the webhook URL


@dataclass(frozen=True)
class Event:
    """One thing a helpdesk said happened, in heard's words.

    ``kind``: "message" (a customer's or agent's public message), "opened" (a conversation
    appeared), "resolved", "reopened", or "ignored" (with ``reason``: a private note, a template,
    an event heard does not use)."""

    kind: EventKind
    conversation: str  # the helpdesk's conversation / ticket id
    message: str | None = None  # the helpdesk's message / comment id: the idempotency key
    role: Role | None = None
    text: str = field(default="", repr=False)  # customer text is personal data: kept out of logs
    at: datetime | None = None
    author: str | None = None  # the agent's name on an agent message
    customer: str | None = None  # the helpdesk's contact id (a stable reference)
    customer_name: str | None = field(default=None, repr=False)
    reason: str | None = None  # why it is ignored


@dataclass(frozen=True)
class OutboundNote:
    """The helpdesk API call that posts a private (internal) note."""

    method: str
    url: str
    headers: Mapping[str, str] = field(repr=False)  # carries the API token
    json: dict = field(repr=False)


class Adapter(Protocol):
    """What a helpdesk module provides; ``registry.ADAPTERS`` maps its name to it."""

    name: str

    def verify(self, conn: Connection, headers: Mapping[str, str], body: bytes, now: float) -> None:
        """Check the webhook came from this connection's helpdesk; raise ``heard.errors`` 4xx
        errors (unsigned, bad signature, stale timestamp, another account)."""
        ...

    def events(self, conn: Connection, payload: dict) -> list[Event]:
        """The events a webhook body carries; ``MalformedInput`` naming what is wrong."""
        ...

    def note(self, conn: Connection, conversation: str, text: str) -> OutboundNote:
        """The API call that posts ``text`` as a private note on ``conversation``."""
        ...

    # Optional, for "nothing sent twice" when a post's answer was lost (a timeout after the
    # helpdesk stored it): ``lookup(conn, conversation) -> OutboundNote`` lists the conversation's
    # notes and ``found(answer_json, marker) -> bool`` says whether one carries heard's marker.


def level_at_least(level: str | None, threshold: str) -> bool:
    """Whether an upset level is at or above the threshold level."""
    if level not in LEVELS:
        return False
    return LEVELS.index(level) >= LEVELS.index(threshold if threshold in LEVELS else "upset")
