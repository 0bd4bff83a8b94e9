"""Keep a queue claim alive while its delivery runs (follow-ups and helpdesk notes alike).

A worker holds a claim under a lease; a slow receiver must not let the lease run out while the
post is still going, or another worker would claim it and deliver it twice. ``lease_kept``
renews the lease every third of its length until the block ends; a renewal that fails on a
database hiccup is tried again next beat (the lease still runs), and one that finds the claim
lost stops renewing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from heard.store import Database

log = logging.getLogger("heard.worker")


@contextmanager
def lease_kept(
    db: Database, renew: Callable[[Session, datetime], bool], *, what: str, lease_seconds: float
) -> Iterator[None]:
    """Call ``renew(session, now)`` (True while the claim is held) every third of
    ``lease_seconds`` until the block ends; ``what`` names the claim in the log."""
    done = threading.Event()

    def heartbeat() -> None:
        while not done.wait(lease_seconds / 3):
            try:
                with db.write() as session:
                    held = renew(session, datetime.now(UTC))
            except Exception:  # a database hiccup: the lease still runs; try next beat
                log.warning("%s: lease renewal failed", what, exc_info=True)
                continue
            if not held:
                log.warning("%s: claim lost while delivering", what)
                return

    beat = threading.Thread(target=heartbeat, name=f"lease-{what}", daemon=True)
    beat.start()
    try:
        yield
    finally:
        done.set()
        beat.join()
