"""Open311 GeoReport v2 for complaints: our 11 categories as services, POST a report, follow it.

Spec: http://wiki.open311.org/GeoReport_v2/ (frozen). What this endpoint does with it:

* `discovery.{json,xml}` is the Service Discovery file the spec requires beside the API.
* One jurisdiction: `jurisdiction_id` is ignored, as the spec allows for single-jurisdiction
  endpoints. JSON and XML, chosen only by the ``.json`` / ``.xml`` suffix.
* Services are `ComplaintCategory`; `metadata` is true because the service definition offers
  optional attributes (the reported unit, the bureau, since when, reply and reward wishes).
* POST is validated by `SubmissionForm`, the web form's own validation, then filed by
  `services.submit`. It answers with a **token** (the complaint's tracking code), so services are
  of type ``batch``: the spec forbids returning both a token and a service_request_id, and
  ``tokens/{token}`` turns the token into the service_request_id (the public case number).
  The token is the reporter's secret: whoever holds it may rate the reply on the web.
* `media_url` is accepted and ignored: the server has no internet egress and never fetches remote
  media. `api_key`, `device_id` and `account_id` are ignored; public POSTs are throttled per
  client address instead of keyed.

Privacy. GET requests returns **public-safe fields only**: the case number, open/closed, the
stage in plain language (`progress`), the category, the bureau and the dates. Never the
description, the address, the coordinates or media, the tracking code, the reporter, or who
handles it inside which unit: a neighbour's noise complaint with an address and a date
identifies the reporter to the neighbour. The spec lists description/address/lat/long in the
response but a server may leave out what it does not publish; clients that need the place
must ask the reporter, not us.

Errors use the spec's shape, ``[{"code": 400, "description": "…"}]`` (``<errors><error>`` in XML):
404 for an unknown service_code, service_request_id or token, 429 when throttled, 400 otherwise.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, BaseThrottle
from rest_framework.views import APIView

from enforcement.complaints import progress
from enforcement.complaints.duplicates import root_of
from enforcement.complaints.services import normalise_tracking_code, submit
from enforcement.complaints.submission import SubmissionForm, bureau_choices
from enforcement.models import Complaint, ComplaintCategory, ComplaintState, IntakeChannel
from workflow import calendar
from workflow.models.case import CaseState
from workflow.transitions import TransitionError

#: At most this many requests in one GET requests answer, and at most this span (spec).
MAX_REQUESTS = 1000
MAX_SPAN = dt.timedelta(days=90)

#: Stages after which nothing more will be done: the spec's ``closed`` ("it has been resolved").
CLOSED_STAGES = {progress.Stage.CLOSED, progress.Stage.NOT_ACCEPTED, progress.Stage.REDIRECTED}
CLOSED_STATES = [CaseState.CLOSED, ComplaintState.NOT_ACCEPTED, ComplaintState.REDIRECTED]

SERVICE_GROUP = gettext_lazy("生态环境")
SERVICES: dict[str, tuple[Promise, Promise]] = {
    ComplaintCategory.AIR: (
        gettext_lazy("工厂、锅炉、车辆等排放废气、黑烟，焚烧垃圾或秸秆。"),
        gettext_lazy("废气,黑烟,烟尘,焚烧,大气污染"),
    ),
    ComplaintCategory.WATER: (
        gettext_lazy("向河流、湖泊、沟渠偷排废水，水体变色、发臭或死鱼。"),
        gettext_lazy("废水,排污口,偷排,黑臭水体,水污染"),
    ),
    ComplaintCategory.NOISE: (
        gettext_lazy("工业生产、建筑施工、社会生活等噪声扰民，尤其是夜间施工。"),
        gettext_lazy("噪声,夜间施工,扰民,振动"),
    ),
    ComplaintCategory.SOLID_WASTE: (
        gettext_lazy("倾倒、堆放工业固体废物、危险废物或建筑垃圾。"),
        gettext_lazy("固废,危废,倾倒,堆放,建筑垃圾"),
    ),
    ComplaintCategory.SOIL: (
        gettext_lazy("土壤被污染，农田、场地受到废渣、废液影响。"),
        gettext_lazy("土壤污染,农田,场地,废渣"),
    ),
    ComplaintCategory.RADIATION: (
        gettext_lazy("放射源、射线装置或电磁辐射设施的安全问题。"),
        gettext_lazy("辐射,放射源,电磁,基站"),
    ),
    ComplaintCategory.ECOLOGY: (
        gettext_lazy("破坏植被、湿地、自然保护地，非法采砂采矿。"),
        gettext_lazy("生态破坏,植被,湿地,保护区,采砂"),
    ),
    ComplaintCategory.CATERING_FUMES: (
        gettext_lazy("餐馆、食堂等油烟直排或净化设施不运行。"),
        gettext_lazy("油烟,餐饮,饭店,烧烤"),
    ),
    ComplaintCategory.DUST: (
        gettext_lazy("工地、料场、道路运输等未采取防尘措施。"),
        gettext_lazy("扬尘,工地,渣土车,料场"),
    ),
    ComplaintCategory.ODOUR: (
        gettext_lazy("垃圾站、养殖场、化工企业等散发异味、臭气。"),
        gettext_lazy("恶臭,异味,臭气,养殖"),
    ),
    ComplaintCategory.OTHER: (
        gettext_lazy("其他生态环境问题。"),
        gettext_lazy("其他,环境问题"),
    ),
}
MEDIA_NOTE = gettext_lazy("本接口不下载 media_url 指向的远程文件；照片请通过网上投诉页面上传。")

#: The optional attributes of every service: (code, datatype, description).
ATTRIBUTES: list[tuple[str, str, Promise]] = [
    ("target_name", "string", gettext_lazy("被反映单位名称")),
    ("target_uscc", "string", gettext_lazy("被反映单位统一社会信用代码（18位）")),
    ("target_address", "string", gettext_lazy("被反映单位地址")),
    ("jurisdiction", "singlevaluelist", gettext_lazy("所在区县（不清楚可不填，由市局分办）")),
    ("since", "datetime", gettext_lazy("问题开始时间")),
    ("ongoing", "singlevaluelist", gettext_lazy("问题是否仍在持续")),
    ("anonymous", "singlevaluelist", gettext_lazy("匿名反映（不留姓名和联系方式）")),
    ("wants_reply", "singlevaluelist", gettext_lazy("是否需要答复")),
    ("wants_reward", "singlevaluelist", gettext_lazy("申请举报奖励（仅限实名）")),
    ("id_number", "string", gettext_lazy("身份证号码（仅申请举报奖励时需要）")),
]

#: Form field → the Open311 parameter a client sent it as (for error descriptions).
PARAMETERS = {
    "category": "service_code",
    "location": "address_string",
    "latitude": "lat",
    "longitude": "long",
    "description": "description",
    "name": "last_name",
    "phone": "phone",
    "email": "email",
    **{code: f"attribute[{code}]" for code, _datatype, _text in ATTRIBUTES},
}
TRUE = {"true", "1", "yes", "on"}


# --- errors, formats -------------------------------------------------------------------------


class Open311Error(Exception):
    """An answer in the spec's error format: the HTTP status and one description per error."""

    def __init__(self, status: int, descriptions: list[str]) -> None:
        super().__init__(status, descriptions)
        self.status = status
        self.descriptions = descriptions


