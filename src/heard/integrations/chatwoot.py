"""Chatwoot (open source, self-hosted): its webhook events in, private notes out.

Events (Chatwoot's webhook docs, "Webhook events"): ``message_created`` and ``message_updated``
carry one message (``id``, ``content``, ``message_type`` incoming / outgoing / activity /
template, ``content_type``, ``private``, ``created_at``, ``sender``, ``conversation``,
``account``); ``conversation_created``, ``conversation_status_changed`` and the older
``conversation_resolved`` / ``conversation_opened`` carry the conversation itself (its ``id``,
``status``, ``messages``, ``meta.sender``). A conversation's ``id`` in a webhook is the number
the dashboard shows (``display_id``), which is the one Chatwoot's API takes.

Incoming messages are the customer's, outgoing ones the agent's (the sender's name as author).
Private notes (heard's own among them), templates, activity lines and messages without text
are ignored. A message updated after it was stored is not stored again (the id is the key).

Signature: with a secret configured, Chatwoot sends ``X-Chatwoot-Timestamp`` (Unix seconds) and
``X-Chatwoot-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>``.

Notes go through ``POST {base}/api/v1/accounts/{account}/conversations/{id}/messages`` with
``{"content": ..., "message_type": "outgoing", "private": true}`` and the ``api_access_token``
header (an agent's or a bot's access token).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, datetime

from heard.errors import MalformedInput, NotAllowed, NotAuthenticated
from heard.integrations.base import Connection, Event, OutboundNote

TOLERANCE_SECONDS = 300  # a signed event older (or newer) than this is refused as a replay
MESSAGE_EVENTS = ("message_created", "message_updated")
STATUS_EVENTS = {"conversation_resolved": "resolved", "conversation_opened": "open"}
# In a conversation's ``messages`` list Chatwoot gives the type as its enum number.
MESSAGE_TYPES = {0: "incoming", 1: "outgoing", 2: "activity", 3: "template"}
TEXT_TYPES = (None, "text")  # input_select, cards, form, article, input_email...: bot widgets


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The ``X-Chatwoot-Signature`` value of ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)


class Chatwoot:
    name = "chatwoot"

    def verify(self, conn: Connection, headers: Mapping[str, str], body: bytes, now: float) -> None:
        if not conn.webhook_secret:
            return  # the admin chose no secret: the unguessable URL is the only check
        sent, timestamp = _header(headers, "X-Chatwoot-Signature"), _header(headers, "X-Chatwoot-Timestamp")
        if not sent or not timestamp:
            raise NotAuthenticated(
                "this Chatwoot event is not signed: a webhook secret is configured, so Chatwoot must send "
                "X-Chatwoot-Signature and X-Chatwoot-Timestamp (set the same secret on the webhook in Chatwoot)"
            )
        try:
            at = int(timestamp.strip())
        except ValueError:
            raise NotAuthenticated("X-Chatwoot-Timestamp must be Unix seconds") from None
        if not hmac.compare_digest(signature(conn.webhook_secret, timestamp.strip(), body), sent.strip()):
            raise NotAuthenticated(
                "the X-Chatwoot-Signature does not match this body: check that the webhook secret in "
                "Chatwoot is the one configured in heard"
            )
        if abs(now - at) > TOLERANCE_SECONDS:
            raise NotAuthenticated(
                f"this Chatwoot event was signed {abs(now - at):.0f} s away from now (over "
                f"{TOLERANCE_SECONDS} s): a replay or a wrong clock; check the Chatwoot server's time"
            )

    def events(self, conn: Connection, payload: dict) -> list[Event]:
        if not isinstance(payload, dict):
            raise MalformedInput("a Chatwoot event is a JSON object with an 'event' field")
        kind = payload.get("event")
        if not isinstance(kind, str) or not kind:
            raise MalformedInput("the Chatwoot event has no 'event' field (e.g. message_created)")
        _check_account(conn, payload)
        if kind in MESSAGE_EVENTS:
            conversation = _conversation_id(payload.get("conversation"), "conversation")
            return [_message(payload, conversation, payload.get("message_type"))]
        if kind == "conversation_created":
            conversation = _conversation_id(payload, "the conversation")
            opened = Event(
                "opened", conversation, customer=_contact(payload), customer_name=_contact_name(payload)
            )
            listed = payload.get("messages") or []
            if not isinstance(listed, list):
                raise MalformedInput("the conversation's 'messages' must be a list")
            return [opened] + [
                _message(m, conversation, m.get("message_type")) for m in listed if isinstance(m, dict)
            ]
        if kind == "conversation_status_changed" or kind in STATUS_EVENTS:
            conversation = _conversation_id(payload, "the conversation")
            status = STATUS_EVENTS.get(kind) or payload.get("status")
            if status == "resolved":
                return [Event("resolved", conversation)]
            if status == "open":
                return [Event("reopened", conversation, customer=_contact(payload),
                              customer_name=_contact_name(payload))]  # fmt: skip
            if isinstance(status, str):
                return [Event("ignored", conversation, reason=f"status {status[:20]} does not change heard")]
            raise MalformedInput(
                "conversation_status_changed has no 'status' (open, resolved, pending, snoozed)"
            )
        return [Event("ignored", "", reason=f"heard does not use the {kind[:40]} event")]

    def note(self, conn: Connection, conversation: str, text: str) -> OutboundNote:
        if not conn.account:
            raise MalformedInput("the Chatwoot connection has no account id; set it (Settings > Account)")
        url = (f"{conn.base_url.rstrip('/')}/api/v1/accounts/{conn.account}/conversations/"
               f"{conversation}/messages")  # fmt: skip
        return OutboundNote(
            method="POST",
            url=url,
            headers={"api_access_token": conn.api_token, "Content-Type": "application/json"},
            json={"content": text, "message_type": "outgoing", "private": True},
        )

    def lookup(self, conn: Connection, conversation: str) -> OutboundNote:
        """The API call that lists a conversation's messages (to find a note already posted)."""
        url = (f"{conn.base_url.rstrip('/')}/api/v1/accounts/{conn.account}/conversations/"
               f"{conversation}/messages")  # fmt: skip
        return OutboundNote(method="GET", url=url, headers={"api_access_token": conn.api_token}, json={})

    def found(self, listed: dict, marker: str) -> bool:
        """Whether the listed messages (``{"payload": [...]}``) hold a private note with ``marker``."""
        messages = listed.get("payload") if isinstance(listed, dict) else None
        return any(
            isinstance(m, dict) and m.get("private") is True and marker in str(m.get("content") or "")
            for m in messages or []
        )


