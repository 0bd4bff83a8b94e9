"""The Zammad adapter: the trigger's default payload in, X-Hub-Signature checked, the note out."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from heard.errors import MalformedInput, NotAuthenticated
from heard.integrations import zammad
from tests.integrations._examples import connection, payload


def test_zammad_customer_article_reads_as_plain_text_without_quoted_mail():
    (event,) = zammad.events(connection("zammad"), payload("zammad_article"))
    assert (event.kind, event.conversation, event.message, event.role) == ("message", "81", "104", "customer")
    assert event.text == (
        "I have waited two weeks for a replacement and still nothing.\n\n"
        "I am really fed up, I needed it for a party on Saturday."
    )
    assert event.at == datetime(2026, 11, 13, 14, 34, 35, 318000, tzinfo=UTC)
    assert (event.customer, event.customer_name, event.author) == ("8", "Emily Adams", None)


def test_zammad_agent_article_carries_the_agents_name():
    body = payload("zammad_article")
    body["article"].update(sender="Agent", content_type="text/plain", body="I'm so sorry. I'll send it today.",
                           created_by={"id": 5, "firstname": "Emma", "lastname": "Taylor"})  # fmt: skip
    (event,) = zammad.events(connection("zammad"), body)
    assert (event.role, event.author, event.text) == (
        "agent",
        "Emma Taylor",
        "I'm so sorry. I'll send it today.",
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"internal": True}, "internal note"),
        ({"sender": "System"}, "system article"),
        ({"body": "<p> </p>"}, "empty article"),
    ],
)
def test_zammad_notes_system_and_empty_articles_are_ignored(change, reason):
    body = payload("zammad_article")
    body["article"].update(change)
    (event,) = zammad.events(connection("zammad"), body)
    assert (event.kind, event.reason) == ("ignored", reason)


def test_zammad_closed_ticket_resolves_and_a_state_change_without_article_is_only_that():
    body = payload("zammad_article")
    body["ticket"]["state"] = "closed"
    del body["article"]
    assert [e.kind for e in zammad.events(connection("zammad"), body)] == ["resolved"]
    body["ticket"]["state"] = "open"
    assert [e.kind for e in zammad.events(connection("zammad"), body)] == ["ignored"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b.pop("ticket"), "ticket"),
        (lambda b: b["ticket"].update(id=None), "ticket.id"),
        (lambda b: b["article"].update(id="1; drop"), "article.id"),
        (lambda b: b["article"].update(ticket_id=99), "article.ticket_id"),
        (lambda b: b.update(article=[1, 2]), "article"),
        (lambda b: b["article"].update(created_at="last tuesday"), "article.created_at"),
        (lambda b: b["article"].update(body=12), "article.body"),
    ],
)
def test_zammad_malformed_payload_names_the_field(change, field):
    body = payload("zammad_article")
    change(body)
    with pytest.raises(MalformedInput, match=field.replace(".", r"\.")):
        zammad.events(connection("zammad"), body)


def test_zammad_signature_is_sha1_hmac_of_the_body():
    body = json.dumps(payload("zammad_article")).encode()
    zammad.verify(connection("zammad"), {"X-Hub-Signature": zammad.signature("zm-signing", body)}, body, 0)
    with pytest.raises(NotAuthenticated, match="no X-Hub-Signature"):
        zammad.verify(connection("zammad"), {}, body, 0)
    with pytest.raises(NotAuthenticated, match="does not match"):
        zammad.verify(connection("zammad"), {"x-hub-signature": zammad.signature("guess", body)}, body, 0)
    with pytest.raises(NotAuthenticated, match="does not match"):
        zammad.verify(
            connection("zammad"), {"x-hub-signature": zammad.signature("zm-signing", body + b" ")}, body, 0
        )


def test_zammad_note_is_an_internal_article_with_the_token():
    note = zammad.note(connection("zammad"), "81", "heard: the customer is upset.")
    assert (note.method, note.url) == ("POST", "https://zammad.acme.example/api/v1/ticket_articles")
    assert note.headers["Authorization"] == "Token token=zm-access-token"
    assert note.json == {"ticket_id": 81, "body": "heard: the customer is upset.", "content_type": "text/plain",
                         "type": "note", "internal": True}  # fmt: skip
