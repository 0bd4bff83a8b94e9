"""The team's API keys: list them, issue a new one for a user, revoke one (an admin's key).

A revoked key stops working on every server process within a second (``deps.KEY_CACHE_SECONDS``)
and the console sessions signed in with it end at once.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from heard.server.deps import CallerDep, DatabaseDep, forget_cached_keys
from heard.server.schemas import UserWithKey
from heard.store import repo
from heard.store.repo import KeyInfo

router = APIRouter(tags=["team"])


@router.get("/keys", response_model=list[KeyInfo])
def list_keys(caller: CallerDep, db: DatabaseDep) -> list[KeyInfo]:
    """Every API key of the team, revoked ones too; a key shows only its first characters."""
    caller.require("admin")
    with db.read() as session:
        return repo.list_keys(session=session, team_id=caller.team_id)


@router.delete("/keys/{key_id}", response_model=KeyInfo)
def revoke_key(key_id: int, request: Request, caller: CallerDep, db: DatabaseDep) -> KeyInfo:
    """Revoke a key of the team (an admin's key; revoking twice is harmless)."""
    caller.require("admin")
    with db.write() as session:
        revoked = repo.revoke_key(session=session, team_id=caller.team_id, key_id=key_id)
    forget_cached_keys(request)
    return revoked


@router.post("/users/{user_id}/keys", response_model=UserWithKey, status_code=201)
def issue_key(user_id: int, caller: CallerDep, db: DatabaseDep) -> UserWithKey:
    """A new API key for a user of the team (to replace a revoked one). Shown once."""
    caller.require("admin")
    with db.write() as session:
        user = repo.get_user(session=session, team_id=caller.team_id, user_id=user_id)
        key = repo.issue_key(session=session, user=user)
        return UserWithKey(id=user.id, name=user.name, role=user.role, api_key=key)
