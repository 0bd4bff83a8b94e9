"""Signing in to the console with an API key, and signing out (the session ends server-side)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from heard.errors import NotAuthenticated
from heard.server.console.render import page
from heard.server.console.session import (
    COOKIE,
    SIGN_IN_COOKIE,
    end_session,
    key_for_sign_in,
    secret_of,
    sign_in_nonce,
    sign_in_token,
    sign_in_token_ok,
    start_session,
)
from heard.server.deps import DatabaseDep, SettingsDep

router = APIRouter(include_in_schema=False)
STALE_FORM = "this sign-in form is stale or came from another site; reload the page and sign in again"


def _safe_next(target: str | None) -> str:
    """Only a path of this site: never an open redirect to another one."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _form(
    request: Request, settings, *, next: str, problem: str | None, http_status: int = 200
) -> HTMLResponse:
    """The sign-in page with a CSRF token tied to a fresh cookie of its own."""
    nonce = sign_in_nonce()
    answer = page(request, "sign_in.html", http_status=http_status, next=_safe_next(next), problem=problem,
                  csrf=sign_in_token(secret_of(settings), nonce))  # fmt: skip
    answer.set_cookie(SIGN_IN_COOKIE, nonce, max_age=3600, httponly=True, samesite="lax",
                      secure=request.url.scheme == "https", path="/sign-in")  # fmt: skip
    return answer


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, settings: SettingsDep, next: str = "/") -> HTMLResponse:
    return _form(request, settings, next=next, problem=None)


@router.post("/sign-in", response_model=None)
def sign_in(
    request: Request,
    db: DatabaseDep,
    settings: SettingsDep,
    key: str = Form(""),
    next: str = Form("/"),
    csrf: str = Form(""),
) -> HTMLResponse | RedirectResponse:
    secret = secret_of(settings)
    if not sign_in_token_ok(secret, request.cookies.get(SIGN_IN_COOKIE), csrf):
        return _form(request, settings, next=next, problem=STALE_FORM, http_status=403)
    try:
        key_id = key_for_sign_in(db, key)
    except NotAuthenticated as e:
        return _form(request, settings, next=next, problem=e.detail, http_status=401)
    answer = RedirectResponse(_safe_next(next), status_code=303)
    answer.set_cookie(
        COOKIE,
        start_session(db, secret, key_id, settings.console_session_hours),
        max_age=int(settings.console_session_hours * 3600),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    answer.delete_cookie(SIGN_IN_COOKIE, path="/sign-in")
    return answer


@router.post("/sign-out")
def sign_out(request: Request, db: DatabaseDep, settings: SettingsDep) -> RedirectResponse:
    """End the session in the database too: the old cookie, if replayed, is no session."""
    if cookie := request.cookies.get(COOKIE):
        end_session(db, secret_of(settings), cookie)
    answer = RedirectResponse("/sign-in", status_code=303)
    answer.delete_cookie(COOKIE, path="/")
    return answer
