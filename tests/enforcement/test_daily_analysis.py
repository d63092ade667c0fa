"""日分析: each working day, a bureau's open work per responsible unit, taken once and frozen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import DatabaseError, transaction

from enforcement.models import DailyAnalysis
from enforcement.rhythm import daily
from tests.factories import MONDAY, assign_to, client_for, open_item, reload
from workflow.models import Case, Unit
from workflow.transitions import transition_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(dispatcher: Any, handler: Any, district: Unit, town: Unit) -> list[Case]:
    """On Monday: three items for the town, one of them overdue since Friday and escalated."""
    cases = [open_item(actor=dispatcher, jurisdiction=district, now=MONDAY) for _ in range(3)]
    for case in cases:
        assign_to(case, dispatcher=dispatcher, unit=town)
    late = cases[0]
    Case.objects.filter(pk=late.pk).update(due_at=MONDAY - dt.timedelta(days=3), escalation_level=2)
    transition_case(reload(cases[1]), "sign", actor=handler, now=MONDAY)
    return cases


def test_a_working_days_analysis_counts_per_unit_and_is_taken_once(
    work: list[Case], district: Unit, town: Unit, city: Unit
) -> None:
    now = MONDAY + dt.timedelta(hours=1)
    analysis = daily.take(district, MONDAY.date(), now=now)
    [row] = analysis.rows
    assert row["unit"] == town.name
    assert (row["new"], row["overdue"], row["escalated"], row["open"]) == (3, 1, 1, 3)
    assert analysis.totals["open"] == 3 and daily.verify(analysis)
    # Taken again later, after a change: the same document.
    Case.objects.filter(pk=work[1].pk).update(escalation_level=3)
    again = daily.take(district, MONDAY.date(), now=now + dt.timedelta(hours=5))
    assert (again.pk, again.rows, again.digest) == (analysis.pk, analysis.rows, analysis.digest)
    # The city's document holds the districts' units too.
    assert daily.take(city, MONDAY.date(), now=now).totals["open"] == 3


def test_the_beat_job_is_a_no_op_on_a_rest_day_and_once_on_a_working_day(
    work: list[Case], district: Unit
) -> None:
    sunday = MONDAY - dt.timedelta(days=1)
    assert daily.daily(sunday) == []
    first = daily.daily(MONDAY + dt.timedelta(hours=1))
    assert first and DailyAnalysis.objects.count() == len(first)
    daily.daily(MONDAY + dt.timedelta(hours=3))
    assert DailyAnalysis.objects.count() == len(first)


def test_the_document_is_frozen(work: list[Case], district: Unit) -> None:
    analysis = daily.take(district, MONDAY.date(), now=MONDAY)
    with pytest.raises(DatabaseError), transaction.atomic():
        DailyAnalysis.objects.filter(pk=analysis.pk).update(rows=[])


def test_the_page_shows_the_bureaus_latest_and_only_to_its_people(
    work: list[Case], district: Unit, dispatcher: Any, outsider: Any, leader: Any
) -> None:
    analysis = daily.take(district, MONDAY.date(), now=MONDAY + dt.timedelta(hours=1))
    page = client_for(dispatcher).get("/enforcement/rhythm/daily/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="daily-rows"' in body and "北格镇" in body and "overdue=yes" in body
    assert client_for(leader).get(f"/enforcement/rhythm/daily/{analysis.pk}/").status_code == 200
    assert client_for(outsider).get(f"/enforcement/rhythm/daily/{analysis.pk}/").status_code == 404


def test_the_document_reaches_the_units_and_the_bureau_once_in_app_and_by_email(
    work: list[Case],
    district: Unit,
    town: Unit,
    handler: Any,
    supervisor: Any,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from workflow.models import Channel, Notification

    handler.email, supervisor.email = "bg@example.cn", "kz@example.cn"
    handler.save(update_fields=["email"])
    supervisor.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        daily.daily(MONDAY + dt.timedelta(hours=1))
    analysis = DailyAnalysis.objects.get(region=district)
    rows = Notification.objects.filter(document=f"daily:{analysis.pk}")
    town_row = rows.get(recipient=handler, channel=Channel.IN_APP)
    assert "北格镇新增3件" in town_row.message and "逾期1件" in town_row.message
    assert town_row.case is None and town_row.link.endswith(f"/{analysis.pk}/")
    assert rows.filter(recipient=supervisor, channel=Channel.IN_APP, message__contains="合计")
    assert rows.filter(channel=Channel.EMAIL).count() == 2
    assert any(f"/rhythm/daily/{analysis.pk}/" in m.body for m in mailoutbox)
    # Again (a second beat, a retried task): nothing new.
    count = Notification.objects.count()
    daily.daily(MONDAY + dt.timedelta(hours=2))
    assert Notification.objects.count() == count
    # The town's handler finds it in the bell, and can open it.
    client = client_for(handler)
    listed = client.get("/notifications/").content.decode()
    assert "北格镇新增3件" in listed
    assert client.get(town_row.link).status_code == 200
