"""`GET /healthz/`: is this process able to serve? Answered before every other middleware.

A container probe comes from inside (Host: 127.0.0.1, plain HTTP), so it must not meet the host
check or the HTTPS redirect; and it must fail when the database does, which a login page that
renders from the session alone would not show.

It reports the database, the broker and the cache separately. Only the database decides the
code: without it nothing can be stored (503, "unavailable"); without the broker or the cache every
write still succeeds (the outbox and the in-process rate limits take over, docs/operations.md), so
the answer is 200 with "degraded" and the part that is down. The broker and the cache are asked
at most once per `RECHECK` seconds per process, so a probe stays as cheap as a query.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

PATH = "/healthz/"
RECHECK = 5.0
logger = logging.getLogger(__name__)

_checked: dict[str, tuple[float, str]] = {}  # part → (monotonic time, "up" | "down")


def _broker() -> str:
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return "in-process"  # tasks run in the request: there is no broker to be down
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=0, timeout=1)
    return "up"


def _cache() -> str:
    cache.get("ecoloop:healthz")
    return "up"


def _state_of(part: str, check: Callable[[], str]) -> str:
    now = time.monotonic()
    checked_at, state = _checked.get(part, (-RECHECK, ""))
    if now - checked_at < RECHECK:
        return state
    try:
        state = check()
    except Exception:  # any error of a helper service is "down"; the log says which
        logger.warning("health check: the %s does not answer", part, exc_info=True)
        state = "down"
    _checked[part] = (now, state)
    return state


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return JsonResponse({"status": "method not allowed"}, status=405)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            logger.exception("health check: the database does not answer")
            parts = {"status": "unavailable", "database": "down"}
            return JsonResponse(parts | self._helpers(), status=503)
        parts = {"database": "up"} | self._helpers()
        degraded = "down" in parts.values()
        response = JsonResponse({"status": "degraded" if degraded else "ok"} | parts)
        response["Cache-Control"] = "no-store"
        return response

    def _helpers(self) -> dict[str, str]:
        return {"broker": _state_of("broker", _broker), "cache": _state_of("cache", _cache)}
