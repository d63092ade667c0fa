"""A 督察 round as a programme of the engine's case lists: "round:<id>" holds its 边督边改 items and
its feedback tasks (co-units' parts included)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from workflow.programmes import NOTHING, Programme


def choices(user: Any) -> list[tuple[str, str]]:
    from enforcement.inspection_rounds.services import rounds_for

    return [(f"round:{r.pk}", r.name) for r in rounds_for(user).order_by("-stationed_from")]


def cases(key: str) -> Q:
    from enforcement.models import ForwardedComplaint, RectificationTask

    raw = key.removeprefix("round:")
    if not raw.isdigit() or len(raw) > 18:
        return NOTHING
    pk = int(raw)
    return Q(pk__in=ForwardedComplaint.objects.filter(batch__round_id=pk).values("pk")) | Q(
        pk__in=RectificationTask.objects.filter(problem__round_id=pk).values("pk")
    )


ROUND = Programme(kind="round", label=_("督察轮次"), choices=choices, cases=cases)
