"""The worker's second queue: heard's private notes posted to each team's helpdesk.

Like follow-ups (``worker.py``): one note claimed just before its post, under a lease a
heartbeat renews, then recorded as sent, retried with doubling backoff
(``HEARD_WEBHOOK_BACKOFF_SECONDS``), or failed after ``HEARD_WEBHOOK_MAX_ATTEMPTS``. Posts go
only to the host of the connection's ``base_url``, through the guarded transport (public
addresses, or ``HEARD_WEBHOOK_ALLOW_HOSTS``), with the webhook timeout.

Nothing is sent twice: every note ends with its marker (``heard note <id>``). Before a retry,
when the adapter can list a conversation's notes (``lookup``/``found``), the worker looks for
the marker first: a post whose answer was lost (a timeout after the helpdesk stored it) is then
recorded as sent, not posted again. Nothing is lost: a note stays queued until a 2xx or its last
attempt. API tokens, note texts and remote answers are never logged nor stored in errors.
"""

from __future__ import annotations

import functools
import logging
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from heard.errors import HeardError
from heard.integrations import connections
from heard.integrations.registry import ADAPTERS
from heard.integrations.vault import Vault
from heard.server.leases import lease_kept
from heard.server.webhooks import UnsafeTarget
from heard.settings import Settings
from heard.store import Database
from heard.store import integrations as stored

log = logging.getLogger("heard.worker")


def marker(note_id: int) -> str:
    return f"heard note {note_id}"


def _failure(error: Exception) -> str:
    if isinstance(error, UnsafeTarget):
        return "refused: the helpdesk host resolves to an address that is not public"
    if isinstance(error, httpx.TimeoutException):
        return "the helpdesk did not answer in time"
    if isinstance(error, httpx.ConnectError):
        return "could not connect to the helpdesk"
    if isinstance(error, HeardError):
        return error.detail[:300]
    return f"the note could not be posted ({type(error).__name__})"


def _same_host(url: str, base_url: str) -> bool:
    a, b = urlsplit(url), urlsplit(base_url)
    return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)


def post_note(client: httpx.Client, vault: Vault, db: Database, note) -> str | None:
    """Post one claimed note; None when the helpdesk has it, else what went wrong."""
    try:
        conn = connections.by_id(db, vault, note.integration_id)
    except HeardError as e:  # the token cannot be opened with this key: say so, keep the note
        return _failure(e)
    adapter = ADAPTERS.get(conn.helpdesk) if conn else None
    if conn is None or adapter is None:
        return "the connection was removed"
    if not conn.api_token:
        return "the connection has no API token; set it on the integration page"
    text = f"{note.text}\n\n({marker(note.id)})"
    try:
        if note.attempts > 1 and hasattr(adapter, "lookup"):
            # An earlier attempt may have reached the helpdesk with its answer lost: look first.
            ask = adapter.lookup(conn, note.external_conversation)
            if _same_host(ask.url, conn.base_url):
                seen = client.request(ask.method, ask.url, headers=dict(ask.headers))
                if seen.is_success and adapter.found(seen.json(), marker(note.id)):
                    return None
        call = adapter.note(conn, note.external_conversation, text)
        if not _same_host(call.url, conn.base_url):
            return "refused: the note's URL is not on the configured helpdesk host"
        answer = client.request(call.method, call.url, json=call.json, headers=dict(call.headers))
    except (httpx.HTTPError, HeardError, ValueError) as e:
        return _failure(e)
    return None if answer.is_success else f"the helpdesk answered {answer.status_code}"


def _renew(session, now: datetime, *, note_id: int, worker: str, lease: float) -> bool:
    return stored.renew_note_lease(
        session=session, note_id=note_id, worker=worker, at=now, lease_seconds=lease
    )


def deliver_notes(
    db: Database, settings: Settings, vault: Vault, *, worker: str, client: httpx.Client
) -> dict[str, int]:
    """Post up to one batch of due notes, each claimed just before its post."""
    counts = {"claimed": 0, "sent": 0, "retry": 0, "failed": 0}
    tried: list[int] = []
    for _ in range(settings.worker_batch):
        with db.write() as session:
            note = stored.claim_note(session=session, worker=worker, at=datetime.now(UTC),
                                     lease_seconds=settings.worker_lease_seconds, skip=tried)  # fmt: skip
        if note is None:
            break
        tried.append(note.id)
        counts["claimed"] += 1
        renew = functools.partial(_renew, note_id=note.id, worker=worker, lease=settings.worker_lease_seconds)
        with lease_kept(db, renew, what=f"note {note.id}", lease_seconds=settings.worker_lease_seconds):
            error = post_note(client, vault, db, note)
        with db.write() as session:
            status = stored.finish_note(
                session=session, note_id=note.id, worker=worker, at=datetime.now(UTC), error=error,
                max_attempts=settings.webhook_max_attempts, backoff_seconds=settings.webhook_backoff_seconds,
            )  # fmt: skip
        outcome = {"sent": "sent", "queued": "retry", "failed": "failed"}.get(status or "")
        if outcome:
            counts[outcome] += 1
        log.info("note %s attempt %s: %s", note.id, note.attempts, status or "claim lost")
    return counts
