"""Open311 GeoReport v2 service requests: POST one report (validated like the web form), and the
public-safe rows of GET requests, requests/{id} and tokens/{token}."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from enforcement.complaints import progress
from enforcement.complaints.duplicates import root_of
from enforcement.complaints.open311.catalogue import PARAMETERS, TRUE
from enforcement.complaints.open311.protocol import (
    Open311Error,
    Open311LookupThrottle,
    Open311PostThrottle,
    Open311View,
    not_found,
)
from enforcement.complaints.services import normalise_tracking_code, submit
from enforcement.complaints.submission import SubmissionForm, bureau_choices
from enforcement.models import Complaint, ComplaintCategory, ComplaintState, IntakeChannel
from workflow import calendar
from workflow.models.case import CaseState
from workflow.transitions import TransitionError

#: At most this many requests in one GET requests answer, and at most this span (spec).
MAX_REQUESTS = 1000
MAX_SPAN = dt.timedelta(days=90)
#: Dates a query may name: a span of 90 days around them never leaves the calendar.
MIN_YEAR, MAX_YEAR = 1900, 2999

#: Stages after which nothing more will be done: the spec's ``closed`` ("it has been resolved").
CLOSED_STAGES = {progress.Stage.CLOSED, progress.Stage.NOT_ACCEPTED, progress.Stage.REDIRECTED}
CLOSED_STATES = [CaseState.CLOSED, ComplaintState.NOT_ACCEPTED, ComplaintState.REDIRECTED]

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
            raise not_found(
                _("service_request_id：没有编号为 %(id)s 的投诉。") % {"id": service_request_id}
            )
        return Response([_detail_row(complaint, now=timezone.now())])


class TokenLookup(Open311View):
    throttle_classes = [Open311LookupThrottle]

    def get(self, request: Request, token: str, format: str | None = None) -> Response:
        code = normalise_tracking_code(token)
        complaint = Complaint.objects.filter(tracking_code=code).only("case_no").first()
        if not code or complaint is None:
            raise not_found(_("token：查询码不存在，请核对后重试。"))
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
    named: dt.date | None = day or moment
    if named is not None and not MIN_YEAR <= named.year <= MAX_YEAR:
        raise Open311Error(
            400,
            [
                _("%(name)s：日期须在 %(min)d 年至 %(max)d 年之间。")
                % {"name": name, "min": MIN_YEAR, "max": MAX_YEAR}
            ],
        )
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


def _described(field: str, message: object) -> str:
    """An error as the spec's description: the parameter it concerns, then the message."""
    if field == "__all__":
        return str(message)
    return _("%(parameter)s：%(message)s") % {
        "parameter": PARAMETERS.get(field, field),
        "message": message,
    }


def _form_errors(form: SubmissionForm) -> list[str]:
    described = []
    for field, messages in form.errors.items():
        described += [_described(field, message) for message in messages]
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
        # An empty body (no content type) parses as {}: the same as a form without fields.
        params = request.data if isinstance(request.data, QueryDict) else QueryDict()
        code = str(params.get("service_code", "")).strip()
        if not code:
            raise Open311Error(400, [_("service_code：请提供 service_code。")])
        if code not in ComplaintCategory.values:
            raise not_found(_("service_code：没有编码为 %(code)s 的服务。") % {"code": code})
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
            described = [_described(f, m) for f, ms in error.errors.items() for m in ms]
            raise Open311Error(400, described or [str(error.message)]) from error
        notice = _("%(received)s请凭 token（查询码）查询办理进度和评价答复，请勿告诉他人。") % {
            "received": progress.STAGE_EXPLANATIONS[progress.Stage.RECEIVED]
        }
        return Response(
            [{"token": complaint.tracking_code, "service_notice": notice}],
            status=status.HTTP_201_CREATED,
        )
