"""The Zendesk adapter: the trigger's body in, the signature checked, the internal note out."""

from __future__ import annotations

import base64
import json
import time

import pytest

from heard.errors import MalformedInput, NotAllowed, NotAuthenticated
from heard.integrations import zendesk
from tests.integrations._examples import connection, payload

NOW = 1_790_000_000.0


def _signed(body: bytes, secret: str = "zd-signing", at: float = NOW) -> dict[str, str]:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at))
    return {zendesk.SIGNATURE: zendesk.signature(secret, stamp, body), zendesk.TIMESTAMP: stamp}


def test_zendesk_requester_comment_is_the_customer():
    (event,) = zendesk.events(connection("zendesk"), payload("zendesk_comment"))
    assert (event.kind, event.conversation, event.message, event.role) == (
        "message",
        "4812",
        "29981734120",
        "customer",
    )
    assert event.text.startswith("This is the third time") and event.customer == "372940118"
    assert (event.author, event.customer_name) == (None, "Dana Whitfield")


def test_zendesk_other_public_comment_is_the_agent_with_a_name():
    body = payload("zendesk_comment")
    body["comment"].update(author_id="9001", author_name="Luis", value="I'm sorry, I'll fix it now.")
    (event,) = zendesk.events(connection("zendesk"), body)
    assert (event.role, event.author) == ("agent", "Luis")


def test_zendesk_private_comment_is_ignored():
    body = payload("zendesk_comment")
    body["comment"]["public"] = "false"
    (event,) = zendesk.events(connection("zendesk"), body)
    assert (event.kind, event.reason, event.message) == ("ignored", "internal note", "29981734120")


@pytest.mark.parametrize("status", ["Solved", "closed"])
def test_zendesk_solved_ticket_resolves_after_its_comment(status):
    body = payload("zendesk_comment")
    body["ticket"]["status"] = status
    kinds = [e.kind for e in zendesk.events(connection("zendesk"), body)]
    assert kinds == ["message", "resolved"]


def test_zendesk_ticket_of_another_account_is_refused():
    body = payload("zendesk_comment")
    body["ticket"]["url"] = "evil.zendesk.com/agent/tickets/4812"
    with pytest.raises(NotAllowed, match="another Zendesk account"):
        zendesk.events(connection("zendesk"), body)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b.pop("ticket"), "ticket"),
        (lambda b: b["ticket"].update(id="9" * 200), "ticket.id"),
        (lambda b: b["ticket"].update(id={"x": 1}), "ticket.id"),
        (lambda b: b["comment"].update(value=["a"]), "comment.value"),
        (lambda b: b["comment"].update(public="maybe"), "comment.public"),
        (lambda b: b["ticket"].pop("requester_id"), "ticket.requester_id"),
        (lambda b: b["ticket"].pop("url"), "ticket.url is missing"),
    ],
)
def test_zendesk_malformed_body_names_the_field(change, field):
    body = payload("zendesk_comment")
    change(body)
    with pytest.raises(MalformedInput, match=field.replace(".", r"\.")):
        zendesk.events(connection("zendesk"), body)


def test_zendesk_signature_accepts_what_zendesk_signs():
    body = json.dumps(payload("zendesk_comment")).encode()
    zendesk.verify(connection("zendesk"), _signed(body), body, NOW + 30)
    # header names are case-insensitive, as HTTP says
    lower = {k.lower(): v for k, v in _signed(body).items()}
    zendesk.verify(connection("zendesk"), lower, body, NOW)


@pytest.mark.parametrize(
    ("headers", "now", "message"),
    [
        ({}, NOW, "no X-Zendesk-Webhook-Signature header"),
        ("wrong-secret", NOW, "does not match"),
        ("tampered", NOW, "does not match"),
        ("signed", NOW + 3600, "stale or replayed"),
    ],
)
def test_zendesk_unsigned_forged_or_stale_delivery_is_refused(headers, now, message):
    body = json.dumps(payload("zendesk_comment")).encode()
    if headers == "wrong-secret":
        headers = _signed(body, secret="guess")
    elif headers == "tampered":
        headers = _signed(body.replace(b"third", b"fifth"))
    elif headers == "signed":
        headers = _signed(body)
    with pytest.raises(NotAuthenticated, match=message):
        zendesk.verify(connection("zendesk"), headers, body, now)


def test_zendesk_note_is_a_private_comment_with_basic_auth():
    note = zendesk.note(connection("zendesk"), "4812", "heard: the customer is upset.\nStill venting: wait.")
    assert (note.method, note.url) == ("PUT", "https://acme.zendesk.com/api/v2/tickets/4812.json")
    assert note.json == {
        "ticket": {
            "comment": {"body": "heard: the customer is upset.\nStill venting: wait.", "public": False}
        }
    }
    scheme, _, credential = note.headers["Authorization"].partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(credential).decode() == "ops@acme.example/token:zd-secret-token"


def test_zendesk_connection_never_shows_its_secrets():
    shown = repr(connection("zendesk"))
    assert "zd-secret-token" not in shown and "zd-signing" not in shown


@pytest.mark.parametrize("helpdesk", ["zendesk", "zammad", "freshdesk"])
def test_registry_names_each_adapter_and_a_non_object_body_is_refused(helpdesk):
    from heard.integrations.registry import adapter_for

    adapter = adapter_for(helpdesk)
    assert adapter.name == helpdesk
    for body in ([1, 2], "text", None):
        with pytest.raises(MalformedInput, match="JSON object"):
            adapter.events(connection(helpdesk), body)


@pytest.mark.parametrize(
    ("helpdesk", "url", "listed", "other"),
    [
        ("zendesk", "https://acme.zendesk.com/api/v2/tickets/42/comments.json",
         {"comments": [{"id": 1, "public": False, "body": "heard · upset\n\n(heard note 7)"}]},
         {"comments": [{"id": 1, "public": True, "body": "(heard note 7)"}]}),
        ("zammad", "https://zammad.acme.example/api/v1/ticket_articles/by_ticket/42",
         [{"id": 3, "internal": True, "body": "heard · upset\n\n(heard note 7)"}],
         [{"id": 3, "internal": True, "body": "(heard note 17)"}]),
        ("freshdesk", "https://acme.freshdesk.com/api/v2/tickets/42/conversations",
         [{"id": 9, "private": True, "body": "heard<br><br>(heard note 7)", "body_text": "heard (heard note 7)"}],
         {"conversations": []}),
    ],
)  # fmt: skip
def test_lookup_finds_a_note_already_posted(helpdesk, url, listed, other):
    from heard.integrations.registry import adapter_for

    adapter = adapter_for(helpdesk)
    ask = adapter.lookup(connection(helpdesk), "42")
    assert (ask.method, ask.url) == ("GET", url)
    assert (
        ask.headers["Authorization"] == adapter.note(connection(helpdesk), "42", "x").headers["Authorization"]
    )
    assert adapter.found(listed, "heard note 7")
    assert not adapter.found(other, "heard note 7")


@pytest.mark.parametrize("helpdesk", ["zendesk", "zammad", "freshdesk"])
def test_heards_own_note_is_never_read_back_even_when_not_marked_private(helpdesk):
    from heard.integrations.registry import adapter_for
    from tests.integrations.helpdesk_specs import SPECS

    own = "heard · the customer is angry\nReflect: it sounds like a long wait.\n\n(heard note 12)"
    body = SPECS[helpdesk].message("77", "991", own, "agent")
    (event,) = adapter_for(helpdesk).events(connection(helpdesk), body)
    assert (event.kind, event.reason) == ("ignored", "heard's own note")
