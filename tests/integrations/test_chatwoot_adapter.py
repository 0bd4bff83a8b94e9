"""The Chatwoot adapter on its own: every documented event and field it reads, the signature
scheme, and the API call of a note. No server: plain values in, values or errors out."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from heard.errors import MalformedInput, NotAllowed, NotAuthenticated
from heard.integrations.base import Connection, level_at_least
from heard.integrations.chatwoot import CHATWOOT
from heard.integrations.registry import ADAPTERS, adapter_for
from tests.integrations.payloads import message, signed, status_event

CONN = Connection(team_id=1, helpdesk="chatwoot", base_url="https://chat.example.com", account="1",
                  api_token="agent-token-123456", webhook_secret="webhook-secret-1234")  # fmt: skip


def test_the_registry_names_chatwoot() -> None:
    assert ADAPTERS["chatwoot"] is CHATWOOT and adapter_for("chatwoot").name == "chatwoot"


def test_secrets_never_show_in_repr() -> None:
    assert "agent-token" not in repr(CONN) and "webhook-secret" not in repr(CONN)
    call = CHATWOOT.note(CONN, "10", "hello")
    assert "agent-token" not in repr(call)


def test_incoming_is_the_customer_and_outgoing_the_agent_by_name() -> None:
    [customer] = CHATWOOT.events(CONN, message(118, "Where is my order?", conversation_id=10))
    assert (customer.kind, customer.role, customer.conversation, customer.message) == (
        "message",
        "customer",
        "10",
        "118",
    )
    assert customer.customer == "chatwoot-contact-14" and customer.text == "Where is my order?"
    assert customer.at is not None and customer.at.tzinfo is not None
    [agent] = CHATWOOT.events(CONN, message(119, "Let me check.", message_type="outgoing", agent="Lee Park"))
    assert (agent.role, agent.author) == ("agent", "Lee Park")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"private": True, "message_type": "outgoing"}, "a private note"),
        ({"message_type": "template", "content_type": "input_select"}, "a template message"),
        ({"message_type": "activity"}, "a activity message"),
        ({"content_type": "cards"}, "not a text message"),
        ({"content": None}, "no text (an attachment only)"),
        ({"content": "   "}, "no text (an attachment only)"),
    ],
)
def test_what_is_ignored_and_why(fields: dict, reason: str) -> None:
    [event] = CHATWOOT.events(CONN, {**message(120, "text"), **fields})
    assert event.kind == "ignored" and event.reason == reason and event.message == "120"


@pytest.mark.parametrize(
    ("created_at", "expected"),
    [
        ("2026-03-02T10:00:05.000Z", datetime(2026, 3, 2, 10, 0, 5, tzinfo=UTC)),
        ("2026-03-02 10:00:05 UTC", datetime(2026, 3, 2, 10, 0, 5, tzinfo=UTC)),
        (1772445605, datetime(2026, 3, 2, 10, 0, 5, tzinfo=UTC)),
    ],
)
def test_created_at_in_each_form_chatwoot_writes(created_at, expected) -> None:
    [event] = CHATWOOT.events(CONN, {**message(121, "hi"), "created_at": created_at})
    assert event.at == expected


def test_status_events() -> None:
    assert [
        e.kind for e in CHATWOOT.events(CONN, status_event("conversation_status_changed", status="resolved"))
    ] == ["resolved"]
    assert [
        e.kind for e in CHATWOOT.events(CONN, status_event("conversation_resolved", status="resolved"))
    ] == ["resolved"]
    assert [e.kind for e in CHATWOOT.events(CONN, status_event("conversation_opened", status="pending"))] == [
        "reopened"
    ]
    assert [
        e.kind for e in CHATWOOT.events(CONN, status_event("conversation_status_changed", status="open"))
    ] == ["reopened"]
    assert [
        e.kind for e in CHATWOOT.events(CONN, status_event("conversation_status_changed", status="snoozed"))
    ] == ["ignored"]
    listed = [{"id": 7, "content": "My card was charged twice", "message_type": 0, "account_id": 1,
               "created_at": 1772445605, "private": False, "content_type": "text"}]  # fmt: skip
    opened, first = CHATWOOT.events(CONN, status_event("conversation_created", 12, messages=listed))
    assert (opened.kind, opened.conversation, opened.customer) == ("opened", "12", "chatwoot-contact-14")
    assert (first.kind, first.role, first.message) == ("message", "customer", "7")
    [other] = CHATWOOT.events(CONN, {"event": "webwidget_triggered", "id": 12})
    assert other.kind == "ignored"


@pytest.mark.parametrize(
    "payload",
    [
        [],
        {"id": 1},
        {**message(1, "x"), "conversation": None},
        {**message(1, "x"), "conversation": {"status": "open"}},
        {**message(1, "x"), "id": "12ab"},
        {**message(1, "x"), "id": 10**25},
        {**message(1, "x"), "content": {"text": "x"}},
        {**message(1, "x"), "created_at": "yesterday"},
        {**message(1, "x"), "created_at": 10**20},
        status_event("conversation_status_changed", status=None),
    ],
)
def test_malformed_events_say_what_is_wrong(payload) -> None:
    with pytest.raises(MalformedInput):
        CHATWOOT.events(CONN, payload)


def test_only_the_configured_account() -> None:
    with pytest.raises(NotAllowed):
        CHATWOOT.events(CONN, message(1, "x", account=2))
    listed = [{"id": 7, "content": "x", "message_type": 0, "account_id": 3}]
    with pytest.raises(NotAllowed):
        CHATWOOT.events(CONN, status_event("conversation_created", 12, messages=listed))


def test_signature_scheme() -> None:
    body, headers = signed("webhook-secret-1234", message(1, "x"))
    now = float(headers["X-Chatwoot-Timestamp"])
    CHATWOOT.verify(CONN, headers, body, now)
    CHATWOOT.verify(CONN, {k.lower(): v for k, v in headers.items()}, body, now + 299)  # header case
    for bad in (
        {},
        {**headers, "X-Chatwoot-Signature": "sha256=00"},
        {**headers, "X-Chatwoot-Timestamp": "soon"},
    ):
        with pytest.raises(NotAuthenticated):
            CHATWOOT.verify(CONN, bad, body, now)
    with pytest.raises(NotAuthenticated, match="replay"):
        CHATWOOT.verify(CONN, headers, body, now + 301)
    with pytest.raises(NotAuthenticated):
        CHATWOOT.verify(CONN, headers, body + b" ", now)
    unsigned = Connection(team_id=1, helpdesk="chatwoot", base_url="https://chat.example.com", account="1")
    CHATWOOT.verify(unsigned, {}, body, time.time())  # no secret configured: nothing to check


def test_the_note_is_a_private_message_through_the_api() -> None:
    call = CHATWOOT.note(CONN, "10", "heard · the customer is angry")
    assert call.method == "POST"
    assert call.url == "https://chat.example.com/api/v1/accounts/1/conversations/10/messages"
    assert call.headers["api_access_token"] == "agent-token-123456"
    assert call.json == {
        "content": "heard · the customer is angry",
        "message_type": "outgoing",
        "private": True,
    }
    assert CHATWOOT.found({"payload": [{"private": True, "content": "x (heard note 5)"}]}, "heard note 5")
    assert not CHATWOOT.found({"payload": [{"private": False, "content": "heard note 5"}]}, "heard note 5")


def test_levels_order() -> None:
    assert level_at_least("angry", "upset") and level_at_least("upset", "upset")
    assert not level_at_least("concerned", "upset") and not level_at_least(None, "calm")
