"""The closed loop's rules: who may take each transition, where, and never twice in one case."""

from __future__ import annotations

import datetime as dt

import pytest
from django_fsm import TransitionNotAllowed

from tests.factories import MONDAY, assign_to, make_staff, open_item
from workflow.models import Case, CaseEvent, Deadline
from workflow.roles import Role
from workflow.transitions import (
    CaseNotFound,
    InvalidTransition,
    TransitionDenied,
    available_transitions,
    transition_case,
)

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


def awaiting_ids(user) -> set[int]:
    return set(Case.objects.awaiting(user).values_list("pk", flat=True))


def fresh(case: Case) -> Case:
    return type(case).objects.get(pk=case.pk)


def assigned(dispatcher, district, town):
    case = open_item(actor=dispatcher, jurisdiction=district)
    assign_to(case, dispatcher=dispatcher, unit=town)
    return fresh(case)


def rectifying(dispatcher, handler, district, town):
    case = assigned(dispatcher, district, town)
    transition_case(case, "sign", actor=handler, now=MONDAY + HOUR)
    return fresh(case)


def reported(dispatcher, handler, district, town, photo):
    case = rectifying(dispatcher, handler, district, town)
    transition_case(
        case, "report", actor=handler, note="已整改", files=[photo], now=MONDAY + 2 * HOUR
    )
    return fresh(case)


def verifying(dispatcher, handler, verifier, district, town, photo):
    case = reported(dispatcher, handler, district, town, photo)
    transition_case(case, "start_verification", actor=verifier, now=MONDAY + 3 * HOUR)
    return fresh(case)


def pending_closure(dispatcher, handler, verifier, district, town, photo):
    case = verifying(dispatcher, handler, verifier, district, town, photo)
    transition_case(
        case, "pass_verification", actor=verifier, note="核查属实", now=MONDAY + 4 * HOUR
    )
    return fresh(case)


# --- assignment ---------------------------------------------------------------------------------


def test_dispatcher_assigns_with_a_rectification_deadline_in_working_days(
    dispatcher, district, town
):
    # given a new item
    case = open_item(actor=dispatcher, jurisdiction=district)
    # when the dispatcher assigns it to the town with 10 working days
    event = assign_to(case, dispatcher=dispatcher, unit=town)
    # then the town owns it, the deadline is 10 working days after 2026-06-01 (端午 06-19 off)
    case = fresh(case)
    assert case.state == "assigned"
    assert case.responsible_unit == town
    assert case.rectify_due == dt.date(2026, 6, 15)
    assert event.actor_role == "dispatcher"
    assert event.payload["responsible_unit"]["name"] == "北格镇"


def test_assignment_without_a_deadline_is_refused_with_a_field_error(dispatcher, district, town):
    case = open_item(actor=dispatcher, jurisdiction=district)
    with pytest.raises(InvalidTransition) as refused:
        transition_case(
            case, "assign", actor=dispatcher, payload={"responsible_unit": town.pk}, now=MONDAY
        )
    assert "rectify_period" in refused.value.errors
    assert fresh(case).state == "pending_assignment"
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_a_unit_of_another_district_cannot_be_made_responsible(
    dispatcher, district, other_district
):
    case = open_item(actor=dispatcher, jurisdiction=district)
    with pytest.raises(InvalidTransition) as refused:
        assign_to(case, dispatcher=dispatcher, unit=other_district, period=5)
    assert "responsible_unit" in refused.value.errors


def test_a_handler_who_sees_the_case_still_cannot_assign(dispatcher, district, town):
    district_handler = make_staff("district_handler", district, Role.HANDLER)
    case = open_item(actor=dispatcher, jurisdiction=district)
    with pytest.raises(TransitionDenied):
        assign_to(case, dispatcher=district_handler, unit=town, period=5)


def test_a_dispatcher_of_another_district_gets_not_found(dispatcher, outsider, district, town):
    case = open_item(actor=dispatcher, jurisdiction=district)
    with pytest.raises(CaseNotFound):
        assign_to(case, dispatcher=outsider, unit=town, period=5)
    assert fresh(case).state == "pending_assignment"


def test_the_city_bureau_dispatcher_may_assign_a_district_case(district, city, town, dispatcher):
    city_dispatcher = make_staff("city_dispatcher", city, Role.DISPATCHER)
    case = open_item(actor=dispatcher, jurisdiction=district)
    assign_to(case, dispatcher=city_dispatcher, unit=town, period=5)
    assert fresh(case).state == "assigned"


