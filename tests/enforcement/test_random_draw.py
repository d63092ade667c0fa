"""双随机、一公开: the draw is reproducible from its seed, respects the tier ratios, never pairs a
conflicted inspector with a target, and creates one task per target."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from enforcement.inspections.draw import DrawError, draw, draw_plan, sample_size, verify_draw
from enforcement.inspections.services import log_inspection
from enforcement.models import (
    Inspection,
    InspectionState,
    InspectionType,
    PlanState,
    RandomInspectionPlan,
    SupervisionTier,
)
from tests.enforcement.field import at, make_enterprise, make_inspector, record_payload
from workflow.models import Deadline

TARGETS = {
    "key": list(range(1, 21)),  # 20 重点
    "special": list(range(101, 111)),  # 10 特殊
    "general": list(range(201, 301)),  # 100 一般
}
RATIOS = {"key": 0.25, "special": 0.15, "general": 0.05}
INSPECTORS = [11, 12, 13, 14, 15, 16]


def run(seed: str, conflicts: dict[int, list[int]] | None = None) -> list[Any]:
    return draw(
        seed=seed,
        targets=TARGETS,
        ratios=RATIOS,
        inspectors=INSPECTORS,
        conflicts=conflicts or {},
    )


def test_the_same_seed_reproduces_the_draw_and_another_seed_changes_it() -> None:
    first, again, other = run("2026Q4-小店"), run("2026Q4-小店"), run("another seed")
    assert first == again
    assert [d.enterprise for d in first] != [d.enterprise for d in other]


def test_each_tier_yields_its_ratio_rounded_up() -> None:
    drawn = run("ratios")
    by_tier: dict[str, list[int]] = {}
    for item in drawn:
        by_tier.setdefault(item.tier, []).append(item.enterprise)
    assert {t: len(v) for t, v in by_tier.items()} == {"key": 5, "special": 2, "general": 5}
    for tier, enterprises in by_tier.items():
        assert set(enterprises) <= set(TARGETS[tier])
        assert len(set(enterprises)) == len(enterprises)
    assert sample_size(3, 0.25) == 1 and sample_size(0, 0.5) == 0 and sample_size(20, 0.15) == 3


def test_every_target_gets_two_distinct_inspectors_and_the_load_is_balanced() -> None:
    drawn = run("pairs")
    loads: dict[int, int] = {}
    for item in drawn:
        assert len(set(item.inspectors)) == 2
        for pk in item.inspectors:
            loads[pk] = loads.get(pk, 0) + 1
    assert max(loads.values()) - min(loads.values()) <= 1


def test_no_inspector_is_drawn_for_a_target_they_are_conflicted_with() -> None:
    plain = run("conflicts")
    target = plain[0].enterprise
    barred = [*plain[0].inspectors, 13, 14]
    drawn = run("conflicts", conflicts={target: barred})
    pair = next(d.inspectors for d in drawn if d.enterprise == target)
    assert not set(pair) & set(barred)


def test_a_target_without_two_unconflicted_inspectors_stops_the_whole_draw() -> None:
    with pytest.raises(DrawError):
        draw(
            seed="x",
            targets={"key": [1]},
            ratios={"key": 1.0},
            inspectors=[11, 12, 13],
            conflicts={1: [11, 12]},
        )


@pytest.mark.django_db
def test_drawing_a_plan_freezes_the_pools_creates_tasks_and_verifies(
    district: Any, team: Any, dispatcher: Any, inspector: Any, inspector2: Any
) -> None:
    third = make_inspector("inspector3", team, "14010003")
    key = [
        make_enterprise(district, name=f"重点企业{i}", tier=SupervisionTier.KEY) for i in range(4)
    ]
    general = [
        make_enterprise(district, name=f"一般企业{i}", tier=SupervisionTier.GENERAL)
        for i in range(10)
    ]
    # inspector and inspector2 inspected key[0] last month: neither may draw it.
    log_inspection(
        actor=inspector,
        enterprise=key[0],
        inspection_type=InspectionType.DAILY,
        record=record_payload([inspector, inspector2]),
        now=at(dt.date(2026, 9, 10), 11),
    )
    fourth = make_inspector("inspector4", team, "14010004")
    plan = RandomInspectionPlan.objects.create(
        jurisdiction=district,
        year=2026,
        quarter=4,
        title="2026年第四季度双随机抽查",
        ratios={"key": 1.0, "general": 0.2},
        conflict_days=365,
        inspect_by=dt.date(2026, 12, 20),
        created_by=dispatcher,
        created_at=at(dt.date(2026, 10, 9)),
    )
    plan.inspector_pool_users.set([inspector, inspector2, third, fourth])
    now = at(dt.date(2026, 10, 9))
    tasks = draw_plan(plan, actor=dispatcher, now=now, seed="小店2026Q4")
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAWN and plan.seed == "小店2026Q4"
    assert len(tasks) == 4 + 2 == len(plan.result)
    assert verify_draw(plan)
    assert plan.conflicts == {str(key[0].pk): sorted([inspector.pk, inspector2.pk])}
    conflicted = next(t for t in tasks if t.enterprise_id == key[0].pk)
    assert set(conflicted.inspectors.values_list("pk", flat=True)) == {third.pk, fourth.pk}
    for task in tasks:
        assert task.state == InspectionState.SCHEDULED and task.plan_id == plan.pk
        assert task.inspectors.count() == 2
        assert Deadline.objects.get(case=task, kind="inspect").due_date == dt.date(2026, 12, 20)
    assert {t.enterprise_id for t in tasks} >= {e.pk for e in key}

    # Tampering with the stored result is detected; a second draw is refused.
    plan.result = list(reversed(plan.result))
    assert not verify_draw(plan)
    with pytest.raises(DrawError):
        draw_plan(RandomInspectionPlan.objects.get(pk=plan.pk), actor=dispatcher, now=now)
    assert Inspection.objects.filter(plan=plan).count() == 6
    assert len(general) == 10
