"""Rendering the console's templates, and its error pages (HTML where the API answers JSON)."""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from heard._version import __version__
from heard.playbook import playbook_steps
from heard.server.console.display import iso
from heard.server.limits import API_PATHS  # paths the API owns; the rest are the console's

SERVER = Path(__file__).resolve().parent.parent
NOTICES = {
    "sent": "Reply sent and stored.",
    "logged": "Customer message added.",
    "resolved": "Resolved. The follow-up is scheduled.",
    "resolved_promised": "Resolved as the agent promised, but the remedy needs a lead's approval or goes "
    "beyond policy: ask a lead to approve it before it is given. The follow-up is scheduled.",
    "adjusted": "Follow-up updated.",
    "created": "Conversation started.",
    "root_cause": "Root cause saved.",
    "scenario_added": "Scenario added: your team can practise it now.",
    "integration": "Integration saved.",
}
ACTIONS = {
    "wait": "Wait: the customer is still venting",
    "reflect": "Reflect what you heard",
    "acknowledge": "Acknowledge how they feel",
    "ask": "Acknowledge, then ask for what is missing",
    "answer": "Answer the customer",
    "offer": "Offer what policy allows",
    "close": "Close: confirm, promise to check back, resolve",
    "follow_up": "Follow up",
    "await_reply": "Wait for the customer's answer",
}


def when(at: datetime | None) -> str:
    """A readable UTC time; the console's script rewrites it in the reader's own zone."""
    if at is None:
        return ""
    return at.astimezone(UTC).strftime("%d %b %Y, %H:%M UTC")


@functools.cache
def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=str(SERVER / "templates"))
    t.env.filters["iso"] = iso
    t.env.filters["when"] = when
    t.env.filters["percent"] = lambda x: round((x or 0) * 100)
    t.env.filters["amount"] = lambda x: f"{x:,.2f}".removesuffix(".00")
    t.env.filters["words"] = lambda s: (s or "").replace("_", " ")
    t.env.globals["version"] = __version__
    t.env.globals["actions"] = ACTIONS
    t.env.globals["step_names"] = {s.id: s.name for s in playbook_steps()}
    return t


def page(request: Request, name: str, http_status: int = 200, **context) -> HTMLResponse:
    notice = NOTICES.get(request.query_params.get("notice", ""))
    return templates().TemplateResponse(request, name, {"notice": notice, **context}, status_code=http_status)


def is_console(request: Request) -> bool:
    return not request.url.path.startswith(API_PATHS)


def error_page(request: Request, status: int, code: str, detail: str) -> Response:
    """The console's answer to an error: the sign-in page when signed out, else a page saying it."""
    if status == 401 and request.method in ("GET", "HEAD") and "x-csrf-token" not in request.headers:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/sign-in?next={quote(target)}", status_code=303)
    if (
        request.headers.get("x-csrf-token") is not None
        or request.headers.get("accept") == "text/html-fragment"
    ):
        return HTMLResponse(
            f'<p class="error" role="alert">[{code}] {_escape(detail)}</p>', status_code=status
        )
    return page(request, "error.html", http_status=status, code=code, detail=detail, status_code=status)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
