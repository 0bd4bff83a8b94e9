"""The store on SQLite and on PostgreSQL: every test here runs on both."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from heard.errors import Conflict, RecordNotFound
from heard.store import current_revision, migrate, repo
from heard.store.tables import ApiKeyRow, MessageRow


def _team(db, name="acme"):
    with db.write() as s:
        team = repo.create_team(session=s, name=name)
        user = repo.create_user(session=s, team_id=team.id, name="ann", role="lead")
        return team.id, user.id, repo.issue_key(session=s, user=user)


def _conversation(db, team_id, customer=None):
    with db.write() as s:
        cust = customer and repo.customer_for(session=s, team_id=team_id, external_ref=customer)
        return repo.create_conversation(
            session=s,
            team_id=team_id,
            customer_id=cust.id if cust else None,
            channel="chat",
            subject=None,
            state={},
        ).id


def test_migrations_are_applied_once_and_again_safely(db) -> None:
    assert current_revision(db) == "0003_readings"
    migrate(db)
    assert current_revision(db) == "0003_readings"


def test_api_keys_are_stored_hashed_and_can_be_revoked(db) -> None:
    team_id, user_id, key = _team(db)
    with db.read() as s:
        stored = s.query(ApiKeyRow).one()
        assert key not in (stored.digest, stored.prefix) and stored.digest == repo.digest(key)
        assert repo.user_by_key(session=s, key=key).id == user_id
        assert repo.user_by_key(session=s, key=key + "x") is None
    with db.write() as s:
        assert repo.revoke_keys(session=s, user_id=user_id) == 1
    with db.read() as s:
        assert repo.user_by_key(session=s, key=key) is None


def test_user_names_are_unique_per_team(db) -> None:
    team_id, _, _ = _team(db)
    with pytest.raises(Conflict), db.write() as s:
        repo.create_user(session=s, team_id=team_id, name="ann", role="agent")


def test_another_teams_conversation_is_not_found(db) -> None:
    a, _, _ = _team(db, "a")
    b, _, _ = _team(db, "b")
    conv = _conversation(db, a)
    with db.read() as s:
        assert repo.get_conversation(session=s, team_id=a, conversation_id=conv).id == conv
        with pytest.raises(RecordNotFound):
            repo.get_conversation(session=s, team_id=b, conversation_id=conv)
        assert repo.list_conversations(session=s, team_id=b, limit=10, offset=0) == ([], 0)


def test_list_filters_and_pages(db) -> None:
    team, _, _ = _team(db)
    ids = [_conversation(db, team, customer="c-1" if i % 2 else "c-2") for i in range(7)]
    with db.write() as s:
        row = repo.get_conversation(session=s, team_id=team, conversation_id=ids[0])
        row.status, row.category, row.peak_upset = "resolved", "billing", 0.9
    with db.read() as s:
        page, total = repo.list_conversations(session=s, team_id=team, limit=3, offset=0)
        assert total == 7 and len(page) == 3
        rest, _ = repo.list_conversations(session=s, team_id=team, limit=10, offset=3)
        assert len({c.id for c, _ in page} | {c.id for c, _ in rest}) == 7
        for kwargs in ({"status": "resolved"}, {"category": "billing"}, {"min_upset": 0.5}):
            found, n = repo.list_conversations(session=s, team_id=team, limit=10, offset=0, **kwargs)
            assert n == 1 and found[0][0].id == ids[0]
        found, n = repo.list_conversations(session=s, team_id=team, limit=10, offset=0, customer="c-1")
        assert n == 3 and {ref for _, ref in found} == {"c-1"}


def test_an_external_id_is_stored_once_per_conversation(db) -> None:
    team, _, _ = _team(db)
    conv = _conversation(db, team)
    fields = dict(team_id=team, conversation_id=conv, role="customer", text="hi", external_id="m-1",
                  at=datetime.now(UTC), action={})  # fmt: skip
    with db.write() as s:
        repo.add_message(session=s, **fields)
    with pytest.raises(IntegrityError), db.write() as s:
        repo.add_message(session=s, **fields)
    with db.read() as s:
        assert s.query(MessageRow).count() == 1
        assert repo.message_by_external_id(session=s, conversation_id=conv, external_id="m-1").text == "hi"


def test_deleting_a_conversation_deletes_its_messages_and_follow_ups(db) -> None:
    team, _, _ = _team(db)
    conv = _conversation(db, team)
    with db.write() as s:
        repo.add_message(session=s, team_id=team, conversation_id=conv, role="customer", text="x",
                         at=datetime.now(UTC), action={})  # fmt: skip
        repo.schedule_follow_up(
            session=s, team_id=team, conversation_id=conv, due_at=datetime.now(UTC), message="m"
        )
    with db.write() as s:
        s.delete(repo.get_conversation(session=s, team_id=team, conversation_id=conv))
    with db.read() as s:
        assert repo.messages_of(session=s, conversation_id=conv) == []
        assert repo.follow_ups_of(session=s, conversation_id=conv) == []


def test_times_come_back_aware_and_equal(db) -> None:
    team, _, _ = _team(db)
    conv = _conversation(db, team)
    due = datetime(2026, 3, 1, 10, 0, 5, tzinfo=UTC) + timedelta(microseconds=250)
    with db.write() as s:
        fid = repo.schedule_follow_up(
            session=s, team_id=team, conversation_id=conv, due_at=due, message="m"
        ).id
    with db.read() as s:
        assert repo.get_follow_up(session=s, team_id=team, follow_up_id=fid).due_at == due


def test_policies_are_kept_per_team(db) -> None:
    a, _, _ = _team(db, "a")
    b, _, _ = _team(db, "b")
    with db.write() as s:
        repo.put_policy(session=s, team_id=a, catalogue="remedies: []")
        repo.put_policy(session=s, team_id=a, catalogue="currency: USD\nremedies: []")
    with db.read() as s:
        assert repo.get_policy(session=s, team_id=a).startswith("currency: USD")
        assert repo.get_policy(session=s, team_id=b) is None


def test_migrations_match_the_tables(db) -> None:
    """A change to tables.py needs a migration: autogenerate finds nothing left to do."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from heard.store.tables import Base

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:
    from sqlalchemy import text

    from heard.store import Database

    db = Database.connect(f"sqlite:///{tmp_path / 'wal.db'}")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.dispose()
