"""The demo's 秋冬防 campaign: a 调度令 to every district's towns and departments and a check of
each of its 20 construction sites against the 工地 checklist, some of it already moving."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from enforcement.models import Campaign, CampaignOrder, Inspection, SupervisionItem
from tests.factories import client_for

pytestmark = pytest.mark.django_db


def test_the_demo_runs_a_campaign_with_an_order_to_ten_units_and_twenty_sites(demo):
    campaign = Campaign.objects.get()
    assert demo.campaigns == 1
    order = CampaignOrder.objects.get(campaign=campaign)
    assert len(order.units) >= 10 and order.target_count >= 20
    assert order.number.startswith("并环调令〔")
    assert campaign.checklist_items()[0] == ("c1", "施工工地周边100%围挡")
    tasks = SupervisionItem.objects.filter(order=order)
    assert tasks.count() == len(order.units)
    assert tasks.filter(state="reported").count() == 1
    checks = Inspection.objects.filter(order=order)
    assert checks.count() == order.target_count
    done = checks.exclude(state="scheduled").get()
    assert done.problem_found and [c["code"] for c in done.checklist] == [
        f"c{n}" for n in range(1, 7)
    ]


def test_the_leader_and_the_district_see_the_campaign_page(demo):
    campaign = Campaign.objects.get()
    users = get_user_model().objects
    for username in ("leader", "ducha", "dispatcher", "handler"):
        page = client_for(users.get(username=username)).get(
            f"/enforcement/campaigns/{campaign.pk}/"
        )
        assert page.status_code == 200, username
    page = client_for(users.get(username="ducha")).get(f"/enforcement/campaigns/{campaign.pk}/")
    assert 'id="new-order"' in page.content.decode()


def test_the_demo_has_every_bureaus_last_daily_analysis(demo):
    from enforcement.models import DailyAnalysis

    city = DailyAnalysis.objects.get(region__code="TY")
    assert city.totals["open"] > 0 and city.rows
    assert DailyAnalysis.objects.filter(region__code="XD", day=city.day).exists()
    page = client_for(get_user_model().objects.get(username="dispatcher")).get(
        "/enforcement/rhythm/daily/"
    )
    assert "小店分局" in page.content.decode()


def test_the_demo_has_this_weeks_agenda_and_last_months_bulletin_delivered(demo):
    from enforcement.models import MonthlyBulletin, WeeklyAgenda
    from workflow.models import Notification

    bulletin = MonthlyBulletin.objects.get(region__code="XD")
    assert bulletin.number.startswith("小店环通〔") and bulletin.facts
    assert WeeklyAgenda.objects.filter(region__code="XD").exists()
    supervisor = get_user_model().objects.get(username="supervisor")
    assert Notification.objects.filter(recipient=supervisor, document=f"bulletin:{bulletin.pk}")
    page = client_for(supervisor).get(f"/enforcement/rhythm/bulletins/{bulletin.pk}/")
    assert page.status_code == 200 and bulletin.title in page.content.decode()
    assert client_for(supervisor).get("/enforcement/rhythm/weekly/").status_code == 200