# --- the responsible unit -----------------------------------------------------------------------


def test_the_handler_of_the_responsible_unit_signs_and_becomes_assignee(
    dispatcher, handler, district, town
):
    case = assigned(dispatcher, district, town)
    transition_case(case, "sign", actor=handler, now=MONDAY + HOUR)
    case = fresh(case)
    assert case.state == "rectifying"
    assert case.assignee == handler


def test_a_handler_of_the_district_above_cannot_sign_for_the_town(dispatcher, district, town):
    elsewhere = make_staff("elsewhere", district, Role.HANDLER)
    case = assigned(dispatcher, district, town)
    with pytest.raises(TransitionDenied):
        transition_case(case, "sign", actor=elsewhere, now=MONDAY + HOUR)


def test_an_objection_needs_a_reason_and_returns_the_case_to_the_dispatcher(
    dispatcher, handler, district, town
):
    case = assigned(dispatcher, district, town)
    with pytest.raises(InvalidTransition) as refused:
        transition_case(case, "object", actor=handler, note="  ", now=MONDAY + HOUR)
    assert "note" in refused.value.errors
    transition_case(case, "object", actor=handler, note="该点位属邻镇管辖", now=MONDAY + HOUR)
    case = fresh(case)
    assert case.state == "objected"
    assert case.pk in awaiting_ids(dispatcher)


def test_an_objection_after_five_working_days_is_refused(dispatcher, handler, district, town):
    # 信访工作条例 第二十三条: 5 working days from receipt; 2026-06-01 + 5 wd = 06-08 (24:00)
    case = assigned(dispatcher, district, town)
    with pytest.raises(InvalidTransition):
        transition_case(
            case, "object", actor=handler, note="太晚", now=MONDAY + dt.timedelta(days=8)
        )
    assert fresh(case).state == "assigned"


def test_the_dispatcher_reroutes_an_objected_case(dispatcher, handler, district, town):
    neighbour = make_staff  # noqa: F841 (readability: a second town takes it)
    from tests.factories import UnitFactory
    from workflow.models import UnitKind

    other_town = UnitFactory(code="XD-LT", name="刘家堡乡", kind=UnitKind.TOWN, parent=district)
    case = assigned(dispatcher, district, town)
    transition_case(case, "object", actor=handler, note="非本镇辖区", now=MONDAY + HOUR)
    transition_case(
        fresh(case),
        "reassign",
        actor=dispatcher,
        payload={"responsible_unit": other_town.pk, "rectify_period": 10},
        now=MONDAY + 2 * HOUR,
    )
    case = fresh(case)
    assert case.state == "assigned"
    assert case.responsible_unit == other_town
    assert not Case.objects.visible_to(handler).filter(pk=case.pk).exists()


def test_a_report_needs_evidence(dispatcher, handler, district, town):
    case = rectifying(dispatcher, handler, district, town)
    with pytest.raises(InvalidTransition) as refused:
        transition_case(case, "report", actor=handler, note="已整改", now=MONDAY + 2 * HOUR)
    assert "files" in refused.value.errors


def test_progress_evidence_recorded_earlier_lets_the_unit_report(
    dispatcher, handler, district, town, photo
):
    case = rectifying(dispatcher, handler, district, town)
    transition_case(
        case, "record_progress", actor=handler, note="拆除暗管", files=[photo], now=MONDAY + HOUR
    )
    transition_case(fresh(case), "report", actor=handler, note="整改完毕", now=MONDAY + 2 * HOUR)
    assert fresh(case).state == "reported"


# --- verification and closure: separation of duties ---------------------------------------------


def test_the_handler_may_not_verify_their_own_work(dispatcher, district, town, photo):
    both = make_staff("both", town, Role.HANDLER, Role.VERIFIER)
    case = assigned(dispatcher, district, town)
    transition_case(case, "sign", actor=both, now=MONDAY + HOUR)
    transition_case(
        fresh(case), "report", actor=both, note="好了", files=[photo], now=MONDAY + 2 * HOUR
    )
    with pytest.raises((TransitionDenied, CaseNotFound)):
        transition_case(fresh(case), "start_verification", actor=both, now=MONDAY + 3 * HOUR)


