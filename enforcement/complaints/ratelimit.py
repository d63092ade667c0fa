"""A per-client limit on the public pages (the form's POST, the tracking-code lookups).

A fixed window counted in the cache: the first hit of a window creates its counter, every hit
increments it atomically (`cache.incr` is atomic on Redis, LocMem and the database cache), and
the counter expires with its window. django-ratelimit refuses the database cache the embedded
mode runs on (reference/ecosystem.md §11), and the Open311 API's DRF throttles call `allow`.

The cache is never on the path of a submission's success. When it does not answer (Redis down or
frozen: its socket timeout is 0.1 s, config/settings/base.py) the limit is counted in this
process instead, and the cache is skipped for a few seconds (workflow.breaker), so a person is
still limited, nobody gets a 500, and an outage costs one timeout per process, not one per
request. With N web processes the fallback lets a client through up to N times its rate: a limit
that still limits, never "open for everyone".
"""

from __future__ import annotations

import threading
import time

from django.core.cache import cache
from django.http import HttpRequest

from workflow.breaker import Breaker

#: Open after a failed cache call; meanwhile the limits are counted in `_local`.
cache_breaker = Breaker("the rate-limit cache")
_local: dict[str, tuple[int, float]] = {}  # key → (hits, expires at, monotonic)
_local_lock = threading.Lock()
MAX_LOCAL_KEYS = 10_000

#: The units a rate may be given in ("5/hour", "30/minute", "100/day", "2/10s" is not needed).
PERIODS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}


def parse_rate(rate: str) -> tuple[int, int]:
    """'5/hour' → (5, 3600): how many requests in how many seconds."""
    count, _slash, period = rate.strip().partition("/")
    unit = period.strip().lower()
    if unit.endswith("s") and unit[:-1] in PERIODS:
        unit = unit[:-1]
    if not count.strip().isdigit() or unit not in PERIODS:
        raise ValueError(f"rate must look like '5/hour', not {rate!r}")
    return int(count), PERIODS[unit]


def client_of(request: HttpRequest) -> str:
    """The client a limit counts: its address as the server saw it (a proxy in front sets
    REMOTE_ADDR from its own trusted header; a client-supplied X-Forwarded-For is not trusted)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def allow(request: HttpRequest, scope: str, rate: str, *, client: str | None = None) -> bool:
    """Count one hit of this client (`client`, or its address) on `scope`; False once it is over
    `rate` in this window."""
    limit, seconds = parse_rate(rate)
    window = int(time.time() // seconds)
    key = f"ratelimit:{scope}:{client or client_of(request)}:{window}"
    hits = None if cache_breaker.is_open else _count_in_cache(key, seconds)
    if hits is None:
        hits = _count_here(key, seconds)
    return hits <= limit


def retry_after(rate: str) -> int:
    """Seconds until the current window of `rate` ends (a refused client's Retry-After)."""
    _limit, seconds = parse_rate(rate)
    return max(1, seconds - int(time.time()) % seconds)


def _count_in_cache(key: str, seconds: int) -> int | None:
    """The window's hits counted in the shared cache, or None when the cache did not answer."""
    try:
        # add() is a no-op when the counter exists; the timeout outlives the window slightly so
        # a counter never vanishes before the window ends.
        cache.add(key, 0, timeout=seconds + 1)
        try:
            hits = int(cache.incr(key))
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=seconds + 1)
            hits = 1
    except Exception:  # redis' ConnectionError or TimeoutError, the database cache's errors …
        cache_breaker.failed("rate limits are counted per process meanwhile")
        return None
    cache_breaker.succeeded()
    return hits


def _count_here(key: str, seconds: int) -> int:
    """The window's hits counted in this process (the fallback while the cache is out)."""
    now = time.monotonic()
    with _local_lock:
        if len(_local) > MAX_LOCAL_KEYS:  # drop the windows that have ended
            for stale in [k for k, (_h, until) in _local.items() if until <= now]:
                del _local[stale]
        hits, until = _local.get(key, (0, now + seconds + 1))
        _local[key] = (hits + 1, until)
    return hits + 1


def reset_local() -> None:
    """Forget the in-process counts and any cache outage (tests)."""
    with _local_lock:
        _local.clear()
    cache_breaker.reset()
