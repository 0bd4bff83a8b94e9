"""The follow-up queue on SQLite and PostgreSQL: claims, retries with backoff, leases."""

from datetime import UTC, datetime, timedelta

from heard.store import repo
from heard.store.jobs import claim_due, finish_delivery, renew_lease
from heard.store.tables import FollowUpRow

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def _queue(db, n: int, *, webhook: str | None = "http://127.0.0.1:9/hook", due: datetime = NOW) -> list[int]:
    with db.write() as s:
        team = repo.create_team(session=s, name=f"t{webhook}", webhook_url=webhook)
        conv = repo.create_conversation(session=s, team_id=team.id, customer_id=None, channel="chat", subject=None,
                                        state={})  # fmt: skip
        return [
            repo.schedule_follow_up(
                session=s, team_id=team.id, conversation_id=conv.id, due_at=due, message=f"m{i}"
            ).id
            for i in range(n)
        ]


def _finish(db, fid, worker, error, at=NOW, max_attempts=3):
    with db.write() as s:
        return finish_delivery(session=s, follow_up_id=fid, worker=worker, at=at, error=error,
                               max_attempts=max_attempts, backoff_seconds=10)  # fmt: skip


def test_only_due_follow_ups_of_teams_with_a_webhook_are_claimed(db) -> None:
    due = _queue(db, 2)
    _queue(db, 1, webhook=None)
    later = _queue(db, 1, webhook="http://127.0.0.1:9/later", due=NOW + timedelta(hours=1))
    with db.write() as s:
        claims = claim_due(session=s, worker="w1", at=NOW, limit=10)
    assert sorted(c.id for c in claims) == due and later[0] not in [c.id for c in claims]
    assert all(c.attempt == 1 and c.webhook_url.startswith("http://") for c in claims)
    with db.write() as s:
        assert claim_due(session=s, worker="w2", at=NOW, limit=10) == []  # nothing is claimed twice


def test_a_failed_delivery_is_retried_with_doubling_backoff_then_fails(db) -> None:
    [fid] = _queue(db, 1)
    at = NOW
    for attempt, wait in ((1, 10), (2, 20)):
        with db.write() as s:
            assert [c.attempt for c in claim_due(session=s, worker="w", at=at, limit=5)] == [attempt]
        assert _finish(db, fid, "w", "the webhook answered 503", at=at) == "scheduled"
        with db.read() as s:
            row = s.get(FollowUpRow, fid)
            assert row.next_attempt_at == at + timedelta(seconds=wait) and row.last_error.endswith("503")
        with db.write() as s:
            assert claim_due(session=s, worker="w", at=at + timedelta(seconds=wait - 1), limit=5) == []
        at += timedelta(seconds=wait)
    with db.write() as s:
        claim_due(session=s, worker="w", at=at, limit=5)
    assert _finish(db, fid, "w", "timeout", at=at) == "failed"


def test_delivery_is_recorded(db) -> None:
    [fid] = _queue(db, 1)
    with db.write() as s:
        claim_due(session=s, worker="w", at=NOW, limit=1)
    assert _finish(db, fid, "w", None) == "delivered"
    with db.read() as s:
        assert s.get(FollowUpRow, fid).delivered_at == NOW


def test_an_expired_lease_is_claimed_again_and_the_old_claim_is_lost(db) -> None:
    [fid] = _queue(db, 1)
    with db.write() as s:
        claim_due(session=s, worker="dead", at=NOW, limit=1, lease_seconds=60)
    with db.write() as s:
        assert claim_due(session=s, worker="w2", at=NOW + timedelta(seconds=30), limit=1) == []
        assert [c.id for c in claim_due(session=s, worker="w2", at=NOW + timedelta(seconds=61), limit=1)] == [
            fid
        ]
    assert _finish(db, fid, "dead", None) is None
    assert _finish(db, fid, "w2", None) == "delivered"


def test_concurrent_claims_on_postgresql_skip_locked_rows(postgres_url) -> None:
    """Two open transactions claim at once: the second skips what the first holds."""
    from heard.store import Database, migrate

    db = Database.connect(postgres_url)
    migrate(db)
    ids = _queue(db, 6)
    with db.write() as first:
        held = claim_due(session=first, worker="a", at=NOW, limit=4)
        with db.write() as second:  # runs while the first still holds its rows
            other = claim_due(session=second, worker="b", at=NOW, limit=10)
    assert len(held) == 4 and len(other) == 2
    assert sorted(c.id for c in held + other) == ids
    db.dispose()


def test_a_lease_is_renewed_only_by_the_worker_that_holds_it(db) -> None:
    [fid] = _queue(db, 1)
    with db.write() as s:
        claim_due(session=s, worker="w1", at=NOW, limit=1, lease_seconds=10)
    with db.write() as s:  # renewed at +8 s for another 10 s: still held at +15 s
        assert renew_lease(
            session=s, follow_up_id=fid, worker="w1", at=NOW + timedelta(seconds=8), lease_seconds=10
        )
        assert not renew_lease(session=s, follow_up_id=fid, worker="w2", at=NOW, lease_seconds=10)
    with db.write() as s:
        assert claim_due(session=s, worker="w2", at=NOW + timedelta(seconds=15), limit=1) == []
    assert _finish(db, fid, "w1", None) == "delivered"
    with db.write() as s:  # a finished follow-up has no lease to renew
        assert not renew_lease(session=s, follow_up_id=fid, worker="w1", at=NOW, lease_seconds=10)
    with db.read() as s:
        assert s.get(FollowUpRow, fid).attempts == 1
