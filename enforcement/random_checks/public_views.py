"""The public 双随机、一公开 pages (no login): the drawn plans, each with its seed, its frozen
pools (downloadable, to reproduce the draw) and, once published, the results.

What the public sees of a target: the enterprise's name, 统一社会信用代码 and tier, the two
inspectors' names and 执法证号 (the practice publishes them with the targets), the inspection's
date and the public result text. Nothing else about staff or the inspection; draft plans do not
exist here (404).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from enforcement.inspections.draw import TIER_ORDER, sample_size, verify_draw
from enforcement.models import InspectionState, PlanState, RandomInspectionPlan, SupervisionTier
from enforcement.random_checks.views import result_rows

PUBLIC_STATES = (PlanState.DRAWN, PlanState.PUBLISHED)


def _public_plans() -> Any:
    return RandomInspectionPlan.objects.filter(state__in=PUBLIC_STATES).select_related(
        "jurisdiction"
    )


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    groups: OrderedDict[Any, list[RandomInspectionPlan]] = OrderedDict()
    for plan in _public_plans().order_by("jurisdiction__path", "-year", "-quarter", "title"):
        groups.setdefault(plan.jurisdiction, []).append(plan)
    return render(request, "random_checks/public/index.html", {"groups": list(groups.items())})


def reproduction_data(plan: RandomInspectionPlan) -> dict[str, Any]:
    """Everything `draw()` needs to give the result again, and the result itself."""
    return {
        "plan": plan.title,
        "bureau": plan.jurisdiction.name,
        "year": plan.year,
        "quarter": plan.quarter,
        "drawn_at": plan.drawn_at.isoformat() if plan.drawn_at else None,
        "seed": plan.seed,
        "ratios": plan.ratios,
        "target_pool": plan.target_pool,
        "inspector_pool": plan.inspector_pool,
        "conflicts": plan.conflicts,
        "result": plan.result,
    }


def _public_row(row: dict[str, Any]) -> dict[str, Any]:
    """Only the public-safe facts of a result row."""
    enterprise = row["enterprise"]
    task = row["task"]
    published = (
        task is not None
        and task.state == InspectionState.COMPLETED
        and task.published_at is not None
    )
    return {
        "name": enterprise.name if enterprise else "",
        "uscc": enterprise.uscc if enterprise else "",
        "tier": row["tier"],
        "inspectors": row["inspectors"],
        "published": published,
        "cancelled": task is not None and task.state == InspectionState.CANCELLED,
        "inspected_on": task.started_at if published and task else None,
        "result": task.public_result if published and task else "",
    }


@require_safe
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = _public_plans().get(pk=pk)
    except RandomInspectionPlan.DoesNotExist:
        raise Http404(_("没有找到该抽查计划。")) from None
    if request.GET.get("format") == "json":
        response = JsonResponse(
            reproduction_data(found), json_dumps_params={"ensure_ascii": False, "indent": 2}
        )
        response["Content-Disposition"] = (
            f'attachment; filename="random-plan-{found.pk}-{found.year}Q{found.quarter}.json"'
        )
        return response
    tiers = []
    for tier in TIER_ORDER:
        size = len(found.target_pool.get(str(tier), []))
        ratio = float(found.ratios.get(str(tier), 0))
        tiers.append(
            {
                "label": SupervisionTier(tier).label,
                "size": size,
                "ratio": ratio,
                "count": sample_size(size, ratio),
            }
        )
    rows = [_public_row(r) for r in result_rows(found)]
    return render(
        request,
        "random_checks/public/plan.html",
        {
            "plan": found,
            "tiers": tiers,
            "inspector_count": len(found.inspector_pool),
            "conflict_count": sum(len(v) for v in found.conflicts.values()),
            "rows": rows,
            "verified": verify_draw(found),
        },
    )
