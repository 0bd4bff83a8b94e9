"""``heard worker``: deliver due follow-ups to each team's webhook, with retries and backoff.

One pass claims a batch (``store.jobs.claim_due``), posts each follow-up as JSON, and records
the outcome (``finish_delivery``). A 2xx answer is a delivery; anything else, a timeout or a
refused connection is retried after ``webhook_backoff_seconds``, doubling each time, until
``webhook_max_attempts``. The receiver sees a ``Heard-Delivery`` header (the follow-up's id
and attempt) to drop repeats. Message texts are never logged.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from datetime import UTC, datetime

import httpx

from heard._version import __version__
from heard.settings import Settings
from heard.store import Database
from heard.store.jobs import Claim, claim_due, finish_delivery

log = logging.getLogger("heard.worker")


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


def deliver(client: httpx.Client, claim: Claim, worker: str) -> str | None:
    """Post one follow-up; None when the receiver took it, else what went wrong."""
    headers = {"Heard-Delivery": f"follow-up-{claim.id}", "Heard-Attempt": str(claim.attempt),
               "Heard-Worker": worker, "User-Agent": f"heard/{__version__}"}  # fmt: skip
    try:
        answer = client.post(claim.webhook_url, json=payload(claim), headers=headers)
    except httpx.HTTPError as e:
        return f"{type(e).__name__}: {e}"[:500]
    return None if answer.is_success else f"the webhook answered {answer.status_code}"


def run_once(db: Database, settings: Settings, *, worker: str, client: httpx.Client) -> dict[str, int]:
    """Claim and deliver one batch of due follow-ups; counts by outcome."""
    with db.write() as session:
        claims = claim_due(session=session, worker=worker, at=datetime.now(UTC), limit=settings.worker_batch)
    counts = {"claimed": len(claims), "delivered": 0, "retry": 0, "failed": 0}
    for claim in claims:
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


def run(settings: Settings, *, once: bool = False, stop_after_idle: float | None = None) -> dict[str, int]:
    """Deliver until stopped (Ctrl-C); ``once``: one pass; ``stop_after_idle``: stop after so many
    seconds with nothing to do."""
    db = Database.connect(settings.url())
    worker = worker_name()
    totals = {"claimed": 0, "delivered": 0, "retry": 0, "failed": 0}
    idle_since = time.monotonic()
    themes_at = 0.0
    try:
        with httpx.Client(timeout=settings.webhook_timeout_seconds) as client:
            while True:
                counts = run_once(db, settings, worker=worker, client=client)
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