def test_a_verifier_in_the_district_verifies(dispatcher, handler, verifier, district, town, photo):
    case = verifying(dispatcher, handler, verifier, district, town, photo)
    assert case.verifier == verifier
    assert case.pk in awaiting_ids(verifier)


def test_only_the_case_verifier_concludes_the_verification(
    dispatcher, handler, verifier, district, town, photo
):
    second = make_staff("verifier2", district, Role.VERIFIER)
    case = verifying(dispatcher, handler, verifier, district, town, photo)
    with pytest.raises(TransitionDenied):
        transition_case(case, "pass_verification", actor=second, note="ok", now=MONDAY + 4 * HOUR)


def test_a_failed_verification_returns_the_case_with_a_new_deadline(
    dispatcher, handler, verifier, district, town, photo
):
    case = verifying(dispatcher, handler, verifier, district, town, photo)
    transition_case(
        case,
        "fail_verification",
        actor=verifier,
        note="仍有异味",
        payload={"rectify_period": 5},
        now=MONDAY + 4 * HOUR,
    )
    case = fresh(case)
    assert case.state == "rectifying"
    assert case.verifier is None
    assert case.rectify_due == dt.date(2026, 6, 8)
    assert Deadline.objects.pending().get(case=case).kind == "rectify"


def test_the_verifier_may_not_approve_the_closure(dispatcher, handler, district, town, photo):
    checker = make_staff("checker", district, Role.VERIFIER, Role.SUPERVISOR)
    case = reported(dispatcher, handler, district, town, photo)
    transition_case(case, "start_verification", actor=checker, now=MONDAY + 3 * HOUR)
    transition_case(
        fresh(case), "pass_verification", actor=checker, note="ok", now=MONDAY + 4 * HOUR
    )
    with pytest.raises(TransitionDenied):
        transition_case(fresh(case), "approve_closure", actor=checker, now=MONDAY + 5 * HOUR)


def test_the_supervisor_approves_the_closure(
    dispatcher, handler, verifier, supervisor, district, town, photo
):
    case = pending_closure(dispatcher, handler, verifier, district, town, photo)
    transition_case(case, "approve_closure", actor=supervisor, now=MONDAY + 5 * HOUR)
    case = fresh(case)
    assert case.state == "closed"
    assert case.closed_at == MONDAY + 5 * HOUR
    assert not Case.objects.open().filter(pk=case.pk).exists()


def test_a_supervisor_of_another_district_cannot_close(
    dispatcher, handler, verifier, outsider, district, town, photo
):
    case = pending_closure(dispatcher, handler, verifier, district, town, photo)
    with pytest.raises(CaseNotFound):
        transition_case(case, "approve_closure", actor=outsider, now=MONDAY + 5 * HOUR)
    assert fresh(case).state == "pending_closure"


def test_a_rejected_closure_goes_back_to_the_same_verifier(
    dispatcher, handler, verifier, supervisor, district, town, photo
):
    case = pending_closure(dispatcher, handler, verifier, district, town, photo)
    with pytest.raises(InvalidTransition):
        transition_case(case, "reject_closure", actor=supervisor, now=MONDAY + 5 * HOUR)
    transition_case(
        case, "reject_closure", actor=supervisor, note="照片不清晰", now=MONDAY + 5 * HOUR
    )
    case = fresh(case)
    assert case.state == "verifying"
    assert case.verifier == verifier


# --- extensions ----------------------------------------------------------------------------------


def test_an_approved_extension_moves_the_rectification_deadline(
    dispatcher, handler, supervisor, district, town
):
    case = rectifying(dispatcher, handler, district, town)
    assert case.rectify_due == dt.date(2026, 6, 15)
    transition_case(
        case,
        "request_extension",
        actor=handler,
        note="需采购设备",
        payload={"days": 5},
        now=MONDAY + HOUR,
    )
    case = fresh(case)
    assert case.pending_extension_days == 5
    assert case.pk in awaiting_ids(supervisor)
    with pytest.raises(InvalidTransition):
        transition_case(case, "report", actor=handler, note="x", now=MONDAY + HOUR)
    with pytest.raises(InvalidTransition) as too_long:
        transition_case(
            case, "approve_extension", actor=supervisor, payload={"days": 9}, now=MONDAY + 2 * HOUR
        )
    assert "days" in too_long.value.errors
    transition_case(
        case, "approve_extension", actor=supervisor, payload={"days": 5}, now=MONDAY + 2 * HOUR
    )
    case = fresh(case)
    # 06-15 + 5 working days, 端午 (06-19) not counted
    assert case.rectify_due == dt.date(2026, 6, 23)
    assert case.pending_extension_days is None
    assert Deadline.objects.pending().get(case=case).due_date == dt.date(2026, 6, 23)
    assert Deadline.objects.filter(case=case, kind="rectify", status="superseded").count() == 1


