"""A team's themes in the store: the worker's refit, new incidents assigned, the report reading
stored themes (no regrouping), on SQLite and PostgreSQL. Complaints written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from heard.insights import stored_themes
from heard.insights.stored import team_report
from heard.insights.stored_themes import assign_new_incidents, refit_due, refit_due_themes, refit_themes
from heard.store import repo
from heard.store.tables import ConversationRow, IncidentRow, IncidentThemeRow, ThemeModelRow

NOW = datetime(2026, 4, 1, tzinfo=UTC)
REFUND = [
    "The refund for my returned coat never arrived.",
    "Still no refund three weeks after you got my return.",
    "You promised my money back for the boots and nothing came.",
    "Refund for the cancelled order has not reached my card.",
    "My return was accepted a month ago and no refund yet.",
    "Where is the refund for the parcel I sent back?",
]
LOGIN = [
    "I cannot log in, the password reset email never comes.",
    "My account is locked and the unlock link has expired.",
    "The login page rejects my password even after a reset.",
    "Locked out of my account, the verification code never arrives.",
    "Every password reset fails and I still cannot sign in.",
    "The sign-in code goes to an old phone number so I am locked out.",
]
MOVERS = [
    "The movers were booked for 8 am and came at noon.",
    "Your moving crew arrived three hours late for my move.",
    "Nobody from the removal company turned up on Saturday.",
    "The moving van was late again on my second move.",
    "Movers showed up after lunch for a morning slot.",
    "The removal men came so late we unloaded in the dark.",
]


def _incident(session, team_id: int, text: str, opened: datetime) -> int:
    conversation = ConversationRow(
        team_id=team_id,
        status="resolved",
        created_at=opened,
        resolved_at=opened + timedelta(hours=1),
        state={},
    )
    session.add(conversation)
    session.flush()
    row = IncidentRow(team_id=team_id, conversation_id=conversation.id, root_cause=text, peak_upset=0.6)
    session.add(row)
    session.flush()
    return row.id


@pytest.fixture
def team(db) -> int:
    """A team with refund and login complaints over the last month and movers ones this week."""
    with db.write() as s:
        team_id = repo.create_team(session=s, name="shop").id
        for i, text in enumerate(REFUND + LOGIN):
            _incident(s, team_id, text, NOW - timedelta(days=8 + 3 * (i % 7)))
        for i, text in enumerate(MOVERS):
            _incident(s, team_id, text, NOW - timedelta(days=1, hours=i))
    return team_id


def test_the_refit_stores_a_model_and_every_incident_s_theme(db, team) -> None:
    with db.write() as s:
        assert refit_due(s, team, at=NOW)
        row = refit_themes(s, team)
    assert row is not None and row.version == 1 and row.incidents == 18 and row.themes
    with db.read() as s:
        stored = s.scalars(select(IncidentThemeRow).where(IncidentThemeRow.team_id == team)).all()
        assert len(stored) == 18 and all(t.model_version == 1 and t.theme is not None for t in stored)
        assert not refit_due(s, team, at=NOW)  # fresh: nothing to do until a week or 20% more
        assert refit_due(s, team, at=datetime.now(UTC) + timedelta(days=8))


def test_the_report_reads_the_stored_themes_and_marks_this_week_s_as_new(db, team) -> None:
    with db.read() as s:
        assert team_report(session=s, team_id=team, now=NOW).themes == []  # no model yet: no themes
    with db.write() as s:
        refit_themes(s, team)
    with db.read() as s:
        report = team_report(session=s, team_id=team, now=NOW)
    movers = [t for t in report.themes if any(w in t.name for w in ("mover", "moving", "removal", "late"))]
    assert movers and movers[0].new and movers[0].recent >= 5
    assert any("refund" in t.name for t in report.themes)
    assert all(not t.new for t in report.themes if "refund" in t.name)
    # The report regroups nothing: a second call with a refit forbidden gives the same themes.
    with db.read() as s:
        again = team_report(session=s, team_id=team, now=NOW)
    assert again.themes == report.themes


def test_a_new_incident_is_assigned_to_the_stored_theme_without_a_refit(db, team, monkeypatch) -> None:
    with db.write() as s:
        refit_themes(s, team)
    with db.write() as s:
        new_id = _incident(s, team, "I sent the jacket back weeks ago and the refund is still missing.", NOW)

    def no_refit(*args, **kwargs):
        raise AssertionError("assigning a new incident must not refit")

    monkeypatch.setattr(stored_themes.ThemeModel, "fit", no_refit)
    with db.write() as s:
        assert assign_new_incidents(s, team) == 1
    with db.read() as s:
        rows = {t.incident_id: t for t in s.scalars(select(IncidentThemeRow))}
        models = s.scalars(select(ThemeModelRow)).all()
    refund_theme = rows[new_id].theme
    first_refund = min(rows)  # the first incident written is a refund complaint
    assert refund_theme == rows[first_refund].theme >= 0 and rows[new_id].model_version == 1
    assert len(models) == 1


def test_the_worker_job_refits_due_teams_and_a_growing_team_again(db, team) -> None:
    assert refit_due_themes(db, at=NOW) == {"assigned": 0, "refitted": 1}
    with db.write() as s:
        for text in REFUND[:5]:
            _incident(s, team, text + " Again.", NOW)
    assert refit_due_themes(db, at=NOW) == {"assigned": 0, "refitted": 1}  # 23 >= 18 * 1.2 + 1
    with db.read() as s:
        versions = s.scalars(select(ThemeModelRow.version).where(ThemeModelRow.team_id == team)).all()
        assert sorted(versions) == [1, 2]


def test_a_team_with_too_few_incidents_gets_no_model(db) -> None:
    with db.write() as s:
        team_id = repo.create_team(session=s, name="tiny").id
        for text in REFUND[:3]:
            _incident(s, team_id, text, NOW)
        assert not refit_due(s, team_id, at=NOW)
        assert refit_themes(s, team_id) is None


def test_heard_insights_refits_a_team_s_themes_and_names_the_new_ones(tmp_path) -> None:
    from typer.testing import CliRunner

    from heard.cli import app
    from heard.store import Database, migrate

    url = f"sqlite:///{tmp_path / 'heard.db'}"
    db = Database.connect(url)
    migrate(db)
    now = datetime.now(UTC)
    with db.write() as s:
        team_id = repo.create_team(session=s, name="shop").id
        for i, text in enumerate(REFUND + LOGIN):
            _incident(s, team_id, text, now - timedelta(days=8 + 3 * (i % 7)))
        for i, text in enumerate(MOVERS):
            _incident(s, team_id, text, now - timedelta(days=1, hours=i))
    db.dispose()
    args = ["insights", "--team", "shop", "--database-url", url, "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(app, [*args, "--refit-themes"])
    assert result.exit_code == 0, result.output
    assert "themes v1" in result.output and "new this week:" in result.output
    again = CliRunner().invoke(app, args)  # the stored themes, read without a refit
    assert again.exit_code == 0 and "themes v" not in again.output and "new this week:" in again.output
