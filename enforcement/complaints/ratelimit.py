"""A per-client limit on the public pages (the form's POST, the tracking-code lookups).

A fixed window counted in the cache: the first hit of a window creates its counter, every hit
increments it atomically (`cache.incr` is atomic on Redis, LocMem and the database cache), and
the counter expires with its window. django-ratelimit refuses the database cache the embedded
mode runs on (reference/ecosystem.md §11), and the DRF throttles of the Open311 API read the
same settings through `parse_rate`.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest

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


def allow(request: HttpRequest, scope: str, rate: str) -> bool:
    """Count one hit of this client on `scope`; False once it is over `rate` in this window."""
    limit, seconds = parse_rate(rate)
    window = int(time.time() // seconds)
    key = f"ratelimit:{scope}:{client_of(request)}:{window}"
    # add() is a no-op when the counter exists; the timeout outlives the window slightly so a
    # counter never vanishes before the window ends.
    cache.add(key, 0, timeout=seconds + 1)
    try:
        hits = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=seconds + 1)
        hits = 1
    return hits <= limit
