"""``heard worker``: deliver due follow-ups to each team's webhook, with retries and backoff, and
heard's private notes to each team's helpdesk (``note_delivery``, the same way).

A pass delivers up to ``worker_batch`` follow-ups, one at a time: claim one
(``store.jobs.claim_due``, a lease of ``worker_lease_seconds``), post it as JSON while a
heartbeat renews the lease, and record the outcome (``finish_delivery``). Claiming each one
just before its post means no follow-up waits under a lease behind others (a slow receiver
cannot make a live worker's claim expire, and after a kill -9 only the follow-up in flight
waits for its lease). A 2xx answer is a delivery; anything else, a timeout or a refused
connection is retried after ``webhook_backoff_seconds``, doubling each time, until
``webhook_max_attempts``. Each post carries ``Heard-Delivery`` (stable per follow-up: the
receiver's idempotency key), ``Heard-Attempt``, and a signature (``Heard-Timestamp``,
``Heard-Signature``; docs/webhooks.md). Only public addresses are posted to
(``server.webhooks``). Message texts and remote answers are never logged nor stored.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import socket
import time
from datetime import UTC, datetime
from http import HTTPStatus

import httpx

from heard._version import __version__
from heard.integrations.vault import vault_for
from heard.server.leases import lease_kept
from heard.server.note_delivery import deliver_notes
from heard.server.webhooks import GuardedTransport, UnsafeTarget, signed_headers
from heard.settings import Settings
from heard.store import Database, repo
from heard.store.jobs import Claim, claim_due, finish_delivery, renew_lease

log = logging.getLogger("heard.worker")

# What went wrong, in our words: the remote's own text (bodies, error pages) is never kept.
_FAILURES = {
    httpx.TimeoutException: "the webhook did not answer in time",
    httpx.ConnectError: "could not connect to the webhook",
    httpx.RemoteProtocolError: "the webhook broke the HTTP exchange",
    httpx.UnsupportedProtocol: "the webhook URL's scheme is not http or https",
}


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def payload(claim: Claim) -> dict:
    return {
        "event": "follow_up.due",
        "follow_up": {
            "id": claim.id,
            "conversation_id": claim.conversation_id,
            "customer": claim.customer,
            "due_at": claim.due_at.isoformat(),
            "attempt": claim.attempt,
            "message": claim.message,
        },
    }


def failure_of(error: Exception) -> str:
    """A short reason for a failed post, never the remote's text."""
    if isinstance(error, UnsafeTarget):
        return "refused: the webhook host resolves to an address that is not public"
    for kind, reason in _FAILURES.items():
        if isinstance(error, kind):
            return reason
    return f"the delivery failed ({type(error).__name__})"


def answered(status: int) -> str:
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        return f"the webhook answered {status}"
    return f"the webhook answered {status} ({reason})"


def deliver(client: httpx.Client, claim: Claim, worker: str) -> str | None:
    """Post one follow-up; None when the receiver took it, else what went wrong."""
    body = json.dumps(payload(claim), separators=(",", ":")).encode("utf-8")
    headers = {"Content-Type": "application/json", "Heard-Delivery": f"follow-up-{claim.id}",
               "Heard-Attempt": str(claim.attempt), "Heard-Worker": worker, "User-Agent": f"heard/{__version__}",
               **signed_headers(claim.webhook_secret or "", body)}  # fmt: skip
    try:
        answer = client.post(claim.webhook_url, content=body, headers=headers)
    except (httpx.HTTPError, UnsafeTarget) as e:
        return failure_of(e)
    return None if answer.is_success else answered(answer.status_code)


def _renew(session, now: datetime, *, follow_up_id: int, worker: str, lease: float) -> bool:
    return renew_lease(session=session, follow_up_id=follow_up_id, worker=worker, at=now, lease_seconds=lease)


