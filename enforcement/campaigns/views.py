"""专项行动's pages, under /enforcement/campaigns/: the list, a new campaign, the campaign page
(per unit 交办 / 签收 / 整改中 / 已销号 / 逾期 and the 清零 countdown, every number a link to its
cases), a 调度令, the drill-down and the ledger as Excel."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from openpyxl import Workbook
from openpyxl.styles import Font

from enforcement.assessment import ranking
from enforcement.campaigns import services
from enforcement.campaigns.forms import CampaignForm, OrderForm
from enforcement.models import Campaign
from enforcement.patrols.services import period_figures
from enforcement.periods import Period
from workflow import calendar
from workflow.models import Case, Unit
from workflow.models.unit import unit_of
from workflow.programmes import programmes
from workflow.transitions import TransitionError
from workflow.views.auth import login_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def visible_campaign(request: HttpRequest, pk: int) -> Campaign:
    found = services.campaigns_for(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return Campaign.objects.select_related("region", "lead_unit").get(pk=found.pk)


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = services.campaigns_for(request.user).select_related("region", "lead_unit")
    now = timezone.now()
    rows = [(c, services.countdown(c, now)) for c in campaigns]
    return render(
        request,
        "campaigns/list.html",
        {"rows": rows, "may_create": services.may_create(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    if not services.may_create(request.user):
        raise PermissionDenied
    unit = unit_of(request.user)
    if unit is None:
        raise PermissionDenied
    form = CampaignForm(request.POST or None, region=unit.region())
    if request.method == "POST":
        if form.is_valid():
            form.instance.created_by = request.user
            form.instance.created_at = timezone.now()
            campaign = form.save()
            messages.success(request, _("已创建专项行动“%(name)s”。") % {"name": campaign.name})
            return redirect("enforcement:campaign_detail", pk=campaign.pk)
        return render(request, "console/form_page.html", _form_page(form), status=400)
    return render(request, "console/form_page.html", _form_page(form))


def _form_page(form: CampaignForm) -> dict[str, Any]:
    return {
        "form": form,
        "page_title": _("新建专项行动"),
        "back_url": reverse("enforcement:campaigns"),
        "back_label": _("专项行动"),
        "submit_label": _("创建"),
    }


@login_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = visible_campaign(request, pk)
    now = timezone.now()
    visible = Case.objects.visible_to(request.user)
    return render(
        request,
        "campaigns/detail.html",
        {
            "campaign": campaign,
            "countdown": services.countdown(campaign, now),
            "stages": services.stage_labels(),
            "task_rows": services.task_rows(campaign, visible, now),
            "check_rows": services.check_rows(campaign, visible, now),
            "orders": campaign.orders.select_related("issued_by"),
            "checklist": campaign.checklist_items(),
            "target_count": campaign.targets.count() + campaign.places.count(),
            "may_manage": services.may_manage(request.user, campaign),
            **rapid_context(campaign, visible, now),
            "ranking": within_reach(request.user, campaign_ranking(campaign, now)),
        },
    )


def within_reach(user: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of the units the person's reach holds (their ranks stay the campaign's)."""
    unit = unit_of(user)
    if user.is_superuser:
        return rows
    if unit is None:
        return []
    codes = set(Unit.objects.subtree_of(unit.reach()).values_list("code", flat=True))
    return [row for row in rows if row["unit"] in codes]


def campaign_ranking(campaign: Campaign, now: Any) -> list[dict[str, Any]]:
    """The units ranked by the ranking formula on the campaign's cases alone, since it began:
    a live reading (the frozen 周排名 and 月考核 rank all of a unit's work)."""
    period = running_period(campaign, now)
    if period is None:
        return []
    only = programmes.cases(f"campaign:{campaign.pk}")
    return [row for row in ranking.rows(campaign.region, period, only=only) if row["rank"]]


def running_period(campaign: Campaign, now: Any) -> Period | None:
    """From the campaign's first day to today (or its last day); None before it starts."""
    last = min(calendar.local_date(now), campaign.ends_on)
    return Period(campaign.starts_on, last) if last >= campaign.starts_on else None


