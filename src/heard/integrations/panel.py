"""heard's panel inside a helpdesk (Chatwoot's Dashboard App, the Zendesk sidebar): who may open
it, and what it shows for one helpdesk conversation.

Authentication: the panel's URL carries a panel key, ``<connection id>.<digest>``, where the
digest is SHA-256 of the connection's webhook key (``heard-panel:`` prefixed), cut to 32
characters. It is scoped to one team's connection and reads only conversations that helpdesk
sent heard (by their helpdesk ids), plus a review of a draft; it cannot list conversations,
write messages or change settings, and it is not an API key (no admin key is ever put in a page).
Anyone who sees the helpdesk's app settings can open the panel, as with any dashboard app;
the webhook key cannot be worked back from it. A new webhook key (a new connection) changes it.

Everything shown comes from the service layer (the fold's stored state, the suggestion lines,
the policy offers, the scorecard, the draft review); nothing here judges the conversation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from heard import service
from heard.errors import RecordNotFound
from heard.integrations import connections
from heard.integrations.base import Connection
from heard.integrations.vault import Vault
from heard.playbook import Scorecard, Suggestions
from heard.playbook.conversation import NextAction
from heard.respond import DraftReview, Solution
from heard.store import Database
from heard.store import integrations as stored

PAGE_PATH = "/integrations/{helpdesk}/panel/{key}"
_KEY = re.compile(r"(\d{1,18})\.([A-Za-z0-9_-]{32})")


def panel_key(conn: Connection) -> str:
    """The key in the panel's URL for this connection."""
    digest = hashlib.sha256(b"heard-panel:" + (conn.key or "").encode("utf-8")).digest()
    return f"{conn.id}.{base64.urlsafe_b64encode(digest).decode('ascii')[:32]}"


def page_path(conn: Connection) -> str:
    return PAGE_PATH.format(helpdesk=conn.helpdesk, key=panel_key(conn))


def connection_for(db: Database, vault: Vault, *, helpdesk: str, key: str) -> Connection:
    """The connection whose panel this key opens; RecordNotFound for any other key."""
    refused = RecordNotFound(
        f"no {helpdesk} panel has this URL; copy it again from GET /v1/integrations/{helpdesk}/panel"
    )
    match = _KEY.fullmatch(key or "")
    if match is None:
        raise refused
    conn = connections.by_id(db, vault, int(match.group(1)))
    if conn is None or conn.helpdesk != helpdesk or not conn.key:
        raise refused
    if not hmac.compare_digest(panel_key(conn).encode(), key.encode()):
        raise refused
    return conn


def frame_origins(conn: Connection) -> list[str]:
    """The connection's frame origins that are well-formed (any other is left out)."""
    return [o for o in conn.frame_origins if connections.ORIGIN.fullmatch(o)]


def message_origins(conn: Connection) -> list[str]:
    """Where the panel accepts context from: the frame origins and the helpdesk's own address."""
    own = re.match(r"https?://[^/]+", conn.base_url.lower())
    found = frame_origins(conn) + (
        [own.group(0)] if own and connections.ORIGIN.fullmatch(own.group(0)) else []
    )
    return list(dict.fromkeys(found))


class TrendPoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    upset: float
    level: str


class PanelView(BaseModel):
    """What the panel shows for one helpdesk conversation."""

    model_config = ConfigDict(frozen=True)

    helpdesk: str
    external_id: str
    conversation_id: int
    status: str
    stage: str
    level: str | None = Field(description="How upset the customer's last message reads.")
    peak_upset: float
    trend: list[TrendPoint] = Field(description="The customer's messages, oldest first.")
    venting: bool = Field(description="The customer is still venting: wait before replying.")
    next_action: NextAction | None
    suggestions: Suggestions
    offers: list[Solution]
    scorecard: Scorecard | None


def conversation_of(db: Database, conn: Connection, external_id: str) -> int:
    """heard's conversation for the helpdesk's, or RecordNotFound while heard has none."""
    with db.read() as session:
        found = stored.external_conversation(session=session, integration_id=conn.id, external_id=external_id)
    if found is None:
        raise RecordNotFound(
            f"heard has no messages of {conn.helpdesk} conversation {external_id[:40]!r} yet; "
            "they arrive through the helpdesk's webhook"
        )
    return found


def view(db: Database, conn: Connection, external_id: str, *, now: datetime) -> PanelView:
    """Level and trend, venting, next action, suggestions, offers and scorecard, as stored."""
    cid = conversation_of(db, conn, external_id)
    opened = service.open_conversation(db, team_id=conn.team_id, conversation_id=cid)
    row = opened.row
    said = [m.analysis for m in opened.messages if m.role == "customer" and m.analysis]
    trend = [TrendPoint(upset=a.get("upset", 0.0), level=a.get("level", "calm")) for a in said]
    action = service.next_action(row, now=now)
    return PanelView(
        helpdesk=conn.helpdesk, external_id=external_id, conversation_id=cid, status=row.status,
        stage=row.stage, level=trend[-1].level if trend else None,
        peak_upset=row.peak_upset, trend=trend, venting=action is not None and action.kind == "wait",
        next_action=action,
        suggestions=service.lines(db, team_id=conn.team_id, conversation_id=cid),
        offers=service.offers(db, team_id=conn.team_id, conversation_id=cid),
        scorecard=service.scorecard(db, team_id=conn.team_id, conversation_id=cid) if opened.messages else None,
    )  # fmt: skip


def review(db: Database, conn: Connection, external_id: str, draft: str, *, now: datetime) -> DraftReview:
    """The draft reviewed in this conversation as if sent now (the console's review, the same call)."""
    cid = conversation_of(db, conn, external_id)
    return service.review_draft(db, team_id=conn.team_id, conversation_id=cid, draft=draft, at=now)