def run_once(db: Database, settings: Settings, *, worker: str, client: httpx.Client) -> dict[str, int]:
    """Deliver up to one batch of due follow-ups, claiming each just before it is posted."""
    counts = {"claimed": 0, "delivered": 0, "retry": 0, "failed": 0}
    tried: list[int] = []  # a pass tries each follow-up once, even when its retry is due at once
    for _ in range(settings.worker_batch):
        with db.write() as session:
            claims = claim_due(session=session, worker=worker, at=datetime.now(UTC), limit=1,
                               lease_seconds=settings.worker_lease_seconds, skip=tried)  # fmt: skip
        if not claims:
            break
        [claim] = claims
        tried.append(claim.id)
        if claim.webhook_secret is None:  # a team made before signing existed: give it its secret
            with db.write() as session:
                secret = repo.webhook_secret(session=session, team_id=claim.team_id)
            claim = claim.model_copy(update={"webhook_secret": secret})
        counts["claimed"] += 1
        renew = functools.partial(
            _renew, follow_up_id=claim.id, worker=worker, lease=settings.worker_lease_seconds
        )
        with lease_kept(db, renew, what=f"follow-up {claim.id}", lease_seconds=settings.worker_lease_seconds):
            error = deliver(client, claim, worker)
        with db.write() as session:
            status = finish_delivery(
                session=session, follow_up_id=claim.id, worker=worker, at=datetime.now(UTC), error=error,
                max_attempts=settings.webhook_max_attempts, backoff_seconds=settings.webhook_backoff_seconds,
            )  # fmt: skip
        outcome = {"delivered": "delivered", "scheduled": "retry", "failed": "failed"}.get(status or "")
        if outcome:
            counts[outcome] += 1
        log.info("follow-up %s attempt %s: %s", claim.id, claim.attempt, status or "claim lost")
    return counts


THEMES_EVERY = 60.0  # seconds between passes of the theme job (assign new incidents, refit teams due)


def run_theme_jobs(db: Database) -> dict[str, int]:
    """The theme job: new incidents put under their team's themes, due teams refitted
    (``heard.insights.stored_themes``); a failure is logged and left for the next pass."""
    from heard.insights.stored_themes import refit_due_themes

    try:
        return refit_due_themes(db)
    except Exception:  # a theme refit must never stop follow-ups from going out
        log.exception("theme job failed")
        return {"assigned": 0, "refitted": 0}


def client_for(settings: Settings) -> httpx.Client:
    """The HTTP client of the worker: no redirects, no proxies, public addresses only."""
    return httpx.Client(
        transport=GuardedTransport(settings.allowed_webhook_hosts()),
        timeout=settings.webhook_timeout_seconds,
        follow_redirects=False,
        trust_env=False,
    )


def run(settings: Settings, *, once: bool = False, stop_after_idle: float | None = None) -> dict[str, int]:
    """Deliver until stopped (Ctrl-C); ``once``: one pass; ``stop_after_idle``: stop after so many
    seconds with nothing to do."""
    db = Database.connect(settings.url())
    vault = vault_for(settings.secrets_key, settings.data_dir)
    worker = worker_name()
    totals = {"claimed": 0, "delivered": 0, "retry": 0, "failed": 0}
    idle_since = time.monotonic()
    themes_at = 0.0
    try:
        with client_for(settings) as client:
            while True:
                counts = run_once(db, settings, worker=worker, client=client)
                sent = deliver_notes(db, settings, vault, worker=worker, client=client)
                counts = counts | {"claimed": counts["claimed"] + sent["claimed"]}
                if once or time.monotonic() - themes_at >= THEMES_EVERY:
                    run_theme_jobs(db)
                    themes_at = time.monotonic()
                totals = {k: totals[k] + counts[k] for k in totals}
                if once:
                    return totals
                if counts["claimed"]:
                    idle_since = time.monotonic()
                    continue
                if stop_after_idle is not None and time.monotonic() - idle_since > stop_after_idle:
                    return totals
                time.sleep(settings.worker_poll_seconds)
    finally:
        db.dispose()
