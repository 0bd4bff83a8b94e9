"""Chatwoot end to end against a real ``heard serve`` and ``heard worker`` on SQLite and
PostgreSQL: Chatwoot's documented webhook bodies in, private notes out to a local fake of
Chatwoot's API that records them (and fails on demand)."""

from __future__ import annotations

import json
import os
import subprocess
import time

import httpx
import pytest

from heard.store import Database
from heard.store.tables import IntegrationRow
from tests.conftest import postgres_schema
from tests.integrations.fake_chatwoot import fake_chatwoot
from tests.integrations.payloads import message, signed, status_event
from tests.server.conftest import HEARD, run_server

SECRET = "cw-webhook-secret-0123456789"
TOKEN = "cw-agent-token-abcdefghijkl"
ANGRY = "This is the third time my parcel has gone missing and nobody at your company even answers me. I am furious."
MORE = "I paid for express delivery and I want to know what you are going to do about it!!"
CALM = "Hi, could you tell me when the shop opens tomorrow?"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("heard-data")
    if request.param == "sqlite":
        with run_server(f"sqlite:///{data_dir / 'heard.db'}", data_dir) as s:
            yield s, data_dir
        return
    with postgres_schema() as url, run_server(url, data_dir) as s:
        yield s, data_dir


def connect(server, base_url: str, key: str | None = None, **fields) -> str:
    """Configure the team's Chatwoot connection; its webhook URL."""
    body = {"base_url": base_url, "account": "1", "api_token": TOKEN, "webhook_secret": SECRET, **fields}
    with server.client(key) as c:
        answer = c.put("/v1/integrations/chatwoot", json=body)
    assert answer.status_code == 200, answer.text
    return server.url + answer.json()["webhook_path"]


def post(url: str, payload, *, secret: str = SECRET, at: float | None = None, headers: dict | None = None):
    body, signed_headers = signed(secret, payload, at=at)
    return httpx.post(
        url, content=body, headers=headers if headers is not None else signed_headers, timeout=60
    )


