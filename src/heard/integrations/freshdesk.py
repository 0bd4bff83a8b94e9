"""Freshdesk: replies in through automation rules' webhooks, private notes out through the API.

In: each automation rule of docs/integrations/freshdesk.md ("Trigger webhook", JSON content)
posts ``{"freshdesk_webhook": {...}}`` with ``heard_event`` (the rule's own constant:
``ticket_created``, ``customer_reply``, ``agent_reply`` or ``status_changed``) and the ticket's
placeholders (``ticket_id``, ``ticket_url``, ``ticket_status``, ``ticket_description``,
``ticket_latest_public_comment``, ``ticket_requester_email``, ``ticket_agent_name``). Private
notes (heard's own included) never reach it: no rule sends them.

Verified: Freshdesk does not sign webhooks, so each rule sends the connection's webhook secret in
a header of the rule's own, ``X-Heard-Secret``; the ticket's URL must be on the connected
helpdesk. Freshdesk's placeholders carry no reply id, so a reply is known by its ticket, event
and text: a replayed delivery is stored once (and so is a reply sent twice word for word).

Out: ``POST /api/v2/tickets/{id}/notes`` with ``{"body": <html>, "private": true}``, basic auth
with the API key as the user name and ``X`` as the password.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Mapping

from heard.errors import MalformedInput, NotAllowed, NotAuthenticated
from heard.integrations._payload import (
    heards_own,
    host_of,
    ident,
    looks_like_html,
    lowered,
    plain_text,
    require_header,
    same_secret,
    section,
    text_of,
)
from heard.integrations.base import Connection, Event, OutboundNote

name = "freshdesk"
SECRET_HEADER = "X-Heard-Secret"
KINDS = ("ticket_created", "customer_reply", "agent_reply", "status_changed")
RESOLVED = {"resolved", "closed"}


def verify(conn: Connection, headers: Mapping[str, str], body: bytes, now: float) -> None:
    """The rule's ``X-Heard-Secret`` header equals the connection's webhook secret."""
    if not conn.webhook_secret:
        return
    sent = require_header(lowered(headers), SECRET_HEADER, "Freshdesk's automation rule")
    if not same_secret(sent, conn.webhook_secret):
        raise NotAuthenticated(f"{SECRET_HEADER} is not this connection's webhook secret; copy it again")


def _hosts(conn: Connection) -> set[str]:
    hosts = {host_of(conn.base_url)}
    if conn.account:
        hosts.add(conn.account.lower() if "." in conn.account else f"{conn.account.lower()}.freshdesk.com")
    return hosts - {""}


def _text(value: object, where: str) -> str:
    text = text_of(value, where)
    return (plain_text(text) if looks_like_html(text) else text).strip()


def events(conn: Connection, payload: dict) -> list[Event]:
    """The rule's body as heard's events."""
    hook = section(payload, "freshdesk_webhook")
    conversation = ident(hook.get("ticket_id"), "freshdesk_webhook.ticket_id")
    url = text_of(hook.get("ticket_url"), "freshdesk_webhook.ticket_url")
    if not url:
        raise MalformedInput(
            "freshdesk_webhook.ticket_url is missing; send {{ticket.url}} as the guide shows"
        )
    if host_of(url) not in _hosts(conn):
        raise NotAllowed("this ticket belongs to another Freshdesk helpdesk than the one connected to heard")
    kind = text_of(hook.get("heard_event"), "freshdesk_webhook.heard_event").strip()
    if kind not in KINDS:
        raise MalformedInput(f"freshdesk_webhook.heard_event must be one of {', '.join(KINDS)}")
    if kind == "status_changed":
        status = text_of(hook.get("ticket_status"), "freshdesk_webhook.ticket_status").strip().lower()
        if status in RESOLVED:
            return [Event(kind="resolved", conversation=conversation)]
        if status == "open":
            return [Event(kind="reopened", conversation=conversation)]
        return [Event(kind="ignored", conversation=conversation, reason=f"status {status or 'unknown'}")]
    field = "ticket_description" if kind == "ticket_created" else "ticket_latest_public_comment"
    text = _text(hook.get(field), f"freshdesk_webhook.{field}")
    if not text:
        return [Event(kind="ignored", conversation=conversation, reason="empty reply")]
    if heards_own(text):
        return [Event(kind="ignored", conversation=conversation, reason="heard's own note")]
    by_customer = kind != "agent_reply"
    digest = hashlib.sha256(f"{conversation}\n{kind}\n{text}".encode()).hexdigest()[:32]
    requester = text_of(hook.get("ticket_requester_email"), "freshdesk_webhook.ticket_requester_email")
    agent = text_of(hook.get("ticket_agent_name"), "freshdesk_webhook.ticket_agent_name").strip()
    return [
        Event(
            kind="message",
            conversation=conversation,
            message=f"{kind}:{digest}",
            role="customer" if by_customer else "agent",
            text=text,
            author=None if by_customer else (agent or None),
            customer=requester.strip() or None,
        )
    ]


def note(conn: Connection, conversation: str, text: str) -> OutboundNote:
    """A private note on the ticket (agents see it; the requester does not)."""
    ticket = ident(conversation, "ticket id")
    auth = base64.b64encode(f"{conn.api_token}:X".encode()).decode("ascii")
    body = "<br>".join(html.escape(line) for line in text.splitlines())
    return OutboundNote(
        method="POST",
        url=f"{conn.base_url.rstrip('/')}/api/v2/tickets/{ticket}/notes",
        headers={"Authorization": f"Basic {auth}", "Content-Type": "application/json"},
        json={"body": body, "private": True},
    )


def lookup(conn: Connection, conversation: str) -> OutboundNote:
    """The API call that lists the ticket's conversations, notes included."""
    ticket = ident(conversation, "ticket id")
    auth = base64.b64encode(f"{conn.api_token}:X".encode()).decode("ascii")
    return OutboundNote(
        method="GET", url=f"{conn.base_url.rstrip('/')}/api/v2/tickets/{ticket}/conversations",
        headers={"Authorization": f"Basic {auth}"}, json={},
    )  # fmt: skip


def found(listed: object, marker: str) -> bool:
    """Whether the listed conversations (a JSON list) hold a private note with ``marker``."""
    return isinstance(listed, list) and any(
        isinstance(c, dict)
        and c.get("private") is True
        and any(marker in str(c.get(k) or "") for k in ("body_text", "body"))
        for c in listed
    )
