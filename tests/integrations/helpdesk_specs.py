"""Each helpdesk as the server tests drive it: its connection, its webhook bodies (shaped as its
documentation shows, the examples our own), how it signs them, and where a note's text lands."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from heard.integrations import zammad, zendesk
from tests.integrations._examples import payload


@dataclass(frozen=True)
class Spec:
    name: str
    account: str | None
    token: str
    secret: str
    message: Callable[..., dict]  # (ticket, message id, text, role) -> body
    resolved: Callable[[str], dict]
    sign: Callable[[str, bytes, float], dict]
    foreign: Callable[[dict], dict] | None  # the body as another account of the helpdesk sends it
    auth: str  # the Authorization header a note carries
    note_text: Callable[[dict], str]
    private: Callable[[dict], bool]
    internal_note: Callable[[str, str], dict] | None  # an agent's internal note (heard's own among them)


def _zendesk_message(ticket: str, message: str, text: str, role: str = "customer") -> dict:
    body = payload("zendesk_comment")
    body["ticket"]["id"] = ticket
    body["ticket"]["url"] = f"acme.zendesk.com/agent/tickets/{ticket}"
    body["comment"].update(id=message, value=text)
    if role == "agent":
        body["comment"].update(author_id="9001", author_name="Luis Ortega")
    return body


def _zendesk_resolved(ticket: str) -> dict:
    body = _zendesk_message(ticket, "1", "")
    body["ticket"]["status"] = "Solved"
    del body["comment"]
    return body


def _zendesk_note(ticket: str, text: str) -> dict:
    body = _zendesk_message(ticket, str(time.monotonic_ns() % 10**12), text, "agent")
    body["comment"]["public"] = "false"
    return body


def _zendesk_sign(secret: str, body: bytes, at: float) -> dict:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at))
    return {zendesk.SIGNATURE: zendesk.signature(secret, stamp, body), zendesk.TIMESTAMP: stamp}


def _zendesk_foreign(body: dict) -> dict:
    body["ticket"]["url"] = "rival.zendesk.com/agent/tickets/" + body["ticket"]["id"]
    return body


def _zammad_message(ticket: str, message: str, text: str, role: str = "customer") -> dict:
    body = payload("zammad_article")
    body["ticket"]["id"] = int(ticket)
    body["article"].update(id=int(message), ticket_id=int(ticket), body=text, content_type="text/plain")
    if role == "agent":
        body["article"].update(
            sender="Agent", created_by={"id": 5, "firstname": "Emma", "lastname": "Taylor"}
        )
    return body


def _zammad_resolved(ticket: str) -> dict:
    body = payload("zammad_article")
    body["ticket"].update(id=int(ticket), state="closed")
    del body["article"]
    return body


def _zammad_note(ticket: str, text: str) -> dict:
    body = _zammad_message(ticket, str(time.monotonic_ns() % 10**9), text, "agent")
    body["article"].update(internal=True, type="note")
    return body


def _freshdesk_message(ticket: str, message: str, text: str, role: str = "customer") -> dict:
    body = payload("freshdesk_reply")
    body["freshdesk_webhook"].update(
        ticket_id=int(ticket), ticket_url=f"https://acme.freshdesk.com/helpdesk/tickets/{ticket}",
        ticket_latest_public_comment=f"<div>{text}</div>",
        heard_event="customer_reply" if role == "customer" else "agent_reply",
    )  # fmt: skip
    return body


def _freshdesk_resolved(ticket: str) -> dict:
    body = _freshdesk_message(ticket, "", "")
    body["freshdesk_webhook"].update(heard_event="status_changed", ticket_status="Resolved")
    return body


def _freshdesk_foreign(body: dict) -> dict:
    body["freshdesk_webhook"]["ticket_url"] = "https://rival.freshdesk.com/helpdesk/tickets/1"
    return body


def _basic(credential: str) -> str:
    return "Basic " + base64.b64encode(credential.encode()).decode()


SPECS = {
    "zendesk": Spec(
        name="zendesk", account="acme", token="ops@acme.example/token:zd-api-token-0123", secret="zd-signing-secret-42",
        message=_zendesk_message, resolved=_zendesk_resolved, sign=_zendesk_sign, foreign=_zendesk_foreign,
        auth=_basic("ops@acme.example/token:zd-api-token-0123"),
        note_text=lambda b: b["ticket"]["comment"]["body"], private=lambda b: b["ticket"]["comment"]["public"] is False,
        internal_note=_zendesk_note,
    ),
    "zammad": Spec(
        name="zammad", account=None, token="zm-access-token-0123456", secret="zm-signature-token-42",
        message=_zammad_message, resolved=_zammad_resolved,
        sign=lambda secret, body, at: {zammad.SIGNATURE: zammad.signature(secret, body)}, foreign=None,
        auth="Token token=zm-access-token-0123456",
        note_text=lambda b: b["body"], private=lambda b: b["internal"] is True and b["type"] == "note",
        internal_note=_zammad_note,
    ),
    "freshdesk": Spec(
        name="freshdesk", account="acme", token="fd-api-key-0123456789", secret="fd-shared-secret-42",
        message=_freshdesk_message, resolved=_freshdesk_resolved,
        sign=lambda secret, body, at: {"X-Heard-Secret": secret}, foreign=_freshdesk_foreign,
        auth=_basic("fd-api-key-0123456789:X"),
        note_text=lambda b: b["body"].replace("<br>", "\n"), private=lambda b: b["private"] is True,
        internal_note=None,  # Freshdesk's rules never send private notes (the guide's rules)
    ),
}  # fmt: skip


def encoded(body: dict) -> bytes:
    return json.dumps(body).encode()
