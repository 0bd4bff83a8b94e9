"""``receive`` on a real database (SQLite and PostgreSQL): events for one new helpdesk
conversation arriving at once make one heard conversation, and one burst gets one note."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from heard.integrations import connections
from heard.integrations.chatwoot import CHATWOOT
from heard.integrations.receive import receive
from heard.integrations.vault import vault_for
from heard.server.bootstrap import create_team_with_admin
from heard.store import integrations as stored
from heard.store import repo
from heard.store.tables import ExternalConversationRow, NoteRow
from tests.integrations.payloads import message

ANGRY = [
    "You charged my card twice for the same order and nobody will refund me. I am furious.",
    "I have called three times this week and every time I was promised a call back that never came!",
    "This is completely unacceptable, I want my money back today!!",
    "Your company keeps ignoring me and I am sick of it.",
]


def test_simultaneous_events_make_one_conversation_and_one_note(db, tmp_path) -> None:
    create_team_with_admin(db, "rush")
    with db.read() as session:
        team = repo.team_by_name(session=session, name="rush")
    conn = connections.save(db, vault_for(None, tmp_path), team_id=team.id, helpdesk="chatwoot",
                            changes={"base_url": "https://chat.example.com", "account": "1",
                                     "api_token": "agent-token-123456"})  # fmt: skip
    events = [
        CHATWOOT.events(conn, message(900 + k, text, conversation_id=77))[0] for k, text in enumerate(ANGRY)
    ]
    with ThreadPoolExecutor(4) as pool:
        outcomes = [o for done in pool.map(lambda e: receive(db, conn, [e]), events) for o in done]
    assert {o.result for o in outcomes} == {"stored"}
    assert len({o.heard_conversation for o in outcomes}) == 1
    with db.read() as session:
        assert session.query(ExternalConversationRow).count() == 1
        notes = session.query(NoteRow).all()
        heard_id = outcomes[0].heard_conversation
        assert len(repo.messages_of(session=session, conversation_id=heard_id)) == 4
        assert [
            n.id for n in stored.notes_of(session=session, team_id=team.id, conversation_id=heard_id)
        ] == [n.id for n in notes]
    assert len(notes) == 1 and sum(o.note is not None for o in outcomes) == 1


def test_every_complaint_category_fits_on_every_database(db, tmp_path) -> None:
    """The longest category (credit reporting and debt collection) is stored on PostgreSQL too."""
    create_team_with_admin(db, "credit")
    with db.read() as session:
        team = repo.team_by_name(session=session, name="credit")
    conn = connections.save(db, vault_for(None, tmp_path), team_id=team.id, helpdesk="chatwoot",
                            changes={"base_url": "https://chat.example.com", "account": "1"})  # fmt: skip
    text = "Your agency reported a collection account on my credit report that is not mine. I am furious."
    [done] = receive(db, conn, CHATWOOT.events(conn, message(1, text, conversation_id=5)))
    assert done.result == "stored"
    with db.read() as session:
        row = repo.get_conversation(session=session, team_id=team.id, conversation_id=done.heard_conversation)
    assert row.category == "credit_reporting_and_debt_collection"


def test_a_customer_still_venting_gets_wait_in_the_note_below_the_threshold(db, tmp_path) -> None:
    """Threshold angry; an upset customer writing message after message gets one note, saying wait."""
    create_team_with_admin(db, "venting")
    with db.read() as session:
        team = repo.team_by_name(session=session, name="venting")
    conn = connections.save(db, vault_for(None, tmp_path), team_id=team.id, helpdesk="chatwoot",
                            changes={"base_url": "https://chat.example.com", "account": "1",
                                     "note_threshold": "angry"})  # fmt: skip
    burst = ["I ordered a kettle two weeks ago", "and it still has not arrived",
             "and the emails keep saying it was delivered when it was not, this is so frustrating"]  # fmt: skip
    outcomes = [
        receive(db, conn, CHATWOOT.events(conn, message(k, t, conversation_id=8)))[0]
        for k, t in enumerate(burst)
    ]
    assert [o.note is not None for o in outcomes].count(True) == 1
    with db.read() as session:
        [note] = session.query(NoteRow).all()
    assert "Still venting: wait" in note.text and "Reflect:" in note.text
