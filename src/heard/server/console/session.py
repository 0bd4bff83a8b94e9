"""Console sign-in: an API key once, then a signed, HttpOnly session cookie.

The cookie holds a random session token, signed with HMAC-SHA256 under the server's secret
(``HEARD_SECRET_KEY``, or a random one kept in ``<data_dir>/console-secret``); the database
keeps the token's SHA-256 with the key that signed in and when the session ends. The key
itself never leaves the sign-in request. Every request checks the signature, then that the
session is in the database, not ended, not expired, and its key unrevoked: signing out or
revoking the key ends the session on every server process at once. Forms and the console's
fetches carry a CSRF token derived from the cookie; the sign-in form carries one tied to a
short-lived cookie of its own; the cookies are ``SameSite=Lax`` besides.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from heard.errors import MalformedInput, NotAllowed, NotAuthenticated
from heard.server.deps import Caller, DatabaseDep
from heard.settings import Settings
from heard.store import repo

COOKIE = "heard_session"
CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True)
class ConsoleUser:
    """Who is signed in: the caller the API functions take, with names to show."""

    caller: Caller
    name: str
    team: str
    csrf: str

    @property
    def is_lead(self) -> bool:
        return self.caller.role in ("lead", "admin")


def secret_of(settings: Settings) -> bytes:
    """The signing secret: the setting, or the one kept in the data folder (created once)."""
    if settings.secret_key:
        return settings.secret_key.encode("utf-8")
    return _kept_secret(settings.data_dir.resolve())


@functools.cache
def _kept_secret(data_dir: Path) -> bytes:
    path = data_dir / "console-secret"
    data_dir.mkdir(parents=True, exist_ok=True)
    # O_EXCL: when several server processes start at once, one writes and all read that one.
    with contextlib.suppress(FileExistsError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    for _ in range(50):  # another process may be between creating and writing it
        if text := path.read_text("utf-8").strip():
            return text.encode("utf-8")
        time.sleep(0.02)
    raise RuntimeError(f"{path} is empty; delete it and start again")


def _sign(secret: bytes, payload: bytes) -> str:
    return base64.urlsafe_b64encode(hmac.new(secret, payload, hashlib.sha256).digest()).decode().rstrip("=")


def start_session(db, secret: bytes, key_id: int, hours: float) -> str:
    """Record a new session of this key ending ``hours`` from now; the cookie value for it."""
    token = secrets.token_urlsafe(32)
    with db.write() as session:
        repo.start_session(session=session, key_id=key_id, token=token,
                           expires_at=datetime.now(UTC) + timedelta(hours=hours))  # fmt: skip
    return f"{token}.{_sign(secret, b'session:' + token.encode())}"


def read_cookie(secret: bytes, value: str) -> str | None:
    """The session token of a cookie this server signed, or None (the database says if it is live)."""
    token, _, signature = value.partition(".")
    if (
        not token
        or not signature
        or not hmac.compare_digest(signature, _sign(secret, b"session:" + token.encode()))
    ):
        return None
    return token


def end_session(db, secret: bytes, value: str) -> bool:
    """Sign out: the session of this cookie ends for good."""
    token = read_cookie(secret, value)
    if token is None:
        return False
    with db.write() as session:
        return repo.end_session(session=session, token=token)


def csrf_token(secret: bytes, cookie: str) -> str:
    return _sign(secret, b"csrf:" + cookie.encode())


SIGN_IN_COOKIE = "heard_sign_in"


def sign_in_nonce() -> str:
    """A fresh value for the sign-in form's own cookie (login CSRF: see ``sign_in_token``)."""
    return secrets.token_urlsafe(16)


def sign_in_token(secret: bytes, nonce: str) -> str:
    """The CSRF token of the sign-in form: only a page this server served can post the form."""
    return _sign(secret, b"sign-in:" + nonce.encode())


def sign_in_token_ok(secret: bytes, nonce: str | None, sent: str | None) -> bool:
    return bool(nonce and sent) and hmac.compare_digest(sign_in_token(secret, nonce), sent)


def key_for_sign_in(db, key: str) -> int:
    """The id of this API key, or ``NotAuthenticated`` saying what to do."""
    key = key.strip()
    if not key:
        raise NotAuthenticated("enter your API key (heard serve prints the demo team's key)")
    with db.read() as session:
        key_id = repo.key_id_of(session=session, key=key)
    if key_id is None:
        raise NotAuthenticated("this API key is unknown or revoked; check it, or ask your team's admin")
    return key_id


def current_user(request: Request, db: DatabaseDep) -> ConsoleUser:
    """The signed-in user, or ``NotAuthenticated`` (the console answers it with the sign-in page)."""
    settings: Settings = request.app.state.settings
    secret = secret_of(settings)
    cookie = request.cookies.get(COOKIE, "")
    token = read_cookie(secret, cookie) if cookie else None
    if token is None:
        raise NotAuthenticated("sign in with your API key")
    with db.read() as session:
        found = repo.user_by_session(session=session, token=token, at=datetime.now(UTC))
        if found is None:
            raise NotAuthenticated(
                "this session ended (signed out, expired or its key revoked); sign in again"
            )
        _, user = found
        team = repo.get_team(session=session, team_id=user.team_id)
        caller = Caller(team_id=user.team_id, user_id=user.id, role=user.role)
        return ConsoleUser(caller=caller, name=user.name, team=team.name, csrf=csrf_token(secret, cookie))


UserDep = Annotated[ConsoleUser, Depends(current_user)]


def _check_csrf(sent: object, user: ConsoleUser) -> None:
    if not isinstance(sent, str) or not hmac.compare_digest(sent, user.csrf):
        raise NotAllowed("this form is stale or came from another site; reload the page and try again")


async def posted_form(request: Request, user: UserDep) -> FormData:
    """A form the signed-in user posted from the console (its CSRF token checked)."""
    form = await request.form()
    _check_csrf(form.get("csrf") or request.headers.get(CSRF_HEADER, ""), user)
    return form


async def posted_json(request: Request, user: UserDep) -> dict:
    """A JSON object the console's script posted (the CSRF token in its header)."""
    _check_csrf(request.headers.get(CSRF_HEADER, ""), user)
    try:
        body = await request.json()
    except ValueError:
        raise MalformedInput("the body is not valid JSON; send a JSON object") from None
    if not isinstance(body, dict):
        raise MalformedInput("send a JSON object")
    return body


FormDep = Annotated[FormData, Depends(posted_form)]
JsonDep = Annotated[dict, Depends(posted_json)]


def lead_of(user: UserDep) -> ConsoleUser:
    """The signed-in user when they are a lead or an admin."""
    user.caller.require("lead")
    return user


LeadDep = Annotated[ConsoleUser, Depends(lead_of)]
