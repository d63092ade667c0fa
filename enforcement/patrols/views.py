"""巡查's pages, under /enforcement/patrols/: the list with this month's 第一时间响应率, a new
patrol, the patrol page (its findings, each a 即知即改事项 with its limits), a finding, the end."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enforcement.campaigns.services import campaigns_for
from enforcement.models import Patrol, RapidItem
from enforcement.patrols import services
from enforcement.patrols.forms import EndForm, FindingForm, PatrolForm
from enforcement.periods import Period
from workflow import calendar
from workflow.models import Case
from workflow.models.unit import unit_of
from workflow.transitions import TransitionError
from workflow.views.auth import login_required

PHOTO_ACCEPT = "image/*"


def visible_patrol(request: HttpRequest, pk: int) -> Patrol:
    patrol = (
        services.patrols_for(request.user)
        .select_related("region", "unit", "campaign", "created_by")
        .filter(pk=pk)
        .first()
    )
    if patrol is None:
        raise Http404
    return patrol


def month_figures(user: Any) -> list[services.ResponseFigures]:
    now = timezone.now()
    today = calendar.local_date(now)
    cases = Case.objects.visible_to(user)
    return services.period_figures(cases, Period.month(today.year, today.month), now)


@login_required
@require_GET
def patrol_list(request: HttpRequest) -> HttpResponse:
    patrols = services.patrols_for(request.user).select_related("unit", "campaign")
    raw = str(request.GET.get("campaign") or "")
    campaign = None
    if raw.isdigit() and len(raw) < 19:
        campaign = campaigns_for(request.user).filter(pk=int(raw)).first()
        patrols = patrols.filter(campaign_id=int(raw))
    page = Paginator(patrols, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "patrols/list.html",
        {
            "page": page,
            "figures": month_figures(request.user),
            "may_patrol": services.may_patrol(request.user),
            "campaign": campaign,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def patrol_new(request: HttpRequest) -> HttpResponse:
    unit = unit_of(request.user)
    if unit is None or not services.may_patrol(request.user):
        raise PermissionDenied
    form = PatrolForm(request.POST or None, unit=unit)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            patrol = services.start_patrol(
                actor=request.user,
                area=data["area"],
                shift=data["shift"],
                patrollers=data["patrollers"],
                campaign=data["campaign"],
                now=timezone.now(),
            )
            messages.success(request, _("巡查已开始，发现问题请随时登记。"))
            return redirect("enforcement:patrol_detail", pk=patrol.pk)
        return render(request, "console/form_page.html", _form_page(form), status=400)
    return render(request, "console/form_page.html", _form_page(form))


def _form_page(form: PatrolForm) -> dict[str, Any]:
    return {
        "form": form,
        "page_title": _("开始巡查"),
        "back_url": reverse("enforcement:patrols"),
        "back_label": _("巡查记录"),
        "submit_label": _("开始"),
    }


def _detail(
    request: HttpRequest,
    patrol: Patrol,
    *,
    finding: FindingForm | None = None,
    files_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    may_log = patrol.ended_at is None and services.may_patrol(request.user)
    if finding is None and may_log:
        finding = FindingForm(
            patrol=patrol, may_assign=services.may_assign(request.user, patrol.region)
        )
    findings = patrol.findings.select_related("place", "case__responsible_unit")
    visible = set(
        Case.objects.visible_to(request.user)
        .filter(pk__in=[f.case_id for f in findings])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "patrols/detail.html",
        {
            "patrol": patrol,
            "findings": [(f, f.case_id in visible) for f in findings],
            "finding_form": finding if may_log else None,
            "end_form": EndForm() if may_log else None,
            "photo_accept": PHOTO_ACCEPT,
            "files_errors": files_errors or [],
            "had_files": bool(files_errors),
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
@require_GET
def patrol_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, visible_patrol(request, pk))


@login_required
@require_POST
def finding_new(request: HttpRequest, pk: int) -> HttpResponse:
    patrol = visible_patrol(request, pk)
    if not services.may_patrol(request.user):
        raise PermissionDenied
    form = FindingForm(
        request.POST, patrol=patrol, may_assign=services.may_assign(request.user, patrol.region)
    )
    if not form.is_valid():
        return _detail(request, patrol, finding=form, status=400)
    try:
        found = services.record_finding(
            patrol,
            form.finding(),
            actor=request.user,
            files=request.FILES.getlist("files"),
            now=timezone.now(),
        )
    except TransitionError as exc:
        form.add_error(None, exc.message)
        return _detail(
            request, patrol, finding=form, files_errors=exc.errors.get("files"), status=exc.status
        )
    item = found.case
    assert isinstance(item, RapidItem)
    if item.respond_by is not None:
        text = _("已立案%(no)s并交办%(unit)s，响应时限%(due)s。") % {
            "no": item.case_no,
            "unit": item.responsible_unit.name if item.responsible_unit else "",
            "due": calendar.limit_text(item.respond_by),
        }
    else:
        text = _("已立案%(no)s，待调度员在%(due)s前交办。") % {
            "no": item.case_no,
            "due": calendar.limit_text(item.dispatch_by) if item.dispatch_by else "",
        }
    messages.success(request, text)
    return redirect("enforcement:patrol_detail", pk=patrol.pk)


@login_required
@require_POST
def patrol_end(request: HttpRequest, pk: int) -> HttpResponse:
    patrol = visible_patrol(request, pk)
    if not services.may_patrol(request.user):
        raise PermissionDenied
    form = EndForm(request.POST)
    if not form.is_valid():
        return _detail(request, patrol, status=400)
    services.end_patrol(patrol, summary=form.cleaned_data["summary"], now=timezone.now())
    messages.success(request, _("本次巡查已结束。"))
    return redirect("enforcement:patrol_detail", pk=patrol.pk)
