"""Refuse a request body over `ECOLOOP_MAX_REQUEST_BYTES` by its Content-Length, before it is read,
and one that declares a charset no text is written in.

Django reads a multipart body into temporary files as it parses it, so without this an anonymous
client could make a process stream gigabytes to disk before any form sees a field. The answer is
a 413 in the format the client speaks: the GeoReport list for Open311, DRF's `{"detail": …}` for
the JSON API, the error page for a browser. A proxy in front (nginx's `client_max_body_size`)
should refuse earlier still; a chunked body with no Content-Length is left to Django's own
per-field limits.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from workflow.errors import for_machines


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if not _text_encoding(request.encoding):
            # Django would decode the body with it and fail inside the form (`charset=rot13`).
            message = _("请求声明的字符集“%(charset)s”不是文本编码，请使用 UTF-8。") % {
                "charset": request.encoding
            }
            return for_machines(request, 400, message) or render(
                request, "400.html", {"message": message}, status=400
            )
        limit = int(settings.ECOLOOP_MAX_REQUEST_BYTES)
        if length <= limit:
            return self.get_response(request)
        message = _("提交的内容共 %(size)s，超过了 %(limit)s 的上限，请减少附件后重试。") % {
            "size": filesizeformat(length),
            "limit": filesizeformat(limit),
        }
        response = _too_large(request, message)
        # The body was not read: the connection cannot carry another request after it.
        response["Connection"] = "close"
        return response


def _text_encoding(name: str | None) -> bool:
    if not name:
        return True
    try:
        return bool(codecs.lookup(name)._is_text_encoding)
    except LookupError:
        return False


def _too_large(request: HttpRequest, message: str) -> HttpResponse:
    answer = for_machines(request, 413, message)
    if answer is not None:
        return answer
    return render(request, "413.html", {"message": message}, status=413)
