"""The admin's console: connect the team to its helpdesk (``/admin/integrations/{helpdesk}``).

The same functions as ``GET/PUT /v1/integrations/{helpdesk}``: secrets are shown masked and a
secret field left empty keeps the stored one. The page works for every registered helpdesk."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from heard.errors import HeardError, MalformedInput, RecordNotFound
from heard.integrations import connections
from heard.integrations.base import LEVELS
from heard.integrations.registry import ADAPTERS, adapter_for
from heard.server.console.render import page
from heard.server.console.session import ConsoleUser, FormDep, UserDep
from heard.server.deps import DatabaseDep, SettingsDep
from heard.server.routes.integrations import vault_of
from heard.server.webhooks import check_webhook_url

router = APIRouter(prefix="/admin", include_in_schema=False)
Helpdesk = Annotated[str, Path(max_length=20)]


def admin_of(user: UserDep) -> ConsoleUser:
    user.caller.require("admin")
    return user


AdminDep = Annotated[ConsoleUser, Depends(admin_of)]


@router.get("/integrations", response_class=HTMLResponse)
def integrations_home(user: AdminDep) -> RedirectResponse:
    return RedirectResponse("/admin/integrations/chatwoot", status_code=303)


@router.get("/integrations/{helpdesk}", response_class=HTMLResponse)
def integration_page(
    request: Request, helpdesk: Helpdesk, user: AdminDep, db: DatabaseDep, settings: SettingsDep
) -> HTMLResponse:
    adapter_for(helpdesk)
    try:
        shown = connections.shown(
            connections.load(db, vault_of(request, settings), team_id=user.caller.team_id, helpdesk=helpdesk)
        )
    except RecordNotFound:
        shown = None
    return _page(request, user, helpdesk, shown)


@router.post("/integrations/{helpdesk}", response_class=HTMLResponse)
def save_integration(
    request: Request,
    helpdesk: Helpdesk,
    user: AdminDep,
    form: FormDep,
    db: DatabaseDep,
    settings: SettingsDep,
) -> HTMLResponse:
    adapter_for(helpdesk)
    text = {k: str(form.get(k) or "") for k in ("base_url", "account", "api_token", "webhook_secret")}
    changes: dict = {
        "base_url": text["base_url"],
        "account": text["account"],
        "note_threshold": str(form.get("note_threshold") or "upset"),
        "notes_on_calm": form.get("notes_on_calm") == "on",
        "frame_origins": [o for o in str(form.get("frame_origins") or "").split() if o],
    }
    if text["api_token"].strip():  # empty: keep the stored one
        changes["api_token"] = text["api_token"]
    if form.get("remove_secret") == "on":
        changes["webhook_secret"] = ""
    elif text["webhook_secret"].strip():
        changes["webhook_secret"] = text["webhook_secret"]
    vault = vault_of(request, settings)
    try:
        if len(text["base_url"]) > 500 or len(text["api_token"]) > 500 or len(text["webhook_secret"]) > 500:
            raise MalformedInput("a field is over 500 characters; paste the value alone")
        check_webhook_url(connections.check_base_url(text["base_url"]), settings.allowed_webhook_hosts())
        connections.save(db, vault, team_id=user.caller.team_id, helpdesk=helpdesk, changes=changes)
    except HeardError as e:
        try:
            stored = connections.shown(
                connections.load(db, vault, team_id=user.caller.team_id, helpdesk=helpdesk)
            )
        except HeardError:
            stored = None
        # The form again as the admin filled it (secrets never echoed), so only the bad field needs fixing.
        entered = {k: v for k, v in changes.items() if k not in ("api_token", "webhook_secret")}
        shown = (replace(stored, **entered) if stored
                 else connections.Shown(helpdesk=helpdesk, api_token=None, webhook_secret=None, webhook_path="",
                                        **entered))  # fmt: skip
        return _page(request, user, helpdesk, shown, problem=e, http_status=422, webhook=stored is not None)
    return RedirectResponse(f"/admin/integrations/{helpdesk}?notice=integration", status_code=303)


def _page(request: Request, user, helpdesk: str, shown, *, problem=None,
          http_status: int = 200, webhook: bool = True) -> HTMLResponse:  # fmt: skip
    webhook_url = str(request.base_url).rstrip("/") + shown.webhook_path if shown and webhook else None
    return page(
        request, "integrations.html", http_status=http_status, user=user, helpdesk=helpdesk, shown=shown,
        helpdesks=sorted(ADAPTERS), levels=LEVELS, webhook_url=webhook_url, problem=problem,
    )  # fmt: skip
