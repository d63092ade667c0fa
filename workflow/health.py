"""`GET /healthz/`: is this process able to serve? Answered before every other middleware.

A container probe comes from inside (Host: 127.0.0.1, plain HTTP), so it must not meet the host
check or the HTTPS redirect; and it must fail when the database does, which a login page that
renders from the session alone would not show.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse

PATH = "/healthz/"
logger = logging.getLogger(__name__)


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
            return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
        response = JsonResponse({"status": "ok", "database": "up"})
        response["Cache-Control"] = "no-store"
        return response