def _id(value, what: str) -> str:
    """An id as Chatwoot sends it (a number, sometimes a string of digits)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise MalformedInput(f"{what} must be a number")
    text = str(value).strip()
    if not text.isdigit() or len(text) > 19:
        raise MalformedInput(f"{what} must be a positive whole number of at most 19 digits")
    return text


def _check_account(conn: Connection, payload: dict) -> None:
    """Only events of the configured account: a webhook URL shared by mistake, or an event
    forwarded from another account, is refused."""
    account = payload.get("account")
    found = account.get("id") if isinstance(account, dict) else payload.get("account_id")
    if found is None:
        listed = payload.get("messages")
        found = next((m.get("account_id") for m in listed or [] if isinstance(m, dict)), None) if isinstance(
            listed, list) else None  # fmt: skip
    if found is None or conn.account is None:
        return  # conversation events may not name their account; the signed URL identifies it
    if _id(found, "account.id") != str(conn.account).strip():
        raise NotAllowed(
            "this Chatwoot event is for another account than the one configured; point each account's "
            "webhook at its own heard connection"
        )


def _conversation_id(conversation, what: str) -> str:
    if not isinstance(conversation, dict):
        raise MalformedInput(f"the Chatwoot event has no {what} object")
    shown = conversation.get("display_id", conversation.get("id"))
    if shown is None:
        raise MalformedInput(f"{what} has no id")
    return _id(shown, f"{what}'s id")


def _contact(conversation: dict) -> str | None:
    sender = (
        (conversation.get("meta") or {}).get("sender") if isinstance(conversation.get("meta"), dict) else None
    )
    if isinstance(sender, dict) and sender.get("id") is not None:
        return f"chatwoot-contact-{_id(sender['id'], 'meta.sender.id')}"
    inbox = conversation.get("contact_inbox")
    if isinstance(inbox, dict) and inbox.get("contact_id") is not None:
        return f"chatwoot-contact-{_id(inbox['contact_id'], 'contact_inbox.contact_id')}"
    return None


def _contact_name(conversation: dict) -> str | None:
    meta = conversation.get("meta")
    sender = meta.get("sender") if isinstance(meta, dict) else None
    name = sender.get("name") if isinstance(sender, dict) else None
    return name[:200] if isinstance(name, str) and name.strip() else None


def _message(m: dict, conversation: str, message_type) -> Event:
    message = _id(m.get("id"), "the message's id")
    if isinstance(message_type, int) and not isinstance(message_type, bool):
        message_type = MESSAGE_TYPES.get(message_type)
    if m.get("private") is True:
        return Event("ignored", conversation, message=message, reason="a private note")
    if message_type not in ("incoming", "outgoing"):
        return Event(
            "ignored", conversation, message=message, reason=f"a {message_type or 'untyped'} message"
        )
    if m.get("content_type") not in TEXT_TYPES:
        return Event("ignored", conversation, message=message, reason="not a text message")
    content = m.get("content")
    if content is None or (isinstance(content, str) and not content.strip()):
        return Event("ignored", conversation, message=message, reason="no text (an attachment only)")
    if not isinstance(content, str):
        raise MalformedInput("the message's 'content' must be text")
    sender = m.get("sender") if isinstance(m.get("sender"), dict) else {}
    name = sender.get("name") if isinstance(sender.get("name"), str) else None
    if message_type == "incoming":
        contact = sender.get("id") if sender.get("type", "contact") == "contact" else None
        customer = f"chatwoot-contact-{_id(contact, 'sender.id')}" if contact is not None else None
        return Event("message", conversation, message=message, role="customer", text=content,
                     at=_time(m.get("created_at")), customer=customer, customer_name=name)  # fmt: skip
    return Event("message", conversation, message=message, role="agent", text=content,
                 at=_time(m.get("created_at")), author=(name or "Chatwoot agent")[:100])  # fmt: skip


def _time(value) -> datetime | None:
    """``created_at`` as Chatwoot writes it: ISO 8601, "2020-03-03 13:05:57 UTC", or Unix seconds."""
    if value is None:
        return None
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, UTC)
        if isinstance(value, str):
            text = value.strip().replace(" UTC", "+00:00").replace("Z", "+00:00")
            at = datetime.fromisoformat(text)
            return at if at.tzinfo else at.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError):
        pass
    raise MalformedInput("the message's created_at is not a time (ISO 8601 or Unix seconds)")


CHATWOOT = Chatwoot()
