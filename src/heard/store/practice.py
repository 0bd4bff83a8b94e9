"""Reading and writing practice sessions and a team's own scenarios (see ``repo`` for the rules:
``session`` keyword-only, flush but no commit, every lookup filtered on the team)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from heard.errors import RecordNotFound
from heard.store.tables import PracticeScenarioRow, PracticeSessionRow, UserRow, now


def team_scenarios(*, session: Session, team_id: int) -> list[PracticeScenarioRow]:
    return list(
        session.scalars(
            select(PracticeScenarioRow)
            .where(PracticeScenarioRow.team_id == team_id)
            .order_by(PracticeScenarioRow.scenario_id)
        )
    )


def team_scenario(*, session: Session, team_id: int, scenario_id: str) -> PracticeScenarioRow | None:
    return session.scalar(
        select(PracticeScenarioRow).where(
            PracticeScenarioRow.team_id == team_id, PracticeScenarioRow.scenario_id == scenario_id
        )
    )


def put_team_scenario(
    *, session: Session, team_id: int, scenario_id: str, title: str, domain: str | None, source: str,
    added_by: str | None,
) -> tuple[PracticeScenarioRow, bool]:  # fmt: skip
    """Add the team's scenario, or replace the one with the same id; and whether it was new."""
    row = team_scenario(session=session, team_id=team_id, scenario_id=scenario_id)
    created = row is None
    if row is None:
        row = PracticeScenarioRow(team_id=team_id, scenario_id=scenario_id)
        session.add(row)
    row.title, row.domain, row.source, row.added_by, row.updated_at = title, domain, source, added_by, now()
    session.flush()
    return row, created


def add_session(*, session: Session, **fields) -> PracticeSessionRow:
    row = PracticeSessionRow(**fields)
    session.add(row)
    session.flush()
    return row


def get_session(
    *, session: Session, team_id: int, session_id: int, for_update: bool = False
) -> PracticeSessionRow:
    """One of the team's practice sessions; another team's is "not found" as much as a missing one."""
    query = select(PracticeSessionRow).where(
        PracticeSessionRow.id == session_id, PracticeSessionRow.team_id == team_id
    )
    row = session.scalar(query.with_for_update() if for_update else query)
    if row is None:
        raise RecordNotFound(f"no practice session {session_id}; list yours with GET /v1/practice/sessions")
    return row


def list_sessions(
    *, session: Session, team_id: int, limit: int | None, offset: int = 0, user_id: int | None = None,
    since: datetime | None = None,
) -> tuple[list[tuple[PracticeSessionRow, str]], int]:  # fmt: skip
    """A page of the team's sessions (of one trainee when ``user_id``), newest first, each with
    the trainee's name; and the total. ``limit=None`` reads them all (the lead's figures)."""
    where = [PracticeSessionRow.team_id == team_id]
    if user_id is not None:
        where.append(PracticeSessionRow.user_id == user_id)
    if since is not None:
        where.append(PracticeSessionRow.started_at >= since)
    total = session.scalar(select(func.count()).select_from(PracticeSessionRow).where(*where)) or 0
    query = (
        select(PracticeSessionRow, UserRow.name)
        .join(UserRow, UserRow.id == PracticeSessionRow.user_id)
        .where(*where)
        .order_by(PracticeSessionRow.started_at.desc(), PracticeSessionRow.id.desc())
        .offset(offset)
    )
    rows = session.execute(query if limit is None else query.limit(limit)).all()
    return [(r[0], r[1]) for r in rows], total