def _not_found(description: str) -> Open311Error:
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
            element.text = str(value)


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


class ClientAddressThrottle(AnonRateThrottle):
    """Counts per client address as the server saw it. DRF would take a client-supplied
    X-Forwarded-For unless NUM_PROXIES is set, and a new header per request would dodge the
    limit; a proxy in front sets REMOTE_ADDR (or the operator sets NUM_PROXIES)."""

    def get_ident(self, request: Request) -> str:
        if api_settings.NUM_PROXIES is not None:
            return str(super().get_ident(request))
        return str(request.META.get("REMOTE_ADDR") or "unknown")


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


# --- discovery, services ---------------------------------------------------------------------

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
#: When this endpoint's behaviour last changed (Service Discovery's changeset).
CHANGESET = "2026-11-25T00:00:00+08:00"


class Discovery(Open311View):
    """Service Discovery, which GeoReport v2 requires beside the API: where and in what formats."""

    root = "discovery"

    def get(self, request: Request, format: str | None = None) -> Response:
        base = str(settings.ECOLOOP_PUBLIC_BASE_URL).rstrip("/")
        return Response(
            {
                "changeset": CHANGESET,
                "contact": _("生态环境局信访投诉受理窗口"),
                "key_service": _("无需 API 密钥；公开提交按客户端地址限流。"),
                "endpoints": [
                    {
                        "specification": SPECIFICATION,
                        "url": f"{base}/open311/v2",
                        "changeset": CHANGESET,
                        "type": "production",
                        "formats": ["text/xml", "application/json"],
                    }
                ],
            }
        )


