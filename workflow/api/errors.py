"""DRF's error answers in the API's one shape: `{"detail": …}` with, for invalid input, the
fields' messages under `"errors"` (the shape a refused transition has too)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.ValidationError):
        return response
    errors = (
        response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
    )
    response.data = {"detail": _("请求内容有误，请检查后重试。"), "errors": errors}
    return response
