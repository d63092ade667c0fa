"""A circuit breaker for a helper service (the broker, the cache) that is never on a write's path.

When a call to the service fails, the breaker opens: for `pause` seconds the callers skip the
service and take their fallback at once (the outbox keeps the message, the rate limiter counts in
the process), so an outage costs one timeout per process every few seconds, not one per request.
The first failure of an outage is logged at ERROR with its traceback, the recovery once at
WARNING; the failures in between are silent. A breaker is per process, like the fallback it
guards.
"""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger(__name__)


class Breaker:
    def __init__(self, name: str, *, pause: float = 5.0) -> None:
        self.name = name
        self.pause = pause
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._failing = False

    @property
    def is_open(self) -> bool:
        """True while the callers should skip the service and use their fallback."""
        return time.monotonic() < self._open_until

    def failed(self, what: str) -> None:
        """Record a failed call (from inside its `except` block, for the traceback)."""
        with self._lock:
            self._open_until = time.monotonic() + self.pause
            first = not self._failing
            self._failing = True
        if first:
            logger.exception(
                "%s is not answering: %s (logged once until it answers again; retried every "
                "%g s meanwhile)",
                self.name,
                what,
                self.pause,
            )

    def succeeded(self) -> None:
        """Record a call that worked: the outage, if there was one, is over."""
        if not self._failing:
            return
        with self._lock:
            recovered, self._failing = self._failing, False
            self._open_until = 0.0
        if recovered:
            logger.warning("%s answers again", self.name)

    def reset(self) -> None:
        """Forget any outage (tests)."""
        with self._lock:
            self._open_until = 0.0
            self._failing = False