def _service(code: str) -> dict[str, Any]:
    description, keywords = SERVICES[code]
    return {
        "service_code": code,
        "service_name": str(ComplaintCategory(code).label),
        "description": f"{description}{MEDIA_NOTE}",
        "metadata": True,
        "type": "batch",
        "keywords": str(keywords),
        "group": str(SERVICE_GROUP),
    }


def _yes_no() -> list[dict[str, str]]:
    return [{"key": "true", "name": _("是")}, {"key": "false", "name": _("否")}]


def _definition(code: str) -> dict[str, Any]:
    attributes = []
    for order, (name, datatype, text) in enumerate(ATTRIBUTES, start=1):
        attribute: dict[str, Any] = {
            "variable": True,
            "code": name,
            "datatype": datatype,
            "required": False,
            "datatype_description": _("日期，如 2026-06-01") if datatype == "datetime" else None,
            "order": order,
            "description": str(text),
        }
        if name == "jurisdiction":
            attribute["values"] = [{"key": u.code, "name": u.name} for u in bureau_choices()]
        elif datatype == "singlevaluelist":
            attribute["values"] = _yes_no()
        attributes.append(attribute)
    return {"service_code": code, "attributes": attributes}


class ServiceList(Open311View):
    root = "services"

    def get(self, request: Request, format: str | None = None) -> Response:
        return Response([_service(code) for code in ComplaintCategory.values])


class ServiceDefinition(Open311View):
    root = "service_definition"

    def get(self, request: Request, service_code: str, format: str | None = None) -> Response:
        if service_code not in ComplaintCategory.values:
            raise _not_found(
                _("service_code：没有编码为 %(code)s 的服务。") % {"code": service_code}
            )
        return Response(_definition(service_code))


# --- service requests: the public-safe row ---------------------------------------------------


