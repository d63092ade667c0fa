"""Open311 GeoReport v2: the error format, JSON and XML renderers, suffix negotiation, throttles
and the base view."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from enforcement.complaints import ratelimit
from workflow.errors import xml_text

# --- errors, formats -------------------------------------------------------------------------


class Open311Error(Exception):
    """An answer in the spec's error format: the HTTP status and one description per error."""

    def __init__(self, status: int, descriptions: list[str]) -> None:
        super().__init__(status, descriptions)
        self.status = status
        self.descriptions = descriptions


def not_found(description: str) -> Open311Error:
    return Open311Error(status.HTTP_404_NOT_FOUND, [description])


class Open311JSONRenderer(JSONRenderer):
    charset = "utf-8"


class Open311XMLRenderer(BaseRenderer):
    """The spec's schemaless XML: a root, one element per item, nested lists by their singular."""

    media_type = "text/xml"
    format = "xml"
    charset = "utf-8"
    singular = {
        "services": "service",
        "service_requests": "request",
        "errors": "error",
        "attributes": "attribute",
        "values": "value",
        "endpoints": "endpoint",
        "formats": "format",
    }

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        response = (renderer_context or {}).get("response")
        root_name = getattr(response, "open311_root", "errors")
        root = ET.Element(root_name)
        if isinstance(data, list):
            for item in data:
                self._fill(ET.SubElement(root, self.singular[root_name]), item)
        else:
            self._fill(root, data)
        body = ET.tostring(root, encoding="unicode")
        return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode()

    def _fill(self, element: ET.Element, value: Any) -> None:
        if isinstance(value, dict):
            for key, child in value.items():
                self._fill(ET.SubElement(element, key), child)
        elif isinstance(value, list):
            for child in value:
                self._fill(ET.SubElement(element, self.singular[element.tag]), child)
        elif isinstance(value, bool):
            element.text = "true" if value else "false"
        elif value is not None:
            element.text = xml_text(value)


class SuffixNegotiation(DefaultContentNegotiation):
    """The URL's suffix alone picks the format (the spec's rule); an Accept header cannot 406."""

    def select_renderer(
        self, request: Request, renderers: list[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        wanted = format_suffix or "json"
        for renderer in renderers:
            if renderer.format == wanted:
                return renderer, renderer.media_type
        raise Http404


class ClientAddressThrottle(BaseThrottle):
    """Counts per client address as the server saw it, in the public pages' fixed-window
    counter (enforcement.complaints.ratelimit), which keeps limiting when the cache is down.
    DRF would take a client-supplied X-Forwarded-For unless NUM_PROXIES is set, and a new header
    per request would dodge the limit; a proxy in front sets REMOTE_ADDR (or the operator sets
    NUM_PROXIES)."""

    scope = ""

    def get_rate(self) -> str:
        raise NotImplementedError

    def allow_request(self, request: Request, view: APIView) -> bool:
        ident = None if api_settings.NUM_PROXIES is None else self.get_ident(request)
        return ratelimit.allow(request, self.scope, self.get_rate(), client=ident)

    def wait(self) -> float:
        return float(ratelimit.retry_after(self.get_rate()))


class Open311PostThrottle(ClientAddressThrottle):
    """Public reports per client address: settings.ECOLOOP_PUBLIC_SUBMIT_RATE (read per request,
    so an operator's change and a test's override both apply)."""

    scope = "open311_post"

    def get_rate(self) -> str:
        return str(settings.ECOLOOP_PUBLIC_SUBMIT_RATE)


class Open311LookupThrottle(ClientAddressThrottle):
    """Token lookups per client address: a token is unguessable; this stops a scan."""

    scope = "open311_lookup"

    def get_rate(self) -> str:
        return str(settings.ECOLOOP_PUBLIC_LOOKUP_RATE)


@extend_schema(exclude=True)  # documented by the GeoReport v2 spec, not by our OpenAPI schema
class Open311View(APIView):
    """Public (no session, no CSRF), suffix-negotiated, errors in the spec's format."""

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    renderer_classes = [Open311JSONRenderer, Open311XMLRenderer]
    parser_classes = [FormParser, MultiPartParser]
    content_negotiation_class = SuffixNegotiation
    #: The XML root of this view's answers.
    root = "service_requests"

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # A NUL byte can be in no code, id, token or text the service knows, and PostgreSQL
        # refuses it in a query: name the parameter instead of searching for it.
        named = [*kwargs.items(), *request.query_params.lists()]
        if request.method == "POST" and hasattr(request.data, "lists"):
            named += list(request.data.lists())
        for name, values in named:
            if any("\x00" in str(v) for v in (values if isinstance(values, list) else [values])):
                raise Open311Error(
                    status.HTTP_400_BAD_REQUEST,
                    [_("%(name)s：不能包含空字符（\\x00）。") % {"name": name}],
                )

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        if not hasattr(response, "open311_root"):
            response.open311_root = self.root
        return super().finalize_response(request, response, *args, **kwargs)

    def handle_exception(self, exc: Exception) -> Response:
        headers: dict[str, str] = {}
        if isinstance(exc, Open311Error):
            code, descriptions = exc.status, exc.descriptions
        elif isinstance(exc, Http404 | exceptions.NotFound):
            code, descriptions = 404, [_("请求的资源不存在。")]
        elif isinstance(exc, exceptions.Throttled):
            code = status.HTTP_429_TOO_MANY_REQUESTS
            wait = int(exc.wait or 60)
            descriptions = [_("提交过于频繁，请%(s)d秒后再试。") % {"s": wait}]
            headers["Retry-After"] = str(wait)
        elif isinstance(exc, exceptions.MethodNotAllowed):
            code, descriptions = exc.status_code, [str(exc.detail)]
        elif isinstance(exc, RequestDataTooBig):
            code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
            descriptions = [_("请求内容过大，请减少文字或附件后重试。")]
        elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
            code = status.HTTP_400_BAD_REQUEST
            descriptions = [_("请求包含的字段或文件过多。")]
        elif isinstance(exc, exceptions.APIException):
            # The spec: "basically 400 for any other error where the request can not be fulfilled".
            code, descriptions = 400, [str(exc.detail)]
        else:
            return super().handle_exception(exc)
        response = Response(
            [{"code": code, "description": d} for d in descriptions], status=code, headers=headers
        )
        response.open311_root = "errors"
        response.exception = True
        return response
