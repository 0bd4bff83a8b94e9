"""Zendesk: ticket comments in through a trigger's webhook, internal notes out through the Tickets API.

In: a trigger ("Comment is present", see docs/integrations/zendesk.md) posts the JSON body the
guide shows, built from placeholders: ``ticket`` (id, url, status, requester_id, requester_name)
and ``comment`` (id, value, public, author_id, author_name). A comment by the requester is the
customer's; any other public comment is an agent's; a private comment (an internal note, heard's
own included) is ignored. Status solved or closed resolves heard's conversation.

Verified: ``X-Zendesk-Webhook-Signature`` = base64(HMAC-SHA256(secret, timestamp + body)) with the
timestamp of ``X-Zendesk-Webhook-Signature-Timestamp``, at most five minutes off heard's clock;
the ticket's URL must be on the connected account's host.

Out: ``PUT /api/v2/tickets/{id}.json`` with ``{"ticket": {"comment": {"body", "public": false}}}``,
basic auth ``{email}/token:{api_token}`` (or a bearer OAuth token).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from datetime import datetime

from heard.errors import MalformedInput, NotAllowed, NotAuthenticated
from heard.integrations._payload import (
    flag,
    heards_own,
    host_of,
    ident,
    lowered,
    require_header,
    section,
    text_of,
)
from heard.integrations.base import Connection, Event, OutboundNote

name = "zendesk"
SIGNATURE = "X-Zendesk-Webhook-Signature"
TIMESTAMP = "X-Zendesk-Webhook-Signature-Timestamp"
TOLERANCE_SECONDS = 300
RESOLVED = {"solved", "closed"}


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """What Zendesk sends in ``X-Zendesk-Webhook-Signature`` for this body and timestamp."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("utf-8") + body, hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def _seconds(timestamp: str) -> float:
    """The signature timestamp (ISO 8601 as Zendesk sends it, or Unix seconds) as Unix seconds."""
    try:
        return float(timestamp) if timestamp.replace(".", "", 1).isdigit() else _iso(timestamp)
    except ValueError:
        raise NotAuthenticated(f"{TIMESTAMP} is not a time; it must be the one Zendesk sent") from None


def _iso(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def verify(conn: Connection, headers: Mapping[str, str], body: bytes, now: float) -> None:
    """Check the signature when the connection has a signing secret (recommended: the guide's step 2)."""
    if not conn.webhook_secret:
        return
    found = lowered(headers)
    sent = require_header(found, SIGNATURE, "Zendesk")
    timestamp = require_header(found, TIMESTAMP, "Zendesk")
    if not hmac.compare_digest(sent.encode(), signature(conn.webhook_secret, timestamp, body).encode()):
        raise NotAuthenticated(
            f"{SIGNATURE} does not match; copy the webhook's signing secret from Zendesk into heard again"
        )
    if abs(now - _seconds(timestamp)) > TOLERANCE_SECONDS:
        raise NotAuthenticated(
            f"{TIMESTAMP} is more than {TOLERANCE_SECONDS // 60} minutes off: a stale or replayed delivery"
        )


def _account_host(conn: Connection) -> str:
    if conn.account:
        return conn.account.lower() if "." in conn.account else f"{conn.account.lower()}.zendesk.com"
    return host_of(conn.base_url)


def events(conn: Connection, payload: dict) -> list[Event]:
    """The trigger's body as heard's events: the comment (or why it is ignored), then a resolve."""
    ticket = section(payload, "ticket")
    conversation = ident(ticket.get("id"), "ticket.id")
    url = text_of(ticket.get("url"), "ticket.url")
    if not url:
        raise MalformedInput("ticket.url is missing; send {{ticket.url}} as the guide shows")
    if host_of(url) != _account_host(conn):
        raise NotAllowed("this ticket belongs to another Zendesk account than the one connected to heard")
    found: list[Event] = []
    comment = payload.get("comment")
    if isinstance(comment, dict) and ident(comment.get("id"), "comment.id", required=False):
        found.append(_comment(ticket, comment, conversation))
    status = text_of(ticket.get("status"), "ticket.status").strip().lower()
    if status in RESOLVED:
        found.append(Event(kind="resolved", conversation=conversation))
    return found or [Event(kind="ignored", conversation=conversation, reason="no comment in this update")]


def _comment(ticket: dict, comment: dict, conversation: str) -> Event:
    message = ident(comment.get("id"), "comment.id")
    if not flag(comment.get("public"), "comment.public", default=True):
        return Event(kind="ignored", conversation=conversation, message=message, reason="internal note")
    text = text_of(comment.get("value"), "comment.value").strip()
    if not text:
        return Event(kind="ignored", conversation=conversation, message=message, reason="empty comment")
    if heards_own(text):
        return Event(kind="ignored", conversation=conversation, message=message, reason="heard's own note")
    requester = ident(ticket.get("requester_id"), "ticket.requester_id")
    author = ident(comment.get("author_id"), "comment.author_id")
    by_customer = author == requester
    return Event(
        kind="message",
        conversation=conversation,
        message=message,
        role="customer" if by_customer else "agent",
        text=text,
        author=None if by_customer else (text_of(comment.get("author_name"), "comment.author_name") or None),
        customer=requester,
        customer_name=text_of(ticket.get("requester_name"), "ticket.requester_name").strip() or None,
    )


def _auth(conn: Connection) -> str:
    if "/token:" in conn.api_token:  # {email}/token:{api token}, as Zendesk's docs write it
        return "Basic " + base64.b64encode(conn.api_token.encode("utf-8")).decode("ascii")
    return f"Bearer {conn.api_token}"


def note(conn: Connection, conversation: str, text: str) -> OutboundNote:
    """An internal note (a private comment) on the ticket."""
    ticket = ident(conversation, "ticket id")
    base = conn.base_url.rstrip("/") if conn.base_url else f"https://{_account_host(conn)}"
    return OutboundNote(
        method="PUT",
        url=f"{base}/api/v2/tickets/{ticket}.json",
        headers={"Authorization": _auth(conn), "Content-Type": "application/json"},
        json={"ticket": {"comment": {"body": text, "public": False}}},
    )


def lookup(conn: Connection, conversation: str) -> OutboundNote:
    """The API call that lists the ticket's comments (to find a note already posted)."""
    ticket = ident(conversation, "ticket id")
    base = conn.base_url.rstrip("/") if conn.base_url else f"https://{_account_host(conn)}"
    return OutboundNote(
        method="GET", url=f"{base}/api/v2/tickets/{ticket}/comments.json",
        headers={"Authorization": _auth(conn)}, json={},
    )  # fmt: skip


def found(listed: object, marker: str) -> bool:
    """Whether the listed comments (``{"comments": [...]}``) hold a private one with ``marker``."""
    comments = listed.get("comments") if isinstance(listed, dict) else None
    return any(
        isinstance(c, dict)
        and c.get("public") is False
        and any(marker in str(c.get(k) or "") for k in ("body", "plain_body"))
        for c in comments or []
    )
