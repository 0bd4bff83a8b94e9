"""The Freshdesk adapter: the automation rules' bodies in, the shared secret checked, the note out."""

from __future__ import annotations

import base64

import pytest

from heard.errors import MalformedInput, NotAllowed, NotAuthenticated
from heard.integrations import freshdesk
from tests.integrations._examples import connection, payload


def test_freshdesk_customer_reply_is_the_customer_with_a_stable_message_key():
    (event,) = freshdesk.events(connection("freshdesk"), payload("freshdesk_reply"))
    assert (event.kind, event.conversation, event.role) == ("message", "1207", "customer")
    assert (
        event.text == "You promised a refund a week ago and I still have not seen a cent. This is ridiculous."
    )
    assert event.customer == "sam.okafor@example.com"
    (again,) = freshdesk.events(connection("freshdesk"), payload("freshdesk_reply"))
    assert again.message == event.message  # a replayed delivery has the same key


def test_freshdesk_new_ticket_reads_the_description_and_agent_reply_the_agent():
    body = payload("freshdesk_reply")
    body["freshdesk_webhook"]["heard_event"] = "ticket_created"
    (first,) = freshdesk.events(connection("freshdesk"), body)
    assert (first.role, first.text) == ("customer", "My order never arrived.")
    body["freshdesk_webhook"].update(
        heard_event="agent_reply", ticket_latest_public_comment="I'm sorry, I'll refund it now."
    )
    (reply,) = freshdesk.events(connection("freshdesk"), body)
    assert (reply.role, reply.author) == ("agent", "Priya")
    assert reply.message != first.message


@pytest.mark.parametrize(
    ("status", "kind"),
    [("Resolved", "resolved"), ("Closed", "resolved"), ("Open", "reopened"), ("Pending", "ignored")],
)
def test_freshdesk_status_changes(status, kind):
    body = payload("freshdesk_reply")
    body["freshdesk_webhook"].update(heard_event="status_changed", ticket_status=status)
    assert [e.kind for e in freshdesk.events(connection("freshdesk"), body)] == [kind]


def test_freshdesk_ticket_of_another_helpdesk_is_refused():
    body = payload("freshdesk_reply")
    body["freshdesk_webhook"]["ticket_url"] = "https://rival.freshdesk.com/helpdesk/tickets/1207"
    with pytest.raises(NotAllowed, match="another Freshdesk helpdesk"):
        freshdesk.events(connection("freshdesk"), body)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda h: h.update(heard_event="note_added"), "heard_event must be one of"),
        (lambda h: h.update(ticket_id=""), "ticket_id is missing"),
        (lambda h: h.update(ticket_id=True), "ticket_id must be an id"),
        (lambda h: h.pop("ticket_url"), "ticket_url is missing"),
        (
            lambda h: h.update(ticket_latest_public_comment={"html": 1}),
            "ticket_latest_public_comment must be a string",
        ),
    ],
)
def test_freshdesk_malformed_body_names_the_field(change, field):
    body = payload("freshdesk_reply")
    change(body["freshdesk_webhook"])
    with pytest.raises(MalformedInput, match=field):
        freshdesk.events(connection("freshdesk"), body)
    with pytest.raises(MalformedInput, match="freshdesk_webhook"):
        freshdesk.events(connection("freshdesk"), {"ticket_id": 1})


def test_freshdesk_secret_header_is_required_and_compared():
    freshdesk.verify(connection("freshdesk"), {"X-Heard-Secret": "fd-shared"}, b"{}", 0)
    with pytest.raises(NotAuthenticated, match="no X-Heard-Secret"):
        freshdesk.verify(connection("freshdesk"), {}, b"{}", 0)
    with pytest.raises(NotAuthenticated, match="not this connection's webhook secret"):
        freshdesk.verify(connection("freshdesk"), {"x-heard-secret": "fd-share"}, b"{}", 0)


def test_freshdesk_note_is_private_html_with_the_api_key():
    note = freshdesk.note(connection("freshdesk"), "1207", "Upset: angry\n<still venting>: wait")
    assert (note.method, note.url) == ("POST", "https://acme.freshdesk.com/api/v2/tickets/1207/notes")
    assert note.json == {"body": "Upset: angry<br>&lt;still venting&gt;: wait", "private": True}
    assert base64.b64decode(note.headers["Authorization"].split()[1]).decode() == "fd-api-key:X"
