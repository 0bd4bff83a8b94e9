"""Helpdesk integrations over HTTP: the webhook every helpdesk posts its events to, each team's
connection settings, and the map from a helpdesk conversation to heard's (for the panel).

The webhook route knows no helpdesk: the registry gives the adapter, the adapter verifies and
reads the event, ``integrations.receive`` applies it through the service layer. A new adapter
needs no change here.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Annotated

import anyio.to_thread
from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from heard.errors import MalformedInput
from heard.integrations import connections
from heard.integrations.receive import receive
from heard.integrations.registry import adapter_for
from heard.integrations.vault import Vault, vault_for
from heard.server.deps import CallerDep, DatabaseDep, SettingsDep
from heard.server.webhooks import check_webhook_url
from heard.settings import Settings
from heard.store import integrations as stored

log = logging.getLogger("heard.integrations")
router = APIRouter(prefix="/integrations", tags=["integrations"])
Helpdesk = Annotated[str, Path(max_length=20, description="chatwoot, zendesk, zammad or freshdesk")]


def vault_of(request: Request, settings: Settings) -> Vault:
    """The process's vault (made once: the key file is read or created on first use)."""
    if getattr(request.app.state, "vault", None) is None:
        request.app.state.vault = vault_for(settings.secrets_key, settings.data_dir)
    return request.app.state.vault


class IntegrationPublic(BaseModel):
    helpdesk: str
    base_url: str
    account: str | None
    api_token: str | None = Field(description="Masked: the last 4 characters only.")
    webhook_secret: str | None = Field(description="Masked; null: events are not signed.")
    note_threshold: str
    notes_on_calm: bool
    frame_origins: list[str]
    webhook_path: str = Field(description="Where the helpdesk posts its events (keep it secret).")


class IntegrationUpdate(BaseModel):
    """What to change; a field left out keeps its value (secrets too)."""

    model_config = ConfigDict(extra="forbid")

    base_url: str | None = Field(default=None, max_length=500, description="e.g. https://chat.example.com")
    account: str | None = Field(default=None, max_length=100, description="Chatwoot: the account id.")
    api_token: str | None = Field(
        default=None, max_length=500, description="Sent with each note; stored encrypted."
    )
    webhook_secret: str | None = Field(
        default=None, max_length=500, description='Verifies events; stored encrypted; "" removes it.'
    )
    note_threshold: str | None = Field(default=None, description="calm, concerned, upset, angry or furious.")
    notes_on_calm: bool | None = None
    frame_origins: list[str] | None = Field(default=None, max_length=20)


class Received(BaseModel):
    kind: str
    conversation: str
    result: str
    heard_conversation: int | None = None
    message: str | None = None
    note: int | None = None
    reason: str | None = None


class EventsReceived(BaseModel):
    received: int
    outcomes: list[Received]


class ConversationLink(BaseModel):
    helpdesk: str
    external_id: str
    conversation_id: int


def _public(conn) -> IntegrationPublic:
    return IntegrationPublic(**vars(connections.shown(conn)))


@router.get("/{helpdesk}", response_model=IntegrationPublic)
def get_integration(
    helpdesk: Helpdesk, caller: CallerDep, db: DatabaseDep, settings: SettingsDep, request: Request
) -> IntegrationPublic:
    """The team's connection to this helpdesk, secrets masked (an admin's key)."""
    caller.require("admin")
    vault = vault_of(request, settings)
    return _public(connections.load(db, vault, team_id=caller.team_id, helpdesk=helpdesk))


@router.put("/{helpdesk}", response_model=IntegrationPublic)
def put_integration(
    helpdesk: Helpdesk, body: IntegrationUpdate, caller: CallerDep, db: DatabaseDep, settings: SettingsDep,
    request: Request,
) -> IntegrationPublic:  # fmt: skip
    """Connect the team to a helpdesk or change the connection (an admin's key). ``base_url`` must
    reach a public address (or one of ``HEARD_WEBHOOK_ALLOW_HOSTS``): notes go only there."""
    caller.require("admin")
    adapter_for(helpdesk)
    changes = body.model_dump(exclude_unset=True)
    if changes.get("base_url"):
        check_webhook_url(connections.check_base_url(changes["base_url"]), settings.allowed_webhook_hosts())
    vault = vault_of(request, settings)
    conn = connections.save(db, vault, team_id=caller.team_id, helpdesk=helpdesk, changes=changes)
    log.info("team %s: %s connection saved", caller.team_id, helpdesk)  # never the values
    return _public(conn)


@router.get("/{helpdesk}/conversations/{external_id}", response_model=ConversationLink)
def conversation_link(
    helpdesk: Helpdesk, external_id: Annotated[str, Path(max_length=200)], caller: CallerDep, db: DatabaseDep
) -> ConversationLink:
    """heard's conversation that follows this helpdesk conversation (any key of the team)."""
    adapter_for(helpdesk)
    from heard.errors import RecordNotFound

    with db.read() as session:
        row = stored.connection_of(session=session, team_id=caller.team_id, helpdesk=helpdesk)
        found = row and stored.external_conversation(
            session=session, integration_id=row.id, external_id=external_id
        )
    if not found:
        raise RecordNotFound(
            f"heard has no conversation for {helpdesk} conversation {external_id[:40]!r} yet"
        )
    return ConversationLink(helpdesk=helpdesk, external_id=external_id, conversation_id=found)


@router.post("/{helpdesk}/events/{connection_key}", response_model=EventsReceived)
async def helpdesk_events(
    helpdesk: Helpdesk, connection_key: Annotated[str, Path(max_length=64)], request: Request,
    db: DatabaseDep, settings: SettingsDep,
) -> EventsReceived:  # fmt: skip
    """A helpdesk's webhook: the key in the URL names the team's connection, the helpdesk's
    signature proves the sender. Answers what was done with each event (never their text)."""
    body = await request.body()
    headers = dict(request.headers)

    def work() -> EventsReceived:
        adapter = adapter_for(helpdesk)
        conn = connections.by_key(db, vault_of(request, settings), helpdesk=helpdesk, key=connection_key)
        adapter.verify(conn, headers, body, time.time())
        try:
            payload = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise _NotJson from None
        outcomes = receive(db, conn, adapter.events(conn, payload), max_chars=settings.max_message_chars)
        log.info("%s event for team %s: %s", helpdesk, conn.team_id, ",".join(o.result for o in outcomes))
        return EventsReceived(received=len(outcomes), outcomes=[Received(**vars(o)) for o in outcomes])

    try:
        return await anyio.to_thread.run_sync(work)
    except _NotJson:  # 400 like every other route's unreadable body
        detail = "the event body is not JSON; send the helpdesk's JSON payload as it is"
        return JSONResponse({"code": MalformedInput.code, "detail": detail}, status_code=400)


class _NotJson(Exception):
    """The body could not be read as JSON (answered 400)."""