def _w3(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return timezone.localtime(moment, calendar.SHANGHAI).isoformat(timespec="seconds")


def _row(
    complaint: Complaint,
    *,
    root: Complaint,
    stage: str,
    updated_at: dt.datetime,
    due_date: dt.date | None,
) -> dict[str, Any]:
    """One request, public-safe fields only (see the module docstring for why)."""
    closed = stage in CLOSED_STAGES
    if closed and root.closed_at is not None:
        updated_at = root.closed_at  # the spec: for closed requests, the date it was closed
    expected = None
    if due_date is not None and not closed:
        expected = dt.datetime.combine(due_date, dt.time(23, 59, 59), tzinfo=calendar.SHANGHAI)
    return {
        "service_request_id": complaint.case_no,
        "status": "closed" if closed else "open",
        "status_notes": str(progress.STAGE_LABELS[stage]),
        "service_name": complaint.get_category_display(),
        "service_code": complaint.category,
        "agency_responsible": complaint.jurisdiction.name,
        "requested_datetime": _w3(complaint.received_at),
        "updated_datetime": _w3(updated_at),
        "expected_datetime": _w3(expected),
    }


def _detail_row(complaint: Complaint, *, now: dt.datetime) -> dict[str, Any]:
    public = progress.public_progress(complaint, now=now)
    root = root_of(complaint) if public.merged else complaint
    return _row(
        complaint,
        root=root,
        stage=public.stage,
        updated_at=public.updated_at,
        due_date=public.due_date,
    )


def _list_row(complaint: Complaint) -> dict[str, Any]:
    """The same derivation as `progress.public_progress` (stage of the original a merged
    complaint joined, its update time and 办结期限) without the step timeline, which Open311 has
    no field for and which would cost a query per row."""
    root = complaint
    if complaint.state == ComplaintState.MERGED and complaint.merged_into is not None:
        root = complaint.merged_into
        if root.merged_into_id is not None:
            root = root_of(root)
    return _row(
        complaint,
        root=root,
        stage=progress.STATE_STAGES.get(root.state, progress.Stage.HANDLING),
        updated_at=max(complaint.updated_at, root.updated_at),
        due_date=root.handle_due,
    )


def _public_requests() -> QuerySet[Complaint]:
    return Complaint.objects.select_related("jurisdiction", "merged_into").order_by(
        "-received_at", "-pk"
    )


class ServiceRequestDetail(Open311View):
    def get(self, request: Request, service_request_id: str, format: str | None = None) -> Response:
        complaint = _public_requests().filter(case_no=service_request_id).first()
        if complaint is None:
            raise _not_found(
                _("service_request_id：没有编号为 %(id)s 的投诉。") % {"id": service_request_id}
            )
        return Response([_detail_row(complaint, now=timezone.now())])


class TokenLookup(Open311View):
    throttle_classes = [Open311LookupThrottle]

    def get(self, request: Request, token: str, format: str | None = None) -> Response:
        code = normalise_tracking_code(token)
        complaint = Complaint.objects.filter(tracking_code=code).only("case_no").first()
        if not code or complaint is None:
            raise _not_found(_("token：查询码不存在，请核对后重试。"))
        return Response([{"service_request_id": complaint.case_no, "token": code}])


def _split(params: QueryDict, name: str) -> list[str]:
    values = []
    for raw in params.getlist(name):
        values += [v.strip() for v in raw.split(",") if v.strip()]
    return values


def _moment(params: QueryDict, name: str, *, end: bool = False) -> dt.datetime | None:
    """A w3 datetime (a bare date is its day's start, or its end for end_date; a moment without
    an offset is Beijing time)."""
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw.replace(" ", "+"))  # a "+" sent unencoded arrives as a space
        day = None if moment else parse_date(raw)
    except ValueError:
        moment = day = None
    if day is not None:
        return calendar.end_of_day(day) if end else _start_of(day)
    if moment is None:
        raise Open311Error(
            400,
            [
                _("%(name)s：请使用 W3C 日期时间格式，如 2026-06-01T00:00:00+08:00。")
                % {"name": name}
            ],
        )
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, calendar.SHANGHAI)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=calendar.SHANGHAI)


def _filtered(params: QueryDict, *, now: dt.datetime) -> QuerySet[Complaint]:
    """GET requests' arguments, as the spec reads them."""
    requests = _public_requests()
    ids = _split(params, "service_request_id")
    if ids:  # "This overrides all other arguments."
        return requests.filter(case_no__in=ids[:MAX_REQUESTS])
    errors = []
    codes = _split(params, "service_code")
    unknown = [c for c in codes if c not in ComplaintCategory.values]
    if unknown:
        errors.append(
            _("service_code：没有编码为 %(code)s 的服务。") % {"code": ", ".join(unknown)}
        )
    statuses = set(_split(params, "status"))
    if statuses - {"open", "closed"}:
        errors.append(_("status：只能是 open 或 closed。"))
    start, end = _moment(params, "start_date"), _moment(params, "end_date", end=True)
    if start is None and end is None:
        end = now
    if start is None:
        assert end is not None
        start = end - MAX_SPAN
    if end is None:
        end = start + MAX_SPAN
    if end < start:
        errors.append(_("end_date：不能早于 start_date。"))
    elif end - start > MAX_SPAN:
        errors.append(_("start_date、end_date：查询范围不能超过90天。"))
    if errors:
        raise Open311Error(400, errors)
    requests = requests.filter(received_at__gte=start, received_at__lte=end)
    if codes:
        requests = requests.filter(category__in=codes)
    if statuses == {"closed"}:
        requests = requests.filter(_closed_q())
    elif statuses == {"open"}:
        requests = requests.exclude(_closed_q())
    return requests


def _closed_q() -> Q:
    return Q(state__in=CLOSED_STATES) | Q(
        state=ComplaintState.MERGED, merged_into__state__in=CLOSED_STATES
    )


# --- POST: one report, validated like the web form -------------------------------------------


