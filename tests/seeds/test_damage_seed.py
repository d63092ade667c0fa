"""The demo's damage compensation: a case in each stage, 一案双查 on both timelines, the 磋商
limits, timelines in time order, and metrics with numbers in this quarter and the last."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from enforcement.damage.metrics import Period, rates
from enforcement.models import (
    Complaint,
    ConsultationMeeting,
    DamageCase,
    DamageState,
    EnforcementCase,
)
from tests.seeds.conftest import NOW
from workflow import calendar
from workflow.models import CaseEvent, CaseLink
from workflow.models.case import LinkKind

pytestmark = pytest.mark.django_db

TODAY = calendar.local_date(NOW)


def test_the_demo_has_a_damage_case_in_every_stage(demo):
    states = set(DamageCase.objects.filter(jurisdiction__code="XD").values_list("state", flat=True))
    assert states == {*DamageState.values, "closed"}
    assert demo.damage_cases == DamageCase.objects.count()
    assert DamageCase.objects.filter(jurisdiction__code="YZ").exists()
    closed = DamageCase.objects.filter(state="closed")
    assert {c.consultation_succeeded for c in closed} == {True, False}  # 磋商 and 诉讼
    assert demo.consultation_meetings == ConsultationMeeting.objects.count()


def test_the_stages_carry_what_the_brief_asks(demo):
    fresh = DamageCase.objects.get(state=DamageState.CLUE)
    assert fresh.screened_at is None
    assert (
        calendar.local_date(fresh.clue_received_at)
        >= Period.quarter(TODAY.year, (TODAY.month - 1) // 3 + 1).first
    )
    checking = DamageCase.objects.get(state=DamageState.PRELIM_CHECK)
    assert TODAY <= checking.prelim_due <= TODAY + dt.timedelta(days=7)
    assert DamageCase.objects.get(state=DamageState.NOT_STARTED).not_started_reason
    assert DamageCase.objects.get(state=DamageState.CONSULTING).meetings_held == 2
    remediating = DamageCase.objects.get(state=DamageState.REMEDIATING)
    assert remediating.paid_amount > 0
    assert remediating.events.filter(transition="record_progress").count() == 2
    assert DamageCase.objects.get(state=DamageState.TERMINATED).termination_reason
    confirming = DamageCase.objects.get(state=DamageState.JUDICIAL_CONFIRMATION)
    assert confirming.publicity_end >= TODAY
    suing = DamageCase.objects.get(state=DamageState.LITIGATING)
    assert suing.reconsulted and suing.court_case_no


def test_remediation_is_verified_by_someone_who_did_not_record_it(demo):
    for event in CaseEvent.objects.filter(transition="verify_remediation"):
        recorders = set(
            event.case.events.filter(transition="record_progress").values_list(
                "actor__username", flat=True
            )
        )
        assert event.actor.username == "verifier" and "verifier" not in recorders


def test_double_investigation_links_the_penalty_case_on_both_timelines(demo):
    hengda = EnforcementCase.objects.get(title="恒达化工超标排放水污染物案")
    link = CaseLink.objects.get(kind=LinkKind.DOUBLE_INVESTIGATION, to_case=hengda)
    damage = DamageCase.objects.get(pk=link.from_case_id)
    assert damage.channel == "penalty"
    for end in (damage, hengda):
        assert end.events.filter(transition="link").exists()
    complaint_link = CaseLink.objects.get(kind=LinkKind.SPAWNED_FROM, from_case__kind="damage")
    complaint = Complaint.objects.get(pk=complaint_link.to_case_id)
    assert complaint.events.filter(transition="link").exists()


def test_consultations_keep_to_three_meetings_a_round_and_90_days(demo):
    limit = settings.ECOLOOP_DAMAGE_MAX_MEETINGS
    for case in DamageCase.objects.exclude(consultation_notice_served_at=None):
        assert case.meetings_held <= limit
        for round_ in (1, 2):
            meetings = ConsultationMeeting.objects.filter(case=case, round=round_)
            assert meetings.count() <= limit
        served = calendar.local_date(case.consultation_notice_served_at)
        assert (case.consultation_due - served).days >= settings.ECOLOOP_DAMAGE_CONSULTATION_DAYS
        for meeting in ConsultationMeeting.objects.filter(case=case):
            assert meeting.held_at <= calendar.end_of_day(case.consultation_due)
        if case.consultation_concluded_at and case.consultation_succeeded:
            assert case.consultation_concluded_at <= calendar.end_of_day(case.consultation_due)


def test_every_damage_timeline_and_its_linked_timelines_run_in_time_order(demo):
    linked = CaseLink.objects.filter(from_case__kind="damage").values_list("to_case", flat=True)
    for case_id in [*DamageCase.objects.values_list("pk", flat=True), *linked]:
        times = list(
            CaseEvent.objects.filter(case_id=case_id)
            .order_by("seq")
            .values_list("created_at", flat=True)
        )
        assert times == sorted(times) and times[-1] < NOW, case_id


def test_the_metrics_have_numbers_this_quarter_and_the_last(demo):
    year, quarter = TODAY.year, (TODAY.month - 1) // 3 + 1
    previous = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    for period in (Period.quarter(year, quarter), Period.quarter(*previous)):
        counts = {r.code: r.counts() for r in rates(DamageCase.objects.all(), period)}
        screened, received = counts["screening"]
        assert 0 < screened <= received, (period, counts)
        assert counts["start"][1] > 0 and counts["consultation"][1] > 0, (period, counts)


def test_the_admin_lists_and_shows_damage_cases_read_only(demo, client):
    client.force_login(get_user_model().objects.get(username="admin"))
    listing = client.get(reverse("admin:enforcement_damagecase_changelist"))
    assert listing.status_code == 200
    case = DamageCase.objects.get(state=DamageState.CONSULTING)
    page = client.get(reverse("admin:enforcement_damagecase_change", args=[case.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert case.parties.get().name in body
    assert case.meetings.first().minutes in body
    assert client.get(reverse("admin:enforcement_damagecase_add")).status_code == 403


def test_agreement_numbers_follow_the_order_they_were_signed(demo):
    signed = DamageCase.objects.exclude(agreement_no="").order_by("agreement_signed_at")
    by_year: dict[int, list[str]] = {}
    for case in signed:
        by_year.setdefault(calendar.local_date(case.agreement_signed_at).year, []).append(
            case.agreement_no
        )
    assert sum(len(numbers) for numbers in by_year.values()) == 5
    for year, numbers in by_year.items():
        assert numbers == [f"小店损协〔{year}〕{n}号" for n in range(1, len(numbers) + 1)]
