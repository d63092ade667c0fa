"""Staff pages of 双随机、一公开 plans: list, create, draw, publish.

Dispatchers and leaders of a bureau plan (`enforcement.plan_inspections` on the plan, which has a
`jurisdiction` like a case). A plan outside the user's unit is a 404; an action the user may not
take a 403. The draw is `draw_plan`; publishing goes through `transition_case` per task
(`services.publish_plan`): the views only translate between HTTP and those.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enforcement.inspections.draw import TIER_ORDER, draw_plan, sample_size, verify_draw
from enforcement.models import (
    Enterprise,
    Inspection,
    InspectionState,
    PlanState,
    RandomInspectionPlan,
    SupervisionTier,
)
from enforcement.random_checks import services
from enforcement.random_checks.forms import DrawForm, PlanForm
from enforcement.views import jurisdiction_choices
from workflow.models import Deadline
from workflow.models.unit import unit_of
from workflow.permissions import has_role
from workflow.roles import Role
from workflow.templatetags.console_tags import person
from workflow.transitions import (
    CaseNotFound,
    InvalidTransition,
    TransitionDenied,
    TransitionError,
)
from workflow.views.auth import login_required

RULE = "enforcement.plan_inspections"
#: The longest public result text (the page's textarea says so too).
MAX_RESULT = 500


def _require_planner(request: HttpRequest) -> None:
    if not has_role(request.user, Role.DISPATCHER, Role.LEADER):
        raise PermissionDenied(_("只有调度员和局领导可以安排双随机抽查。"))


def visible_plans(user: Any) -> QuerySet[RandomInspectionPlan]:
    """Plans of the user's unit and the units below it."""
    unit = unit_of(user)
    if unit is None:
        return RandomInspectionPlan.objects.none()
    return RandomInspectionPlan.objects.filter(
        jurisdiction__path__startswith=unit.path
    ).select_related("jurisdiction", "drawn_by", "created_by")


def _plan_for(request: HttpRequest, pk: int) -> RandomInspectionPlan:
    """The plan if the user may see it (else 404) and plan it (else 403)."""
    try:
        plan = visible_plans(request.user).get(pk=pk)
    except RandomInspectionPlan.DoesNotExist:
        raise Http404(_("没有找到该抽查计划。")) from None
    if not rules.test_rule(RULE, request.user, plan):
        raise PermissionDenied(_("您不能管理该抽查计划。"))
    return plan


def _person(user: Any) -> str:
    return person(user)