def _form_data(params: QueryDict) -> tuple[dict[str, Any], list[str]]:
    """The POST's fields as `SubmissionForm` data, and the errors only Open311 can have."""

    def text(name: str) -> str:
        return str(params.get(name, "")).strip()

    def attribute(code: str) -> str:
        return text(f"attribute[{code}]")

    def flag(code: str, default: bool) -> bool:
        value = attribute(code).lower()
        return value in TRUE if value else default

    errors: list[str] = []
    name = f"{text('last_name')}{text('first_name')}"  # 姓 then 名
    phone, email = text("phone"), text("email")
    lat, long = text("lat"), text("long")
    location = text("address_string")
    if not location:
        if lat and long:
            location = _("坐标 %(lat)s, %(long)s") % {"lat": lat, "long": long}
        elif text("address_id"):
            errors.append(_("address_id：本接口没有地址库，请改用 address_string 或 lat、long。"))
        else:
            errors.append(
                _("address_string：请提供问题发生地点（address_string）或坐标（lat 和 long）。")
            )
    jurisdiction = attribute("jurisdiction")
    if jurisdiction:
        unit = bureau_choices().filter(code=jurisdiction).first()
        jurisdiction = str(unit.pk) if unit else jurisdiction
    since = attribute("since").split("T")[0]
    data = {
        "category": text("service_code"),
        "target_name": attribute("target_name"),
        "target_uscc": attribute("target_uscc"),
        "target_address": attribute("target_address"),
        "jurisdiction": jurisdiction,
        "location": location,
        "latitude": lat,
        "longitude": long,
        "description": text("description"),
        "since": since,
        "ongoing": flag("ongoing", True),
        "anonymous": flag("anonymous", False) or not (name or phone or email),
        "name": name,
        "phone": phone,
        "email": email,
        "id_number": attribute("id_number"),
        "wants_reply": flag("wants_reply", True),
        "wants_reward": flag("wants_reward", False),
    }
    return data, errors


def _form_errors(form: SubmissionForm) -> list[str]:
    described = []
    for field, messages in form.errors.items():
        prefix = f"{PARAMETERS.get(field, field)}：" if field != "__all__" else ""
        described += [f"{prefix}{message}" for message in messages]
    return described


class ServiceRequests(Open311View):
    """GET: public-safe status of many requests. POST: file one report."""

    def get_throttles(self) -> list[BaseThrottle]:
        return [Open311PostThrottle()] if self.request.method == "POST" else []

    def get(self, request: Request, format: str | None = None) -> Response:
        now = timezone.now()
        requests = list(_filtered(request.query_params, now=now)[:MAX_REQUESTS])
        rows = [_list_row(c) for c in requests]
        wanted = set(_split(request.query_params, "status"))
        if wanted and not _split(request.query_params, "service_request_id"):
            rows = [r for r in rows if r["status"] in wanted]
        return Response(rows)

    def post(self, request: Request, format: str | None = None) -> Response:
        params = request.data
        assert isinstance(params, QueryDict)
        code = str(params.get("service_code", "")).strip()
        if not code:
            raise Open311Error(400, [_("service_code：请提供 service_code。")])
        if code not in ComplaintCategory.values:
            raise _not_found(_("service_code：没有编码为 %(code)s 的服务。") % {"code": code})
        now = timezone.now()
        data, errors = _form_data(params)
        form = SubmissionForm(data, now=now)
        form.is_valid()
        if errors:
            form.errors.pop("location", None)
        errors += _form_errors(form)
        if errors:
            raise Open311Error(400, errors)
        try:
            complaint = submit(
                form.submission(channel=IntakeChannel.OPEN311), form.identity(), now=now
            )
        except TransitionError as error:
            described = [
                f"{PARAMETERS.get(f, f)}：{m}" for f, ms in error.errors.items() for m in ms
            ]
            raise Open311Error(400, described or [str(error.message)]) from error
        notice = _("%(received)s请凭 token（查询码）查询办理进度和评价答复，请勿告诉他人。") % {
            "received": progress.STAGE_EXPLANATIONS[progress.Stage.RECEIVED]
        }
        return Response(
            [{"token": complaint.tracking_code, "service_notice": notice}],
            status=status.HTTP_201_CREATED,
        )
