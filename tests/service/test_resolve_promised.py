"""Resolving with a remedy the agent already promised, though it needs a lead's approval or the
policy does not allow it here: the conversation resolves as promised and the resolver is told
what a lead must still approve; a remedy never promised is refused as before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from heard import service
from heard.errors import MalformedInput, NotAllowed
from heard.respond.policy import example_catalogue_text
from heard.store import Database, migrate, repo

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
COMPLAINT = "You charged my card twice for order 8812, 120 dollars, and nobody answers my emails!"


@pytest.fixture
def team(tmp_path):
    db = Database.connect(f"sqlite:///{tmp_path / 'heard.db'}")
    migrate(db)
    with db.write() as s:
        team = repo.create_team(session=s, name="Billing desk")
        repo.put_policy(session=s, team_id=team.id, catalogue=example_catalogue_text())
        return db, team.id


def _conversation(db, team_id, reply: str) -> int:
    row, _ = service.start_conversation(db, team_id=team_id)
    service.ingest_message(
        db, team_id=team_id, conversation_id=row.id, role="customer", text=COMPLAINT, at=T0
    )
    service.ingest_message(db, team_id=team_id, conversation_id=row.id, role="agent", text=reply,
                           at=T0 + timedelta(minutes=2))  # fmt: skip
    return row.id


def test_a_promised_remedy_needing_approval_resolves_with_a_warning(team) -> None:
    db, team_id = team
    cid = _conversation(
        db, team_id, "I'm so sorry we charged you twice. I'll refund you the 120 dollars today."
    )
    # Warned when offered: the next action after the reply says a lead must approve it.
    row = service.open_conversation(db, team_id=team_id, conversation_id=cid).row
    assert any("approval" in w for w in service.next_action(row, now=T0 + timedelta(minutes=3)).warnings)
    done = service.resolve_conversation(
        db, team_id=team_id, role="agent", conversation_id=cid, remedy="refund"
    )
    assert done.row.status == "resolved"
    assert (
        len(done.warnings) == 1
        and "lead's approval" in done.warnings[0]
        and "120 dollars" in done.warnings[0]
    )
    incident = service.open_conversation(db, team_id=team_id, conversation_id=cid).incident
    assert incident is not None and incident.remedy == "refund"


def test_a_lead_resolving_a_promised_remedy_gives_the_approval_and_gets_no_warning(team) -> None:
    db, team_id = team
    cid = _conversation(
        db, team_id, "I'm so sorry we charged you twice. I'll refund you the 120 dollars today."
    )
    done = service.resolve_conversation(
        db, team_id=team_id, role="lead", conversation_id=cid, remedy="refund"
    )
    assert done.row.status == "resolved" and done.warnings == []


def test_a_remedy_never_promised_is_refused_as_before(team) -> None:
    db, team_id = team
    cid = _conversation(db, team_id, "I'm so sorry we charged you twice. Let me look into it.")
    with pytest.raises(NotAllowed, match="lead's approval"):
        service.resolve_conversation(db, team_id=team_id, role="agent", conversation_id=cid, remedy="refund")
    for remedy in ("replacement", "no_such_remedy"):
        with pytest.raises(MalformedInput, match="not one the policy allows"):
            service.resolve_conversation(
                db, team_id=team_id, role="agent", conversation_id=cid, remedy=remedy
            )
    assert service.open_conversation(db, team_id=team_id, conversation_id=cid).row.status == "open"


def test_a_promised_remedy_the_policy_does_not_allow_here_resolves_with_a_warning(team) -> None:
    db, team_id = team
    cid = _conversation(db, team_id, "I'm so sorry. I'll reschedule the payment for next week.")
    done = service.resolve_conversation(
        db, team_id=team_id, role="agent", conversation_id=cid, remedy="reschedule"
    )
    assert done.row.status == "resolved"
    assert len(done.warnings) == 1 and "not one the policy allows" in done.warnings[0]
