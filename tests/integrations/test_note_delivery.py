"""The worker's note queue in-process, on SQLite and PostgreSQL: a note whose token cannot be
opened (the secrets key changed) stays queued with the reason, and is posted once the key is back."""

from __future__ import annotations

import httpx

from heard import service
from heard.integrations import connections
from heard.integrations.vault import vault_for
from heard.server.bootstrap import create_team_with_admin
from heard.server.note_delivery import deliver_notes
from heard.settings import Settings
from heard.store import integrations as stored
from heard.store import repo
from heard.store.tables import NoteRow
from tests.integrations.fake_chatwoot import fake_chatwoot


def test_a_changed_key_keeps_the_note_queued_with_the_reason(db, tmp_path) -> None:
    create_team_with_admin(db, "keys")
    with db.read() as session:
        team = repo.team_by_name(session=session, name="keys")
    first = vault_for("the first passphrase of this test", tmp_path)
    with fake_chatwoot() as chatwoot:
        conn = connections.save(db, first, team_id=team.id, helpdesk="chatwoot",
                                changes={"base_url": chatwoot.url, "account": "1", "api_token": "agent-token-0001"})  # fmt: skip
        conversation, _ = service.start_conversation(db, team_id=team.id)
        with db.write() as session:
            stored.queue_note(session=session, team_id=team.id, integration_id=conn.id, conversation_id=conversation.id,
                              external_conversation="5", burst=0, text="heard · the customer is angry")  # fmt: skip
        settings = Settings(data_dir=tmp_path, webhook_backoff_seconds=0.001, webhook_max_attempts=5)
        with httpx.Client(timeout=5, trust_env=False) as client:
            other = vault_for("another passphrase entirely, wrong", tmp_path)
            assert deliver_notes(db, settings, other, worker="w1", client=client)["retry"] == 1
            with db.read() as session:
                row = session.query(NoteRow).one()
            assert row.status == "queued" and "cannot be opened" in row.last_error and chatwoot.notes == []
            with db.write() as session:  # due again now
                session.get(NoteRow, row.id).next_attempt_at = row.created_at
            assert deliver_notes(db, settings, first, worker="w1", client=client)["sent"] == 1
        [note] = chatwoot.notes
        assert note["token"] == "agent-token-0001" and note["body"]["content"].endswith(
            f"(heard note {row.id})"
        )
