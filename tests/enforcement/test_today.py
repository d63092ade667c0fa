"""今日任务: an inspector's scheduled inspections, the correction orders awaiting 复查 with their
deadline highlighted, and the enforcement cases awaiting them — in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enforcement.inspections.services import schedule_inspection
from enforcement.models import InspectionType
from tests.enforcement.field import at, issue_order, make_enterprise, make_inspector, open_clue
from tests.factories import client_for

pytestmark = pytest.mark.django_db

TODAY = "/enforcement/inspections/today/"
NOW = at(dt.date(2026, 9, 10), 8)


@pytest.fixture(autouse=True)
def _clock() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def section(page: str, anchor: str) -> str:
    match = re.search(rf'<section[^>]*id="{anchor}".*?</section>', page, re.S)
    assert match, anchor
    return match.group(0)


def task(actor: Any, enterprise: Any, inspectors: list[Any], day: dt.date) -> Any:
    return schedule_inspection(
        actor=actor,
        enterprise=enterprise,
        inspection_type=InspectionType.SPECIAL,
        inspectors=inspectors,
        inspect_by=day,
        now=NOW - dt.timedelta(days=20),
    )


@pytest.fixture
def world(
    district: Any,
    other_district: Any,
    team: Any,
    dispatcher: Any,
    inspector: Any,
    inspector2: Any,
) -> dict[str, Any]:
    third = make_inspector("inspector3", team, "14010003")
    fourth = make_inspector("inspector4", team, "14010004")
    mine_site = make_enterprise(district, name="小店甲化工厂")
    open_site = make_enterprise(district, name="小店乙印染厂")
    other_site = make_enterprise(district, name="小店丙电镀厂")
    overdue_site = make_enterprise(district, name="小店丁铸造厂")
    soon_site = make_enterprise(district, name="小店戊焦化厂")
    case_site = make_enterprise(district, name="小店己制药厂")
    return {
        "mine": task(dispatcher, mine_site, [inspector, inspector2], dt.date(2026, 9, 20)),
        "open": task(dispatcher, open_site, [], dt.date(2026, 9, 15)),
        "others": task(dispatcher, other_site, [third, fourth], dt.date(2026, 9, 12)),
        # 复查 within 30 days of service: served 08-01 → due 08-31 (overdue); 08-12 → 09-11.
        "overdue": issue_order(
            inspector,
            overdue_site,
            served_at=at(dt.date(2026, 8, 1)),
            correct_by=dt.date(2026, 8, 20),
        ),
        "soon": issue_order(
            inspector,
            soon_site,
            served_at=at(dt.date(2026, 8, 12)),
            correct_by=dt.date(2026, 8, 30),
        ),
        "case": open_clue(inspector, inspector2, case_site, now=NOW - dt.timedelta(days=2)),
    }


def test_the_inspectors_day(inspector: Any, world: dict[str, Any]) -> None:
    response = client_for(inspector).get(TODAY)
    assert response.status_code == 200
    page = response.content.decode()

    tasks = section(page, "today-inspections")
    assert "小店甲化工厂" in tasks and "小店乙印染厂" in tasks
    assert "小店丙电镀厂" not in tasks  # drawn for two other inspectors
    # Sorted by the day they are due: the open task (09-15) before mine (09-20).
    assert tasks.index("小店乙印染厂") < tasks.index("小店甲化工厂")
    record = reverse("console:transition", args=[world["mine"].pk, "record"])
    assert record in tasks

    orders = section(page, "today-orders")
    overdue = orders[orders.index("小店丁铸造厂") : orders.index("小店戊焦化厂")]
    soon = orders[orders.index("小店戊焦化厂") :]
    assert "badge--overdue" in overdue and "2026-08-31" in overdue
    assert "badge--warning" in soon and "2026-09-11" in soon
    assert f"?enterprise={world['soon'].enterprise_id}&amp;type=recheck" in soon

    cases = section(page, "today-cases")
    assert world["case"].case_no in cases
    assert f"?enterprise={world['case'].enterprise_id}" in cases


def test_someone_elses_day(outsider: Any, world: dict[str, Any]) -> None:
    page = client_for(outsider).get(TODAY).content.decode()
    for name in ("小店甲化工厂", "小店乙印染厂", "小店丁铸造厂", "小店己制药厂"):
        assert name not in page
    assert "没有待检查的任务" in page and "没有待复查的责令改正" in page


def test_the_page_needs_a_fixed_number_of_queries(
    district: Any,
    dispatcher: Any,
    inspector: Any,
    inspector2: Any,
    world: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(inspector)
    client.get(TODAY)  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        client.get(TODAY)
    for n in range(4):
        site = make_enterprise(district, name=f"小店加测企业{n}")
        task(dispatcher, site, [inspector, inspector2], dt.date(2026, 9, 25))
        issue_order(
            inspector, site, served_at=at(dt.date(2026, 8, 20)), correct_by=dt.date(2026, 9, 1)
        )
        open_clue(inspector, inspector2, site, now=NOW - dt.timedelta(days=1))
    with django_assert_max_num_queries(len(few)):
        page = client.get(TODAY).content.decode()
    assert page.count("小店加测企业") >= 12
