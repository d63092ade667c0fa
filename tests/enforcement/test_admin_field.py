"""The back office of the field work: every new model's changelist and change page loads for a
superuser; cases are read-only (their state moves only through the console), and a drawn plan's
seed, pools and result cannot be edited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from enforcement.inspections.draw import draw_plan
from enforcement.models import (
    CorrectionOrder,
    EnforcementCase,
    Inspection,
    InspectorCredential,
    PlanState,
    RandomInspectionPlan,
)
from tests.enforcement.field import at, issue_order, make_inspector, open_clue
from workflow.models import Unit

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 10, 9)


@pytest.fixture
def admin_client(client: Client) -> Client:
    user = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    client.force_login(user)
    return client


def plan_for(district: Unit, dispatcher: Any, pool: list[Any], title: str) -> Any:
    plan = RandomInspectionPlan.objects.create(
        jurisdiction=district,
        year=2026,
        quarter=4,
        title=title,
        ratios={"key": 1.0},
        conflict_days=365,
        inspect_by=dt.date(2026, 12, 20),
        created_by=dispatcher,
        created_at=at(DAY),
    )
    plan.inspector_pool_users.set(pool)
    return plan


@pytest.fixture
def records(
    district: Unit, team: Unit, dispatcher: Any, inspector: Any, inspector2: Any, factory_site: Any
) -> dict[str, Any]:
    pool = [inspector, inspector2, make_inspector("inspector3", team, "14010003")]
    draft = plan_for(district, dispatcher, pool, "草稿计划")
    drawn = plan_for(district, dispatcher, pool, "已抽取计划")
    tasks = draw_plan(drawn, actor=dispatcher, now=at(DAY), seed="后台种子2026")
    case = open_clue(inspector, inspector2, factory_site, now=at(DAY))
    order = issue_order(
        inspector, factory_site, served_at=at(DAY, 11), correct_by=dt.date(2026, 11, 9)
    )
    return {
        "credential": InspectorCredential.objects.get(user=inspector),
        "draft": draft,
        "drawn": drawn,
        "inspection": tasks[0],
        "case": case,
        "order": order,
    }


MODELS = [
    ("inspectorcredential", "credential"),
    ("randominspectionplan", "draft"),
    ("randominspectionplan", "drawn"),
    ("inspection", "inspection"),
    ("enforcementcase", "case"),
    ("correctionorder", "order"),
]


@pytest.mark.parametrize(("model", "key"), MODELS)
def test_changelist_and_change_view_load(
    admin_client: Client, records: dict[str, Any], model: str, key: str
) -> None:
    changelist = admin_client.get(reverse(f"admin:enforcement_{model}_changelist"))
    assert changelist.status_code == 200
    obj = records[key]
    change = admin_client.get(reverse(f"admin:enforcement_{model}_change", args=[obj.pk]))
    assert change.status_code == 200


@pytest.mark.parametrize("model", [Inspection, EnforcementCase, CorrectionOrder])
def test_cases_are_read_only(admin_client: Client, records: dict[str, Any], model: Any) -> None:
    name = model._meta.model_name
    obj = model.objects.first()
    change = admin_client.get(reverse(f"admin:enforcement_{name}_change", args=[obj.pk]))
    body = change.content.decode()
    assert 'name="state"' not in body and 'name="_save"' not in body
    assert admin_client.get(reverse(f"admin:enforcement_{name}_add")).status_code == 403
    state = obj.state
    response = admin_client.post(
        reverse(f"admin:enforcement_{name}_change", args=[obj.pk]), {"state": "completed"}
    )
    assert response.status_code == 403
    obj.refresh_from_db()
    assert obj.state == state


def test_a_drawn_plan_is_read_only_and_cannot_be_deleted(
    admin_client: Client, records: dict[str, Any]
) -> None:
    plan = records["drawn"]
    url = reverse("admin:enforcement_randominspectionplan_change", args=[plan.pk])
    body = admin_client.get(url).content.decode()
    for field in ("seed", "result", "target_pool", "ratios", "state", "title"):
        assert f'name="{field}"' not in body
    assert "后台种子2026" in body  # the seed is shown, read-only
    admin_client.post(url, {"title": "改过的", "seed": "other", "state": PlanState.DRAFT})
    plan.refresh_from_db()
    assert (
        plan.seed == "后台种子2026" and plan.state == PlanState.DRAWN and plan.title == "已抽取计划"
    )
    delete = reverse("admin:enforcement_randominspectionplan_delete", args=[plan.pk])
    assert admin_client.get(delete).status_code == 403


def test_a_draft_plan_may_be_corrected_but_not_its_state_or_seed(
    admin_client: Client, records: dict[str, Any]
) -> None:
    plan = records["draft"]
    url = reverse("admin:enforcement_randominspectionplan_change", args=[plan.pk])
    body = admin_client.get(url).content.decode()
    assert 'name="title"' in body and 'name="ratios"' in body
    assert 'name="seed"' not in body and 'name="state"' not in body
