"""Health (the process answers) and readiness (the database answers and is migrated)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from heard._version import __version__
from heard.server.deps import DatabaseDep
from heard.server.schemas import Health, Readiness
from heard.store import current_revision

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health() -> Health:
    """The process is up. Needs no key."""
    return Health(status="ok", version=__version__)


@router.get("/ready", response_model=Readiness, responses={503: {"model": Readiness}})
def ready(db: DatabaseDep):
    """The database answers and its schema is migrated. Needs no key."""
    try:
        revision = current_revision(db)
    except SQLAlchemyError as e:
        body = Readiness(status="not_ready", database=f"unreachable ({type(e).__name__})", migration=None)
        return JSONResponse(body.model_dump(), status_code=503)
    status = "ready" if revision else "not_ready"
    body = Readiness(status=status, database=db.engine.dialect.name, migration=revision)
    return body if revision else JSONResponse(body.model_dump(), status_code=503)
