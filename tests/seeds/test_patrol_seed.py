"""The demo's 即知即改: a night patrol with findings answered in time and late, an item due in 2
hours, an inspector's finding waiting for 交办, and 20 campaign sites on the register of places."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from enforcement.models import Campaign, Inspection, Patrol, Place, PlaceKind, RapidItem
from tests.factories import client_for
from tests.seeds.conftest import NOW
from workflow.models import DeadlineStatus

pytestmark = pytest.mark.django_db


def test_the_demo_patrols_and_their_findings(demo):
    assert demo.patrols == 3 and demo.rapid_items == 4 and demo.places >= 24
    night = Patrol.objects.get(shift="night")
    assert night.ended_at is not None and night.findings.count() == 2
    items = RapidItem.objects.order_by("pk")
    respond = {item.title: item.deadlines.filter(kind="respond").first() for item in items}
    statuses = sorted(str(d.status) for d in respond.values() if d is not None)
    assert statuses == [DeadlineStatus.LATE, DeadlineStatus.MET, DeadlineStatus.PENDING]
    due_soon = items.get(state="assigned")
    left = due_soon.respond_by - NOW
    assert dt.timedelta(hours=1) < left <= dt.timedelta(hours=2)
    waiting = items.get(state="pending_assignment")
    assert waiting.dispatch_by is not None and waiting.responsible_unit is None


def test_the_campaign_checks_its_sites_as_places(demo):
    campaign = Campaign.objects.get()
    assert campaign.places.filter(kind=PlaceKind.SITE).count() == 20
    assert Inspection.objects.filter(order__campaign=campaign, place__isnull=False).count() == 20
    assert Place.objects.filter(kind=PlaceKind.BURNING).exists()


def test_the_dispatcher_reads_the_patrols_and_the_rate(demo):
    dispatcher = get_user_model().objects.get(username="dispatcher")
    page = client_for(dispatcher).get("/enforcement/patrols/").content.decode()
    assert "北格镇—张花村—北格大道" in page and "第一时间响应率" in page
    night = Patrol.objects.get(shift="night")
    detail = client_for(dispatcher).get(f"/enforcement/patrols/{night.pk}/").content.decode()
    assert "农田内焚烧秸秆" in detail
