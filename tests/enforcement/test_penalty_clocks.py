"""The ordinary procedure's clocks, each with an explicit `now` (reference/domain.md §2.2).

Known answers come from the working calendar (2026: National Day 10-01..10-07 with make-up
Saturdays 09-20 and 10-10).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from enforcement.models import EnforcementState
from enforcement.penalties.forms import defence_due, earliest_hearing_day, hearing_request_due
from tests.enforcement.field import at, file_case, open_clue, reload_enf
from tests.factories import MONDAY
from workflow.escalation import fire_due_deadlines
from workflow.models import Deadline
from workflow.models.deadline import DeadlineStatus
from workflow.transitions import InvalidTransition, TransitionDenied, transition_case

pytestmark = pytest.mark.django_db


def standing(case: Any, kind: str) -> Deadline:
    return Deadline.objects.get(case=case, kind=kind, status=DeadlineStatus.PENDING)


def test_filing_period_is_15_days_from_the_lead_and_extends_once_by_15(
    inspector: Any, inspector2: Any, supervisor: Any, factory_site: Any
) -> None:
    case = open_clue(inspector, inspector2, factory_site, now=at(dt.date(2026, 6, 1)))
    filing = standing(case, "filing")
    assert filing.due_date == dt.date(2026, 6, 16)
    assert case.due_at == filing.due_at  # the main deadline of a fresh lead

    transition_case(case, "extend_filing", actor=supervisor, note="需补充监测", now=MONDAY)
    case = reload_enf(case)
    assert case.filing_due == dt.date(2026, 7, 1)
    assert standing(case, "filing").due_date == dt.date(2026, 7, 1)
    with pytest.raises(InvalidTransition):
        transition_case(case, "extend_filing", actor=supervisor, note="再次", now=MONDAY)


def test_the_investigators_cannot_approve_their_own_filing(
    inspector: Any, inspector2: Any, supervisor: Any, factory_site: Any
) -> None:
    """Separation of duties: a head who investigated may not decide."""
    from workflow.roles import Role

    inspector.groups.add(*supervisor.groups.all())
    inspector.__dict__.pop("_roles", None)
    case = open_clue(inspector, inspector2, factory_site)
    transition_case(
        case,
        "submit_filing",
        actor=inspector,
        payload={"violation_facts": "超标", "violated_provisions": "第十条"},
        now=MONDAY,
    )
    assert Role.SUPERVISOR
    with pytest.raises(TransitionDenied):
        transition_case(reload_enf(case), "approve_filing", actor=inspector, now=MONDAY)


def test_decision_period_is_90_days_from_filing_and_closes_the_filing_period(
    inspector: Any, inspector2: Any, supervisor: Any, factory_site: Any
) -> None:
    case = open_clue(inspector, inspector2, factory_site)
    file_case(case, inspector, supervisor, now=at(dt.date(2026, 6, 5)))
    case = reload_enf(case)
    assert case.state == EnforcementState.INVESTIGATING
    assert case.filing_no == "小店环立〔2026〕1号"
    assert Deadline.objects.get(case=case, kind="filing").status == DeadlineStatus.MET
    decision = standing(case, "decision")
    # 2026-06-05 + 90 days = 2026-09-03 (a Thursday).
    assert decision.due_date == dt.date(2026, 9, 3) == case.decision_due
    assert case.due_at == decision.due_at


def test_suspension_pauses_the_decision_period_and_resumption_moves_it_on(
    inspector: Any, inspector2: Any, supervisor: Any, factory_site: Any
) -> None:
    """中止 (办法 第三十五条): the 20 days the case stood still are added to the 90."""
    case = open_clue(inspector, inspector2, factory_site)
    file_case(case, inspector, supervisor, now=at(dt.date(2026, 6, 5)))
    transition_case(
        reload_enf(case),
        "suspend",
        actor=supervisor,
        payload={"suspension_reason": "interpretation"},
        note="请示上级机关法律适用",
        now=at(dt.date(2026, 7, 1)),
    )
    case = reload_enf(case)
    paused = standing(case, "decision")
    assert paused.paused_intervals and paused.paused_intervals[0]["to"] is None
    assert paused.next_rung_at is None  # nothing escalates while suspended

    # The old due date passes while suspended: no rung fires.
    assert fire_due_deadlines(at(dt.date(2026, 9, 10))) == 0

    transition_case(case, "resume", actor=supervisor, note="已答复", now=at(dt.date(2026, 7, 21)))
    case = reload_enf(case)
    resumed = standing(case, "decision")
    assert resumed.due_date == dt.date(2026, 9, 23)  # 09-03 + 20 days
    assert case.decision_due == dt.date(2026, 9, 23)
    assert case.state == EnforcementState.INVESTIGATING


def test_the_head_extends_the_decision_once_by_at_most_30_days_then_only_collectively(
    inspector: Any, inspector2: Any, supervisor: Any, factory_site: Any
) -> None:
    case = open_clue(inspector, inspector2, factory_site)
    file_case(case, inspector, supervisor, now=at(dt.date(2026, 6, 5)))
    with pytest.raises(InvalidTransition) as too_long:
        transition_case(
            reload_enf(case),
            "extend_decision",
            actor=supervisor,
            payload={"days": 31},
            note="案情复杂",
            now=at(dt.date(2026, 8, 20)),
        )
    assert "days" in too_long.value.errors
    transition_case(
        reload_enf(case),
        "extend_decision",
        actor=supervisor,
        payload={"days": 30},
        note="案情复杂",
        now=at(dt.date(2026, 8, 20)),
    )
    case = reload_enf(case)
    assert case.decision_due == dt.date(2026, 10, 8)  # 10-03 falls in the holiday: rolled
    with pytest.raises(InvalidTransition) as again:
        transition_case(
            case, "extend_decision", actor=supervisor, payload={"days": 10}, note="再延", now=MONDAY
        )
    assert "collective" in again.value.errors
    transition_case(
        case,
        "extend_decision",
        actor=supervisor,
        payload={"days": 20, "collective": True, "collective_minutes": "局务会议纪要第12期"},
        note="集体讨论决定延长",
        now=at(dt.date(2026, 9, 30)),
    )
    case = reload_enf(case)
    assert case.decision_further_days == 20
    assert standing(case, "decision").due_date == case.decision_due == dt.date(2026, 10, 28)


def test_statement_window_is_3_working_days_and_hearing_window_5_ending_on_a_makeup_saturday() -> (
    None
):
    """行政处罚法 第八十五条: 三日/五日 are working days; the 2026-10-10 make-up Saturday counts."""
    served = dt.date(2026, 9, 28)
    assert defence_due(served) == dt.date(2026, 10, 8)  # 09-29, 09-30, (holiday), 10-08
    assert hearing_request_due(served) == dt.date(2026, 10, 10)
    assert dt.date(2026, 10, 10).weekday() == 5


def _to_notice(case: Any, inspector: Any, supervisor: Any, legal: Any, served: dt.datetime) -> Any:
    transition_case(
        reload_enf(case),
        "submit_review",
        actor=inspector,
        payload={
            "violation_facts": "2026年6月1日外排废水COD浓度为标准的2.3倍",
            "penalty_provisions": "水污染防治法第八十三条",
            "proposed_penalty": "罚款二十万元",
            "proposed_fine": "200000",
        },
        now=served,
    )
    transition_case(
        reload_enf(case),
        "record_legal_review",
        actor=legal,
        payload={"legal_review_opinion": "事实清楚，证据确凿，适用法律正确"},
        now=served,
    )
    return transition_case(
        reload_enf(case),
        "serve_notice",
        actor=inspector,
        payload={
            "notice_served_at": served.strftime("%Y-%m-%dT%H:%M"),
            "proposed_penalty": "罚款二十万元",
            "proposed_fine": "200000",
            "hearing_eligible": True,
        },
        now=served,
    )


def test_hearing_request_window_closes_at_the_end_of_the_makeup_saturday(
    inspector: Any, inspector2: Any, supervisor: Any, legal: Any, factory_site: Any
) -> None:
    case = open_clue(inspector, inspector2, factory_site, now=at(dt.date(2026, 9, 1)))
    file_case(case, inspector, supervisor, now=at(dt.date(2026, 9, 1)))
    _to_notice(case, inspector, supervisor, legal, at(dt.date(2026, 9, 28)))
    case = reload_enf(case)
    assert case.notice_no == "小店环罚告〔2026〕1号"
    assert case.hearing_request_due == dt.date(2026, 10, 10)
    window = Deadline.objects.get(case=case, kind="hearing_request")
    assert window.due_date == dt.date(2026, 10, 10) and not window.is_main

    # Before the window closes, the case cannot go to decision.
    with pytest.raises(InvalidTransition):
        transition_case(case, "submit_decision", actor=inspector, now=at(dt.date(2026, 10, 10), 23))
    # A request on the make-up Saturday evening is in time; on Sunday it is not.
    with pytest.raises(InvalidTransition):
        transition_case(case, "request_hearing", actor=inspector, now=at(dt.date(2026, 10, 11)))
    transition_case(case, "request_hearing", actor=inspector, now=at(dt.date(2026, 10, 10), 23))
    assert reload_enf(case).state == EnforcementState.HEARING_REQUESTED


def test_a_hearing_pauses_the_decision_period_and_needs_7_working_days_notice(
    inspector: Any, inspector2: Any, supervisor: Any, legal: Any, factory_site: Any, district: Any
) -> None:
    from tests.factories import make_staff
    from workflow.roles import Role

    chair = make_staff("chair", district, Role.SUPERVISOR, name="听证主持人")
    case = open_clue(inspector, inspector2, factory_site, now=at(dt.date(2026, 9, 1)))
    file_case(case, inspector, supervisor, now=at(dt.date(2026, 9, 1)))
    _to_notice(case, inspector, supervisor, legal, at(dt.date(2026, 9, 28)))
    transition_case(
        reload_enf(case), "request_hearing", actor=inspector, now=at(dt.date(2026, 9, 29))
    )
    case = reload_enf(case)
    assert standing(case, "decision").paused_intervals[0]["reason"] == "听证期间"

    notified = at(dt.date(2026, 9, 30))
    assert earliest_hearing_day(dt.date(2026, 9, 30)) == dt.date(2026, 10, 15)
    payload = {
        "hearing_notified_at": notified.strftime("%Y-%m-%dT%H:%M"),
        "hearing_at": "2026-10-14T09:00",
        "hearing_place": "小店分局三楼会议室",
        "hearing_chair": chair.pk,
    }
    with pytest.raises(InvalidTransition) as early:
        transition_case(case, "schedule_hearing", actor=supervisor, payload=payload, now=notified)
    assert "hearing_at" in early.value.errors
    with pytest.raises(InvalidTransition) as investigator_chairs:
        transition_case(
            case,
            "schedule_hearing",
            actor=supervisor,
            payload={**payload, "hearing_at": "2026-10-15T09:00", "hearing_chair": inspector.pk},
            now=notified,
        )
    assert "hearing_chair" in investigator_chairs.value.errors
    transition_case(
        case,
        "schedule_hearing",
        actor=supervisor,
        payload={**payload, "hearing_at": "2026-10-15T09:00"},
        now=notified,
    )
    transition_case(
        reload_enf(case),
        "hold_hearing",
        actor=chair,
        payload={"hearing_record": "当事人到场陈述，对事实无异议"},
        now=at(dt.date(2026, 10, 15), 16),
    )
    case = reload_enf(case)
    assert case.state == EnforcementState.DECISION_PENDING
    # 09-01 + 90 = 11-30; paused 09-29 → 10-15 (16 days): 12-16.
    assert case.decision_due == dt.date(2026, 12, 16)


def test_decision_service_and_payment_clocks(
    inspector: Any, inspector2: Any, supervisor: Any, legal: Any, factory_site: Any
) -> None:
    case = open_clue(inspector, inspector2, factory_site, now=at(dt.date(2026, 6, 1)))
    file_case(case, inspector, supervisor, now=at(dt.date(2026, 6, 1)))
    _to_notice(case, inspector, supervisor, legal, at(dt.date(2026, 6, 8)))
    transition_case(
        reload_enf(case), "submit_decision", actor=inspector, now=at(dt.date(2026, 6, 16))
    )
    transition_case(
        reload_enf(case),
        "decide",
        actor=supervisor,
        payload={
            "penalty_kinds": ["fine"],
            "fine_amount": "200000",
            "decision_text": "罚款人民币贰拾万元整",
        },
        now=at(dt.date(2026, 6, 18)),
    )
    case = reload_enf(case)
    assert case.decision_no == "小店环罚〔2026〕1号"
    assert Deadline.objects.get(case=case, kind="decision").status == DeadlineStatus.MET
    serve = standing(case, "serve")
    assert serve.due_date == dt.date(2026, 6, 30)  # 7 working days; 端午 (06-19) skipped
    transition_case(
        case,
        "serve_decision",
        actor=inspector,
        payload={"served_at": "2026-06-22T10:00"},
        now=at(dt.date(2026, 6, 22)),
    )
    case = reload_enf(case)
    assert case.state == EnforcementState.EXECUTING
    assert case.payment_due == dt.date(2026, 7, 7)
    assert standing(case, "payment").due_date == dt.date(2026, 7, 7)
    transition_case(
        case,
        "record_performance",
        actor=inspector,
        payload={"paid_at": "2026-07-03T09:30", "paid_amount": "200000"},
        now=at(dt.date(2026, 7, 3)),
    )
    transition_case(
        reload_enf(case),
        "close_case",
        actor=supervisor,
        payload={"closing_summary": "当事人已履行处罚决定"},
        now=at(dt.date(2026, 7, 6)),
    )
    case = reload_enf(case)
    assert case.closed_at is not None and case.paid_amount == Decimal("200000")
    assert not Deadline.objects.filter(case=case, status=DeadlineStatus.PENDING).exists()


def test_police_transfer_is_due_24_hours_after_approval(
    inspector: Any, inspector2: Any, supervisor: Any, factory_site: Any
) -> None:
    case = open_clue(inspector, inspector2, factory_site)
    file_case(case, inspector, supervisor, now=MONDAY)
    transition_case(
        reload_enf(case),
        "refer_police",
        actor=inspector,
        payload={"police_kind": "criminal"},
        note="涉嫌污染环境罪",
        now=at(dt.date(2026, 6, 2)),
    )
    case = reload_enf(case)
    assert standing(case, "police_decision").due_date == dt.date(2026, 6, 5)
    approved = at(dt.date(2026, 6, 3), 15)
    transition_case(case, "approve_police", actor=supervisor, now=approved)
    transfer = standing(reload_enf(case), "police_transfer")
    assert transfer.due_at == approved + dt.timedelta(hours=24)
    transition_case(
        reload_enf(case),
        "transfer_police",
        actor=inspector,
        payload={"police_receipt_no": "并公环受〔2026〕8号"},
        now=approved + dt.timedelta(hours=20),
    )
    case = reload_enf(case)
    assert case.state == EnforcementState.INVESTIGATING
    assert Deadline.objects.get(case=case, kind="police_transfer").status == DeadlineStatus.MET


def test_termination_ends_the_decision_period(
    inspector: Any, inspector2: Any, supervisor: Any, factory_site: Any
) -> None:
    case = open_clue(inspector, inspector2, factory_site)
    file_case(case, inspector, supervisor, now=MONDAY)
    transition_case(
        reload_enf(case),
        "terminate",
        actor=supervisor,
        payload={"termination_reason": "no_violation"},
        note="复测达标，违法事实不能成立",
        now=at(dt.date(2026, 6, 10)),
    )
    case = reload_enf(case)
    assert case.state == EnforcementState.TERMINATED and case.closed_at is not None
    assert Deadline.objects.get(case=case, kind="decision").status == DeadlineStatus.CANCELLED
    assert case.due_at is None


def test_the_decision_period_escalates_like_any_main_deadline(
    inspector: Any, inspector2: Any, supervisor: Any, factory_site: Any
) -> None:
    case = open_clue(inspector, inspector2, factory_site)
    file_case(case, inspector, supervisor, now=at(dt.date(2026, 6, 5)))
    fired = fire_due_deadlines(at(dt.date(2026, 9, 4), 9))  # the day after 09-03
    assert fired >= 1
    case = reload_enf(case)
    assert case.escalation_level >= 3  # 催办


def test_the_inbox_shows_each_role_its_next_step(
    inspector: Any, inspector2: Any, supervisor: Any, legal: Any, factory_site: Any, outsider: Any
) -> None:
    """An inspector of the team acts on a lead; the head approves the filing; the 法制审核员
    reviews; nobody of another district sees any of it."""
    from workflow.models import Case

    case = open_clue(inspector, inspector2, factory_site)
    assert list(Case.objects.awaiting(inspector)) == [case.case_ptr]
    assert not Case.objects.awaiting(supervisor).exists()
    transition_case(
        case,
        "submit_filing",
        actor=inspector,
        payload={"violation_facts": "超标", "violated_provisions": "第十条"},
        now=MONDAY,
    )
    assert list(Case.objects.awaiting(supervisor).values_list("pk", flat=True)) == [case.pk]
    assert not Case.objects.awaiting(inspector).exists()
    transition_case(reload_enf(case), "approve_filing", actor=supervisor, now=MONDAY)
    transition_case(
        reload_enf(case),
        "submit_review",
        actor=inspector,
        payload={
            "violation_facts": "超标",
            "penalty_provisions": "第八十三条",
            "proposed_penalty": "罚款",
        },
        now=MONDAY,
    )
    assert list(Case.objects.awaiting(legal).values_list("pk", flat=True)) == [case.pk]
    assert not Case.objects.visible_to(outsider).filter(pk=case.pk).exists()


def test_the_statement_and_hearing_windows_are_shown_as_working_days(
    inspector: Any, inspector2: Any, supervisor: Any, legal: Any, factory_site: Any
) -> None:
    case = open_clue(inspector, inspector2, factory_site, now=at(dt.date(2026, 9, 1)))
    file_case(case, inspector, supervisor, now=at(dt.date(2026, 9, 1)))
    _to_notice(case, inspector, supervisor, legal, at(dt.date(2026, 9, 28)))
    windows = Deadline.objects.filter(case=case, kind__in=["defence", "hearing_request"])
    assert set(windows.values_list("clock", flat=True)) == {"workdays"}
