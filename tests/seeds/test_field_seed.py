"""The demo's field work in 小店: cases at every stage of the ordinary procedure with their clocks
as the law has them, 责令改正 with a refusal, and two 双随机 plans that verify."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from enforcement.inspections.draw import verify_draw
from enforcement.inspections.views import today_context
from enforcement.models import (
    CorrectionOrder,
    CorrectionState,
    EnforcementCase,
    EnforcementState,
    Inspection,
    InspectionState,
    PlanState,
    RandomInspectionPlan,
)
from seeds.taiyuan import DEMO_USERS
from tests.seeds.conftest import NOW
from workflow import calendar
from workflow.models import CaseEvent, Deadline
from workflow.models.deadline import DeadlineStatus
from workflow.roles import Role

pytestmark = pytest.mark.django_db

TODAY = calendar.local_date(NOW)


def user(username):
    return get_user_model().objects.get(username=username)


def one(state):
    return EnforcementCase.objects.get(state=state)


def test_the_demo_has_an_enforcement_case_at_every_stage_the_brief_lists(demo):
    states = set(EnforcementCase.objects.values_list("state", flat=True))
    assert states == {
        EnforcementState.CLUE,
        EnforcementState.FILING_REVIEW,
        EnforcementState.INVESTIGATING,
        EnforcementState.SUSPENDED,
        EnforcementState.NOTICE_SERVED,
        EnforcementState.DECISION_PENDING,
        EnforcementState.EXECUTING,
        EnforcementState.NOT_FILED,
        "closed",
    }
    assert demo.enforcement_cases == EnforcementCase.objects.count() == 9
    assert demo.inspections == Inspection.objects.count()
    assert demo.correction_orders == CorrectionOrder.objects.count()
    assert demo.random_plans == RandomInspectionPlan.objects.count() == 2
    assert set(EnforcementCase.objects.values_list("jurisdiction__code", flat=True)) == {"XD"}


def test_every_filed_case_was_filed_within_15_days_of_its_lead(demo):
    for case in EnforcementCase.objects.exclude(filed_at=None):
        assert calendar.local_date(case.filed_at) <= case.filing_due, case
        assert Deadline.objects.get(case=case, kind="filing").status == DeadlineStatus.MET


def test_the_suspended_case_decision_period_stands_still(demo):
    case = one(EnforcementState.SUSPENDED)
    decision = Deadline.objects.get(case=case, kind="decision", status=DeadlineStatus.PENDING)
    assert decision.paused_intervals[-1]["to"] is None
    assert decision.next_rung_at is None
    assert case.suspension_reason


def test_the_noticed_case_has_its_windows_still_open(demo):
    case = one(EnforcementState.NOTICE_SERVED)
    assert case.hearing_eligible and case.notice_no
    assert case.defence_due >= TODAY and case.hearing_request_due >= TODAY
    assert case.decision_due > TODAY


def test_cases_went_to_decision_only_after_the_notice_windows_lapsed(demo):
    for case in EnforcementCase.objects.exclude(notice_served_at=None).exclude(
        state=EnforcementState.NOTICE_SERVED
    ):
        submitted = CaseEvent.objects.get(case=case, transition="submit_decision")
        last = max(d for d in (case.defence_due, case.hearing_request_due) if d is not None)
        assert submitted.created_at > calendar.end_of_day(last), case


def test_the_executing_case_owes_its_fine_within_15_days_of_service(demo):
    case = one(EnforcementState.EXECUTING)
    assert case.decision_no and case.fine_amount
    assert case.payment_due == calendar.add_days(calendar.local_date(case.served_at), 15).date
    assert case.payment_due >= TODAY
    payment = Deadline.objects.get(case=case, kind="payment")
    assert payment.status == DeadlineStatus.PENDING


def test_the_closed_case_was_decided_paid_and_closed(demo):
    case = one("closed")
    assert case.decision_no and case.paid_amount == case.fine_amount
    assert not Deadline.objects.filter(case=case, status=DeadlineStatus.PENDING).exists()


def test_the_refused_order_records_the_daily_penalty_days_and_served_a_new_order(demo):
    refused = CorrectionOrder.objects.get(state=CorrectionState.CONTINUING)
    served = calendar.local_date(refused.served_at)
    found = calendar.local_date(refused.rechecked_at)
    assert refused.penalty_from == served + dt.timedelta(days=1)
    assert refused.penalty_to == found
    assert refused.penalty_days == (found - served).days > 0
    assert refused.penalty_amount == refused.daily_amount * refused.penalty_days
    assert refused.recheck_inspection is not None
    follow_up = CorrectionOrder.objects.get(previous_order=refused)
    assert follow_up.served_at == refused.rechecked_at
    assert follow_up.state == CorrectionState.CORRECTED


def test_an_order_awaits_its_recheck_within_days_on_the_inspectors_today_page(demo):
    order = CorrectionOrder.objects.get(state=CorrectionState.ORDERED)
    assert TODAY <= order.recheck_due <= TODAY + dt.timedelta(days=14)
    assert order.reported_at is not None
    today = today_context(user("inspector"), NOW)
    assert order in today["orders"]
    assert any(task.inspect_by == TODAY for task in today["inspections"])
    assert today["cases"], "a case awaits the inspector"


def test_the_today_page_answers_the_demo_inspector(demo, client):
    client.force_login(user("inspector"))
    assert client.get(reverse("enforcement:today")).status_code == 200


def test_both_plans_verify_from_their_published_seeds(demo):
    earlier, current = RandomInspectionPlan.objects.order_by("year", "quarter")
    assert (earlier.seed, current.seed) == ("小店-2026Q1-demo", "小店-2026Q2-demo")
    for plan in (earlier, current):
        assert verify_draw(plan)
        assert len(plan.result) == 3
        assert all(len(set(item["inspectors"])) == 2 for item in plan.result)
    assert earlier.state == PlanState.PUBLISHED
    assert set(earlier.tasks.values_list("state", flat=True)) == {InspectionState.COMPLETED}
    assert current.state == PlanState.DRAWN
    assert sorted(current.tasks.values_list("state", flat=True)) == sorted(
        [InspectionState.COMPLETED, InspectionState.RECORDED, InspectionState.SCHEDULED]
    )


def test_no_drawn_inspector_had_inspected_the_target_in_the_conflict_window(demo):
    current = RandomInspectionPlan.objects.get(seed="小店-2026Q2-demo")
    for item in current.result:
        barred = set(current.conflicts.get(str(item["enterprise"]), []))
        assert not barred & set(item["inspectors"])
    assert current.conflicts, "the earlier quarter and the daily inspections bar someone"


def test_the_public_results_pages_show_the_plans_and_their_seeds(demo, client):
    index = client.get(reverse("random_checks:index"))
    assert index.status_code == 200
    for plan in RandomInspectionPlan.objects.all():
        page = client.get(reverse("random_checks:plan", args=[plan.pk]))
        assert page.status_code == 200
        assert plan.seed in page.content.decode()


def test_every_inspector_and_verifier_holds_a_valid_credential(demo):
    on_site = [p for p in DEMO_USERS if {Role.INSPECTOR, Role.VERIFIER} & set(p.roles)]
    assert {p.username for p in on_site} >= {"inspector", "inspector2", "yz_inspector2"}
    for person in on_site:
        credential = user(person.username).credential
        assert credential.number == person.credential
        assert credential.is_valid_on(TODAY) and credential.valid_until.year == 2028
    second = user("inspector2")
    assert (second.first_name, second.staff.unit.code) == ("孙浩", "XD-TEAM")


def test_field_numbers_follow_the_order_things_happened(demo):
    for prefix in ("小店执", "小店检", "小店责改"):
        numbers = list(
            CaseEvent.objects.filter(transition="open", case__case_no__startswith=prefix)
            .order_by("created_at", "case_id")
            .values_list("case__case_no", flat=True)
        )
        assert numbers == sorted(numbers) and numbers, prefix
    filed = EnforcementCase.objects.exclude(filing_no="").order_by("filed_at")
    assert [c.filing_no for c in filed] == [f"小店环立〔2026〕{n}号" for n in range(1, 7)]


def test_a_case_a_complaint_started_is_linked_to_it_on_both_timelines(demo):
    from workflow.models import CaseLink

    linked = EnforcementCase.objects.exclude(source_complaint=None)
    assert linked.exists()
    for case in linked:
        assert CaseLink.objects.filter(from_case=case, to_case=case.source_complaint_id).exists()
        complaint_events = case.source_complaint.events.order_by("seq")
        times = [e.created_at for e in complaint_events]
        assert times == sorted(times)  # the link came after the complaint's story