def worker(server, data_dir, **env) -> str:
    """``heard worker`` until it has had nothing to do for a while; its output."""
    environ = os.environ | {"HEARD_DATABASE_URL": server.database_url, "HEARD_DATA_DIR": str(data_dir),
                            "HEARD_LOG_LEVEL": "warning", "HEARD_WEBHOOK_ALLOW_HOSTS": "127.0.0.1",
                            "HEARD_WORKER_POLL_SECONDS": "0.2", "HEARD_WEBHOOK_BACKOFF_SECONDS": "0.2",
                            "HEARD_WEBHOOK_TIMEOUT_SECONDS": "1", **env}  # fmt: skip
    done = subprocess.run([HEARD, "worker", "--stop-after-idle", "3"], env=environ, capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def new_team(server, name: str) -> str:
    return server.new_team(f"{name}-{time.monotonic_ns()}")


def test_an_upset_customer_gets_one_private_note_per_burst(served) -> None:
    server, data_dir = served
    key = new_team(server, "notes")
    with fake_chatwoot() as chatwoot:
        url = connect(server, chatwoot.url, key)
        first = post(url, message(101, ANGRY, conversation_id=21))
        assert first.status_code == 200, first.text
        [done] = first.json()["outcomes"]
        assert done["result"] == "stored" and done["note"] is not None
        again = post(url, message(102, MORE, conversation_id=21)).json()["outcomes"][0]
        assert again["result"] == "stored" and again["note"] is None  # the same burst: no second note
        worker(server, data_dir)
        [note] = chatwoot.notes
        assert note["token"] == TOKEN and note["account"] == "1" and note["conversation"] == "21"
        assert note["body"]["private"] is True and note["body"]["message_type"] == "outgoing"
        text = note["body"]["content"]
        assert text.startswith("heard · the customer is ") and "Reflect:" in text
        # the agent answers; the customer's next upset burst gets its own note
        reply = post(url, message(103, "I'm so sorry, let me look into this right now.", message_type="outgoing",
                                  conversation_id=21))  # fmt: skip
        assert reply.json()["outcomes"][0]["result"] == "stored"
        later = post(url, message(104, "Still nothing arrived and nobody called me back. This is a disgrace!",
                                  conversation_id=21)).json()["outcomes"][0]  # fmt: skip
        assert later["note"] is not None
        worker(server, data_dir)
        assert len(chatwoot.notes) == 2
    with server.client(key) as c:
        link = c.get("/v1/integrations/chatwoot/conversations/21").json()
        conv = c.get(f"/v1/conversations/{link['conversation_id']}").json()
    roles = [(m["role"], m.get("author")) for m in conv["timeline"]]
    assert roles == [("customer", None), ("customer", None), ("agent", "Sam Agent"), ("customer", None)]


def test_calm_messages_get_no_note_unless_asked(served) -> None:
    server, data_dir = served
    key = new_team(server, "calm")
    with fake_chatwoot() as chatwoot:
        url = connect(server, chatwoot.url, key)
        assert post(url, message(201, CALM, conversation_id=31)).json()["outcomes"][0]["note"] is None
        connect(server, chatwoot.url, key, notes_on_calm=True)
        asked = post(url, message(202, "And is parking free there?", conversation_id=32)).json()["outcomes"][
            0
        ]
        assert asked["note"] is not None
        worker(server, data_dir)
        assert [n["conversation"] for n in chatwoot.notes] == ["32"]


def test_replays_private_notes_templates_and_updates(served) -> None:
    server, _ = served
    key = new_team(server, "replay")
    with fake_chatwoot() as chatwoot:
        url = connect(server, chatwoot.url, key)
        assert post(url, message(301, CALM, conversation_id=41)).json()["outcomes"][0]["result"] == "stored"
        assert post(url, message(301, CALM, conversation_id=41)).json()["outcomes"][0]["result"] == "replayed"
        updated = message(301, CALM, conversation_id=41, event="message_updated")
        assert post(url, updated).json()["outcomes"][0]["result"] == "replayed"
        fresh = message(305, "Thanks, that answers it.", conversation_id=41, event="message_updated")
        assert post(url, fresh).json()["outcomes"][0]["result"] == "stored"
        own = message(302, "heard · the customer is angry\n\n(heard note 1)", message_type="outgoing",
                      private=True, conversation_id=41)  # fmt: skip
        template = message(303, "Rate our service", message_type="template", content_type="input_select",
                           conversation_id=41)  # fmt: skip
        activity = message(
            304, "Conversation was assigned to Sam Agent", message_type="activity", conversation_id=41
        )
        for payload in (own, template, activity):
            assert post(url, payload).json()["outcomes"][0]["result"] == "ignored"
        other = status_event("contact_created", 41)
        assert post(url, other).json()["outcomes"][0]["result"] == "ignored"
    with server.client(key) as c:
        link = c.get("/v1/integrations/chatwoot/conversations/41").json()
        assert c.get(f"/v1/conversations/{link['conversation_id']}").json()["messages"] == 2


def test_status_events_resolve_and_reopen(served) -> None:
    server, _ = served
    key = new_team(server, "status")
    with fake_chatwoot() as chatwoot:
        url = connect(server, chatwoot.url, key)
        created = status_event("conversation_created", 51, messages=[
            {"id": 501, "content": ANGRY, "account_id": 1, "inbox_id": 1, "conversation_id": 9051, "message_type": 0,
             "created_at": int(time.time()), "private": False, "status": "sent", "source_id": None,
             "content_type": "text", "content_attributes": {}, "sender_type": "Contact", "sender_id": 14}])  # fmt: skip
        outcomes = post(url, created).json()["outcomes"]
        assert [o["result"] for o in outcomes] == ["opened", "stored"]
        assert (
            post(url, message(501, ANGRY, conversation_id=51)).json()["outcomes"][0]["result"] == "replayed"
        )
        resolved = post(url, status_event("conversation_status_changed", 51, status="resolved")).json()
        assert resolved["outcomes"][0]["result"] == "resolved"
        again = post(url, status_event("conversation_resolved", 51, status="resolved")).json()
        assert again["outcomes"][0]["result"] == "already_resolved"
        pending = post(url, status_event("conversation_status_changed", 51, status="pending")).json()
        assert pending["outcomes"][0]["result"] == "ignored"
        assert post(url, status_event("conversation_opened", 51)).json()["outcomes"][0]["result"] == "opened"
        unknown = post(url, status_event("conversation_resolved", 59, status="resolved")).json()
        assert unknown["outcomes"][0]["result"] == "unknown"
    with server.client(key) as c:
        heard_id = c.get("/v1/integrations/chatwoot/conversations/51").json()["conversation_id"]
        assert c.get(f"/v1/conversations/{heard_id}").json()["status"] == "resolved"


def test_unsigned_forged_stale_other_account_and_malformed_events_are_refused(served) -> None:
    server, _ = served
    key = new_team(server, "guard")
    with fake_chatwoot() as chatwoot:
        url = connect(server, chatwoot.url, key)
        payload = message(601, ANGRY, conversation_id=61)
        unsigned = httpx.post(url, json=payload)
        assert unsigned.status_code == 401 and "not signed" in unsigned.json()["detail"]
        assert post(url, payload, secret="another-secret-entirely").status_code == 401
        stale = post(url, payload, at=time.time() - 3600)
        assert stale.status_code == 401 and "replay" in stale.json()["detail"]
        body, headers = signed(SECRET, payload)
        tampered = httpx.post(url, content=body.replace(b"furious", b"fine....."), headers=headers)
        assert tampered.status_code == 401
        other = post(url, message(602, ANGRY, conversation_id=61, account=2))
        assert other.status_code == 403 and "another account" in other.json()["detail"]
        bad = post(url, b"{not json")
        assert bad.status_code == 400, bad.text
        assert post(url, {"id": 1}).status_code == 422  # no event name
        assert post(url, message(10**30, ANGRY)).status_code == 422  # an id no Chatwoot has
        no_conversation = {k: v for k, v in payload.items() if k != "conversation"}
        assert post(url, no_conversation).status_code == 422
        assert httpx.post(url.rsplit("/", 1)[0] + "/not-a-key", json=payload).status_code == 404
        assert httpx.post(url.replace("/chatwoot/", "/nodesk/"), json=payload).status_code == 404
        assert post(url, payload).status_code == 200  # the real one still goes through
        assert chatwoot.notes == []  # nothing was sent for the refused ones (no worker ran)
    log = server.log.read_text()
    assert SECRET not in log and TOKEN not in log and "third time" not in log


def test_config_masks_secrets_and_stores_them_encrypted(served) -> None:
    server, _ = served
    key = new_team(server, "config")
    url = connect(server, "http://127.0.0.1:9", key, frame_origins=["https://chat.example.com"])
    with server.client(key) as c:
        shown = c.get("/v1/integrations/chatwoot")
        assert shown.status_code == 200
        text = shown.text
        assert TOKEN not in text and SECRET not in text
        assert shown.json()["api_token"] == "****" + TOKEN[-4:]
        assert shown.json()["frame_origins"] == ["https://chat.example.com"]
        assert url.endswith(shown.json()["webhook_path"])
        # a change without the secrets keeps them
        kept = c.put("/v1/integrations/chatwoot", json={"note_threshold": "angry"})
        assert kept.json()["api_token"] == "****" + TOKEN[-4:] and kept.json()["note_threshold"] == "angry"
        assert c.put("/v1/integrations/chatwoot", json={"note_threshold": "livid"}).status_code == 422
        assert c.put("/v1/integrations/chatwoot", json={"base_url": "ftp://x"}).status_code == 422
        assert c.put("/v1/integrations/chatwoot", json={"base_url": "http://10.1.2.3"}).status_code == 422
        assert c.put("/v1/integrations/chatwoot", json={"frame_origins": ["chat"]}).status_code == 422
        assert c.get("/v1/integrations/zendesk").status_code in (404,)
        assert c.get("/v1/integrations/nodesk").status_code == 404
        user = c.post("/v1/users", json={"name": "ada", "role": "agent"}).json()
    with server.client(user["api_key"]) as agent:
        assert agent.get("/v1/integrations/chatwoot").status_code == 403
        assert agent.put("/v1/integrations/chatwoot", json={"notes_on_calm": True}).status_code == 403
    db = Database.connect(server.database_url)
    try:
        with db.read() as session:
            rows = session.query(IntegrationRow).all()
        stored = b"".join(bytes(r.api_token or b"") + bytes(r.webhook_secret or b"") for r in rows)
        assert TOKEN.encode() not in stored and SECRET.encode() not in stored and stored
    finally:
        db.dispose()


def test_failed_and_timed_out_posts_are_retried_and_never_doubled(served) -> None:
    server, data_dir = served
    key = new_team(server, "retry")
    with fake_chatwoot([500, "timeout", 500]) as chatwoot:
        url = connect(server, chatwoot.url, key)
        assert post(url, message(701, ANGRY, conversation_id=71)).json()["outcomes"][0]["note"] is not None
        out = worker(server, data_dir)
        # 500, then a post stored whose answer came too late, then the lookup finds it: one note
        assert len(chatwoot.notes) == 1, out
        assert chatwoot.attempts == 2
        assert "heard note" in chatwoot.notes[0]["body"]["content"]


def test_a_note_nobody_takes_fails_after_the_last_attempt_and_is_kept(served) -> None:
    server, data_dir = served
    key = new_team(server, "fail")
    with fake_chatwoot([500] * 10) as chatwoot:
        url = connect(server, chatwoot.url, key)
        post(url, message(801, ANGRY, conversation_id=81))
        worker(server, data_dir, HEARD_WEBHOOK_MAX_ATTEMPTS="3")
        assert chatwoot.notes == [] and chatwoot.attempts == 3
    db = Database.connect(server.database_url)
    try:
        from heard.store.tables import NoteRow

        with db.read() as session:
            row = session.query(NoteRow).filter(NoteRow.external_conversation == "81").one()
        assert row.status == "failed" and row.attempts == 3 and row.last_error == "the helpdesk answered 500"
    finally:
        db.dispose()


def test_json_body_of_webhook_answer_names_no_text(served) -> None:
    server, _ = served
    key = new_team(server, "quiet")
    with fake_chatwoot() as chatwoot:
        url = connect(server, chatwoot.url, key)
        answer = post(url, message(901, ANGRY, conversation_id=91))
    assert "parcel" not in json.dumps(answer.json())
