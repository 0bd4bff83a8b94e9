"""Chatwoot webhook bodies shaped as Chatwoot's documentation shows them ("Webhook events":
message_created, message_updated, conversation_created, conversation_status_changed,
conversation_resolved, conversation_opened), with our own example words and names."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime


def _browser() -> dict:
    return {"browser": {"device_name": "Unknown", "browser_name": "Firefox", "platform_name": "Linux",
                        "browser_version": "128.0", "platform_version": "6.1"},
            "referer": "https://shop.example.com/help", "initiated_at": {"timestamp": "Mon Mar 02 2026 10:00:00"}}  # fmt: skip


def conversation(conversation_id: int = 10, *, contact_id: int = 14, status: str = "open", account: int = 1,
                 messages: list | None = None) -> dict:  # fmt: skip
    """A conversation object as Chatwoot's webhooks carry it (``id`` is the dashboard's number)."""
    return {
        "additional_attributes": _browser(), "can_reply": True, "channel": "Channel::WebWidget",
        "id": conversation_id, "inbox_id": 1,
        "contact_inbox": {"id": 12, "contact_id": contact_id, "inbox_id": 1, "source_id": "a1b2c3d4-0000",
                          "created_at": "2026-03-02T10:00:00.000Z", "updated_at": "2026-03-02T10:00:00.000Z",
                          "hmac_verified": False},
        "messages": messages if messages is not None else [],
        "meta": {"sender": {"additional_attributes": {}, "custom_attributes": {}, "email": None, "id": contact_id,
                            "identifier": None, "name": "Robin Vale", "phone_number": None,
                            "pubsub_token": "tok", "thumbnail": "", "type": "contact"},
                 "assignee": {"id": 1, "name": "Sam Agent", "available_name": "Sam Agent", "avatar_url": "",
                              "type": "user", "availability_status": "online"}},
        "status": status, "unread_count": 1, "agent_last_seen_at": 0, "contact_last_seen_at": 0,
        "timestamp": int(time.time()),
    }  # fmt: skip


def message(message_id: int, content: str | None, *, message_type: str = "incoming", conversation_id: int = 10,
            account: int = 1, private: bool = False, content_type: str = "text", event: str = "message_created",
            contact_id: int = 14, agent: str = "Sam Agent", at: datetime | None = None) -> dict:  # fmt: skip
    """message_created / message_updated as documented: the message's fields at the top level."""
    sender = ({"id": contact_id, "name": "Robin Vale", "avatar": "", "type": "contact"} if message_type == "incoming"
              else {"id": 1, "name": agent, "avatar": "", "type": "user"})  # fmt: skip
    return {
        "id": message_id, "content": content,
        "created_at": (at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "message_type": message_type, "content_type": content_type, "private": private,
        "content_attributes": {}, "source_id": None, "sender": sender,
        "inbox": {"id": 1, "name": "Shop Support"},
        "conversation": conversation(conversation_id, contact_id=contact_id, account=account),
        "account": {"id": account, "name": "Example Shop"}, "event": event,
    }  # fmt: skip


def status_event(event: str, conversation_id: int = 10, status: str = "open", **kwargs) -> dict:
    """conversation_status_changed / conversation_resolved / conversation_opened / conversation_created:
    the conversation object at the top level, with ``event``."""
    return {**conversation(conversation_id, status=status, **kwargs), "event": event}


def signed(secret: str, payload: dict | bytes, *, at: float | None = None) -> tuple[bytes, dict]:
    """The body and Chatwoot's signature headers for it."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    ts = str(int(time.time() if at is None else at))
    sig = "sha256=" + hmac.new(secret.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    return body, {"Content-Type": "application/json", "X-Chatwoot-Signature": sig, "X-Chatwoot-Timestamp": ts}
