"""即知即改 and 24-hour response: a patrol's finding becomes a case at once; its hour limits climb
the hour ladder to the minute (a 2-hour 响应时限 is reminded within the hour and chased the
minute it is missed); the 响应 and 处置 rows measure 第一时间响应率; places without a credit
code are what patrols and their cases point at."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from enforcement.models import Patrol, PatrolFinding, Place, PlaceKind, RapidItem
from enforcement.patrols import services
from enforcement.periods import Period
from tests.factories import client_for, reload
from workflow.escalation import fire_due_deadlines, pause_deadline, resume_deadline
from workflow.models import CaseState, Deadline, DeadlineStatus, Escalation, Unit
from workflow.models.escalation import Rung
from workflow.transitions import TransitionDenied, transition_case

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)
#: A Tuesday morning in Beijing, no holiday near: hours are hours whatever the calendar says.
T0 = dt.datetime(2026, 12, 8, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def place(district: Unit, town: Unit) -> Place:
    return Place.objects.create(
        name="北格镇张花村东侧空地",
        kind=PlaceKind.BURNING,
        address="北格镇张花村东200米",
        jurisdiction=district,
        responsible_unit=town,
        created_at=timezone.now(),
    )


@pytest.fixture
def patrol(dispatcher: Any) -> Patrol:
    return services.start_patrol(
        actor=dispatcher, area="北格镇—西温庄乡", shift="day", patrollers=[], campaign=None, now=T0
    )


def _finding(place: Place, unit: Unit | None) -> services.Finding:
    return services.Finding(
        description="露天焚烧秸秆，明火未灭", location="", place=place, unit=unit
    )


def test_a_dispatchers_finding_is_a_case_assigned_at_once_with_hour_limits(
    patrol: Patrol, place: Place, town: Unit, dispatcher: Any, photo: Any
) -> None:
    found = services.record_finding(
        patrol, _finding(place, town), actor=dispatcher, files=[photo], now=T0 + 10 * 60 * SECOND
    )
    item = reload(found.case)
    assert isinstance(item, RapidItem)
    assert item.state == CaseState.ASSIGNED and item.responsible_unit == town
    assert item.location == place.address and found.location == place.address
    at = T0 + 10 * 60 * SECOND
    assert item.respond_by == at + 2 * HOUR and item.dispose_by == at + 24 * HOUR
    respond = Deadline.objects.get(case=item, kind="respond", status=DeadlineStatus.PENDING)
    assert respond.clock == "hours" and respond.due_at == at + 2 * HOUR
    assert item.due_at == at + 2 * HOUR
    opened = item.events.get(transition="open")
    assert opened.attachments.count() == 1  # the photo is the first event's evidence
    assert "北格镇—西温庄乡" in opened.note


SECOND = dt.timedelta(seconds=1)


def test_a_two_hour_limit_is_reminded_within_the_hour_and_chased_the_minute_it_is_missed(
    patrol: Patrol, place: Place, town: Unit, dispatcher: Any
) -> None:
    item = services.record_finding(patrol, _finding(place, town), actor=dispatcher, now=T0).case
    assert fire_due_deadlines(T0 + 59 * 60 * SECOND) == 0
    assert fire_due_deadlines(T0 + HOUR) == 1  # 50 %: the reminder, one hour in
    assert list(Escalation.objects.filter(case=item).values_list("rung", flat=True)) == [
        Rung.REMINDER
    ]
    assert fire_due_deadlines(T0 + 90 * 60 * SECOND) == 1  # 75 %: 橙色预警
    assert fire_due_deadlines(T0 + 2 * HOUR - SECOND) == 0
    assert fire_due_deadlines(T0 + 2 * HOUR) == 1  # missed: 催办 at once, not at midnight
    assert reload(item).escalation_level == Rung.CHASE
    assert fire_due_deadlines(T0 + 26 * HOUR) == 1  # 督办 a day after the missed limit
    assert reload(item).escalation_level == Rung.SUPERVISE


def test_signing_in_time_is_a_response_on_time_and_the_rate_counts_it(
    patrol: Patrol, place: Place, town: Unit, dispatcher: Any, handler: Any
) -> None:
    quick = services.record_finding(patrol, _finding(place, town), actor=dispatcher, now=T0).case
    slow = services.record_finding(patrol, _finding(place, town), actor=dispatcher, now=T0).case
    transition_case(quick, "sign", actor=handler, now=T0 + 40 * 60 * SECOND)
    transition_case(slow, "sign", actor=handler, now=T0 + 3 * HOUR)
    waiting = services.record_finding(patrol, _finding(place, town), actor=dispatcher, now=T0)
    cases = RapidItem.objects.all()
    month = Period.month(2026, 12)
    figures = services.response_figures(cases, kind="respond", period=month, now=T0 + 4 * HOUR)
    # Three limits ran out or were met: one in time, one late, one still unanswered past it.
    assert (figures.counted, figures.on_time, figures.percent) == (3, 1, 33)
    assert figures.mean_minutes == (40 + 180) // 2
    assert reload(waiting.case).state == CaseState.ASSIGNED
    dispose = Deadline.objects.get(case=quick, kind="dispose", status=DeadlineStatus.PENDING)
    assert dispose.due_at == T0 + 24 * HOUR  # 处置 counts from 交办, not from 签收


def test_an_inspectors_finding_waits_for_a_dispatcher_within_the_hour(
    district: Unit, place: Place, town: Unit, inspector: Any, dispatcher: Any
) -> None:
    patrol = services.start_patrol(
        actor=inspector, area="龙城大街", shift="night", patrollers=[], campaign=None, now=T0
    )
    assert patrol.region == district
    with pytest.raises(TransitionDenied):
        services.record_finding(patrol, _finding(place, town), actor=inspector, now=T0)
    assert not RapidItem.objects.exists()  # refused before anything was written
    found = services.record_finding(patrol, _finding(place, None), actor=inspector, now=T0)
    item = reload(found.case)
    assert item.state == CaseState.PENDING_ASSIGNMENT and item.dispatch_by == T0 + HOUR
    transition_case(
        item, "assign", actor=dispatcher, payload={"responsible_unit": town.pk}, now=T0 + HOUR / 2
    )
    item = reload(item)
    assert item.respond_by == T0 + HOUR / 2 + 2 * HOUR
    dispatch = Deadline.objects.get(case=item, kind="dispatch")
    assert dispatch.status == DeadlineStatus.MET


def test_a_campaign_sets_its_own_hours(
    patrol: Patrol, place: Place, town: Unit, dispatcher: Any, district: Unit
) -> None:
    from enforcement.models import Campaign, CampaignKind
    from tests.enforcement.test_campaigns import _today

    today = _today()
    campaign = Campaign.objects.create(
        name="烟花爆竹“五禁”行动",
        kind=CampaignKind.SEASONAL,
        region=district,
        lead_unit=district,
        starts_on=today,
        ends_on=today + dt.timedelta(days=30),
        clear_by=today + dt.timedelta(days=30),
        response_hours=1,
        disposal_hours=4,
        created_by=dispatcher,
        created_at=timezone.now(),
    )
    Patrol.objects.filter(pk=patrol.pk).update(campaign=campaign)
    patrol.refresh_from_db()
    item = services.record_finding(patrol, _finding(place, town), actor=dispatcher, now=T0).case
    assert (item.respond_by, item.dispose_by) == (T0 + HOUR, T0 + 4 * HOUR)
    assert item.campaign == campaign


def test_an_hour_limit_paused_moves_on_by_exactly_the_time_it_stood_still(
    patrol: Patrol, place: Place, town: Unit, dispatcher: Any
) -> None:
    item = services.record_finding(patrol, _finding(place, town), actor=dispatcher, now=T0).case
    respond = Deadline.objects.get(case=item, kind="respond", status=DeadlineStatus.PENDING)
    pause_deadline(respond, reason="暴雨红色预警，暂停现场处置", now=T0 + HOUR / 2)
    resumed = resume_deadline(respond, now=T0 + HOUR / 2 + 45 * 60 * SECOND)
    assert resumed.due_at == T0 + 2 * HOUR + 45 * 60 * SECOND
    # The reminder is half of the period as it now stands, start to the moved limit.
    assert resumed.next_rung_at == T0 + (2 * HOUR + 45 * 60 * SECOND) / 2


def test_the_patrol_pages(
    patrol: Patrol, place: Place, town: Unit, dispatcher: Any, outsider: Any, photo: Any
) -> None:
    client = client_for(dispatcher)
    assert "开始巡查" in client.get("/enforcement/patrols/new/").content.decode()
    assert client.post("/enforcement/patrols/new/", {"shift": "day"}).status_code == 400
    started = client.post("/enforcement/patrols/new/", {"area": "西温庄乡", "shift": "night"})
    assert started.status_code == 302 and Patrol.objects.filter(area="西温庄乡").exists()
    page = client.get("/enforcement/patrols/")
    assert page.status_code == 200 and "北格镇—西温庄乡" in page.content.decode()
    detail = client.get(f"/enforcement/patrols/{patrol.pk}/")
    assert detail.status_code == 200 and "登记发现问题" in detail.content.decode()
    refused = client.post(f"/enforcement/patrols/{patrol.pk}/findings/", {"description": "油烟"})
    assert refused.status_code == 400
    assert "请选择点位或填写发现地点" in refused.content.decode()
    assert "油烟" in refused.content.decode()  # what was typed stays
    done = client.post(
        f"/enforcement/patrols/{patrol.pk}/findings/",
        {"description": "露天焚烧垃圾", "place": place.pk, "files": [photo]},
    )
    assert done.status_code == 302
    item = PatrolFinding.objects.get().case
    assert item.responsible_unit == town  # the place's own unit, no unit chosen
    shown = client.get(f"/enforcement/patrols/{patrol.pk}/").content.decode()
    assert item.case_no in shown
    assert client_for(outsider).get(f"/enforcement/patrols/{patrol.pk}/").status_code == 404
    ended = client.post(f"/enforcement/patrols/{patrol.pk}/end/", {"summary": "巡查2小时"})
    assert ended.status_code == 302
    assert "登记发现问题" not in client.get(f"/enforcement/patrols/{patrol.pk}/").content.decode()


def test_the_dispatcher_assigns_a_waiting_finding_from_its_case_page(
    district: Unit, place: Place, town: Unit, inspector: Any, dispatcher: Any
) -> None:
    patrol = services.start_patrol(
        actor=inspector, area="龙城大街", shift="day", patrollers=[], campaign=None, now=T0
    )
    item = services.record_finding(patrol, _finding(place, None), actor=inspector, now=T0).case
    client = client_for(dispatcher)
    form = client.get(f"/cases/{item.pk}/transitions/assign/")
    assert form.status_code == 200
    page = form.content.decode()
    assert "交办后2小时内签收响应，24小时内处置并反馈" in page and "rectify_due" not in page
    done = client.post(f"/cases/{item.pk}/transitions/assign/", {"responsible_unit": town.pk})
    assert done.status_code in (200, 302)
    item = reload(item)
    assert item.state == CaseState.ASSIGNED and item.respond_by is not None


def test_a_campaigns_patrols_and_findings_show_on_its_page_and_in_its_programme(
    patrol: Patrol, place: Place, town: Unit, dispatcher: Any, district: Unit
) -> None:
    from enforcement.campaigns.programme import cases as programme_cases
    from enforcement.models import Campaign, CampaignKind

    today = dt.date(2026, 12, 8)
    campaign = Campaign.objects.create(
        name="秸秆禁烧专项行动",
        kind=CampaignKind.SEASONAL,
        region=district,
        lead_unit=district,
        starts_on=today - dt.timedelta(days=7),
        ends_on=today + dt.timedelta(days=30),
        clear_by=today + dt.timedelta(days=30),
        created_by=dispatcher,
        created_at=T0,
    )
    Patrol.objects.filter(pk=patrol.pk).update(campaign=campaign)
    patrol.refresh_from_db()
    item = services.record_finding(patrol, _finding(place, town), actor=dispatcher, now=T0).case
    assert RapidItem.objects.filter(programme_cases(f"campaign:{campaign.pk}")).get() == item
    page = client_for(dispatcher).get(f"/enforcement/campaigns/{campaign.pk}/").content.decode()
    assert "本行动巡查 1 次，发现问题 1 件" in page
    listed = client_for(dispatcher).get(f"/enforcement/patrols/?campaign={campaign.pk}")
    assert "秸秆禁烧专项行动" in listed.content.decode()


def test_a_places_page_gathers_its_findings_inspections_and_complaints(
    patrol: Patrol, place: Place, town: Unit, dispatcher: Any, intake: Any, district: Unit
) -> None:
    from enforcement.complaints import identity as identities
    from enforcement.complaints.services import Submission, submit

    item = services.record_finding(patrol, _finding(place, town), actor=dispatcher, now=T0).case
    complaint = submit(
        Submission(
            category="air",
            description="每晚有人烧垃圾，烟味很大",
            location=f"{place.name}附近",
            jurisdiction=district,
        ),
        identities.Identity(),
        now=T0,
    )
    page = client_for(dispatcher).get(f"/enforcement/places/{place.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert item.case_no in text and complaint.case_no in text
    assert (
        f"/enforcement/places/{place.pk}/"
        in client_for(dispatcher).get(f"/enforcement/patrols/{patrol.pk}/").content.decode()
    )
