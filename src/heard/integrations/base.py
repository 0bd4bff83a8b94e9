"""PLACEHOLDER copy of the contract (docs: /work/brief/integrations.md); replaced by the `chatwoot`
branch's base.py at merge."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol


@dataclass(frozen=True)
class Connection:
    team_id: int
    helpdesk: str
    base_url: str
    account: str | None = None
    api_token: str = field(default="", repr=False)
    webhook_secret: str | None = field(default=None, repr=False)
    note_threshold: str = "upset"
    notes_on_calm: bool = False
    frame_origins: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    kind: Literal["message", "resolved", "reopened", "ignored"]
    conversation: str
    message: str | None = None
    role: Literal["customer", "agent"] | None = None
    text: str = ""
    at: datetime | None = None
    author: str | None = None
    customer: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class OutboundNote:
    method: str
    url: str
    headers: dict[str, str]
    json: dict


class Adapter(Protocol):
    name: str

    def verify(self, conn: Connection, headers, body: bytes, now: float) -> None: ...
    def events(self, conn: Connection, payload: dict) -> list[Event]: ...
    def note(self, conn: Connection, conversation: str, text: str) -> OutboundNote: ...
