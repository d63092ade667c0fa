"""生态环境损害赔偿 from the first clue to 结案: through 磋商 success, through 磋商 failure to
诉讼, and not started; the 90-day and 3-meeting limits; 一案双查 from an enforcement case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from enforcement.damage.services import clue_from_enforcement, open_damage_clue
from enforcement.models import ConsultationMeeting, DamageCase, DamageState
from tests.enforcement.field import at, open_clue, reload_enf
from workflow.models import CaseLink, Deadline
from workflow.models.case import LinkKind
from workflow.models.deadline import DeadlineStatus
from workflow.transitions import InvalidTransition, TransitionDenied, transition_case

pytestmark = pytest.mark.django_db


def clue(actor: Any, when: dt.datetime, **extra: Any) -> DamageCase:
    fields: dict[str, Any] = {
        "title": "北格镇渗坑倾倒化工废液致土壤污染",
        "channel": "penalty",
        "parties": [("太原市晋阳化工有限公司", "")],
    }
    fields.update(extra)
    return open_damage_clue(actor=actor, now=when, **fields)


def step(
    case: Any, name: str, actor: Any, when: dt.datetime, note: str = "", **payload: Any
) -> Any:
    return transition_case(
        reload_enf(case), name, actor=actor, payload=payload, note=note, now=when
    )


def to_consulting(case: DamageCase, inspector: Any, supervisor: Any, start: dt.date) -> DamageCase:
    step(case, "screen_in", inspector, at(start), screening_batch="2026Q2")
    step(case, "start", supervisor, at(start + dt.timedelta(days=10)), prelim_result="确有损害")
    step(
        case,
        "commission_assessment",
        inspector,
        at(start + dt.timedelta(days=12)),
        assessment_mode="commissioned",
        assessment_agency="山西省环境科学研究院",
    )
    step(
        case,
        "complete_assessment",
        inspector,
        at(start + dt.timedelta(days=40)),
        assessment_report_no="晋环鉴〔2026〕12号",
        damage_amount="1860000",
        cost_cleanup="600000",
        cost_remediation="1100000",
        cost_assessment="160000",
        remediation_feasible=True,
    )
    served = at(start + dt.timedelta(days=45))
    step(
        case,
        "serve_consultation_notice",
        inspector,
        served,
        consultation_notice_served_at=served.strftime("%Y-%m-%dT%H:%M"),
    )
    return reload_enf(case)


def meeting(case: Any, inspector: Any, when: dt.datetime) -> Any:
    return step(
        case,
        "record_meeting",
        inspector,
        when,
        held_at=when.strftime("%Y-%m-%dT%H:%M"),
        participants="分局、晋阳化工法定代表人、检察院",
        minutes="就修复方案交换意见",
    )


def test_a_clue_is_checked_within_30_days_and_the_consultation_within_90(
    inspector: Any, supervisor: Any
) -> None:
    case = clue(inspector, at(dt.date(2026, 4, 1)))
    prelim = Deadline.objects.get(case=case, kind="prelim")
    assert prelim.due_date == dt.date(2026, 5, 6)  # 05-01 falls in 劳动节: rolled to 05-06
    assert case.due_at == prelim.due_at
    case = to_consulting(case, inspector, supervisor, dt.date(2026, 4, 1))
    assert Deadline.objects.get(case=case, kind="prelim").status == DeadlineStatus.MET
    # Served 05-16: + 90 days = 08-14.
    assert case.consultation_due == dt.date(2026, 8, 14)
    assert Deadline.objects.get(case=case, kind="consultation", status="pending").is_main


def test_a_full_lifecycle_through_consultation_success_and_judicial_confirmation(
    inspector: Any, supervisor: Any, verifier: Any
) -> None:
    case = to_consulting(
        clue(inspector, at(dt.date(2026, 4, 1))), inspector, supervisor, dt.date(2026, 4, 1)
    )
    meeting(case, inspector, at(dt.date(2026, 5, 25)))
    meeting(case, inspector, at(dt.date(2026, 6, 10)))
    step(
        case,
        "sign_agreement",
        supervisor,
        at(dt.date(2026, 6, 12)),
        agreement_no="小店损协〔2026〕1号",
        agreement_signed_at="2026-06-12T09:00",
        compensation_amount="1860000",
        remediation_mode="third_party",
    )
    step(
        case,
        "apply_confirmation",
        inspector,
        at(dt.date(2026, 6, 15)),
        confirmation_court="太原市中级人民法院",
        confirmation_applied_at="2026-06-15T09:00",
    )
    case = reload_enf(case)
    assert case.publicity_end == dt.date(2026, 7, 15)
    plan = {"remediation_plan": "委托第三方清挖修复", "remediation_due": "2026-12-31"}
    with pytest.raises(InvalidTransition):  # the court's 30-day publicity is not over
        step(case, "start_remediation", inspector, at(dt.date(2026, 7, 15)), **plan)
    step(case, "start_remediation", inspector, at(dt.date(2026, 7, 16)), **plan)
    step(
        case, "record_progress", inspector, at(dt.date(2026, 9, 1)), note="完成清挖", paid="900000"
    )
    with pytest.raises(TransitionDenied):  # who recorded the progress may not verify it
        step(case, "verify_remediation", inspector, at(dt.date(2026, 11, 1)), note="已完成")
    step(case, "verify_remediation", verifier, at(dt.date(2026, 11, 1)), note="现场核查已完成修复")
    step(
        case,
        "pass_evaluation",
        supervisor,
        at(dt.date(2026, 11, 20)),
        evaluation_report="修复目标全部达到",
    )
    case = reload_enf(case)
    assert case.state == "closed" and case.closed_at is not None
    assert case.consultation_succeeded is True and case.meetings_held == 2
    assert case.costs == {
        "assessment": "160000.00",
        "cleanup": "600000.00",
        "remediation": "1100000.00",
    }
    assert [m.number for m in ConsultationMeeting.objects.filter(case=case)] == [1, 2]
    assert not Deadline.objects.filter(case=case, status=DeadlineStatus.PENDING).exists()


def test_consultation_failure_leads_to_litigation_and_remediation_by_judgment(
    inspector: Any, supervisor: Any, verifier: Any
) -> None:
    case = to_consulting(
        clue(inspector, at(dt.date(2026, 4, 1))), inspector, supervisor, dt.date(2026, 4, 1)
    )
    for day in (20, 27):
        meeting(case, inspector, at(dt.date(2026, 5, day)))
    with pytest.raises(InvalidTransition) as early:  # two meetings are not yet three
        step(
            case,
            "fail_consultation",
            inspector,
            at(dt.date(2026, 6, 1)),
            note="分歧",
            consultation_failure="meetings",
        )
    assert "consultation_failure" in early.value.errors
    meeting(case, inspector, at(dt.date(2026, 6, 3)))
    with pytest.raises(InvalidTransition):  # a fourth meeting is refused
        meeting(case, inspector, at(dt.date(2026, 6, 10)))
    step(
        case,
        "fail_consultation",
        inspector,
        at(dt.date(2026, 6, 10)),
        note="三次磋商未达成一致",
        consultation_failure="meetings",
    )
    step(
        case,
        "file_lawsuit",
        supervisor,
        at(dt.date(2026, 6, 20)),
        court="太原市中级人民法院",
        court_case_no="（2026）晋01民初88号",
        lawsuit_filed_at="2026-06-20T09:00",
    )
    step(
        case,
        "start_remediation",
        inspector,
        at(dt.date(2026, 10, 9)),
        remediation_plan="依判决支付赔偿金",
        remediation_due="2026-12-31",
    )
    case = reload_enf(case)
    assert case.judgment_at is not None and case.consultation_succeeded is False
    step(
        case,
        "record_progress",
        inspector,
        at(dt.date(2026, 11, 2)),
        note="赔偿金到账",
        paid="1860000",
    )
    step(case, "verify_remediation", verifier, at(dt.date(2026, 11, 3)), note="已核对到账凭证")
    step(
        case,
        "pass_evaluation",
        supervisor,
        at(dt.date(2026, 11, 5)),
        evaluation_exemption="payment_only",
    )
    case = reload_enf(case)
    assert case.state == "closed" and case.evaluation_exemption == "payment_only"


def test_no_meeting_or_agreement_after_the_90_days(inspector: Any, supervisor: Any) -> None:
    case = to_consulting(
        clue(inspector, at(dt.date(2026, 4, 1))), inspector, supervisor, dt.date(2026, 4, 1)
    )
    late = at(dt.date(2026, 8, 15))  # the day after 08-14
    with pytest.raises(InvalidTransition):
        meeting(case, inspector, late)
    with pytest.raises(InvalidTransition):
        step(
            case,
            "sign_agreement",
            supervisor,
            late,
            agreement_no="x",
            agreement_signed_at="2026-08-15T09:00",
            compensation_amount="1",
            remediation_mode="payment",
        )
    with pytest.raises(InvalidTransition):  # "expired" only once it has
        step(
            case,
            "fail_consultation",
            inspector,
            at(dt.date(2026, 8, 14)),
            note="x",
            consultation_failure="expired",
        )
    step(
        case, "fail_consultation", inspector, late, note="期限届满", consultation_failure="expired"
    )
    # One re-negotiation (2025 意见) with a new 90 days; not a second.
    step(
        case,
        "reconsult",
        supervisor,
        at(dt.date(2026, 8, 20)),
        note="当事人申请重新磋商",
        consultation_notice_served_at="2026-08-20T09:00",
    )
    case = reload_enf(case)
    assert case.state == DamageState.CONSULTING and case.meetings_held == 0
    assert case.consultation_due == dt.date(2026, 11, 18)
    meeting(case, inspector, at(dt.date(2026, 9, 1)))
    assert ConsultationMeeting.objects.get(case=case).round == 2


def test_not_started_with_its_reason_and_the_exceptions_that_must_start(
    inspector: Any, supervisor: Any
) -> None:
    minor = clue(inspector, at(dt.date(2026, 4, 1)), red_line_area=True)
    step(minor, "screen_in", inspector, at(dt.date(2026, 4, 2)), screening_batch="2026Q2")
    with pytest.raises(InvalidTransition) as refused:
        step(
            minor,
            "not_start",
            supervisor,
            at(dt.date(2026, 4, 20)),
            prelim_result="损害轻微",
            not_started_reason="minor",
        )
    assert "not_started_reason" in refused.value.errors
    step(
        minor,
        "not_start",
        supervisor,
        at(dt.date(2026, 4, 20)),
        prelim_result="已赔偿",
        not_started_reason="performed",
    )
    minor = reload_enf(minor)
    assert minor.state == DamageState.NOT_STARTED and minor.not_started_reason == "performed"
    assert minor.closed_at is not None and minor.started_at is None

    plain = clue(inspector, at(dt.date(2026, 4, 1)))
    step(plain, "screen_in", inspector, at(dt.date(2026, 4, 2)), screening_batch="2026Q2")
    step(
        plain,
        "not_start",
        supervisor,
        at(dt.date(2026, 4, 20)),
        prelim_result="损害显著轻微",
        not_started_reason="minor",
    )
    assert reload_enf(plain).state == DamageState.NOT_STARTED


def test_simplified_assessment_only_up_to_the_threshold(
    inspector: Any, supervisor: Any, settings: Any
) -> None:
    case = clue(inspector, at(dt.date(2026, 4, 1)))
    step(case, "screen_in", inspector, at(dt.date(2026, 4, 2)), screening_batch="2026Q2")
    step(case, "start", supervisor, at(dt.date(2026, 4, 10)), prelim_result="确有损害")
    payload = {"assessment_mode": "simplified", "assessment_agency": "专家组"}
    with pytest.raises(InvalidTransition):
        step(
            case,
            "commission_assessment",
            inspector,
            at(dt.date(2026, 4, 12)),
            estimated_damage="300000.01",
            **payload,
        )
    settings.ECOLOOP_DAMAGE_SIMPLE_MAX = 500000  # a province that raised it to 50万
    step(
        case,
        "commission_assessment",
        inspector,
        at(dt.date(2026, 4, 12)),
        estimated_damage="450000",
        **payload,
    )
    assert reload_enf(case).assessment_mode == "simplified"


def test_a_clue_from_an_enforcement_case_is_linked_both_ways(
    inspector: Any, inspector2: Any, factory_site: Any
) -> None:
    """一案双查 in one action: both timelines show the link."""
    enforcement = open_clue(inspector, inspector2, factory_site, now=at(dt.date(2026, 4, 1)))
    damage = clue_from_enforcement(enforcement, actor=inspector, now=at(dt.date(2026, 4, 2)))
    link = CaseLink.objects.get(kind=LinkKind.DOUBLE_INVESTIGATION)
    assert (link.from_case_id, link.to_case_id) == (damage.pk, enforcement.pk)
    assert damage.channel == "penalty"
    assert damage.parties.get().name == factory_site.name
    for end in (damage, enforcement):
        event = end.events.get(transition="link")
        assert event.payload["link_kind"] == "一案双查"


def test_a_failed_round_stays_failed_in_its_period_after_a_re_negotiation(
    inspector: Any, supervisor: Any
) -> None:
    from enforcement.damage.metrics import Period, rate

    case = to_consulting(
        clue(inspector, at(dt.date(2026, 4, 1))), inspector, supervisor, dt.date(2026, 4, 1)
    )
    step(
        case,
        "fail_consultation",
        inspector,
        at(dt.date(2026, 6, 20)),
        note="拒绝",
        consultation_failure="refused",
    )
    step(
        case,
        "reconsult",
        supervisor,
        at(dt.date(2026, 7, 2)),
        note="重新磋商",
        consultation_notice_served_at="2026-07-02T09:00",
    )
    step(
        case,
        "sign_agreement",
        supervisor,
        at(dt.date(2026, 8, 3)),
        agreement_no="小店损协〔2026〕2号",
        agreement_signed_at="2026-08-03T09:00",
        compensation_amount="500000",
        remediation_mode="payment",
    )
    cases = DamageCase.objects.all()
    assert rate(cases, Period.quarter(2026, 2), "consultation").counts() == (0, 1)
    assert rate(cases, Period.quarter(2026, 3), "consultation").counts() == (1, 1)
