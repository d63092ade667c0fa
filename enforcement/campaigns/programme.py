"""A 专项行动 as a programme of the engine's case lists: "campaign:<id>" holds the tasks and
checks its 调度令 dispatched (co-units' parts of a task included) and the 即知即改事项 its
patrols found."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workflow.programmes import NOTHING, Programme


def choices(user: Any) -> list[tuple[str, str]]:
    from enforcement.campaigns.services import campaigns_for

    return [(f"campaign:{c.pk}", c.name) for c in campaigns_for(user).order_by("-starts_on")]


def cases(key: str) -> Q:
    from enforcement.models import Inspection, RapidItem, SupervisionItem

    raw = key.removeprefix("campaign:")
    if not raw.isdigit() or len(raw) > 18:
        return NOTHING
    pk = int(raw)
    tasks = SupervisionItem.objects.filter(order__campaign_id=pk).values("pk")
    return (
        Q(pk__in=tasks)
        | Q(parent__in=tasks)
        | Q(pk__in=Inspection.objects.filter(order__campaign_id=pk).values("pk"))
        | Q(pk__in=RapidItem.objects.filter(campaign_id=pk).values("pk"))
    )


CAMPAIGN = Programme(kind="campaign", label=_("专项行动"), choices=choices, cases=cases)
