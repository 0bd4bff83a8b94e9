"""Incidents: what each resolved conversation teaches. List with filters and paging, read one,
and correct its root cause (any user of the team; who edited it is recorded:
``service.edit_root_cause``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from heard import service
from heard.errors import MalformedInput
from heard.server.deps import CallerDep, DatabaseDep
from heard.server.schemas import IncidentPage, IncidentPublic, IncidentUpdate
from heard.server.views import incident_public
from heard.store import repo
from heard.understand import Fault, Level

router = APIRouter(prefix="/incidents", tags=["incidents"])


def aware(value: datetime | None, name: str) -> datetime | None:
    """A query's time, which must say its zone (times are compared in UTC)."""
    if value is not None and value.tzinfo is None:
        raise MalformedInput(f"{name}: give the time zone too, as in 2026-03-01T00:00:00Z")
    return value.astimezone(UTC) if value is not None else None


Since = Annotated[
    datetime | None, Query(description="Conversations opened at or after this (ISO 8601 with zone).")
]
Until = Annotated[
    datetime | None, Query(description="Conversations opened before this (ISO 8601 with zone).")
]


@router.get("", response_model=IncidentPage)
def list_incidents(
    caller: CallerDep,
    db: DatabaseDep,
    category: Annotated[str | None, Query(description="A complaint category, e.g. billing.")] = None,
    fault: Annotated[Fault | None, Query(description="Whom the customer held responsible.")] = None,
    peak_level: Annotated[Level | None, Query(description="The level at the customer's peak.")] = None,
    deescalated: Annotated[
        bool | None, Query(description="true: calmed from upset or worse; false: did not.")
    ] = None,
    customer: Annotated[str | None, Query(description="Your reference for the customer.")] = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> IncidentPage:
    """The team's incidents, the most recently resolved first."""
    now = datetime.now(UTC)
    with db.read() as session:
        rows, total = repo.list_incidents(
            session=session, team_id=caller.team_id, limit=limit, offset=offset, category=category,
            fault=fault, peak_level=peak_level, deescalated=deescalated, customer=customer,
            since=aware(since, "since"), until=aware(until, "until"),
        )  # fmt: skip
        items = [incident_public(r, now) for r in rows]
    return IncidentPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/{incident_id}", response_model=IncidentPublic)
def get_incident(incident_id: int, caller: CallerDep, db: DatabaseDep) -> IncidentPublic:
    """One incident, with its conversation's times and customer and how the follow-up went."""
    with db.read() as session:
        row = repo.get_incident(session=session, team_id=caller.team_id, incident_id=incident_id)
        return incident_public(repo.incident_context(session=session, incident=row), datetime.now(UTC))


@router.patch("/{incident_id}", response_model=IncidentPublic)
def update_incident(
    incident_id: int, body: IncidentUpdate, caller: CallerDep, db: DatabaseDep
) -> IncidentPublic:
    """Correct the root cause. Agents and leads may: the agent knows the case, the lead groups
    them; the editor's name is kept, and a later resolve keeps the edited text."""
    edited = service.edit_root_cause(db, team_id=caller.team_id, incident_id=incident_id,
                                     root_cause=body.root_cause, user_id=caller.user_id)  # fmt: skip
    return incident_public(edited, datetime.now(UTC))
