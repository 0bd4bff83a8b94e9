"""Follow-ups as a use case: adjust a scheduled one before it goes."""

from __future__ import annotations

from datetime import UTC, datetime

from heard.errors import Conflict, MalformedInput
from heard.store import Database, repo
from heard.store.tables import FollowUpRow


def adjust_follow_up(
    db: Database,
    *,
    team_id: int,
    follow_up_id: int,
    due_at: datetime | None = None,
    message: str | None = None,
) -> FollowUpRow:
    """Change when a scheduled follow-up is due and what it says (None: leave as it is)."""
    with db.write() as session:
        row = repo.get_follow_up(session=session, team_id=team_id, follow_up_id=follow_up_id, for_update=True)
        if row.status != "scheduled":
            raise Conflict(f"follow-up {row.id} is {row.status}; only a scheduled one can be changed")
        if due_at is not None:
            if due_at.tzinfo is None:
                raise MalformedInput("due_at: give the time zone too, as in 2026-03-01T10:00:00Z")
            row.due_at = row.next_attempt_at = due_at.astimezone(UTC)
        if message is not None:
            row.message = message
        return row