@login_required
@require_GET
def random_plan_list(request: HttpRequest) -> HttpResponse:
    _require_planner(request)
    plans = list(visible_plans(request.user))
    counts: dict[int, dict[str, int]] = {}
    for plan_id, state in Inspection.objects.filter(plan__in=plans).values_list("plan_id", "state"):
        bucket = counts.setdefault(plan_id, {"total": 0, "done": 0})
        bucket["total"] += 1
        if state in services.DONE_STATES:
            bucket["done"] += 1
    rows = [{"plan": p, **counts.get(p.pk, {"total": 0, "done": 0})} for p in plans]
    return render(request, "random_checks/plan_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def random_plan_create(request: HttpRequest) -> HttpResponse:
    _require_planner(request)
    now = timezone.now()
    form = PlanForm(request.POST or None, user=request.user, now=now)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            plan = RandomInspectionPlan(
                jurisdiction=data["jurisdiction"],
                year=data["year"],
                quarter=data["quarter"],
                title=data["title"],
                ratios=form.ratios(),
                conflict_days=data["conflict_days"],
                inspect_by=data["inspect_by"],
                created_by=cast(Any, request.user),
                created_at=now,
            )
            if not rules.test_rule(RULE, request.user, plan):
                raise PermissionDenied(_("您不能为该单位安排双随机抽查。"))
            try:
                with transaction.atomic():
                    plan.save()
                    plan.inspector_pool_users.set(data["inspectors"])
            except IntegrityError:
                form.add_error("title", _("该单位本季度已有同名的抽查计划。"))
            else:
                messages.success(request, _("抽查计划已保存，可以抽取。"))
                return redirect("enforcement:random_plan_detail", pk=plan.pk)
        status = 400
    pools = [
        {"unit": unit, "tiers": _tier_rows(services.registry_pool_sizes(unit), None)}
        for unit in jurisdiction_choices(request.user).order_by("path")
    ]
    return render(
        request,
        "random_checks/plan_form.html",
        {"form": form, "pools": pools},
        status=status,
    )


def _tier_rows(sizes: dict[str, int], ratios: dict[str, Any] | None) -> list[dict[str, Any]]:
    rows = []
    for tier in TIER_ORDER:
        size = sizes.get(str(tier), 0)
        row: dict[str, Any] = {"tier": tier, "label": SupervisionTier(tier).label, "size": size}
        if ratios is not None:
            ratio = float(ratios.get(str(tier), 0))
            row["ratio"] = ratio
            row["count"] = sample_size(size, ratio)
        rows.append(row)
    return rows


def result_rows(plan: RandomInspectionPlan) -> list[dict[str, Any]]:
    """One row per drawn target, in draw order: the enterprise, the pair, the task."""
    from django.contrib.auth import get_user_model

    items = plan.result or []
    enterprises = Enterprise.objects.in_bulk([i["enterprise"] for i in items])
    people = (
        get_user_model()
        .objects.select_related("credential")
        .in_bulk([pk for i in items for pk in i["inspectors"]])
    )
    tasks = {t.enterprise_id: t for t in Inspection.objects.filter(plan=plan).order_by("pk")}
    rows = []
    for item in items:
        pair = [people[pk] for pk in item["inspectors"] if pk in people]
        rows.append(
            {
                "enterprise": enterprises.get(item["enterprise"]),
                "tier": SupervisionTier(item["tier"]).label,
                "inspectors": [
                    {
                        "name": _person(u),
                        "credential": getattr(getattr(u, "credential", None), "number", ""),
                    }
                    for u in pair
                ],
                "task": tasks.get(item["enterprise"]),
            }
        )
    return rows


def _detail(
    request: HttpRequest,
    plan: RandomInspectionPlan,
    *,
    now: dt.datetime,
    draw_form: DrawForm | None = None,
    texts: dict[int, str] | None = None,
    publish_errors: dict[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    drawn = plan.state != PlanState.DRAFT
    rows = result_rows(plan) if drawn else []
    tasks = [r["task"] for r in rows if r["task"] is not None]
    recorded = [t for t in tasks if t.state == InspectionState.RECORDED]
    deadlines = {
        d.case_id: d for d in Deadline.objects.filter(case__in=tasks, kind="publish").order_by("pk")
    }
    texts = texts or {}
    publish_errors = publish_errors or {}
    for row in rows:
        task = row["task"]
        row["publish_deadline"] = deadlines.get(task.pk) if task else None
        if task is not None and task.state == InspectionState.RECORDED:
            row["publish_text"] = texts.get(task.pk, services.default_public_result(task))
            row["publish_error"] = publish_errors.get(task.pk, "")
    if drawn:
        sizes = {tier: len(pks) for tier, pks in (plan.target_pool or {}).items()}
        pool_users = list(
            plan.inspector_pool_users.filter(pk__in=plan.inspector_pool).select_related(
                "credential"
            )
        )
    else:
        sizes = services.registry_pool_sizes(plan.jurisdiction)
        pool_users = list(
            plan.inspector_pool_users.filter(is_active=True).select_related("credential")
        )
    return render(
        request,
        "random_checks/plan_detail.html",
        {
            "plan": plan,
            "now": now,
            "tiers": _tier_rows(sizes, plan.ratios),
            "pool_users": pool_users,
            "rows": rows,
            "recorded": recorded,
            "verified": verify_draw(plan) if drawn else None,
            "draw_form": draw_form or DrawForm(),
            "may_publish": plan.state == PlanState.DRAWN
            and (bool(recorded) or services.all_tasks_done(plan)),
        },
        status=status,
    )


@login_required
@require_GET
def random_plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    return _detail(request, plan, now=timezone.now())


@login_required
@require_POST
def random_plan_draw(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    now = timezone.now()
    form = DrawForm(request.POST)
    if not form.is_valid():
        return _detail(request, plan, now=now, draw_form=form, status=400)
    try:
        tasks = draw_plan(plan, actor=request.user, now=now, seed=form.cleaned_data["seed"])
    except TransitionDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except CaseNotFound as exc:
        raise Http404(exc.message) from exc
    except TransitionError as exc:
        messages.error(request, exc.message)
        plan.refresh_from_db()
        return _detail(request, plan, now=now, draw_form=form, status=400)
    messages.success(request, _("已抽取%(n)d个抽查对象，并生成检查任务。") % {"n": len(tasks)})
    return redirect("enforcement:random_plan_detail", pk=plan.pk)


@login_required
@require_POST
def random_plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk)
    now = timezone.now()
    recorded = list(Inspection.objects.filter(plan=plan, state=InspectionState.RECORDED))
    texts = {t.pk: request.POST.get(f"result_{t.pk}", "").strip() for t in recorded}
    errors = {pk: _("请填写公开的检查结果。") for pk, text in texts.items() if not text}
    too_long = {
        pk: _("公开的检查结果不能超过500字。") for pk, text in texts.items() if len(text) > 500
    }
    errors.update(too_long)
    if not recorded and not (plan.state == PlanState.DRAWN and services.all_tasks_done(plan)):
        messages.error(request, _("没有已检查待公开的任务。"))
        return _detail(request, plan, now=now, status=400)
    if errors:
        messages.error(request, _("请改正标出的检查结果后再公开。"))
        return _detail(request, plan, now=now, texts=texts, publish_errors=errors, status=400)
    try:
        published = services.publish_plan(plan, actor=request.user, now=now, texts=texts)
    except TransitionDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except CaseNotFound as exc:
        raise Http404(exc.message) from exc
    except InvalidTransition as exc:
        messages.error(request, exc.message)
        return _detail(request, plan, now=now, texts=texts, status=400)
    except TransitionError as exc:
        messages.error(request, exc.message)
        return _detail(request, plan, now=now, texts=texts, status=409)
    if plan.state == PlanState.PUBLISHED:
        messages.success(request, _("已公开全部抽查结果，计划已完成。"))
    else:
        messages.success(
            request,
            _("已公开%(n)d项检查结果；其余任务完成后请再次公开。") % {"n": len(published)},
        )
    return redirect("enforcement:random_plan_detail", pk=plan.pk)
