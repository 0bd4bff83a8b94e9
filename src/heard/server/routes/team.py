"""The caller's team: its settings (redaction, follow-up delay, webhook) and its users."""

from __future__ import annotations

from fastapi import APIRouter

from heard.server.deps import CallerDep, DatabaseDep
from heard.server.schemas import TeamPublic, TeamUpdate, UserCreate, UserWithKey
from heard.store import repo

router = APIRouter(tags=["team"])


@router.get("/team", response_model=TeamPublic)
def get_team(caller: CallerDep, db: DatabaseDep) -> TeamPublic:
    with db.read() as session:
        return TeamPublic.model_validate(repo.get_team(session=session, team_id=caller.team_id))


@router.patch("/team", response_model=TeamPublic)
def update_team(body: TeamUpdate, caller: CallerDep, db: DatabaseDep) -> TeamPublic:
    """Change the team's settings (an admin's key). ``redact_pii: false`` stores messages as written."""
    caller.require("admin")
    with db.write() as session:
        team = repo.get_team(session=session, team_id=caller.team_id)
        for field, value in body.model_dump(exclude_unset=True).items():
            setattr(team, field, value)
        return TeamPublic.model_validate(team)


@router.post("/users", response_model=UserWithKey, status_code=201)
def create_user(body: UserCreate, caller: CallerDep, db: DatabaseDep) -> UserWithKey:
    """Add a user to the team with an API key (an admin's key). The key is shown once."""
    caller.require("admin")
    with db.write() as session:
        user = repo.create_user(session=session, team_id=caller.team_id, name=body.name, role=body.role)
        key = repo.issue_key(session=session, user=user)
        return UserWithKey(id=user.id, name=user.name, role=user.role, api_key=key)
