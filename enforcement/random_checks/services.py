"""双随机 plans beyond the draw: the pools a plan would draw from, and publishing its results.

A plan is not a case: its state (draft → drawn → published) moves here and in
`enforcement.inspections.draw.draw_plan`, each under a row lock in one transaction. The tasks it
drew are cases, and they move only through `transition_case`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from enforcement.inspections.draw import TIER_ORDER
from enforcement.models import (
    Enterprise,
    Inspection,
    InspectionState,
    PlanState,
    RandomInspectionPlan,
)
from workflow.models.unit import Unit
from workflow.transitions import InvalidTransition, transition_case

DONE_STATES = frozenset({InspectionState.COMPLETED, InspectionState.CANCELLED})


def registry_pool_sizes(jurisdiction: Unit) -> dict[str, int]:
    """How many active enterprises of each tier the plan's bureau has today (the target pool a
    draw would freeze), in the draw's tier order."""
    counts = dict.fromkeys((str(t) for t in TIER_ORDER), 0)
    for tier in Enterprise.objects.filter(
        active=True, jurisdiction__path__startswith=jurisdiction.path
    ).values_list("tier", flat=True):
        counts[tier] = counts.get(tier, 0) + 1
    return counts


def all_tasks_done(plan: RandomInspectionPlan) -> bool:
    states = set(Inspection.objects.filter(plan=plan).values_list("state", flat=True))
    return states <= DONE_STATES


def default_public_result(task: Inspection) -> str:
    """A public-safe summary of what the inspection found: never the findings' own text."""
    if task.problem_found:
        return _("发现问题，已依法处理")
    return _("未发现问题")


def publish_plan(
    plan: RandomInspectionPlan,
    *,
    actor: Any,
    now: dt.datetime,
    texts: Mapping[int, str] | None = None,
) -> list[Inspection]:
    """Publish the result of every recorded task of the plan (`texts` by task pk, else the
    default summary), then mark the plan published once every task is completed or cancelled.

    All or nothing: one task the actor may not publish (or whose text is refused) leaves every
    task and the plan as they were. Returns the tasks published."""
    texts = texts or {}
    with transaction.atomic():
        locked = RandomInspectionPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.state == PlanState.DRAFT:
            raise InvalidTransition(_("该计划尚未抽取，没有可公开的结果。"))
        if locked.state == PlanState.PUBLISHED:
            raise InvalidTransition(_("该计划的抽查结果已经全部公开。"))
        published = []
        for task in Inspection.objects.filter(plan=locked, state=InspectionState.RECORDED).order_by(
            "pk"
        ):
            text = (texts.get(task.pk) or "").strip() or default_public_result(task)
            transition_case(
                task,
                "publish_result",
                actor=actor,
                payload={"public_result": text},
                now=now,
            )
            published.append(task)
        if all_tasks_done(locked):
            locked.state = PlanState.PUBLISHED
            locked.published_at = now
            locked.save(update_fields=["state", "published_at"])
    plan.refresh_from_db()
    return published
