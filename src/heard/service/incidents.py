"""Incidents as use cases: correct what went wrong in one (the API and the console call this)."""

from __future__ import annotations

from datetime import UTC, datetime

from heard.errors import MalformedInput
from heard.store import Database, repo
from heard.store.repo import IncidentContext


def edit_root_cause(
    db: Database, *, team_id: int, incident_id: int, root_cause: str, user_id: int | None
) -> IncidentContext:
    """Correct an incident's root cause. Agents and leads may: the agent knows the case, the lead
    groups them. The editor's name is kept, and a later resolve keeps the edited text.

    Raises:
        MalformedInput: nothing but blanks was written.
        RecordNotFound: no such incident in the team.
    """
    text = " ".join(root_cause.split())
    if not text:
        raise MalformedInput("root_cause: write what went wrong, in a few words")
    with db.write() as session:
        row = repo.get_incident(session=session, team_id=team_id, incident_id=incident_id, for_update=True)
        row.root_cause, row.updated_at = text, datetime.now(UTC)
        row.root_cause_edited_by = repo.user_name(session=session, user_id=user_id)
        session.flush()
        return repo.incident_context(session=session, incident=row)
