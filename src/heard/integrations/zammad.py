"""Zammad: articles in through a trigger's webhook, internal notes out through the REST API.

In: a trigger with the action "Webhook" posts Zammad's default payload, ``{"ticket": {...},
"article": {...}}`` (docs/integrations/zammad.md). An article with ``sender`` "Customer" is the
customer's, "Agent" an agent's; internal articles (notes, heard's own included) and system
articles are ignored. A ticket whose ``state`` is closed resolves heard's conversation.

Verified: ``X-Hub-Signature: sha1=<hex HMAC-SHA1(signature token, body)>`` when the connection
has the webhook's signature token. Zammad sends no timestamp: a replayed delivery is known by
its article id and stored once.

Out: ``POST /api/v1/ticket_articles`` with ``internal: true`` and ``type: "note"``, authorised by
``Authorization: Token token=<access token>``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from heard.errors import MalformedInput, NotAuthenticated
from heard.integrations._payload import (
    flag,
    heards_own,
    ident,
    instant,
    lowered,
    plain_text,
    require_header,
    section,
    text_of,
)
from heard.integrations.base import Connection, Event, OutboundNote

name = "zammad"
SIGNATURE = "X-Hub-Signature"
RESOLVED = {"closed", "merged"}


def signature(secret: str, body: bytes) -> str:
    """What Zammad sends in ``X-Hub-Signature`` for this body."""
    return "sha1=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha1).hexdigest()


def verify(conn: Connection, headers: Mapping[str, str], body: bytes, now: float) -> None:
    """Check the signature when the connection has the webhook's signature token."""
    if not conn.webhook_secret:
        return
    sent = require_header(lowered(headers), SIGNATURE, "Zammad")
    if not hmac.compare_digest(sent.encode(), signature(conn.webhook_secret, body).encode()):
        raise NotAuthenticated(
            f"{SIGNATURE} does not match; give heard the same HMAC SHA1 signature token as the Zammad webhook"
        )


def _name(user: object) -> str | None:
    if not isinstance(user, dict):
        return None
    full = " ".join(str(user.get(k) or "").strip() for k in ("firstname", "lastname")).strip()
    return full or None


def events(conn: Connection, payload: dict) -> list[Event]:
    """The payload as heard's events: the article (or why it is ignored), then a resolve."""
    ticket = section(payload, "ticket")
    conversation = ident(ticket.get("id"), "ticket.id")
    found: list[Event] = []
    article = payload.get("article")
    if article not in (None, {}):
        if not isinstance(article, dict):
            raise MalformedInput("article must be an object; send Zammad's default webhook payload")
        found.append(_article(ticket, article, conversation))
    state = ticket.get("state")
    state = state.get("name") if isinstance(state, dict) else state
    if text_of(state, "ticket.state").strip().lower() in RESOLVED:
        found.append(Event(kind="resolved", conversation=conversation))
    return found or [Event(kind="ignored", conversation=conversation, reason="no article in this update")]


def _article(ticket: dict, article: dict, conversation: str) -> Event:
    message = ident(article.get("id"), "article.id")
    if ident(article.get("ticket_id"), "article.ticket_id", required=False) not in (None, conversation):
        raise MalformedInput("article.ticket_id is not ticket.id; send the article of this ticket")
    if flag(article.get("internal"), "article.internal", default=False):
        return Event(kind="ignored", conversation=conversation, message=message, reason="internal note")
    sender = text_of(article.get("sender"), "article.sender").strip().lower()
    if sender not in ("customer", "agent"):
        return Event(kind="ignored", conversation=conversation, message=message, reason="system article")
    body = text_of(article.get("body"), "article.body")
    html = text_of(article.get("content_type"), "article.content_type").lower() == "text/html"
    text = (plain_text(body) if html else body).strip()
    if not text:
        return Event(kind="ignored", conversation=conversation, message=message, reason="empty article")
    if heards_own(text):
        return Event(kind="ignored", conversation=conversation, message=message, reason="heard's own note")
    customer = ident(ticket.get("customer_id"), "ticket.customer_id", required=False)
    return Event(
        kind="message",
        conversation=conversation,
        message=message,
        role="customer" if sender == "customer" else "agent",
        text=text,
        at=instant(article.get("created_at"), "article.created_at"),
        author=_name(article.get("created_by")) if sender == "agent" else None,
        customer=customer,
        customer_name=_name(ticket.get("customer")),
    )


def note(conn: Connection, conversation: str, text: str) -> OutboundNote:
    """An internal note on the ticket (agents see it; the customer is not notified)."""
    ticket = ident(conversation, "ticket id")
    return OutboundNote(
        method="POST",
        url=f"{conn.base_url.rstrip('/')}/api/v1/ticket_articles",
        headers={"Authorization": f"Token token={conn.api_token}", "Content-Type": "application/json"},
        json={
            "ticket_id": int(ticket) if ticket.isdigit() else ticket,
            "body": text,
            "content_type": "text/plain",
            "type": "note",
            "internal": True,
        },
    )


def lookup(conn: Connection, conversation: str) -> OutboundNote:
    """The API call that lists the ticket's articles (to find a note already posted)."""
    ticket = ident(conversation, "ticket id")
    return OutboundNote(
        method="GET", url=f"{conn.base_url.rstrip('/')}/api/v1/ticket_articles/by_ticket/{ticket}",
        headers={"Authorization": f"Token token={conn.api_token}"}, json={},
    )  # fmt: skip


def found(listed: object, marker: str) -> bool:
    """Whether the listed articles (a JSON list) hold an internal one with ``marker``."""
    return isinstance(listed, list) and any(
        isinstance(a, dict) and a.get("internal") is True and marker in str(a.get("body") or "")
        for a in listed
    )