def rapid_context(campaign: Campaign, visible: Any, now: Any) -> dict[str, Any]:
    """即知即改 under the campaign: its patrols, their findings, the response figures."""
    items = visible.filter(pk__in=campaign.rapid_items.values("pk"))
    period = running_period(campaign, now)
    if period is None:
        return {"patrol_count": 0, "rapid_count": 0, "rapid_figures": []}
    return {
        "patrol_count": campaign.patrols.count(),
        "rapid_count": items.count(),
        "rapid_figures": period_figures(items, period, now),
        "rapid_period": _("行动开始以来"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def order_new(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = visible_campaign(request, pk)
    if not services.may_manage(request.user, campaign):
        raise PermissionDenied
    now = timezone.now()
    form = OrderForm(request.POST or None, campaign=campaign, now=now)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                order = services.issue_order(
                    campaign,
                    actor=request.user,
                    title=data["title"],
                    requirement=data["requirement"],
                    units=list(data["units"]),
                    targets=form.targets(),
                    rectify_due=data["rectify_due"],
                    inspect_by=data.get("inspect_by"),
                    now=now,
                )
            except TransitionError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("已签发调度令%(number)s：交办%(units)d个单位，安排%(checks)d次检查。")
                    % {
                        "number": order.number,
                        "units": len(order.units),
                        "checks": order.target_count,
                    },
                )
                return redirect("enforcement:campaign_detail", pk=campaign.pk)
    return render(
        request,
        "campaigns/order_form.html",
        {"campaign": campaign, "form": form, "open_targets": len(form.open_targets())},
        status=status,
    )


@login_required
@require_GET
def campaign_cases(request: HttpRequest, pk: int) -> HttpResponse:
    """The cases behind a number of the campaign page (?of=tasks|checks&unit=&stage=)."""
    campaign = visible_campaign(request, pk)
    now = timezone.now()
    of = services.CHECKS if request.GET.get("of") == services.CHECKS else services.TASKS
    stages = dict(services.stage_labels())
    stage = str(request.GET.get("stage") or "")
    if stage not in stages and stage != services.OVERDUE:
        stage = ""
    raw = str(request.GET.get("unit") or "")
    unit = Unit.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 19 else None
    cases = services.drill_down(
        campaign,
        Case.objects.visible_to(request.user),
        of=of,
        unit_id=unit.pk if unit else None,
        stage=stage,
        now=now,
    )
    labels = {**stages, services.OVERDUE: _("逾期")}
    if of == services.CHECKS:
        labels.update({"assigned": _("待检查"), "closed": _("已检查")})
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "campaigns/cases.html",
        {
            "campaign": campaign,
            "of": of,
            "unit": unit,
            "stage_label": labels.get(stage, _("全部")),
            "page": page,
            "now": now,
            "query": query.urlencode(),
        },
    )


@login_required
@require_GET
def campaign_ledger(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign ledger (专项行动台账) as Excel: every task and check with its unit, state,
    deadline and the 调度令 that dispatched it."""
    campaign = visible_campaign(request, pk)
    now = timezone.now()
    visible = Case.objects.visible_to(request.user)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("任务")
    head = [
        _("调度令"),
        _("案件编号"),
        _("标题"),
        _("责任单位"),
        _("状态"),
        _("完成时限"),
        _("是否逾期"),
    ]
    sheet.append(head)
    tasks = services.tasks_of(campaign).filter(pk__in=visible.values("pk"))
    for task in tasks.select_related("order", "responsible_unit").order_by("order__pk", "pk"):
        sheet.append(_ledger_row(task, task.responsible_unit, now))
    checks_sheet = book.create_sheet(_("检查"))
    checks_sheet.append(
        [
            _("调度令"),
            _("案件编号"),
            _("检查对象"),
            _("管辖单位"),
            _("状态"),
            _("检查期限"),
            _("是否逾期"),
        ]
    )
    checks = services.checks_of(campaign).filter(pk__in=visible.values("pk"))
    for check in checks.select_related("order", "enterprise", "place", "jurisdiction").order_by(
        "pk"
    ):
        row = _ledger_row(check, check.jurisdiction, now)
        row[2] = check.target.name
        checks_sheet.append(row)
    for ws in (sheet, checks_sheet):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    out = BytesIO()
    book.save(out)
    name = _("%(name)s台账_%(day)s.xlsx") % {
        "name": campaign.name,
        "day": f"{calendar.local_date(now):%Y%m%d}",
    }
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"campaign-{campaign.pk}.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    return response


def _ledger_row(case: Any, unit: Unit | None, now: Any) -> list[Any]:
    late = case.closed_at is None and case.due_at is not None and case.due_at < now
    due = case.rectify_due or getattr(case, "inspect_by", None)
    return [
        case.order.number,
        case.case_no,
        case.title,
        unit.name if unit else "",
        case.get_state_display(),
        f"{due:%Y-%m-%d}" if due else "",
        _("是") if late else _("否"),
    ]
