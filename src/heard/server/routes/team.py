"""The caller's team: its settings (redaction, follow-up delay, webhook), its users and keys."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from heard.server.deps import CallerDep, DatabaseDep, SettingsDep
from heard.server.routes import keys
from heard.server.schemas import TeamPublic, TeamUpdate, UserCreate, UserWithKey
from heard.server.webhooks import check_webhook_url
from heard.store import repo

router = APIRouter(tags=["team"])


class WebhookSecret(BaseModel):
    secret: str = Field(description="Signs each delivery: see docs/webhooks.md to check it.")


@router.get("/team", response_model=TeamPublic)
def get_team(caller: CallerDep, db: DatabaseDep) -> TeamPublic:
    with db.read() as session:
        return TeamPublic.model_validate(repo.get_team(session=session, team_id=caller.team_id))


@router.patch("/team", response_model=TeamPublic)
def update_team(body: TeamUpdate, caller: CallerDep, db: DatabaseDep, settings: SettingsDep) -> TeamPublic:
    """Change the team's settings (an admin's key). ``redact_pii: false`` stores messages as written.
    ``webhook_url`` must reach a public address (not loopback, private, link-local or metadata)."""
    caller.require("admin")
    changes = body.model_dump(exclude_unset=True)
    if changes.get("webhook_url"):
        check_webhook_url(changes["webhook_url"], settings.allowed_webhook_hosts())
    with db.write() as session:
        team = repo.get_team(session=session, team_id=caller.team_id)
        for field, value in changes.items():
            setattr(team, field, value)
        return TeamPublic.model_validate(team)


@router.get("/team/webhook-secret", response_model=WebhookSecret)
def webhook_secret(caller: CallerDep, db: DatabaseDep) -> WebhookSecret:
    """The secret that signs the team's webhook deliveries (an admin's key)."""
    caller.require("admin")
    with db.write() as session:
        return WebhookSecret(secret=repo.webhook_secret(session=session, team_id=caller.team_id))


@router.post("/team/webhook-secret", response_model=WebhookSecret)
def rotate_webhook_secret(caller: CallerDep, db: DatabaseDep) -> WebhookSecret:
    """Replace the signing secret (an admin's key); deliveries from now on use the new one."""
    caller.require("admin")
    with db.write() as session:
        return WebhookSecret(secret=repo.webhook_secret(session=session, team_id=caller.team_id, rotate=True))


@router.post("/users", response_model=UserWithKey, status_code=201)
def create_user(body: UserCreate, caller: CallerDep, db: DatabaseDep) -> UserWithKey:
    """Add a user to the team with an API key (an admin's key). The key is shown once."""
    caller.require("admin")
    with db.write() as session:
        user = repo.create_user(session=session, team_id=caller.team_id, name=body.name, role=body.role)
        key = repo.issue_key(session=session, user=user)
        return UserWithKey(id=user.id, name=user.name, role=user.role, api_key=key)


router.include_router(keys.router)
