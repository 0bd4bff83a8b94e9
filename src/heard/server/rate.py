"""Per-key rate limits: a token bucket for each API key, in the server process.

Each key may make ``per_minute`` requests a minute, in bursts of up to that many; past that
the API answers 429 with ``Retry-After``. With several server processes each keeps its own
buckets, so the team's effective limit is per process (docs/settings.md says so).
"""

from __future__ import annotations

import math
import threading
import time

from heard.errors import RateLimited


class RateLimits:
    """Token buckets by key digest; ``per_minute`` 0 turns limiting off."""

    def __init__(self, per_minute: int, *, clock=time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # digest -> (tokens, when)
        self._lock = threading.Lock()

    def take(self, digest: str) -> None:
        """Spend one request of this key's allowance, or raise :class:`RateLimited`."""
        if self.per_minute <= 0:
            return
        rate = self.per_minute / 60.0
        with self._lock:
            now = self._clock()
            tokens, then = self._buckets.get(digest, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - then) * rate)
            if tokens < 1.0:
                self._buckets[digest] = (tokens, now)
                wait = math.ceil((1.0 - tokens) / rate)
                raise RateLimited(
                    f"this API key made more than {self.per_minute} requests a minute; wait {wait} s "
                    "(Retry-After) and send fewer, or ask the admin to raise HEARD_RATE_LIMIT_PER_MINUTE",
                    retry_after=wait,
                )
            if len(self._buckets) > 100_000:  # keys seen long ago refill anyway: forget them
                self._buckets.clear()
            self._buckets[digest] = (tokens - 1.0, now)
