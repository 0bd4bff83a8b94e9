"""Incidents in the store, on SQLite and on PostgreSQL: what a resolved conversation records, stored
rows back as ``Incident``s, a team's report, and ``heard insights --team``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from typer.testing import CliRunner

import heard
from heard.cli import app
from heard.insights.stored import follow_up_state, incident_fields, team_incidents, team_report
from heard.store import repo
from heard.store.tables import FollowUpRow

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LATE = [
    ("customer", "Your movers were two hours late and I missed my flat inspection. I am so angry!"),
    ("agent", "So the movers came two hours late and you missed the inspection. I'm so sorry, that is on us."),
    ("customer", "Okay. Thanks for saying that."),
    ("agent", "I will refund the moving fee today."),
]  # fmt: skip


def _team(db, name: str) -> int:
    with db.write() as s:
        return repo.create_team(session=s, name=name).id


def _resolved(db, team_id: int, messages, *, customer: str, start: datetime, **resolve) -> int:
    """A conversation stored as the service stores it, resolved with its incident recorded."""
    with db.write() as s:
        who = repo.customer_for(session=s, team_id=team_id, external_ref=customer)
        conv = repo.create_conversation(
            session=s, team_id=team_id, customer_id=who.id, channel="chat", subject=None, state={}
        )
        conv.created_at = start
        for n, (role, text) in enumerate(messages):
            analysis = heard.analyze(text).model_dump(mode="json") if role == "customer" else None
            repo.add_message(
                session=s, team_id=team_id, conversation_id=conv.id, role=role, text=text,
                at=start + timedelta(minutes=2 * n), analysis=analysis, action={},
            )  # fmt: skip
        stored = repo.messages_of(session=s, conversation_id=conv.id)
        card = heard.score_conversation([{"role": m.role, "text": m.text} for m in stored])
        conv.status, conv.resolved_at = "resolved", start + timedelta(hours=1)
        repo.record_incident(
            session=s, conversation=conv, root_cause=resolve.get("root_cause"), outcome=None,
            remedy=resolve.get("remedy"), read=incident_fields(stored, card),
        )  # fmt: skip
        repo.schedule_follow_up(
            session=s,
            team_id=team_id,
            conversation_id=conv.id,
            due_at=start + timedelta(days=2),
            message="Hi",
        )
        return conv.id


def test_a_resolved_conversation_records_what_the_insights_read(db) -> None:
    team = _team(db, "movers")
    cid = _resolved(db, team, LATE, customer="c-1", start=T0, remedy="refund")
    with db.read() as s:
        row = repo.incident_of(session=s, conversation_id=cid)
        assert row.category == "late_or_missed" and row.fault == "company"
        assert row.peak_level in ("upset", "angry", "furious") and row.final_level in ("calm", "concerned")
        assert (
            row.deescalated is True and row.messages_to_deescalate == 2 and row.minutes_to_deescalate == 4.0
        )
        assert row.steps_done.index("listen") < row.steps_done.index("offer_solutions")
        assert "apologise" in row.steps_done and row.remedy == "refund" and "movers" in row.root_cause
        [incident], _ = team_incidents(session=s, team_id=team, now=T0 + timedelta(days=1))
    assert incident.id == str(cid) and incident.customer == "c-1" and incident.follow_up == "pending"
    assert incident.opened_at == T0 and incident.outcome == "resolved" and incident.upset


def test_an_edited_root_cause_survives_resolving_again(db) -> None:
    team = _team(db, "edits")
    cid = _resolved(db, team, LATE, customer="c-2", start=T0)
    with db.write() as s:
        row = repo.incident_of(session=s, conversation_id=cid)
        row.root_cause, row.root_cause_edited_by = "movers double-booked", "lea"
        conv = repo.get_conversation(session=s, team_id=team, conversation_id=cid)
        repo.record_incident(
            session=s, conversation=conv, root_cause=None, outcome=None, read={"root_cause": "read again"}
        )
    with db.read() as s:
        assert repo.incident_of(session=s, conversation_id=cid).root_cause == "movers double-booked"


def test_follow_up_state_reads_delivery_and_lateness() -> None:
    now = T0 + timedelta(days=5)
    due = FollowUpRow(status="scheduled", due_at=now - timedelta(hours=2))
    assert follow_up_state(None, now) == "not_needed"
    assert follow_up_state(due, now) == "pending"
    assert follow_up_state(FollowUpRow(status="scheduled", due_at=now - timedelta(days=2)), now) == "missed"
    assert follow_up_state(FollowUpRow(status="failed", due_at=now), now) == "missed"
    assert follow_up_state(FollowUpRow(status="delivered", due_at=now), now) == "done"


def test_team_report_holds_only_the_teams_incidents_and_satisfaction(db) -> None:
    ours, theirs = _team(db, "ours"), _team(db, "theirs")
    first = _resolved(db, ours, LATE, customer="c-1", start=T0)
    _resolved(db, ours, LATE, customer="c-1", start=T0 + timedelta(days=3))
    _resolved(db, theirs, LATE, customer="c-9", start=T0)
    with db.write() as s:
        [follow_up] = repo.follow_ups_of(session=s, conversation_id=first)
        follow_up.status, follow_up.outcome, follow_up.satisfaction = "completed", "resolved", 5
        repo.copy_satisfaction(session=s, conversation_id=first, satisfaction=5)
    now = T0 + timedelta(days=10)
    with db.read() as s:
        report = team_report(session=s, team_id=ours, now=now)
        march = team_report(session=s, team_id=ours, now=now, since=T0 + timedelta(days=1), period="week")
    assert report.conversations == 2 and report.title == "ours: heard insights"
    assert report.outcomes.mean_satisfaction == 5.0 and report.outcomes.follow_ups_done == 1
    assert report.repeat_contacts.repeat_customers == 1  # c-1 came back within 30 days
    assert report.volume_by_category[0].key == "late_or_missed"
    assert march.conversations == 1 and march.period == "week"


def test_heard_insights_team_writes_the_report_from_the_store(db, database_url, tmp_path) -> None:
    team = _team(db, "cli-team")
    _resolved(db, team, LATE, customer="c-1", start=T0)
    out = tmp_path / "report"
    runner = CliRunner()
    result = runner.invoke(
        app, ["insights", "--team", "cli-team", "--database-url", database_url, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads((out / "figures.json").read_text())
    assert figures["conversations"] == 1 and figures["title"] == "cli-team: heard insights"
    assert "<svg" in (out / "report.html").read_text()
    later = runner.invoke(app, [
        "insights", "--team", "cli-team", "--database-url", database_url, "--out", str(out),
        "--since", "2026-03-05", "--period", "week",
    ])  # fmt: skip
    assert later.exit_code == 0 and "0 incidents of team 'cli-team'" in later.output
    assert json.loads((out / "figures.json").read_text())["period"] == "week"
    missing = runner.invoke(app, ["insights", "--team", "nobody", "--database-url", database_url])
    assert missing.exit_code == 2 and "no team named 'nobody'" in missing.output
    neither = runner.invoke(app, ["insights"])
    assert neither.exit_code == 2 and "--team" in neither.output
