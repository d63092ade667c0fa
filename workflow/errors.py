"""Errors in the format the client speaks, for answers Django gives before any view does (an
unknown URL, a body over the size limit).

A browser gets the site's error page. A client of the JSON API gets DRF's `{"detail": …}`, one of
Open311 GeoReport v2 the spec's error list (`[{"code", "description"}]`, or its XML for a `.xml`
path). The paths are the project's mount points (config/urls.py); the engine names them here
without importing the app that serves Open311.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

OPEN311_PREFIX = "/open311/"
API_PREFIX = "/api/"

#: What XML 1.0 cannot carry at all, escaped or not: C0 controls but tab, LF and CR; U+FFFE/F.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: object) -> str:
    """A value as XML character data: a character XML cannot hold (an error echoing a client's
    control byte) becomes U+FFFD, so the document stays well-formed."""
    return _NOT_XML.sub("\ufffd", str(value))


def for_machines(request: HttpRequest, status: int, message: str) -> HttpResponse | None:
    """The error as an API client reads it, or None when the client is a browser."""
    path = request.path
    if path.startswith(OPEN311_PREFIX) and path.endswith(".xml"):
        root = ET.Element("errors")
        error = ET.SubElement(root, "error")
        ET.SubElement(error, "code").text = str(status)
        ET.SubElement(error, "description").text = xml_text(message)
        body = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")
        return HttpResponse(body, content_type="text/xml; charset=utf-8", status=status)
    if path.startswith(OPEN311_PREFIX):
        return JsonResponse([{"code": status, "description": message}], safe=False, status=status)
    if path.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=status)
    return None


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    """handler404: an unknown URL under the API is a JSON 404, elsewhere the site's page."""
    answer = for_machines(request, 404, _("请求的资源不存在。"))
    if answer is not None:
        return answer
    return defaults.page_not_found(request, exception)
