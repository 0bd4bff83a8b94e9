"""What routes depend on: the settings, the database and the caller (from the API key)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request

from heard.errors import NotAllowed, NotAuthenticated
from heard.settings import Settings
from heard.store import Database, repo

ROLE_RANK = {"agent": 0, "lead": 1, "admin": 2}
# A key once checked is trusted this long without asking the database again, so a revoked
# key stops working on every server process within this time (docs/api.md); the process that
# revokes it forgets it at once. Short enough for "within a second", long enough that a burst
# of requests with one key reads the database once.
KEY_CACHE_SECONDS = 0.5


@dataclass(frozen=True)
class Caller:
    """Who is calling: the team and user the API key belongs to."""

    team_id: int
    user_id: int
    role: str

    def require(self, role: str) -> None:
        if ROLE_RANK[self.role] < ROLE_RANK[role]:
            raise NotAllowed(f"this needs a {role}'s key (or an admin's); this key belongs to an {self.role}")


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_db(request: Request) -> Database:
    return request.app.state.db


SettingsDep = Annotated[Settings, Depends(get_settings)]
DatabaseDep = Annotated[Database, Depends(get_db)]


def get_caller(
    request: Request,
    db: DatabaseDep,
    authorization: Annotated[str | None, Header(description="Bearer <API key>")] = None,
    x_api_key: Annotated[str | None, Header(description="The API key, instead of Authorization.")] = None,
) -> Caller:
    key = x_api_key
    if authorization and authorization.lower().startswith("bearer "):
        key = authorization[7:].strip()
    if not key:
        raise NotAuthenticated("send your API key as 'Authorization: Bearer <key>' (or 'X-API-Key: <key>')")
    digest = repo.digest(key)
    request.app.state.rate_limits.take(digest)  # HEARD_RATE_LIMIT_PER_MINUTE (server/rate.py)
    cache: dict[str, tuple[float, Caller]] = request.app.state.callers
    seen = cache.get(digest)
    if seen and seen[0] > time.monotonic():
        return seen[1]
    with db.read() as session:
        user = repo.user_by_key(session=session, key=key)
        if user is None:
            raise NotAuthenticated("this API key is unknown or revoked; ask your team's admin for a new one")
        caller = Caller(team_id=user.team_id, user_id=user.id, role=user.role)
    if len(cache) > 10_000:
        cache.clear()
    cache[digest] = (time.monotonic() + KEY_CACHE_SECONDS, caller)
    return caller


CallerDep = Annotated[Caller, Depends(get_caller)]


def forget_cached_keys(request: Request) -> None:
    """Drop this process's checked keys (after a revocation)."""
    request.app.state.callers.clear()
