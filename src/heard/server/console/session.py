"""Console sign-in: an API key once, then a signed, HttpOnly session cookie.

The cookie holds the id of the API key that signed in and when the session ends, signed
with HMAC-SHA256 under the server's secret (``HEARD_SECRET_KEY``, or a random one kept in
``<data_dir>/console-secret``). The key itself never leaves the sign-in request. Every
request checks the signature, the end time and that the key is still unrevoked, so revoking
a key signs its sessions out at once. Forms and the console's fetches carry a CSRF token
derived from the cookie; the cookie is ``SameSite=Lax`` besides.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
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


def session_cookie(secret: bytes, key_id: int, hours: float) -> str:
    """The cookie value for a session of this key ending ``hours`` from now."""
    payload = json.dumps({"k": key_id, "exp": int(time.time() + hours * 3600)}, separators=(",", ":"))
    body = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
    return f"{body}.{_sign(secret, body.encode())}"


def read_cookie(secret: bytes, value: str) -> int | None:
    """The key id of a valid, unexpired cookie, or None."""
    body, _, signature = value.partition(".")
    if not signature or not hmac.compare_digest(signature, _sign(secret, body.encode())):
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        key_id, ends = int(payload["k"]), float(payload["exp"])
    except (ValueError, KeyError, TypeError):
        return None
    return key_id if ends > time.time() else None


def csrf_token(secret: bytes, cookie: str) -> str:
    return _sign(secret, b"csrf:" + cookie.encode())


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
    key_id = read_cookie(secret, cookie) if cookie else None
    if key_id is None:
        raise NotAuthenticated("sign in with your API key")
    with db.read() as session:
        user = repo.user_by_key_id(session=session, key_id=key_id)
        if user is None:
            raise NotAuthenticated("this session's API key was revoked; sign in with a current key")
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
