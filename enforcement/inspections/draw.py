"""双随机、一公开: the random draw of inspection targets and inspector pairs.

`draw` is a pure function of the seed and the frozen pools, so anyone holding the published
seed and pools can reproduce the result; `draw_plan` freezes the pools of a plan, draws, stores
everything and creates one inspection task per target. `verify_draw` re-runs a stored draw.

The algorithm (documented on the public page):

1. For each tier, in a fixed order (重点, 特殊, 一般), the tier's pool sorted by id, draw
   ⌈ratio × pool size⌉ targets with `random.Random(seed).sample`.
2. For each drawn target in draw order, the eligible inspectors are the pool minus those with a
   conflict of interest (their own inspection of that enterprise within the plan's window);
   they are ordered by how many targets they already hold, ties broken by the same generator,
   and the first two are paired. A target with fewer than two eligible inspectors stops the
   draw: nothing is half-drawn.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from enforcement.models import (
    Enterprise,
    Inspection,
    InspectionState,
    InspectionType,
    PlanState,
    RandomInspectionPlan,
    SupervisionTier,
)
from workflow import calendar
from workflow.models.unit import Unit, unit_of
from workflow.transitions import InvalidTransition

#: The order tiers are drawn in: part of the algorithm, so part of reproducing it.
TIER_ORDER = (SupervisionTier.KEY, SupervisionTier.SPECIAL, SupervisionTier.GENERAL)
PAIR = 2


class DrawError(InvalidTransition):
    pass


@dataclass(frozen=True)
class Drawn:
    enterprise: int
    tier: str
    inspectors: tuple[int, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "enterprise": self.enterprise,
            "tier": self.tier,
            "inspectors": list(self.inspectors),
        }


def sample_size(pool_size: int, ratio: float) -> int:
    """⌈ratio × pool⌉: a tier with any enterprise and a positive ratio yields at least one."""
    if pool_size == 0 or ratio <= 0:
        return 0
    # Rounded first: 0.15 × 20 is 3.0000000000000004 in binary floating point, not 4 targets.
    return min(pool_size, math.ceil(round(ratio * pool_size, 9)))


def draw(
    *,
    seed: str,
    targets: Mapping[str, Sequence[int]],
    ratios: Mapping[str, float],
    inspectors: Sequence[int],
    conflicts: Mapping[int, Sequence[int]],
) -> list[Drawn]:
    rng = random.Random(seed)  # a str seed is hashed with SHA-512: the same on every machine
    chosen: list[tuple[int, str]] = []
    for tier in TIER_ORDER:
        pool = sorted(targets.get(tier, ()))
        count = sample_size(len(pool), float(ratios.get(tier, 0)))
        chosen.extend((pk, str(tier)) for pk in rng.sample(pool, count))
    load = dict.fromkeys(sorted(inspectors), 0)
    result = []
    unpaired = []
    for enterprise, tier_name in chosen:
        barred = set(conflicts.get(enterprise, ()))
        eligible = [pk for pk in load if pk not in barred]
        keyed = sorted(eligible, key=lambda pk: (load[pk], rng.random()))
        if len(keyed) < PAIR:
            unpaired.append(enterprise)
            continue
        pair = tuple(sorted(keyed[:PAIR]))
        for pk in pair:
            load[pk] += 1
        result.append(Drawn(enterprise, tier_name, pair))
    if unpaired:
        raise DrawError(
            _("有%(n)d个抽查对象无法配齐两名无利害关系的执法人员，请扩充执法人员库。")
            % {"n": len(unpaired)}
        )
    return result


def _frozen_pools(
    plan: RandomInspectionPlan, *, now: dt.datetime
) -> tuple[dict[str, list[int]], list[int], dict[int, list[int]]]:
    enterprises = Enterprise.objects.filter(
        active=True, jurisdiction__path__startswith=plan.jurisdiction.path
    ).values_list("pk", "tier")
    targets: dict[str, list[int]] = {}
    for pk, tier in enterprises:
        targets.setdefault(tier, []).append(pk)
    for pks in targets.values():
        pks.sort()
    today = calendar.local_date(now)
    inspectors = sorted(
        user.pk
        for user in plan.inspector_pool_users.filter(
            is_active=True, credential__isnull=False
        ).select_related("credential")
        if user.credential.is_valid_on(today)
    )
    since = now - dt.timedelta(days=plan.conflict_days)
    recent = (
        Inspection.objects.filter(
            enterprise_id__in=[pk for pks in targets.values() for pk in pks],
            inspectors__in=inspectors,
            started_at__gte=since,
        )
        .exclude(state=InspectionState.CANCELLED)
        .values_list("enterprise_id", "inspectors")
        .distinct()
    )
    conflicts: dict[int, list[int]] = {}
    for enterprise, inspector in recent:
        conflicts.setdefault(enterprise, []).append(inspector)
    for pks in conflicts.values():
        pks.sort()
    return targets, inspectors, conflicts


def draw_plan(
    plan: RandomInspectionPlan, *, actor: Any, now: dt.datetime, seed: str = ""
) -> list[Inspection]:
    """Freeze the pools, draw with `seed` (a fresh random one by default), store the result and
    create the inspection tasks, all in one transaction; a plan is drawn once."""
    from enforcement.inspections.services import schedule_inspection

    with transaction.atomic():
        locked = RandomInspectionPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.state != PlanState.DRAFT:
            raise DrawError(_("该计划已经抽取，不能重复抽取。"))
        seed = seed.strip() or secrets.token_hex(8)
        targets, inspectors, conflicts = _frozen_pools(locked, now=now)
        drawn = draw(
            seed=seed,
            targets=targets,
            ratios=locked.ratios,
            inspectors=inspectors,
            conflicts=conflicts,
        )
        if not drawn:
            raise DrawError(_("抽查对象库为空，没有可抽取的对象。"))
        locked.seed = seed
        locked.target_pool = targets
        locked.inspector_pool = inspectors
        locked.conflicts = {str(k): v for k, v in conflicts.items()}
        locked.result = [d.as_json() for d in drawn]
        locked.state = PlanState.DRAWN
        locked.drawn_at = now
        locked.drawn_by = actor
        locked.save()
        users = {u.pk: u for u in locked.inspector_pool_users.filter(pk__in=inspectors)}
        enterprises = Enterprise.objects.in_bulk([d.enterprise for d in drawn])
        tasks = []
        for item in drawn:
            pair = [users[pk] for pk in item.inspectors]
            team: Unit | None = unit_of(pair[0])
            tasks.append(
                schedule_inspection(
                    actor=actor,
                    enterprise=enterprises[item.enterprise],
                    inspection_type=InspectionType.RANDOM,
                    inspectors=pair,
                    inspect_by=locked.inspect_by,
                    plan=locked,
                    responsible_unit=team,
                    now=now,
                )
            )
    plan.refresh_from_db()
    return tasks


def verify_draw(plan: RandomInspectionPlan) -> bool:
    """Re-run the stored draw from its seed and frozen pools: True when it gives the result."""
    if plan.state == PlanState.DRAFT:
        return False
    again = draw(
        seed=plan.seed,
        targets=plan.target_pool,
        ratios=plan.ratios,
        inspectors=plan.inspector_pool,
        conflicts={int(k): v for k, v in plan.conflicts.items()},
    )
    return [d.as_json() for d in again] == plan.result
