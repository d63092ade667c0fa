"""双随机 pages: a plan is created (bad input refused), drawn on its page reproducibly and once,
published task by task through the engine, and shown to the public with its seed, its frozen
pools (downloadable) and its results; other districts do not see it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from enforcement.inspections.draw import draw
from enforcement.inspections.forms import CHECKLIST
from enforcement.models import (
    Enterprise,
    Inspection,
    InspectionState,
    PlanState,
    RandomInspectionPlan,
    SupervisionTier,
)
from tests.enforcement.field import make_enterprise, make_inspector, record_payload
from tests.factories import make_staff
from workflow.models import Deadline, Unit
from workflow.roles import Role
from workflow.transitions import transition_case

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def pool(team: Unit, inspector: Any, inspector2: Any) -> list[Any]:
    return [
        inspector,
        inspector2,
        make_inspector("inspector3", team, "14010003"),
        make_inspector("inspector4", team, "14010004"),
    ]


@pytest.fixture
def registry(district: Unit) -> list[Enterprise]:
    key = [
        make_enterprise(district, name=f"重点企业{i}", tier=SupervisionTier.KEY) for i in range(4)
    ]
    general = [
        make_enterprise(district, name=f"一般企业{i}", tier=SupervisionTier.GENERAL)
        for i in range(10)
    ]
    return key + general


def plan_post(pool: list[Any], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "2026年第四季度双随机抽查",
        "year": 2026,
        "quarter": 4,
        "inspect_by": (today() + dt.timedelta(days=30)).isoformat(),
        "ratio_key": "0.5",
        "ratio_special": "0.15",
        "ratio_general": "0.2",
        "conflict_days": 365,
        "inspectors": [u.pk for u in pool],
    }
    data.update(overrides)
    return data


def make_plan(client: Client, district: Unit, pool: list[Any], **overrides: Any) -> Any:
    response = client.post(
        reverse("enforcement:random_plan_create"),
        plan_post(pool, jurisdiction=district.pk, **overrides),
    )
    assert response.status_code == 302, response.content.decode()
    return RandomInspectionPlan.objects.latest("pk")


def drawn_plan(client: Client, district: Unit, pool: list[Any], seed: str = "小店2026Q4") -> Any:
    plan = make_plan(client, district, pool)
    response = client.post(reverse("enforcement:random_plan_draw", args=[plan.pk]), {"seed": seed})
    assert response.status_code == 302
    plan.refresh_from_db()
    return plan


def stored_draw(plan: RandomInspectionPlan) -> list[dict[str, Any]]:
    return [
        d.as_json()
        for d in draw(
            seed=plan.seed,
            targets=plan.target_pool,
            ratios=plan.ratios,
            inspectors=plan.inspector_pool,
            conflicts={int(k): v for k, v in plan.conflicts.items()},
        )
    ]


def record(task: Inspection, users: dict[int, Any], *, problem: bool = False) -> None:
    pair = [users[pk] for pk in sorted(task.inspectors.values_list("pk", flat=True))]
    now = timezone.now()
    start = timezone.localtime(now - dt.timedelta(hours=3))
    end = timezone.localtime(now - dt.timedelta(hours=2))
    payload = record_payload(
        pair,
        start=start.strftime("%Y-%m-%dT%H:%M"),
        end=end.strftime("%Y-%m-%dT%H:%M"),
        findings="车间东侧危废暂存间标识缺失，现场负责人张三已签字" if problem else "未发现问题",
        problems=(CHECKLIST[0][0],) if problem else (),
    )
    transition_case(
        Inspection.objects.get(pk=task.pk), "record_random", actor=pair[0], payload=payload, now=now
    )


# --- creating a plan ---------------------------------------------------------------------------


def test_the_create_page_prefills_the_settings_and_shows_the_pools(
    client: Client, dispatcher: Any, pool: list[Any], registry: Any, settings: Any
) -> None:
    client.force_login(dispatcher)
    response = client.get(reverse("enforcement:random_plan_create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["ratio_key"].initial == settings.ECOLOOP_RANDOM_RATIOS["key"]
    assert form["conflict_days"].initial == settings.ECOLOOP_RANDOM_CONFLICT_DAYS
    assert {u.pk for u in form.fields["inspectors"].queryset} == {u.pk for u in pool}
    (pools,) = response.context["pools"]
    sizes = {row["tier"]: row["size"] for row in pools["tiers"]}
    assert sizes == {"key": 4, "special": 0, "general": 10}
    assert "14010003" in response.content.decode()


def test_a_plan_is_saved_with_its_ratios_and_pool(
    client: Client, dispatcher: Any, district: Unit, pool: list[Any]
) -> None:
    client.force_login(dispatcher)
    plan = make_plan(client, district, pool)
    assert plan.state == PlanState.DRAFT and plan.created_by == dispatcher
    assert plan.ratios == {"key": 0.5, "special": 0.15, "general": 0.2}
    assert set(plan.inspector_pool_users.all()) == set(pool)


@pytest.mark.parametrize("ratio", ["1.5", "-0.1", "abc"])
def test_a_bad_ratio_is_refused_and_nothing_saved(
    client: Client, dispatcher: Any, district: Unit, pool: list[Any], ratio: str
) -> None:
    client.force_login(dispatcher)
    response = client.post(
        reverse("enforcement:random_plan_create"),
        plan_post(pool, jurisdiction=district.pk, ratio_key=ratio),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["ratio_key"]
    assert not RandomInspectionPlan.objects.exists()
    # The person's input is kept.
    assert "2026年第四季度双随机抽查" in response.content.decode()


def test_an_inspector_of_another_district_cannot_be_put_in_the_pool(
    client: Client, dispatcher: Any, district: Unit, other_district: Unit, pool: list[Any]
) -> None:
    stranger = make_inspector("stranger", other_district, "14020001")
    client.force_login(dispatcher)
    response = client.post(
        reverse("enforcement:random_plan_create"),
        plan_post([*pool, stranger], jurisdiction=district.pk),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["inspectors"]
    assert not RandomInspectionPlan.objects.exists()


def test_a_second_plan_with_the_same_title_in_the_quarter_is_refused(
    client: Client, dispatcher: Any, district: Unit, pool: list[Any]
) -> None:
    client.force_login(dispatcher)
    make_plan(client, district, pool)
    response = client.post(
        reverse("enforcement:random_plan_create"), plan_post(pool, jurisdiction=district.pk)
    )
    assert response.status_code == 400
    assert "该单位本季度已有同名的抽查计划。" in response.content.decode()
    assert RandomInspectionPlan.objects.count() == 1


# --- drawing -----------------------------------------------------------------------------------


def test_the_draw_on_the_page_is_reproducible_from_the_stored_seed_and_pools(
    client: Client, dispatcher: Any, district: Unit, pool: list[Any], registry: Any
) -> None:
    client.force_login(dispatcher)
    plan = drawn_plan(client, district, pool, seed="小店2026Q4")
    assert plan.state == PlanState.DRAWN and plan.seed == "小店2026Q4"
    assert plan.target_pool == {
        "key": sorted(e.pk for e in registry if e.tier == "key"),
        "general": sorted(e.pk for e in registry if e.tier == "general"),
    }
    assert stored_draw(plan) == plan.result
    assert len(plan.result) == 2 + 2  # ⌈0.5 × 4⌉ + ⌈0.2 × 10⌉
    tasks = Inspection.objects.filter(plan=plan)
    assert {t.enterprise_id for t in tasks} == {r["enterprise"] for r in plan.result}

    page = client.get(reverse("enforcement:random_plan_detail", args=[plan.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "小店2026Q4" in body and "可复核：以种子重新抽取结果一致" in body
    for task in tasks:
        assert task.case_no in body
        assert Deadline.objects.filter(case=task, kind="inspect").exists()


def test_the_same_seed_draws_the_same_targets_in_an_identical_registry(
    client: Client, dispatcher: Any, district: Unit, pool: list[Any], registry: Any
) -> None:
    client.force_login(dispatcher)
    plan = drawn_plan(client, district, pool, seed="same")
    first = [r["enterprise"] for r in plan.result]
    # A fresh draw with the same seed on the pools as the registry stands now (unchanged).
    targets: dict[str, list[int]] = {}
    for enterprise in Enterprise.objects.filter(active=True).order_by("pk"):
        targets.setdefault(enterprise.tier, []).append(enterprise.pk)
    redone = draw(
        seed="same",
        targets=targets,
        ratios=plan.ratios,
        inspectors=sorted(u.pk for u in pool),
        conflicts={},
    )
    assert [d.enterprise for d in redone] == first
    other = draw(
        seed="different",
        targets=targets,
        ratios=plan.ratios,
        inspectors=sorted(u.pk for u in pool),
        conflicts={},
    )
    assert [d.enterprise for d in other] != first


def test_a_blank_seed_gets_a_random_one(
    client: Client, dispatcher: Any, district: Unit, pool: list[Any], registry: Any
) -> None:
    client.force_login(dispatcher)
    plan = drawn_plan(client, district, pool, seed="")
    assert len(plan.seed) >= 8 and stored_draw(plan) == plan.result


def test_a_second_draw_is_refused(
    client: Client, dispatcher: Any, district: Unit, pool: list[Any], registry: Any
) -> None:
    client.force_login(dispatcher)
    plan = drawn_plan(client, district, pool)
    count = Inspection.objects.filter(plan=plan).count()
    response = client.post(
        reverse("enforcement:random_plan_draw", args=[plan.pk]), {"seed": "another"}
    )
    assert response.status_code == 400
    assert "该计划已经抽取，不能重复抽取。" in response.content.decode()
    plan.refresh_from_db()
    assert plan.seed == "小店2026Q4"
    assert Inspection.objects.filter(plan=plan).count() == count


def test_an_empty_registry_cannot_be_drawn(
    client: Client, dispatcher: Any, district: Unit, pool: list[Any]
) -> None:
    client.force_login(dispatcher)
    plan = make_plan(client, district, pool)
    response = client.post(reverse("enforcement:random_plan_draw", args=[plan.pk]), {"seed": "x"})
    assert response.status_code == 400
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT and not plan.seed


# --- who may ----------------------------------------------------------------------------------


def test_another_district_gets_404_and_non_planners_403(
    client: Client,
    dispatcher: Any,
    outsider: Any,
    verifier: Any,
    district: Unit,
    pool: list[Any],
    registry: Any,
) -> None:
    client.force_login(dispatcher)
    plan = make_plan(client, district, pool)
    client.force_login(outsider)
    for name in ("random_plan_detail",):
        assert client.get(reverse(f"enforcement:{name}", args=[plan.pk])).status_code == 404
    assert (
        client.post(reverse("enforcement:random_plan_draw", args=[plan.pk]), {"seed": "x"})
    ).status_code == 404
    assert (
        client.post(reverse("enforcement:random_plan_publish", args=[plan.pk]))
    ).status_code == 404
    listing = client.get(reverse("enforcement:random_plan_list"))
    assert listing.status_code == 200 and plan.title not in listing.content.decode()
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT

    client.force_login(verifier)
    assert client.get(reverse("enforcement:random_plan_list")).status_code == 403
    assert client.get(reverse("enforcement:random_plan_create")).status_code == 403
    assert client.get(reverse("enforcement:random_plan_detail", args=[plan.pk])).status_code == 403


def test_a_leader_of_the_city_sees_and_plans_for_the_district(
    client: Client, dispatcher: Any, leader: Any, district: Unit, pool: list[Any]
) -> None:
    client.force_login(dispatcher)
    plan = make_plan(client, district, pool)
    client.force_login(leader)
    listing = client.get(reverse("enforcement:random_plan_list"))
    assert plan.title in listing.content.decode()
    assert client.get(reverse("enforcement:random_plan_detail", args=[plan.pk])).status_code == 200


# --- publishing ----------------------------------------------------------------------------------


def test_publishing_completes_the_recorded_tasks_and_then_the_plan(
    client: Client, dispatcher: Any, district: Unit, pool: list[Any], registry: Any
) -> None:
    client.force_login(dispatcher)
    plan = drawn_plan(client, district, pool)
    users = {u.pk: u for u in pool}
    tasks = list(Inspection.objects.filter(plan=plan).order_by("pk"))
    *done, last = tasks
    record(done[0], users, problem=True)
    for task in done[1:]:
        record(task, users)

    page = client.get(reverse("enforcement:random_plan_detail", args=[plan.pk]))
    body = page.content.decode()
    assert "发现问题，已依法处理" in body and "未发现问题" in body
    deadline = Deadline.objects.get(case=done[0], kind="publish")
    assert deadline.due_date.strftime("%Y-%m-%d") in body
    rows = {r["task"].pk: r for r in page.context["rows"]}
    assert rows[done[0].pk]["publish_deadline"] == deadline

    # A blank text is refused: nothing published.
    blank = {f"result_{t.pk}": "未发现问题" for t in done}
    blank[f"result_{done[0].pk}"] = "  "
    response = client.post(reverse("enforcement:random_plan_publish", args=[plan.pk]), blank)
    assert response.status_code == 400
    assert "请填写公开的检查结果。" in response.content.decode()
    assert not Inspection.objects.filter(plan=plan, state=InspectionState.COMPLETED).exists()

    texts = {f"result_{t.pk}": "未发现问题" for t in done}
    texts[f"result_{done[0].pk}"] = "危废标识缺失，已责令改正"
    response = client.post(reverse("enforcement:random_plan_publish", args=[plan.pk]), texts)
    assert response.status_code == 302
    for task in done:
        task = Inspection.objects.get(pk=task.pk)
        assert task.state == InspectionState.COMPLETED and task.published_at is not None
        assert task.events.filter(transition="publish_result").count() == 1
    assert Inspection.objects.get(pk=done[0].pk).public_result == "危废标识缺失，已责令改正"
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAWN  # one task is still to inspect

    record(last, users)
    response = client.post(
        reverse("enforcement:random_plan_publish", args=[plan.pk]),
        {f"result_{last.pk}": "未发现问题"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.PUBLISHED
    assert plan.published_at is not None

    # Published: the public page shows each result, the inspectors' names and credentials, but
    # not the inspection's own findings.
    public = client.get(reverse("random_checks:plan", args=[plan.pk])).content.decode()
    assert "危废标识缺失，已责令改正" in public
    assert "现场负责人张三" not in public
    assert "14010003" in public or "14010001" in public
    assert "结果已公开" in public


def test_a_plan_whose_remaining_tasks_are_cancelled_can_be_completed(
    client: Client, dispatcher: Any, district: Unit, pool: list[Any], registry: Any
) -> None:
    client.force_login(dispatcher)
    plan = drawn_plan(client, district, pool)
    for task in Inspection.objects.filter(plan=plan):
        transition_case(task, "cancel", actor=dispatcher, note="企业已关停")
    response = client.post(reverse("enforcement:random_plan_publish", args=[plan.pk]))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.PUBLISHED
    public = client.get(reverse("random_checks:plan", args=[plan.pk])).content.decode()
    assert "企业已关停" not in public and "任务已取消" in public


def test_nothing_to_publish_is_a_400(
    client: Client, dispatcher: Any, district: Unit, pool: list[Any], registry: Any
) -> None:
    client.force_login(dispatcher)
    plan = drawn_plan(client, district, pool)
    response = client.post(reverse("enforcement:random_plan_publish", args=[plan.pk]))
    assert response.status_code == 400
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAWN


# --- the public pages -------------------------------------------------------------------------


def test_the_public_pages_show_the_seed_and_pools_and_no_draft(
    client: Client, dispatcher: Any, district: Unit, pool: list[Any], registry: Any
) -> None:
    client.force_login(dispatcher)
    drawn = drawn_plan(client, district, pool, seed="公开种子")
    draft = make_plan(client, district, pool, title="尚未抽取的计划")
    client.logout()

    index = client.get(reverse("random_checks:index"))
    assert index.status_code == 200
    body = index.content.decode()
    assert drawn.title in body and draft.title not in body and district.name in body
    assert client.get(reverse("random_checks:plan", args=[draft.pk])).status_code == 404

    page = client.get(reverse("random_checks:plan", args=[drawn.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "公开种子" in body and "可复核：以种子重新抽取结果一致" in body
    assert "random.Random" in body
    enterprises = Enterprise.objects.in_bulk([r["enterprise"] for r in drawn.result])
    for enterprise in enterprises.values():
        assert enterprise.name in body and enterprise.uscc in body
    assert "待公开" in body
    # Staff: only the drawn pairs' names and credential numbers, nothing else about them.
    drawn_ids = {pk for r in drawn.result for pk in r["inspectors"]}
    for user in pool:
        if user.pk in drawn_ids:
            assert user.credential.number in body
    assert dispatcher.first_name not in body


def test_the_json_download_reproduces_the_draw(
    client: Client, dispatcher: Any, district: Unit, pool: list[Any], registry: Any
) -> None:
    client.force_login(dispatcher)
    plan = drawn_plan(client, district, pool, seed="下载复核")
    client.logout()
    response = client.get(reverse("random_checks:plan", args=[plan.pk]), {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert set(data) >= {"seed", "ratios", "target_pool", "inspector_pool", "conflicts", "result"}
    again = draw(
        seed=data["seed"],
        targets=data["target_pool"],
        ratios=data["ratios"],
        inspectors=data["inspector_pool"],
        conflicts={int(k): v for k, v in data["conflicts"].items()},
    )
    assert [d.as_json() for d in again] == data["result"] == plan.result


def test_the_json_of_a_draft_is_404(
    client: Client, dispatcher: Any, district: Unit, pool: list[Any]
) -> None:
    client.force_login(dispatcher)
    plan = make_plan(client, district, pool)
    client.logout()
    response = client.get(reverse("random_checks:plan", args=[plan.pk]), {"format": "json"})
    assert response.status_code == 404


def test_an_intake_clerk_cannot_reach_the_staff_pages(client: Client, district: Unit) -> None:
    clerk = make_staff("clerk", district, Role.INTAKE)
    client.force_login(clerk)
    assert client.get(reverse("enforcement:random_plan_list")).status_code == 403
