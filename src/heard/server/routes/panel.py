"""heard's panel in a helpdesk: the page the helpdesk frames, and the two calls its script makes.

The page (``/integrations/{helpdesk}/panel/{panel_key}``) may be framed by exactly the
connection's ``frame_origins`` (its own Content-Security-Policy ``frame-ancestors``; every other
page keeps ``frame-ancestors 'none'``). Its script takes the conversation from the helpdesk's
context message, checks the message's origin, and reads ``GET .../panel/{key}/conversations/{id}``;
the draft box posts to ``.../review``. The panel key is the only credential (see
``heard.integrations.panel``); an admin reads the panel's URL from ``GET /v1/integrations/{helpdesk}/panel``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from heard.integrations import connections
from heard.integrations import panel as panels
from heard.integrations.registry import adapter_for
from heard.respond import DraftReview
from heard.server.console.render import templates
from heard.server.deps import CallerDep, DatabaseDep, SettingsDep
from heard.server.routes.engine import check_length
from heard.server.schemas import Said

router = APIRouter(prefix="/integrations", tags=["integrations"])
page_router = APIRouter(include_in_schema=False)
Helpdesk = Annotated[str, Path(max_length=20, description="chatwoot, zendesk, zammad or freshdesk")]
PanelKey = Annotated[str, Path(max_length=80, description="The key in the panel's URL.")]
ExternalId = Annotated[str, Path(max_length=200, description="The helpdesk's conversation or ticket id.")]
# How the page talks to its parent: Chatwoot's Dashboard App protocol, or heard's own bridge
# messages (heard:context, heard:fetch-info, heard:insert) that the Zendesk app's bridge.js speaks.
MODES = {"chatwoot": "chatwoot"}


class PanelLink(BaseModel):
    helpdesk: str
    panel_path: str = Field(description="The panel page: the Dashboard App URL or the Zendesk app's.")
    frame_origins: list[str] = Field(description="Who may frame it (the connection's frame_origins).")


class PanelDraft(BaseModel):
    draft: Said = Field(description="The reply the agent is typing.")


def _opened(request: Request, db, helpdesk: str, key: str):
    adapter_for(helpdesk)
    # The panel key is the caller's credential: it has its own rate allowance, like an API key.
    request.app.state.rate_limits.take(hashlib.sha256(f"panel:{key}".encode()).hexdigest())
    return panels.connection_for(db, request.app.state.vault, helpdesk=helpdesk, key=key)


@router.get("/{helpdesk}/panel", response_model=PanelLink)
def panel_link(helpdesk: Helpdesk, request: Request, caller: CallerDep, db: DatabaseDep) -> PanelLink:
    """Where the team's panel for this helpdesk is (an admin's key): put it in the helpdesk."""
    caller.require("admin")
    conn = connections.load(db, request.app.state.vault, team_id=caller.team_id, helpdesk=helpdesk)
    return PanelLink(
        helpdesk=helpdesk, panel_path=panels.page_path(conn), frame_origins=panels.frame_origins(conn)
    )


@router.get("/{helpdesk}/panel/{panel_key}/conversations/{external_id}", response_model=panels.PanelView)
def panel_view(
    helpdesk: Helpdesk, panel_key: PanelKey, external_id: ExternalId, request: Request, db: DatabaseDep
) -> panels.PanelView:
    """What the panel shows for a helpdesk conversation (the panel key authorises)."""
    conn = _opened(request, db, helpdesk, panel_key)
    return panels.view(db, conn, external_id, now=datetime.now(UTC))


@router.post("/{helpdesk}/panel/{panel_key}/conversations/{external_id}/review", response_model=DraftReview)
def panel_review(
    helpdesk: Helpdesk, panel_key: PanelKey, external_id: ExternalId, body: PanelDraft, request: Request,
    db: DatabaseDep, settings: SettingsDep,
) -> DraftReview:  # fmt: skip
    """The agent's draft reviewed in this conversation, as the console's draft box does."""
    conn = _opened(request, db, helpdesk, panel_key)
    check_length(body.draft, settings.max_message_chars)
    return panels.review(db, conn, external_id, body.draft, now=datetime.now(UTC))


def frame_policy(origins: list[str]) -> str:
    """The page's Content-Security-Policy: the console's, framed by exactly ``origins``."""
    from heard.server.headers import CSP

    ancestors = " ".join(origins) if origins else "'none'"
    return CSP.replace("frame-ancestors 'none'", f"frame-ancestors {ancestors}")


@page_router.get("/integrations/{helpdesk}/panel/{panel_key}", response_class=HTMLResponse)
def panel_page(helpdesk: Helpdesk, panel_key: PanelKey, request: Request, db: DatabaseDep) -> HTMLResponse:
    """The panel page the helpdesk frames."""
    conn = _opened(request, db, helpdesk, panel_key)
    allowed = panels.frame_origins(conn)
    response = templates().TemplateResponse(
        request,
        "panel.html",
        {
            "helpdesk": helpdesk,
            "mode": MODES.get(helpdesk, "bridge"),
            "api": f"/v1/integrations/{helpdesk}/panel/{panel_key}",
            "origins": json.dumps(panels.message_origins(conn)),
            "framed_by": allowed,
        },
    )
    response.headers["Content-Security-Policy"] = frame_policy(allowed)
    response.headers["Referrer-Policy"] = "no-referrer"  # the URL carries the panel key
    response.headers["Cache-Control"] = "no-store"
    return response