def test_the_handler_cannot_approve_their_own_extension(dispatcher, district, town):
    chief = make_staff("chief", town, Role.HANDLER, Role.SUPERVISOR)
    case = assigned(dispatcher, district, town)
    transition_case(case, "sign", actor=chief, now=MONDAY + HOUR)
    transition_case(
        fresh(case),
        "request_extension",
        actor=chief,
        note="忙",
        payload={"days": 3},
        now=MONDAY + HOUR,
    )
    with pytest.raises((TransitionDenied, CaseNotFound)):
        transition_case(
            fresh(case),
            "approve_extension",
            actor=chief,
            payload={"days": 3},
            now=MONDAY + 2 * HOUR,
        )


# --- the engine's guarantees ---------------------------------------------------------------------


def test_a_direct_state_assignment_raises(dispatcher, district):
    case = open_item(actor=dispatcher, jurisdiction=district)
    with pytest.raises(AttributeError):
        case.state = "closed"


def test_a_transition_from_the_wrong_state_is_refused(dispatcher, handler, district, town):
    case = assigned(dispatcher, district, town)
    with pytest.raises(InvalidTransition):
        transition_case(case, "approve_closure", actor=handler, now=MONDAY)
    with pytest.raises(TransitionNotAllowed):
        case.report()  # the FSM itself refuses, whoever calls it


def test_available_transitions_are_the_buttons_a_user_sees(
    dispatcher, handler, verifier, district, town
):
    case = assigned(dispatcher, district, town)
    assert {s.name for s in available_transitions(case, handler, now=MONDAY)} == {"sign", "object"}
    assert available_transitions(case, verifier, now=MONDAY) == []
    assert available_transitions(case, dispatcher, now=MONDAY) == []


def test_a_stale_copy_cannot_move_the_case(dispatcher, handler, district, town):
    # given two copies of one case, one of which moves it
    case = assigned(dispatcher, district, town)
    stale = fresh(case)
    transition_case(case, "sign", actor=handler, now=MONDAY + HOUR)
    # when the stale copy tries another transition from the old state
    from workflow.transitions import TransitionConflict

    with pytest.raises(TransitionConflict) as conflict:
        transition_case(stale, "object", actor=handler, note="异议", now=MONDAY + HOUR)
    # then it is told clearly, and nothing was written
    assert "整改中" in conflict.value.message
    assert CaseEvent.objects.filter(case=case).count() == 3


def test_case_numbers_are_per_region_type_and_year(dispatcher, district, other_district, outsider):
    first = open_item(actor=dispatcher, jurisdiction=district)
    second = open_item(actor=dispatcher, jurisdiction=district)
    elsewhere = open_item(actor=outsider, jurisdiction=other_district)
    next_year = open_item(actor=dispatcher, jurisdiction=district, now=MONDAY.replace(year=2027))
    assert [first.case_no, second.case_no] == ["小店督〔2026〕0001号", "小店督〔2026〕0002号"]
    assert elsewhere.case_no == "迎泽督〔2026〕0001号"
    assert next_year.case_no == "小店督〔2027〕0001号"


def test_nobody_opens_a_case_outside_their_jurisdiction(dispatcher, other_district):
    from enforcement.models import SupervisionItem
    from workflow.transitions import open_case

    with pytest.raises(TransitionDenied):
        open_case(
            SupervisionItem, actor=dispatcher, jurisdiction=other_district, title="越权", now=MONDAY
        )
    assert not Case.objects.exists()


def test_an_invalid_field_at_opening_is_a_field_error_not_a_crash(dispatcher, district):
    from enforcement.models import SupervisionItem
    from workflow.transitions import open_case

    with pytest.raises(InvalidTransition) as refused:
        open_case(
            SupervisionItem, actor=dispatcher, jurisdiction=district, title="x" * 300, now=MONDAY
        )
    assert "title" in refused.value.errors
    assert not Case.objects.exists()
