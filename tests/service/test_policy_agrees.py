"""The policy panel and the review judge a conversation by the same complaint category and the
same limits: what the panel offers passes the review, and a remedy that needs approval is
flagged when the agent offers it, not only at resolve."""

from datetime import UTC, datetime, timedelta

import pytest

from heard import service
from heard.respond.policy import example_catalogue_text
from heard.store import Database, migrate, repo

T0 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


@pytest.fixture
def chat(tmp_path):
    db = Database.connect(f"sqlite:///{tmp_path / 'heard.db'}")
    migrate(db)
    with db.write() as s:
        team_id = repo.create_team(session=s, name="Moves").id
        repo.put_policy(session=s, team_id=team_id, catalogue=example_catalogue_text())
    row, _ = service.start_conversation(db, team_id=team_id)
    script = [
        ("customer", "The movers you booked for me came three hours late and my day was wasted."),
        ("agent", "It sounds like the late movers wrecked your whole day; I'm sorry we let you down."),
        ("customer", "Yes. And nobody answered the phone when I rang your office all morning."),
    ]
    for k, (role, text) in enumerate(script):
        service.ingest_message(db, team_id=team_id, conversation_id=row.id, role=role, text=text,
                               at=T0 + timedelta(minutes=2 * k))  # fmt: skip
    return db, team_id, row.id


def test_what_the_panel_offers_passes_the_review(chat) -> None:
    db, team_id, cid = chat
    offers = service.offers(db, team_id=team_id, conversation_id=cid)
    assert offers, "the late movers' complaint has remedies in the example catalogue"
    now = T0 + timedelta(minutes=10)
    for offer in offers:
        if offer.needs_approval:
            continue
        r = service.review_draft(db, team_id=team_id, conversation_id=cid, draft=offer.text, at=now)
        assert [f.check for f in r.findings if f.check == "beyond_policy"] == [], offer.remedy


def test_a_remedy_needing_approval_is_flagged_when_offered(chat) -> None:
    db, team_id, cid = chat
    promise = "I can refund 120 EUR to your original payment method."
    r = service.review_draft(
        db, team_id=team_id, conversation_id=cid, draft=promise, at=T0 + timedelta(minutes=9)
    )
    assert any(f.check == "beyond_policy" for f in r.findings)
    sent = service.ingest_message(db, team_id=team_id, conversation_id=cid, role="agent", text=promise,
                                  at=T0 + timedelta(minutes=10))  # fmt: skip
    assert sent.message.policy, "the stored reply carries the breach, before anyone resolves"
