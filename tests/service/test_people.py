"""Each agent's replies record who wrote them; the lead sees each agent's missed steps and
de-escalation rate."""

from datetime import UTC, datetime, timedelta

from heard import service
from heard.store import Database, migrate, repo

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _resolved(db, team_id, user_id, replies: list[str]) -> None:
    row, _ = service.start_conversation(db, team_id=team_id)
    at = T0
    said = ["I was charged twice for my subscription and I am really angry about it!", "Fine, thanks."]
    for k, reply in enumerate(replies):
        service.ingest_message(db, team_id=team_id, conversation_id=row.id, role="customer", text=said[min(k, 1)],
                               at=at)  # fmt: skip
        at += timedelta(minutes=2)
        service.ingest_message(db, team_id=team_id, user_id=user_id, conversation_id=row.id, role="agent",
                               text=reply, at=at)  # fmt: skip
        at += timedelta(minutes=2)
    service.resolve_conversation(db, team_id=team_id, role="lead", conversation_id=row.id)


def test_scorecards_by_agent(tmp_path) -> None:
    db = Database.connect(f"sqlite:///{tmp_path / 'heard.db'}")
    migrate(db)
    with db.write() as s:
        team = repo.create_team(session=s, name="Billing desk")
        kind = repo.create_user(session=s, team_id=team.id, name="Kim", role="agent")
        curt = repo.create_user(session=s, team_id=team.id, name="Lou", role="agent")
        team_id, kim, lou = team.id, kind.id, curt.id
    caring = [
        "It sounds like being charged twice really angered you. I'm so sorry we did that.",
        "I have refunded the second charge; you'll see it in 3 days. I'll check in on Friday.",
    ]
    for _ in range(2):
        _resolved(db, team_id, kim, caring)
    _resolved(db, team_id, lou, ["That's not my department. You should have checked your bank.", "Ok."])

    records = {r.author: r for r in service.by_agent(db, team_id=team_id)}
    assert set(records) == {"Kim", "Lou"}
    assert records["Kim"].conversations == 2 and records["Lou"].conversations == 1
    lou_missed = dict(records["Lou"].missed)
    assert lou_missed.get("take_responsibility") == 1
    assert "take_responsibility" not in dict(records["Kim"].missed)
    assert records["Kim"].weeks and all(week.startswith("2026-W") for week in records["Kim"].weeks)
