"""Signing in to the console with an API key, and signing out."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from heard.errors import NotAuthenticated
from heard.server.console.render import page
from heard.server.console.session import COOKIE, key_for_sign_in, secret_of, session_cookie
from heard.server.deps import DatabaseDep, SettingsDep

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path of this site: never an open redirect to another one."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, next: str = "/") -> HTMLResponse:
    return page(request, "sign_in.html", next=_safe_next(next), problem=None)


@router.post("/sign-in", response_model=None)
def sign_in(
    request: Request, db: DatabaseDep, settings: SettingsDep, key: str = Form(""), next: str = Form("/")
) -> HTMLResponse | RedirectResponse:
    try:
        key_id = key_for_sign_in(db, key)
    except NotAuthenticated as e:
        return page(request, "sign_in.html", http_status=401, next=_safe_next(next), problem=e.detail)
    answer = RedirectResponse(_safe_next(next), status_code=303)
    answer.set_cookie(
        COOKIE,
        session_cookie(secret_of(settings), key_id, settings.console_session_hours),
        max_age=int(settings.console_session_hours * 3600),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return answer


@router.post("/sign-out")
def sign_out() -> RedirectResponse:
    answer = RedirectResponse("/sign-in", status_code=303)
    answer.delete_cookie(COOKIE, path="/")
    return answer
